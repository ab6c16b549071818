"""Fail closed: errors and timeouts block, bad input raises, nothing leaks to logs."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardrails import (
    Action,
    Guard,
    GuardConfigError,
    GuardrailsError,
    GuardTimeoutError,
    ScanResult,
    build_guard,
    explain_ja,
)

SECRET = "私のマイナンバーは123456789018です"
MODULE = "tests.guardrails._faulty_recognizers"
TIMEOUT_S = 0.2


def _guard_with(tmp_path: Path, class_name: str, timeout_s: float = TIMEOUT_S) -> Guard:
    conf = tmp_path / "recognizers.toml"
    conf.write_text(
        "[[recognizers]]\n"
        'module = "guardrails.recognizers.my_number"\n'
        'class = "MyNumberRecognizer"\n'
        "[[recognizers]]\n"
        f'module = "{MODULE}"\n'
        f'class = "{class_name}"\n',
        encoding="utf-8",
    )
    return build_guard(recognizers_path=conf, timeout_s=timeout_s)


@pytest.fixture(scope="module")
def exploding_guard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guard]:
    guard = _guard_with(tmp_path_factory.mktemp("exploding"), "ExplodingRecognizer")
    yield guard
    guard.close()


@pytest.fixture(scope="module")
def slow_guard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guard]:
    guard = _guard_with(tmp_path_factory.mktemp("slow"), "SlowRecognizer")
    yield guard
    guard.close()


def _assert_failed_closed(result: ScanResult, error: str) -> None:
    assert result.action is Action.BLOCK
    assert result.blocked
    assert result.error == error
    assert result.findings == []
    assert result.redacted == "<検査不能>"
    assert result.model_dump(mode="json", exclude_none=True) == {
        "action": "block",
        "findings": [],
        "redacted": "<検査不能>",
        "error": error,
    }


def test_recognizer_exception_blocks(
    exploding_guard: Guard, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="guardrails"):
        result = exploding_guard.scan(SECRET)
    _assert_failed_closed(result, "guard_error")
    # The exception message quoted the text; the log must not.
    assert "123456789018" not in caplog.text
    assert "RuntimeError" in caplog.text


def test_review_of_a_public_text_withholds_when_it_fails(
    exploding_guard: Guard, slow_guard: Guard
) -> None:
    for guard, error in ((exploding_guard, "guard_error"), (slow_guard, "guard_timeout")):
        review = guard.review_public_text("問い合わせ：市民課 054-626-1111")
        assert review.withhold
        assert review.error == error
        assert review.reasons == [error]
        assert review.values == [] and review.register_entries(source="x") == []


def test_base_exception_inside_the_scan_blocks(tmp_path: Path) -> None:
    guard = _guard_with(tmp_path, "ExitingRecognizer")
    try:
        _assert_failed_closed(guard.scan(SECRET), "guard_error")
    finally:
        guard.close()


def test_even_harmless_text_blocks_when_the_scan_fails(exploding_guard: Guard) -> None:
    _assert_failed_closed(exploding_guard.scan("こんにちは"), "guard_error")


def test_slow_recognizer_times_out_and_blocks(tmp_path: Path) -> None:
    # A guard of its own: the module's slow guard has its workers still stuck in the
    # scans of earlier tests, and a scan waiting for a worker has a longer budget.
    guard = _guard_with(tmp_path, "SlowRecognizer")
    try:
        started = time.perf_counter()
        result = guard.scan(SECRET)
        elapsed = time.perf_counter() - started
    finally:
        guard.close()
    _assert_failed_closed(result, "guard_timeout")
    assert elapsed < 1.0  # returned at the budget, not when the recogniser finished


def test_when_every_worker_is_stuck_a_waiting_scan_blocks_too(slow_guard: Guard) -> None:
    from concurrent.futures import ThreadPoolExecutor

    # More slow scans than workers: those that find no free worker within the queue's
    # budget block as well — nothing waits for ever, nothing is allowed unscanned.
    with ThreadPoolExecutor(max_workers=6) as callers:
        results = list(callers.map(slow_guard.scan, ["こんにちは"] * 6))
    for result in results:
        _assert_failed_closed(result, "guard_timeout")


def test_waiting_behind_other_scans_does_not_count_against_the_budget(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    # Each scan takes a fifth of the budget; sixteen at once on the guard's few workers
    # wait far longer than one budget in the queue — a busy host, not a stuck scan.
    guard = _guard_with(tmp_path, "PacedRecognizer", timeout_s=0.5)
    try:
        with ThreadPoolExecutor(max_workers=16) as callers:
            results = list(callers.map(guard.scan, ["市民課の窓口は何時まで？"] * 16))
    finally:
        guard.close()
    assert [r.error for r in results] == [None] * 16
    assert all(r.action is Action.ALLOW for r in results)


def test_error_explanation_is_generic(exploding_guard: Guard) -> None:
    message = explain_ja(SECRET, exploding_guard.scan(SECRET))
    assert "送信していません" in message
    assert "管理者" in message
    assert "123456789018" not in message


def test_raise_for_error() -> None:
    timeout = ScanResult(action=Action.BLOCK, redacted="<検査不能>", error="guard_timeout")
    with pytest.raises(GuardTimeoutError):
        timeout.raise_for_error()
    failed = ScanResult(action=Action.BLOCK, redacted="<検査不能>", error="guard_error")
    with pytest.raises(GuardrailsError):
        failed.raise_for_error()
    ScanResult(action=Action.ALLOW, redacted="ok").raise_for_error()


@pytest.mark.parametrize("value", [None, b"bytes", 123, ["text"]])
def test_non_str_input_raises(guard: Guard, value: object) -> None:
    with pytest.raises(GuardrailsError):
        guard.scan(value)  # type: ignore[arg-type]


def test_closed_guard_blocks() -> None:
    guard = build_guard(timeout_s=TIMEOUT_S)
    guard.close()
    _assert_failed_closed(guard.scan("こんにちは"), "guard_error")


@pytest.mark.parametrize("timeout_s", [0.0, -1.0])
def test_timeout_must_be_positive(timeout_s: float) -> None:
    with pytest.raises(GuardConfigError):
        build_guard(timeout_s=timeout_s)
