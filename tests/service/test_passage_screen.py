"""Retrieved passages pass the real guard on their way to the model; verdicts are cached
per passage and forgotten when the deny-list changes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardrails import Guard, ScanResult, build_guard
from guardrails.recognizers.denylist_term import DenylistTermRecognizer
from service.pipeline.passages import PassageScreen

PUBLIC = "行政庁は、審査基準を定めるものとする。"
WITH_PHONE = "問合せは担当者の携帯090-1234-5678まで。"


class CountingGuard:
    """The real guard, counting scans (stands in where `Guard` is expected)."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.scans = 0
        self.fail = False

    @property
    def config_version(self) -> tuple[int, ...]:
        return self.guard.config_version

    def scan(self, text: str) -> ScanResult:
        self.scans += 1
        if self.fail:
            return ScanResult(action="block", findings=[], redacted="<検査不能>", error="x")
        return self.guard.scan(text)


@pytest.fixture
def denylist(tmp_path: Path) -> Path:
    path = tmp_path / "denylist.txt"
    path.write_text("さくらプロジェクト\n", encoding="utf-8")
    return path


@pytest.fixture
def counting(denylist: Path) -> Iterator[CountingGuard]:
    guard = build_guard(denylist_path=denylist)
    yield CountingGuard(guard)
    guard.close()


def _screen(counting: CountingGuard) -> PassageScreen:
    return PassageScreen(counting)  # type: ignore[arg-type]


def test_public_passage_passes_and_is_scanned_once(counting: CountingGuard, denylist: Path) -> None:
    screen = _screen(counting)
    assert [screen.screen(PUBLIC) for _ in range(3)] == [PUBLIC] * 3
    assert counting.scans == 1


def test_personal_data_in_a_passage_is_redacted_every_time(
    counting: CountingGuard, denylist: Path
) -> None:
    screen = _screen(counting)
    for _ in range(2):
        safe = screen.screen(WITH_PHONE)
        assert "090-1234-5678" not in safe and "<電話番号>" in safe
    assert counting.scans == 1


def test_a_new_denylist_term_applies_to_cached_passages(
    counting: CountingGuard, denylist: Path
) -> None:
    screen = _screen(counting)
    passage = "ひまわり計画の概要は次のとおり。"
    assert screen.screen(passage) == passage
    denylist.write_text("さくらプロジェクト\nひまわり計画\n", encoding="utf-8")
    later = time.time_ns() + 1_000_000_000
    os.utime(denylist, ns=(later, later))
    # Until the guard reloads (within CHECK_INTERVAL_S) it judges with the old list;
    # what it says meanwhile must not outlive the reload.
    screen.screen(passage)
    time.sleep(DenylistTermRecognizer.CHECK_INTERVAL_S + 0.1)
    assert "ひまわり計画" not in screen.screen(passage)
    assert "ひまわり計画" not in screen.screen(passage)


def test_a_failed_scan_is_withheld_and_not_remembered(
    counting: CountingGuard, denylist: Path
) -> None:
    screen = _screen(counting)
    counting.fail = True
    assert screen.screen(PUBLIC) == "<検査不能>"
    counting.fail = False
    assert screen.screen(PUBLIC) == PUBLIC
    assert counting.scans == 2


def test_the_cache_is_bounded(counting: CountingGuard, denylist: Path) -> None:
    screen = PassageScreen(counting, max_entries=2)  # type: ignore[arg-type]
    for text in ("第一条", "第二条", "第三条", "第一条"):
        screen.screen(text)
    assert counting.scans == 4  # 第一条 was evicted by 第三条
