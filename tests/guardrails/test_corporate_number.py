"""CorporateNumberRecognizer (CORPORATE_NUMBER): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Action, Guard
from guardrails.recognizers.corporate_number import corporate_number_check_digit
from tests.guardrails._assertions import Case, assert_findings, to_fullwidth, to_kanji


def check_digit(base: str) -> int:
    """Independent re-implementation of 法人番号の指定等に関する省令 第2条 (test data).

    Weights for the 12 base digits read from the LEFT (n = 12 … 1 from the right):
    Qn = 2 for even n, 1 for odd n, i.e. 2, 1, 2, 1, …; check = 9 − (Σ mod 9).
    """
    total = sum(int(d) * (2 if i % 2 == 0 else 1) for i, d in enumerate(base))
    return 9 - total % 9


def make_corporate_number(base: str) -> str:
    """A synthetic 13-digit 法人番号: the check digit in front of the 12-digit base."""
    return str(check_digit(base)) + base


def break_check(number: str) -> str:
    """The same number with a different (wrong) leading check digit."""
    return str(int(number[0]) % 9 + 1) + number[1:]


def yucho_shaped() -> str:
    """A valid 法人番号 that is also a ゆうちょ 記号・番号 (1xxxx-xxxxxxx1) when split 5-8."""
    for n in range(10**11):
        base = f"{n:011d}1"
        if check_digit(base) == 1:
            return "1" + base
    raise AssertionError("unreachable")


def grouped(number: str, sep: str = "-") -> str:
    """1-4-4-4, as on the 国税庁 forms."""
    return sep.join([number[0], number[1:5], number[5:9], number[9:]])


C1 = make_corporate_number("123456789012")
C2 = make_corporate_number("700150012345")
C3 = make_corporate_number("000020130001")
BAD = break_check(C1)
YUCHO = yucho_shaped()
ZW = "\u200b"
VALIDATED = (0.4, 0.4)  # right check digit, no context: reported, capped (see module)
WITH_CONTEXT = (0.75, 0.75)
CONTEXT_ONLY = (0.4, 0.5)  # wrong check digit rescued by a context word

VALID = [
    pytest.param(Case(C1, [C1], VALIDATED), id="bare"),
    pytest.param(Case(f"法人番号：{C2}", [C2], WITH_CONTEXT), id="labelled"),
    pytest.param(
        Case(f"株式会社サンプル（法人番号 {C3}）と契約", [C3], WITH_CONTEXT), id="in-sentence"
    ),
    pytest.param(Case(grouped(C1), [grouped(C1)], VALIDATED), id="1-4-4-4-hyphen"),
    pytest.param(Case(f"登録番号 T{C2}", [C2], WITH_CONTEXT), id="invoice-t-number"),
    pytest.param(Case(f"{C1}、{C2}", [C1, C2], VALIDATED), id="two"),
    pytest.param(Case(f"取引先\t{C3}\t03-1234-5678", [C3], VALIDATED), id="spreadsheet-row"),
    pytest.param(Case(f"法人番号 {BAD}", [BAD], CONTEXT_ONLY), id="bad-check-with-context"),
    pytest.param(Case(f"{C2[:5]}-{C2[5:]}", [(0, 14)], VALIDATED), id="any-grouping-warned-alone"),
]

EVASION = [
    pytest.param(Case(to_fullwidth(C1), [(0, 13)], VALIDATED), id="fullwidth"),
    pytest.param(Case(to_kanji(C2), [(0, 13)], VALIDATED), id="kanji"),
    pytest.param(Case(f"{C1[:5]}{ZW}{C1[5:]}", [(0, 14)], VALIDATED), id="zero-width"),
    pytest.param(Case(grouped(C2, " "), [(0, 16)], VALIDATED), id="1-4-4-4-spaces"),
    pytest.param(Case(grouped(C2, "."), [(0, 16)], VALIDATED), id="1-4-4-4-dots"),
    pytest.param(Case(grouped(C3, "\n"), [(0, 16)], VALIDATED), id="1-4-4-4-newlines"),
    pytest.param(Case(grouped(C1, "ー"), [(0, 16)], VALIDATED), id="1-4-4-4-choon"),
    pytest.param(Case(grouped(to_fullwidth(C1), "－"), [(0, 16)], VALIDATED), id="fw-hyphens"),
    pytest.param(Case(grouped(C3, "―"), [(0, 16)], VALIDATED), id="horizontal-bar"),
    pytest.param(
        Case(to_fullwidth(C2[:6]) + to_kanji(C2[6:]), [(0, 13)], VALIDATED), id="mixed-scripts"
    ),
    pytest.param(Case(" ".join(C1), [(0, 25)], VALIDATED), id="space-every-digit"),
    pytest.param(Case("・".join(C3), [(0, 25)], VALIDATED), id="nakaguro-every-digit"),
]

INVALID = [
    pytest.param(Case(BAD), id="bad-check-no-context"),
    pytest.param(Case(f"受付番号 {BAD}"), id="bad-check-generic-word"),
    pytest.param(Case("0" + C1[1:]), id="leading-zero"),
    pytest.param(Case(C1 + "4"), id="14-digits"),
    pytest.param(Case("9" + C1), id="14-digits-leading"),
    pytest.param(Case(C1[1:]), id="12-digits"),
    pytest.param(Case(f"{C1}-12"), id="glued-by-hyphen"),
    pytest.param(
        Case(f"ゆうちょ銀行 記号番号 {YUCHO[:5]}-{YUCHO[5:]}", others=True),
        id="yucho-account-is-blocked-not-warned",
    ),
    pytest.param(Case("1111111111111"), id="one-repeated-digit"),
    pytest.param(Case(f"歳入総額 {C1}円"), id="amount-yen"),
    pytest.param(Case("予算額は1,234,567,890,123円です"), id="amount-commas"),
    pytest.param(Case("2024-01-15 10:30"), id="date"),
    pytest.param(Case("令和6年4月1日"), id="wareki-date"),
    pytest.param(Case("平成十一年法律第百五十一号"), id="law-number-kanji"),
    pytest.param(Case("地方自治法第252条の17の2第1項"), id="law-article"),
    pytest.param(Case("415AC0000000057"), id="egov-law-id"),
    pytest.param(Case("03-1234-5678"), id="phone"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_corporate_number(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "CORPORATE_NUMBER")


@pytest.mark.parametrize("base", ["123456789012", "000020130001", "999999999998"])
def test_check_digit_matches_the_statutory_rule(base: str) -> None:
    assert corporate_number_check_digit(base) == check_digit(base)


def test_check_digit_worked_example() -> None:
    # 基礎番号 123456789012: Σ Pn·Qn = 74, 74 mod 9 = 2, 9 − 2 = 7.
    assert corporate_number_check_digit("123456789012") == 7


def test_corporate_number_only_warns(guard: Guard) -> None:
    result = guard.scan(f"法人番号 {C1} の事業者です")
    assert result.action is Action.ALLOW
    assert [f.type for f in result.findings] == ["CORPORATE_NUMBER"]
