"""DenylistTermRecognizer (DENYLIST_TERM): one table — valid, evasion, invalid — plus
reloading the list without a restart."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardrails import Guard, GuardConfigError, build_guard
from guardrails.recognizers.denylist_term import (
    DenylistTermRecognizer,
    default_denylist_path,
    parse_terms,
)
from tests.guardrails._assertions import Case, assert_findings

ZW = "\u200b"
SCORE = (0.9, 0.9)
TERMS = """\
# 未公表の計画名（テスト用の架空の語）
さくらプロジェクト
新庁舎移転計画
  Project Blue
ABC
ＸＹ計画
あ
"""


@pytest.fixture(scope="module")
def denylist_guard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guard]:
    path = tmp_path_factory.mktemp("denylist") / "denylist.txt"
    path.write_text(TERMS, encoding="utf-8")
    built = build_guard(denylist_path=path)
    yield built
    built.close()


VALID = [
    pytest.param(Case("さくらプロジェクトの進捗", ["さくらプロジェクト"], SCORE), id="term"),
    pytest.param(Case("新庁舎移転計画（案）を要約", ["新庁舎移転計画"], SCORE), id="in-sentence"),
    pytest.param(Case("project blue の資料", ["project blue"], SCORE), id="case"),
    pytest.param(Case("ABCの件", ["ABC"], SCORE), id="ascii-before-kana"),
    pytest.param(Case("xy計画について", ["xy計画"], SCORE), id="width-and-case"),
    pytest.param(
        Case("さくらプロジェクトと新庁舎移転計画", ["さくらプロジェクト", "新庁舎移転計画"], SCORE),
        id="two-terms",
    ),
]

EVASION = [
    pytest.param(Case("さくらﾌﾟﾛｼﾞｪｸﾄ", ["さくらﾌﾟﾛｼﾞｪｸﾄ"], SCORE), id="halfwidth-katakana"),
    pytest.param(
        Case("ＰＲＯＪＥＣＴ　ＢＬＵＥ", ["ＰＲＯＪＥＣＴ　ＢＬＵＥ"], SCORE), id="fullwidth"
    ),
    pytest.param(Case("新 庁 舎 移 転 計 画", ["新 庁 舎 移 転 計 画"], SCORE), id="spaced"),
    pytest.param(Case("新庁舎\n移転計画", ["新庁舎\n移転計画"], SCORE), id="newline"),
    pytest.param(Case(f"新庁舎{ZW}移転計画", [(0, 8)], SCORE), id="zero-width"),
    pytest.param(Case("ProjectBlue", ["ProjectBlue"], SCORE), id="no-space"),
]

INVALID = [
    pytest.param(Case("ABCDの件"), id="longer-ascii-word"),
    pytest.param(Case("xABC"), id="ascii-prefix"),
    pytest.param(Case("さくらの開花"), id="prefix-only"),
    pytest.param(Case("あいうえお"), id="one-letter-term-skipped"),
    pytest.param(Case("新庁舎の移転"), id="other-words"),
    pytest.param(
        Case("# さくらプロジェクト", ["さくらプロジェクト"], SCORE),
        id="comment-is-only-in-the-file",
    ),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_denylist_term(denylist_guard: Guard, case: Case) -> None:
    assert_findings(denylist_guard, case, "DENYLIST_TERM")


def test_the_bundled_list_is_only_comments(guard: Guard) -> None:
    assert parse_terms(default_denylist_path().read_text(encoding="utf-8").splitlines()) == ([], 0)
    assert not guard.scan("さくらプロジェクト").findings


def test_reloads_after_the_file_is_edited(tmp_path: Path) -> None:
    path = tmp_path / "denylist.txt"
    path.write_text("さくらプロジェクト\n", encoding="utf-8")
    guard = build_guard(denylist_path=path)
    try:
        assert [f.type for f in guard.scan("ひまわり計画の件").findings] == []
        path.write_text("さくらプロジェクト\nひまわり計画\n", encoding="utf-8")
        time.sleep(DenylistTermRecognizer.CHECK_INTERVAL_S + 0.1)
        result = guard.scan("ひまわり計画の件")
        assert [f.type for f in result.findings] == ["DENYLIST_TERM"]
        assert result.blocked
    finally:
        guard.close()


def test_a_broken_file_keeps_the_last_good_list(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "denylist.txt"
    path.write_text("ひまわり計画\n", encoding="utf-8")
    recognizer = DenylistTermRecognizer(path, check_interval_s=0)
    assert len(recognizer.analyze("ひまわり計画", ["DENYLIST_TERM"])) == 1
    path.write_bytes("ひまわり計画\nつばき計画\n".encode("shift_jis"))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    with caplog.at_level(logging.WARNING, logger="guardrails.recognizers.denylist_term"):
        assert len(recognizer.analyze("ひまわり計画", ["DENYLIST_TERM"])) == 1
    assert "keeping the previous list of 1 terms" in caplog.text
    assert "ひまわり" not in caplog.text  # the terms themselves are never logged
    path.unlink()
    assert len(recognizer.analyze("ひまわり計画", ["DENYLIST_TERM"])) == 1
    path.write_text("つばき計画\n", encoding="utf-8")
    assert recognizer.analyze("ひまわり計画", ["DENYLIST_TERM"]) == []
    assert recognizer.term_count == 1


def test_an_explicit_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(GuardConfigError):
        build_guard(denylist_path=tmp_path / "missing.txt")


def test_many_terms_match_in_one_pass() -> None:
    terms = [f"計画{n:04d}号" for n in range(800)]
    recognizer = DenylistTermRecognizer(check_interval_s=3600)
    from guardrails.recognizers.denylist_term import compile_terms

    recognizer._pattern = compile_terms(parse_terms(terms)[0])
    found = recognizer.analyze("計画0042号と計画0799号", ["DENYLIST_TERM"])
    assert [(r.start, r.end) for r in found] == [(0, 7), (8, 15)]


def test_config_version_changes_when_the_list_is_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "denylist.txt"
    path.write_text("さくらプロジェクト\n", encoding="utf-8")
    guard = build_guard(denylist_path=path)
    try:
        before = guard.config_version
        assert guard.config_version == before  # nothing changed, nothing reloaded
        path.write_text("さくらプロジェクト\nひまわり計画\n", encoding="utf-8")
        later = time.time_ns() + 1_000_000_000
        os.utime(path, ns=(later, later))
        time.sleep(DenylistTermRecognizer.CHECK_INTERVAL_S + 0.1)
        assert guard.config_version != before  # asking is enough: no scan needed
    finally:
        guard.close()
