"""ForeignPhoneNumberRecognizer (PHONE_NUMBER): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

LABELLED = (0.85, 1.0)
BARE_KOREAN = (0.6, 1.0)

VALID = [
    pytest.param(Case("+1-212-555-0100", ["+1-212-555-0100"], LABELLED), id="international-us"),
    pytest.param(
        Case("số điện thoại +84 90 123 4567", ["+84 90 123 4567"], LABELLED), id="international-vn"
    ),
    pytest.param(Case("Phone: +63 917 123 4567", ["+63 917 123 4567"], LABELLED), id="ph"),
    pytest.param(Case("meu celular: +55 11 91234-5678", ["+55 11 91234-5678"], LABELLED), id="br"),
    pytest.param(Case("전화번호: 010-1234-5678", ["010-1234-5678"], LABELLED), id="kr-labelled"),
    pytest.param(Case("김민준 010 1234 5678", ["010 1234 5678"], BARE_KOREAN), id="kr-bare"),
    pytest.param(Case("我的手机号是13812345678", ["13812345678"], LABELLED), id="cn-mobile"),
    pytest.param(Case("sđt của tôi: 0901234567", ["0901234567"], LABELLED), id="vn-national"),
    pytest.param(
        Case("meu celular: (11) 91234-5678", ["(11) 91234-5678"], LABELLED), id="br-national"
    ),
]

EVASION = [
    pytest.param(
        Case(
            "Tel ＋８２－１０－１２３４－５６７８", ["＋８２－１０－１２３４－５６７８"], LABELLED
        ),
        id="full-width",
    ),
    pytest.param(Case("手机 138 1234 5678", ["138 1234 5678"], LABELLED), id="cn-spaced"),
]

INVALID = [
    pytest.param(Case("0101234567"), id="ten-digits-from-010"),
    pytest.param(Case("医療機関コード 0112345678"), id="medical-code"),
    pytest.param(Case("2024年の件数 1234567890"), id="bare-count"),
    pytest.param(Case("受付番号 0123456789"), id="reception-number"),
    pytest.param(Case("+84 000 000 0000"), id="placeholder"),
    pytest.param(Case("人口 +1234567人"), id="not-a-phone"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_foreign_phone_number(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PHONE_NUMBER")
