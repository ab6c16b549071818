"""PensionNumberRecognizer (PENSION_NUMBER): one table — valid, evasion, invalid.

基礎年金番号 has no public check digit; valid cases are synthetic 10-digit numbers next
to a pension word.
"""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings, to_fullwidth, to_kanji

P1 = "1234567890"
P2 = "5099123456"
P3 = "9000876543"
ZW = "\u200b"
CONTEXT = (0.4, 0.5)  # pattern 0.1 + context 0.35


def dashed(number: str, sep: str = "-") -> str:
    """4-6, as printed on the 基礎年金番号通知書."""
    return f"{number[:4]}{sep}{number[4:]}"


VALID = [
    pytest.param(Case(f"基礎年金番号：{dashed(P1)}", [dashed(P1)], CONTEXT), id="labelled"),
    pytest.param(Case(f"年金番号は{P2}です", [P2], CONTEXT), id="contiguous"),
    pytest.param(
        Case(f"年金手帳の記号 {P3[:4]} 番号 {P3[4:]}", [f"{P3[:4]} 番号 {P3[4:]}"], CONTEXT),
        id="nenkin-techo-kigo-bango",
    ),
    pytest.param(Case(f"{dashed(P2)}（基礎年金番号）", [dashed(P2)], CONTEXT), id="label-after"),
    pytest.param(Case(f"基礎年金番号通知書\n{dashed(P1)}", [dashed(P1)], CONTEXT), id="line-above"),
    pytest.param(
        Case(f"基礎年金番号 {dashed(P1)}、電話 03-1234-5678", [dashed(P1)], CONTEXT),
        id="next-to-phone",
    ),
]

EVASION = [
    pytest.param(
        Case(f"基礎年金番号 {to_fullwidth(dashed(P1))}", [(7, 18)], CONTEXT), id="fullwidth"
    ),
    pytest.param(Case(f"基礎年金番号 {to_kanji(P2)}", [(7, 17)], CONTEXT), id="kanji"),
    pytest.param(Case(f"基礎年金番号 {ZW.join(P3)}", [(7, 26)], CONTEXT), id="zero-width"),
    pytest.param(Case(f"基礎年金番号 {dashed(P1, 'ー')}", [(7, 18)], CONTEXT), id="choon"),
    pytest.param(Case(f"基礎年金番号 {dashed(P2, '.')}", [(7, 18)], CONTEXT), id="dot"),
    pytest.param(Case(f"基礎年金番号 {dashed(P3, chr(10))}", [(7, 18)], CONTEXT), id="newline"),
    pytest.param(Case(f"基礎年金番号 {' '.join(P1)}", [(7, 26)], CONTEXT), id="spaces"),
]

INVALID = [
    pytest.param(Case(dashed(P1)), id="no-context"),
    pytest.param(Case(f"受付番号 {dashed(P1)}"), id="generic-word"),
    pytest.param(Case("年金事務所 03-1234-5678"), id="phone-at-pension-office"),
    pytest.param(Case(f"年金事務所の受付番号 {dashed(P2)}"), id="bare-word-nenkin"),
    pytest.param(Case(f"基礎年金番号 {P1}1"), id="11-digits"),
    pytest.param(Case(f"基礎年金番号 {P1[:9]}"), id="9-digits"),
    pytest.param(Case(f"基礎年金番号 {dashed(P1)}-12"), id="glued-by-hyphen"),
    pytest.param(Case("基礎年金番号 0000-000000"), id="one-repeated-digit"),
    pytest.param(Case(f"年金額 {P1}円"), id="amount-yen"),
    pytest.param(Case("年金額は1,234,567円"), id="amount-commas"),
    pytest.param(Case("基礎年金番号の通知日 2024-01-15"), id="date"),
    pytest.param(Case("国民年金法（昭和三十四年法律第百四十一号）第14条"), id="law-text"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_pension_number(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PENSION_NUMBER")
