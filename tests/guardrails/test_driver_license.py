"""DriverLicenseRecognizer (DRIVER_LICENSE): one table — valid, evasion, invalid.

No check digit is applied (not published, see the recogniser): valid cases are
synthetic 12-digit numbers labelled as a licence. Twelve digits are also a マイナンバー;
the nearest label decides, whatever the マイナンバー check digit says.
"""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import (
    Case,
    assert_findings,
    break_check_digit,
    make_my_number,
    to_fullwidth,
    to_kanji,
)

# D1, D2: not マイナンバー-valid; MN: also passes the マイナンバー check digit.
MN = make_my_number("30190123456")
D1 = break_check_digit(MN)
D2 = break_check_digit(make_my_number("62051234567"))
ZW = "\u200b"
LABELLED = (0.85, 0.85)
LABELLED_OVER_MY_NUMBER = (1.0, 1.0)


def grouped(number: str, sep: str = "-") -> str:
    return sep.join([number[:4], number[4:8], number[8:]])


VALID = [
    pytest.param(Case(f"運転免許証番号：{D1}", [D1], LABELLED), id="labelled"),
    pytest.param(Case(f"免許証の番号は{D2}です", [D2], LABELLED), id="in-sentence"),
    pytest.param(Case(f"運転免許証\n番号：{D1}", [D1], LABELLED), id="label-on-line-above"),
    pytest.param(Case(f"{D2}（運転免許証）", [D2], LABELLED), id="label-after"),
    pytest.param(Case(f"マイナ免許証 {D1}", [D1], LABELLED), id="myna-menkyosho"),
    pytest.param(Case(f"運転経歴証明書 {D2}", [D2], LABELLED), id="keireki-shomeisho"),
    pytest.param(Case(f"免許証番号 {grouped(D1)}", [grouped(D1)], LABELLED), id="grouped"),
    pytest.param(
        Case(f"運転免許証番号 {MN}", [MN], LABELLED_OVER_MY_NUMBER, others=False),
        id="label-beats-my-number-check-digit",
    ),
    pytest.param(
        Case(f"本人確認書類：マイナンバーカード（不要）、運転免許証 {MN}", [MN], (1.0, 1.0)),
        id="nearest-label-licence",
    ),
    pytest.param(Case(f"免許証 {D1}、電話 03-1234-5678", [D1], LABELLED), id="next-to-phone"),
]

EVASION = [
    pytest.param(Case(f"免許証番号 {to_fullwidth(D1)}", [(6, 18)], LABELLED), id="fullwidth"),
    pytest.param(Case(f"免許証番号 {to_kanji(D2)}", [(6, 18)], LABELLED), id="kanji"),
    pytest.param(Case(f"免許証番号 {ZW.join(D1)}", [(6, 29)], LABELLED), id="zero-width"),
    pytest.param(Case(f"免許証番号 {grouped(D2, 'ー')}", [(6, 20)], LABELLED), id="choon"),
    pytest.param(
        Case(f"免許証番号 {grouped(to_fullwidth(D1), '－')}", [(6, 20)], LABELLED), id="fw-hyphen"
    ),
    pytest.param(Case(f"免許証番号 {grouped(D2, '.')}", [(6, 20)], LABELLED), id="dots"),
    pytest.param(Case(f"免許証番号 {grouped(D1, chr(10))}", [(6, 20)], LABELLED), id="newlines"),
    pytest.param(Case(f"免許証番号 {' '.join(D2)}", [(6, 29)], LABELLED), id="spaces"),
    pytest.param(
        Case(f"免許証番号 {grouped(MN, '　')}", [(6, 20)], LABELLED_OVER_MY_NUMBER),
        id="ideographic-spaces-my-number-valid",
    ),
]

INVALID = [
    pytest.param(Case(D1), id="no-label"),
    pytest.param(Case(f"受付番号 {D2}"), id="generic-word"),
    pytest.param(Case(MN), id="my-number-shape-no-label"),
    pytest.param(
        Case(f"運転免許証とマイナンバーカードのうち、マイナンバー {MN}", [MN], entity="MY_NUMBER"),
        id="my-number-label-nearer",
    ),
    pytest.param(Case(f"マイナンバー {D1}（運転免許証ではなく）"), id="my-number-label-before"),
    pytest.param(Case(f"免許証の照会番号 12345、整理番号 {D1}"), id="other-number-owns-label"),
    pytest.param(Case(f"運転免許証番号 {D1[:11]}"), id="11-digits"),
    pytest.param(Case(f"運転免許証番号 {D1}3"), id="13-digits"),
    pytest.param(Case(f"運転免許証番号 {grouped(D1)}-12"), id="glued-by-hyphen"),
    pytest.param(Case("運転免許証番号 000000000000"), id="one-repeated-digit"),
    pytest.param(Case(f"免許の更新手数料 {D1}円"), id="amount-yen"),
    pytest.param(Case("免許の更新は2024-01-15まで、手数料1,234,567円"), id="date-and-amount"),
    pytest.param(Case("運転免許センター 03-1234-5678"), id="phone"),
    pytest.param(Case("道路交通法（昭和三十五年法律第百五号）第92条"), id="law-text"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_driver_license(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "DRIVER_LICENSE")
