"""ResidentCodeRecognizer (RESIDENT_CODE): one table — valid, evasion, invalid.

No check digit is applied (the 総務省告示 formula could not be verified, see the
recogniser), so valid cases are synthetic 11-digit numbers next to a context word.
"""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings, to_fullwidth, to_kanji

R1 = "12345678901"
R2 = "98765432109"
R3 = "30481726354"
ZW = "\u200b"
CONTEXT = (0.4, 0.5)  # pattern 0.1 + context 0.35

VALID = [
    pytest.param(Case(f"住民票コード：{R1}", [R1], CONTEXT), id="labelled"),
    pytest.param(Case(f"住民票コードは{R2}です。", [R2], CONTEXT), id="in-sentence"),
    pytest.param(Case(f"{R3}（住民票コード）", [R3], CONTEXT), id="label-after"),
    pytest.param(Case(f"住基ネットの番号 {R1}", [R1], CONTEXT), id="juki-net"),
    pytest.param(Case(f"住民票コード\n{R2}", [R2], CONTEXT), id="label-on-line-above"),
    pytest.param(
        Case(f"住民票コード {R1[:4]}-{R1[4:8]}-{R1[8:]}", [(7, 20)], CONTEXT), id="grouped"
    ),
    pytest.param(Case(f"住民票コード {R1}、電話 03-1234-5678", [R1], CONTEXT), id="next-to-phone"),
]

EVASION = [
    pytest.param(Case(f"住民票コード{to_fullwidth(R1)}", [(6, 17)], CONTEXT), id="fullwidth"),
    pytest.param(Case(f"住民票コード {to_kanji(R2)}", [(7, 18)], CONTEXT), id="kanji"),
    pytest.param(Case(f"住民票コード {ZW.join(R3)}", [(7, 28)], CONTEXT), id="zero-width"),
    pytest.param(Case(f"住民票コード {' '.join(R1)}", [(7, 28)], CONTEXT), id="spaces"),
    pytest.param(Case(f"住民票コード {R2[:4]}.{R2[4:8]}.{R2[8:]}", [(7, 20)], CONTEXT), id="dots"),
    pytest.param(
        Case(f"住民票コード {R3[:4]}ー{R3[4:8]}―{R3[8:]}", [(7, 20)], CONTEXT), id="dash-variants"
    ),
    pytest.param(Case(f"住民票コード {R1[:5]}\n{R1[5:]}", [(7, 19)], CONTEXT), id="newline-inside"),
]

INVALID = [
    pytest.param(Case(R1), id="no-context"),
    pytest.param(Case(f"受付番号 {R1}"), id="generic-word"),
    pytest.param(Case(f"住民票コード {R1[:10]}"), id="10-digits"),
    pytest.param(Case(f"住民票コード {R1}2"), id="12-digits"),
    pytest.param(Case(f"住民票コード {R1}-5"), id="glued-by-hyphen"),
    pytest.param(Case("住民票コード 00000000000"), id="one-repeated-digit"),
    pytest.param(Case("住民票の写しの件で09012345678に電話"), id="mobile-phone-wins"),
    pytest.param(Case(f"住民票の手数料 {R1}円"), id="amount-yen"),
    pytest.param(Case("住民票の交付 1,234,567件"), id="amount-commas"),
    pytest.param(Case("住民票の交付日 2024-01-15"), id="date"),
    pytest.param(Case("住民票コードの記載の修正（第三十条の三）"), id="law-text"),
    pytest.param(Case("住民基本台帳法（昭和四十二年法律第八十一号）"), id="law-number-kanji"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_resident_code(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "RESIDENT_CODE")
