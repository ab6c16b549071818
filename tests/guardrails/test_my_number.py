"""MyNumberRecognizer (MY_NUMBER): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from guardrails.recognizers.my_number import MyNumberRecognizer
from guardrails.recognizers.my_number import my_number_check_digit as production_check_digit
from tests.guardrails._assertions import (
    Case,
    assert_findings,
    break_check_digit,
    make_my_number,
    my_number_check_digit,
    to_fullwidth,
    to_kanji,
)

N1 = make_my_number("12345678901")
N2 = make_my_number("98765432109")
N3 = make_my_number("20230401555")
BAD = break_check_digit(N1)
ZW = "\u200b"
CHECKED = (1.0, 1.0)  # check digit right
CONTEXT_ONLY = (0.4, 0.5)  # wrong check digit rescued by a context word

VALID = [
    pytest.param(Case(N1, [N1], CHECKED), id="bare"),
    pytest.param(Case(f"私のマイナンバーは{N1}です。", [N1], CHECKED), id="in-sentence"),
    pytest.param(Case(f"{N2[:4]}-{N2[4:8]}-{N2[8:]}", [(0, 14)], CHECKED), id="4-4-4-hyphen"),
    pytest.param(
        Case(f"番号：{N3[:4]} {N3[4:8]} {N3[8:]}。", [(3, 17)], CHECKED), id="4-4-4-space"
    ),
    pytest.param(Case(f"申請者A {N1}、申請者B {N2}", [N1, N2], CHECKED), id="two"),
    pytest.param(Case(f"山田太郎\t{N1}\t03-1234-5678", [N1], CHECKED), id="spreadsheet-row-tabs"),
    pytest.param(Case(f"{N2} 090-1234-5678", [N2], CHECKED), id="followed-by-number"),
    pytest.param(
        Case(f"1. 個人番号 {N1}\n2. 次の項目", [N1], CHECKED), id="numbered-list-next-line"
    ),
    pytest.param(Case(f"マイナンバー：{BAD}", [BAD], CONTEXT_ONLY), id="bad-check-with-context"),
    pytest.param(
        Case(f"{BAD}（個人番号カード記載）", [BAD], CONTEXT_ONLY), id="bad-check-context-after"
    ),
]

EVASION = [
    pytest.param(Case(to_fullwidth(N1), [(0, 12)], CHECKED), id="fullwidth"),
    pytest.param(
        Case(f"番号は{to_fullwidth(N2)}です", [(3, 15)], CHECKED), id="fullwidth-in-sentence"
    ),
    pytest.param(Case(f"{N1[:4]}.{N1[4:8]}.{N1[8:]}", [(0, 14)], CHECKED), id="dots"),
    pytest.param(Case(f"{N1[:4]}\n{N1[4:8]}\n{N1[8:]}", [(0, 14)], CHECKED), id="newlines"),
    pytest.param(Case(f"{N1[:4]}ー{N1[4:8]}―{N1[8:]}", [(0, 14)], CHECKED), id="choon-bar"),
    pytest.param(Case(f"{N1[:4]}－{N1[4:8]}‐{N1[8:]}", [(0, 14)], CHECKED), id="fw-hyphens"),
    pytest.param(Case(f"{N1[:4]}　{N1[4:8]}　{N1[8:]}", [(0, 14)], CHECKED), id="ideographic-sp"),
    pytest.param(Case(" ".join(N2), [(0, 23)], CHECKED), id="space-every-digit"),
    pytest.param(Case(ZW.join(N1), [(0, 23)], CHECKED), id="zero-width-every-digit"),
    pytest.param(
        Case(f"ID:{N3[:6]}\u2060{N3[6:]}\ufeff。", [(3, 16)], CHECKED), id="word-joiner-bom"
    ),
    pytest.param(Case(f"x{N1[:4]}\u00ad{N1[4:]}x", [(1, 14)], CHECKED), id="soft-hyphen"),
    pytest.param(Case(to_kanji(N1), [(0, 12)], CHECKED), id="kanji"),
    pytest.param(
        Case(f"マイナンバー{to_kanji(N2)}です", [(6, 18)], CHECKED), id="kanji-in-sentence"
    ),
    pytest.param(
        Case(f"{to_kanji(N3[:4])}-{to_kanji(N3[4:8])}-{to_kanji(N3[8:])}", [(0, 14)], CHECKED),
        id="kanji-4-4-4",
    ),
    pytest.param(Case(to_kanji(N1).replace("〇", "零"), [(0, 12)], CHECKED), id="kanji-rei"),
    pytest.param(
        Case(to_fullwidth(N1[:6]) + to_kanji(N1[6:]), [(0, 12)], CHECKED), id="mixed-scripts"
    ),
    pytest.param(
        Case("".join(chr(0x0660 + int(d)) for d in N2), [(0, 12)], CHECKED), id="arabic-indic"
    ),
    pytest.param(Case("".join(d + "\ufe0f\u20e3" for d in N3), [(0, 34)], CHECKED), id="keycaps"),
    # Written as money under a マイナンバー label (issue 12): the label overrides the
    # amount exclusions.
    pytest.param(Case(f"マイナンバーは{N1}円です", [N1], (0.85, 1.0)), id="label-yen-suffix"),
    pytest.param(Case(f"個人番号 ¥{BAD}", [BAD], (0.85, 0.85)), id="label-yen-prefix"),
    pytest.param(
        Case(
            f"マイナンバー：${N2[:4]},{N2[4:8]},{N2[8:]}",
            [f"{N2[:4]},{N2[4:8]},{N2[8:]}"],
            (0.85, 1.0),
        ),
        id="label-dollar-commas",
    ),
]

INVALID = [
    pytest.param(Case(BAD), id="bad-check-no-context"),
    pytest.param(Case(f"受付番号 {BAD} で登録"), id="bad-check-generic-word"),
    pytest.param(Case(N1 + "3"), id="13-digits"),
    pytest.param(Case("1" + N1), id="13-digits-leading"),
    pytest.param(Case(f"{N1[:4]}-{N1[4:8]}-{N1[8:]}-1234"), id="16-digits-grouped"),
    pytest.param(Case(f"法人番号 1-{N1[:4]}-{N1[4:8]}-{N1[8:]}"), id="13-digits-grouped"),
    pytest.param(Case("000000000000"), id="one-repeated-digit"),
    pytest.param(Case("マイナンバー：0000-0000-0000"), id="placeholder-with-context"),
    pytest.param(Case("2024-01-15"), id="date"),
    pytest.param(Case("2024年01月15日 10時30分"), id="date-kanji"),
    pytest.param(Case("20240115103045"), id="timestamp-14-digits"),
    pytest.param(Case("予算額は1,234,567,890,123円です"), id="amount-commas"),
    pytest.param(Case(f"歳入総額 {N1}円"), id="amount-yen"),
    pytest.param(Case(f"¥{N1}"), id="amount-yen-sign"),
    pytest.param(Case("地方自治法第252条の17の2第1項"), id="law-article"),
    pytest.param(Case("令和5年法律第48号"), id="law-number"),
    pytest.param(Case("415AC0000000057"), id="egov-law-id"),
    pytest.param(Case("一般の方は二三日お待ちください"), id="kanji-words"),
    pytest.param(Case("1234567890"), id="10-digits"),
    pytest.param(Case(f"合計¥{N1}"), id="amount-yen-without-label"),
    pytest.param(Case(f"予算{N1}円"), id="amount-en-without-label"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_my_number(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "MY_NUMBER")


@pytest.mark.parametrize("first_eleven", ["12345678901", "00000000011", "98765432109"])
def test_check_digit_matches_the_statutory_rule(first_eleven: str) -> None:
    assert production_check_digit(first_eleven) == my_number_check_digit(first_eleven)


def test_check_digit_rejects_wrong_input() -> None:
    with pytest.raises(ValueError):
        production_check_digit("123")


def test_defaults_are_overridable() -> None:
    recognizer = MyNumberRecognizer(context=["独自語"], supported_language="ja")
    assert recognizer.context == ["独自語"]
    assert recognizer.supported_entities == ["MY_NUMBER"]
    assert MyNumberRecognizer().context == MyNumberRecognizer.CONTEXT
