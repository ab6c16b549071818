"""PassportNumberRecognizer (PASSPORT_NUMBER): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from guardrails.recognizers.passport_number import PassportNumberRecognizer
from tests.guardrails._assertions import Case, assert_findings

ZW = "\u200b"
BARE = (0.5, 0.5)  # exact shape, no context: modest, yet above the 0.4 threshold
WITH_CONTEXT = (0.85, 0.85)  # exact shape + 旅券/パスポート
SPLIT_WITH_CONTEXT = (0.55, 0.55)  # split-up shape, rescued by a context word

VALID = [
    pytest.param(Case("TK1234567", ["TK1234567"], BARE), id="bare"),
    pytest.param(Case("旅券番号はTK1234567です。", ["TK1234567"], WITH_CONTEXT), id="label"),
    pytest.param(
        Case("パスポート番号：MZ7654321", ["MZ7654321"], WITH_CONTEXT), id="passport-label"
    ),
    pytest.param(Case("旅券 TR2345678 を提示", ["TR2345678"], WITH_CONTEXT), id="ryoken"),
    pytest.param(Case("TK1234567（旅券）", ["TK1234567"], WITH_CONTEXT), id="context-after"),
    pytest.param(Case("Passport No: TZ3456789", ["TZ3456789"], WITH_CONTEXT), id="english"),
    pytest.param(Case("tk1234567", ["tk1234567"], BARE), id="lower-case"),
    pytest.param(Case("TK 1234567", ["TK 1234567"], BARE), id="one-space-capitals"),
    pytest.param(Case("父 TK1234567、母 TK1234568", ["TK1234567", "TK1234568"], BARE), id="two"),
    pytest.param(Case("番号:ME1234567\t東京", ["ME1234567"]), id="tab-separated-row"),
]

EVASION = [
    pytest.param(Case("ＴＫ１２３４５６７", [(0, 9)], BARE), id="fullwidth"),
    pytest.param(Case("ｔｋ１２３４５６７", [(0, 9)], BARE), id="fullwidth-lower"),
    pytest.param(
        Case("パスポート　ＴＫ　１２３４５６７", ["ＴＫ　１２３４５６７"], WITH_CONTEXT),
        id="ideographic-space",
    ),
    pytest.param(Case(f"TK12{ZW}34567", [(0, 10)], BARE), id="zero-width-digits"),
    pytest.param(Case(f"T{ZW}K1234567\u2060", [(0, 10)], BARE), id="zero-width-letters"),
    pytest.param(Case("旅券 TK-1234567", ["TK-1234567"], SPLIT_WITH_CONTEXT), id="hyphen"),
    pytest.param(Case("旅券：TK－1234567", ["TK－1234567"], SPLIT_WITH_CONTEXT), id="fw-hyphen"),
    pytest.param(Case("旅券 TK―1234567", ["TK―1234567"], SPLIT_WITH_CONTEXT), id="bar"),
    pytest.param(Case("旅券 TKー1234567", ["TKー1234567"], SPLIT_WITH_CONTEXT), id="choon"),
    pytest.param(
        Case("パスポート TK 123 4567", ["TK 123 4567"], SPLIT_WITH_CONTEXT), id="spaced-digits"
    ),
    pytest.param(Case("旅券番号\nTK\n1234567", ["TK\n1234567"], SPLIT_WITH_CONTEXT), id="newlines"),
    pytest.param(
        Case("パスポート tk 1234567", ["tk 1234567"], SPLIT_WITH_CONTEXT), id="lower-spaced"
    ),
    pytest.param(Case("旅券 T.K.1234567", ["T.K.1234567"], SPLIT_WITH_CONTEXT), id="dots"),
]

INVALID = [
    pytest.param(Case("AB1234567X"), id="product-code-letter-after"),
    pytest.param(Case("XAB1234567"), id="product-code-letter-before"),
    pytest.param(Case("ABC1234567"), id="three-letters"),
    pytest.param(Case("AB12345678"), id="eight-digits"),
    pytest.param(Case("AB123456"), id="six-digits"),
    pytest.param(Case("A1234567"), id="one-letter"),
    pytest.param(Case("型番 AB1234567-01"), id="hyphen-suffix"),
    pytest.param(Case("v2.AB1234567"), id="dot-prefix"),
    pytest.param(Case("AB_1234567"), id="underscore"),
    pytest.param(Case("TK-1234567"), id="split-without-context"),
    pytest.param(Case("TK\n1234567"), id="newline-without-context"),
    pytest.param(Case("up to 1234567 items"), id="english-word"),
    pytest.param(Case("受付No1234567"), id="no-prefix"),
    pytest.param(Case("ID 1234567"), id="id-prefix"),
    pytest.param(Case("旅券番号 TK0000000"), id="placeholder-zeros"),
    pytest.param(Case("旅券番号 TK7777777"), id="placeholder-repeated"),
    pytest.param(Case("AB12345678CD"), id="residence-card"),
    pytest.param(Case("令和5年法律第48号"), id="law-number"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_passport_number(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PASSPORT_NUMBER")


def test_defaults_are_overridable() -> None:
    recognizer = PassportNumberRecognizer(context=["独自語"])
    assert recognizer.context == ["独自語"]
    assert recognizer.supported_entities == ["PASSPORT_NUMBER"]
    assert PassportNumberRecognizer().context == PassportNumberRecognizer.CONTEXT
