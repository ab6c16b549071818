"""Restoring values in the model's answer: recognised forms, reported anomalies (never
guessed), streaming piece by piece, and the output guard before restoring."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import pytest

from guardrails import (
    AnomalyKind,
    Guard,
    PlaceholderMapping,
    StreamRestorer,
    placeholder_prompt,
    restore_placeholders,
)
from tests.guardrails._placeholder_helpers import bundled_policy, restore_in_pieces, scan_of

PROMPT = "山田太郎様（焼津市本町1-2-3、090-1234-5678、taro@example.jp）へ、〒425-0022"
SPECS = [
    ("PERSON", "山田太郎"),
    ("ADDRESS", "焼津市本町1-2-3"),
    ("PHONE_NUMBER", "090-1234-5678"),
    ("EMAIL_ADDRESS", "taro@example.jp"),
    ("POSTAL_CODE", "425-0022"),
]


@pytest.fixture
def sent() -> tuple[PlaceholderMapping, str]:
    mapping = PlaceholderMapping()
    plan = placeholder_prompt(
        PROMPT, scan_of(PROMPT, SPECS), task="draft", policy=bundled_policy(), mapping=mapping
    )
    assert plan.text == "〈氏名1〉様（〈住所1〉、〈電話1〉、〈メール1〉）へ、〒〈郵便番号1〉"
    return mapping, plan.text


ALL = "〈住所1〉〈電話1〉〈メール1〉〈郵便番号1〉"  # appended where a case is about one token


# -- valid: restored ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        pytest.param("〈氏名1〉様\n\n拝啓 〈住所1〉", "山田太郎様\n\n拝啓 焼津市本町1-2-3", id="letter"),
        pytest.param("Dear 〈氏名1〉, we will call 〈電話1〉.", "Dear 山田太郎, we will call 090-1234-5678.", id="latin"),
        pytest.param("〈氏名1〉様、〈氏名1〉様、〈氏名1〉様", "山田太郎様、山田太郎様、山田太郎様", id="repeated"),
        pytest.param("〒〈郵便番号1〉 〈メール1〉", "〒425-0022 taro@example.jp", id="reordered"),
    ],
)  # fmt: skip
def test_restores_values(sent: tuple[PlaceholderMapping, str], answer: str, shown: str) -> None:
    mapping, text = sent
    result = restore_placeholders(answer + ALL, mapping, sent=text)
    assert result.text.startswith(shown)
    assert [a.kind for a in result.anomalies if a.kind is not AnomalyKind.DROPPED] == []
    assert text not in repr(result) and "山田" not in repr(result)


# -- evasion: other forms of the same placeholder are recognised (and reported) ----------------
@pytest.mark.parametrize(
    "written",
    [
        pytest.param("〈氏名１〉", id="fullwidth-digit"),
        pytest.param("<氏名1>", id="ascii-angle"),
        pytest.param("＜氏名1＞", id="fullwidth-angle"),
        pytest.param("〈 氏名 1 〉", id="spaces"),
        pytest.param("〈氏名　１〉", id="ideographic-space"),
        pytest.param("《氏名1》", id="double-angle"),
        pytest.param("⟨氏名1⟩", id="math-angle"),
        pytest.param("\u2329氏名1\u232a", id="legacy-angle"),
        pytest.param("〈氏名_1〉", id="underscore"),
    ],
)  # fmt: skip
def test_recognised_variants_are_restored(
    sent: tuple[PlaceholderMapping, str], written: str
) -> None:
    mapping, text = sent
    result = restore_placeholders(f"{written}様" + ALL, mapping, sent=text)
    assert result.text.startswith("山田太郎様")
    assert [(a.kind, a.written, a.placeholder) for a in result.anomalies] == [
        (AnomalyKind.NORMALISED, written, "〈氏名1〉")
    ]


# -- invalid: changed or invented placeholders are reported, never guessed ---------------------
@pytest.mark.parametrize(
    ("written", "kind", "likely"),
    [
        pytest.param("〈名前1〉", AnomalyKind.CHANGED, "〈氏名1〉", id="synonym-label"),
        pytest.param("<Name 1>", AnomalyKind.CHANGED, "〈氏名1〉", id="translated-label"),
        pytest.param("〈이름1〉", AnomalyKind.CHANGED, "〈氏名1〉", id="hangul-label"),
        pytest.param("[氏名1]", AnomalyKind.CHANGED, "〈氏名1〉", id="square-brackets"),
        pytest.param("（氏名1）", AnomalyKind.CHANGED, "〈氏名1〉", id="round-brackets"),
        pytest.param("氏名1", AnomalyKind.CHANGED, "〈氏名1〉", id="no-brackets"),
        pytest.param("〈氏名〉", AnomalyKind.CHANGED, None, id="no-number"),
        pytest.param("〈氏名0〉", AnomalyKind.CHANGED, None, id="number-zero"),
        pytest.param("〈名前7〉", AnomalyKind.CHANGED, None, id="synonym-unknown-number"),
        pytest.param("〈氏名2〉", AnomalyKind.INVENTED, None, id="invented-number"),
        pytest.param("<氏名9>", AnomalyKind.INVENTED, None, id="invented-variant"),
        pytest.param("〈生年月日1〉", AnomalyKind.INVENTED, None, id="invented-label"),
    ],
)  # fmt: skip
def test_changed_and_invented_are_reported_not_restored(
    sent: tuple[PlaceholderMapping, str], written: str, kind: AnomalyKind, likely: str | None
) -> None:
    mapping, text = sent
    answer = f"拝啓 {written}様。〈氏名1〉" + ALL
    result = restore_placeholders(answer, mapping, sent=text)
    assert result.text.startswith(f"拝啓 {written}様。山田太郎")
    assert [(a.kind, a.written, a.placeholder) for a in result.anomalies] == [
        (kind, written, likely)
    ]
    anomaly = result.anomalies[0]
    assert answer[anomaly.start or 0 : anomaly.end] == written
    assert result.problems == result.anomalies
    assert written in result.notices_ja()[0]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<h1>見出し</h1>", id="html"),
        pytest.param("（注1）第3条", id="note"),
        pytest.param("<氏名>様", id="guard-mask-label"),
        pytest.param("【重要】(1) [2]", id="brackets"),
        pytest.param("住所1丁目", id="label-word-unknown-token"),
        pytest.param("〈お知らせ〉", id="angle-word"),
        pytest.param("電話は<電話番号>まで", id="guard-mask-synonym"),
        pytest.param("お名前：〈お名前〉", id="form-blank"),
    ],
)  # fmt: skip
def test_ordinary_text_is_left_alone(text: str) -> None:
    mapping = PlaceholderMapping()
    result = restore_placeholders(text, mapping)
    assert result.text == text and result.anomalies == ()


def test_dropped_placeholders_are_a_notice(sent: tuple[PlaceholderMapping, str]) -> None:
    mapping, text = sent
    result = restore_placeholders("〈氏名1〉様の件は承知しました。", mapping, sent=text)
    assert result.text == "山田太郎様の件は承知しました。"
    dropped = [a.placeholder for a in result.anomalies if a.kind is AnomalyKind.DROPPED]
    assert dropped == ["〈住所1〉", "〈電話1〉", "〈メール1〉", "〈郵便番号1〉"]
    assert result.problems == ()
    assert "省かれた" in result.notices_ja()[0]


def test_a_placeholder_the_staff_member_wrote_is_theirs() -> None:
    mapping = PlaceholderMapping()
    prompt = "雛形の〈氏名1〉様を山田太郎様に差し替えて"
    plan = placeholder_prompt(
        prompt,
        scan_of(prompt, [("PERSON", "山田太郎")]),
        task="draft",
        policy=bundled_policy(),
        mapping=mapping,
    )
    result = restore_placeholders("〈氏名1〉様 → 〈氏名2〉様", mapping, sent=plan.text)
    assert result.text == "〈氏名1〉様 → 山田太郎様"
    assert result.anomalies == ()


# -- streaming: the same result whatever the pieces --------------------------------------------
ANSWER = (
    "〈氏名1〉様\n〈住所1〉\n\n拝啓　〈氏名 1〉様には日頃より…〈電話１〉まで。"
    "〈名前1〉、〈氏名2〉、<氏名>。Dear 〈氏名1〉, 〈メール1〉"
)


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 11, 32, 33, 1000])
def test_stream_equals_batch_for_fixed_pieces(
    sent: tuple[PlaceholderMapping, str], size: int
) -> None:
    mapping, text = sent
    batch = restore_placeholders(ANSWER, mapping, sent=text)
    streamed, report = restore_in_pieces(mapping, text, ANSWER, itertools.repeat(size))
    assert streamed == batch.text
    assert report.anomalies == batch.anomalies


def test_stream_equals_batch_for_random_pieces(sent: tuple[PlaceholderMapping, str]) -> None:
    mapping, text = sent
    batch = restore_placeholders(ANSWER, mapping, sent=text)
    rng = random.Random(18)
    for _ in range(300):
        streamed, report = restore_in_pieces(mapping, text, ANSWER, _sizes(rng, 0, 9))
        assert streamed == batch.text
        assert report.anomalies == batch.anomalies


def test_stream_releases_text_without_waiting_for_the_end(
    sent: tuple[PlaceholderMapping, str],
) -> None:
    mapping, text = sent
    restorer = StreamRestorer(mapping, sent=text)
    assert restorer.feed("拝啓　時下ますます") == "拝啓　時下ますます"
    assert restorer.feed("ご清祥の〈氏") == "ご清祥の"  # a placeholder may be starting
    assert restorer.feed("名1〉様") == "山田太郎様"
    assert restorer.close() == ""
    with pytest.raises(ValueError):
        restorer.feed("more")


# -- the output guard screens the placeholder text, before restoring ---------------------------
@pytest.mark.parametrize(
    "answer",
    [
        pytest.param("〈氏名1〉様\n〒〈郵便番号1〉 〈住所1〉\n\n拝啓　時下ますますご清祥のこととお喜び申し上げます。", id="letter"),
        pytest.param("相談者：〈氏名1〉（〈生年月日1〉生）、住所：〈住所1〉。〈氏名1〉さんは介護認定について相談。電話は〈電話1〉。", id="memo"),
        pytest.param("Dear 〈氏名1〉,\nWe received your application. Please call 〈電話1〉 or write to 〈メール1〉.", id="english"),
        pytest.param("〈氏名1〉君、〈氏名2〉ちゃん、〈氏名3〉殿、〈氏名4〉氏、〈氏名5〉 씨", id="honorifics"),
    ],
)  # fmt: skip
def test_placeholder_text_passes_the_output_guard(guard: Guard, answer: str) -> None:
    assert guard.scan(answer).findings == []


def test_personal_data_the_model_adds_is_the_output_guards(guard: Guard) -> None:
    mapping = PlaceholderMapping()
    prompt = "山田太郎様への案内状"
    plan = placeholder_prompt(
        prompt, guard.scan(prompt), task="draft", policy=guard.policy, mapping=mapping
    )
    answer = "〈氏名1〉様\n担当の携帯 090-8765-4321 までご連絡ください。"
    screened = guard.scan(answer)
    assert [f.type for f in screened.personal_findings] == ["PHONE_NUMBER"]
    shown = restore_placeholders(screened.redacted, mapping, sent=plan.text)
    assert shown.text == "山田太郎様\n担当の携帯 <電話番号> までご連絡ください。"
    assert shown.anomalies == ()


_PIECES = ("〈", "〉", "<", ">", "《", "[", "]", "（", "氏名", "住所", "電話", "名前", "Name", "1", "１", "2", "9", "0", " ", "　", "_", "様", "a", "\n", "〈氏名1〉", "〈電話1〉")  # fmt: skip


@pytest.mark.parametrize("seed", range(5))
def test_stream_equals_batch_on_scrambled_text(
    sent: tuple[PlaceholderMapping, str], seed: int
) -> None:
    mapping, text = sent
    rng = random.Random(seed)
    for _ in range(200):
        answer = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40)))
        batch = restore_placeholders(answer, mapping, sent=text)
        streamed, report = restore_in_pieces(mapping, text, answer, _sizes(rng, 1, 6))
        assert streamed == batch.text, answer
        assert report.anomalies == batch.anomalies, answer


def _sizes(rng: random.Random, low: int, high: int) -> Iterator[int]:
    while True:
        yield rng.randint(low, high)
