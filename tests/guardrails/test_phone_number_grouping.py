"""PhoneNumberGroupingRecognizer (PHONE_NUMBER): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

LABELLED = (0.7, 0.7)
MOBILE = (0.5, 1.0)

VALID = [
    pytest.param(
        Case("電話番号は0548-3312-77です", ["0548-3312-77"], LABELLED), id="4-4-2-labelled"
    ),
    pytest.param(Case("TEL 0901-2345-678", ["0901-2345-678"], MOBILE), id="mobile-4-4-3"),
    pytest.param(Case("連絡先：054_628_3359", ["054_628_3359"], LABELLED), id="underscores"),
    pytest.param(Case("携帯 080|5566|7788", ["080|5566|7788"], LABELLED), id="pipes"),
    pytest.param(
        Case("自宅電話 054／628／3359", ["054／628／3359"], LABELLED), id="fullwidth-slashes"
    ),
    pytest.param(Case("田中様 070 556 677 88", ["070 556 677 88"], MOBILE), id="mobile-bare"),
]

EVASION = [
    pytest.param(
        Case("電話番号は054628\n3359です", ["054628\n3359"], LABELLED), id="6-4-line-break"
    ),
    pytest.param(
        Case("電話：〇五四・六二八・三三五九", ["〇五四・六二八・三三五九"], LABELLED),
        id="kanji-nakaguro",
    ),
    pytest.param(
        Case(
            "電話はゼロキュウゼロのハチナナロクゴのヨンサンニーイチ",
            ["ゼロキュウゼロのハチナナロクゴのヨンサンニーイチ"],
            LABELLED,
        ),
        id="katakana-numerals",
    ),
    pytest.param(
        Case(
            "でんわばんごうは ぜろはちぜろ ななろくごよん さんにいちぜろ です",
            ["ぜろはちぜろ ななろくごよん さんにいちぜろ"],
            (0.5, 1.0),
        ),
        id="hiragana-numerals",
    ),
    pytest.param(
        Case(
            "連絡先 0、9、0、2、2、3、3、4、4、5、5", ["0、9、0、2、2、3、3、4、4、5、5"], LABELLED
        ),
        id="touten-each",
    ),
    pytest.param(
        Case("TEL: 0９0ー1２3四ー5六7８", ["0９0ー1２3四ー5六7８"], (0.5, 1.0)), id="mixed-numerals"
    ),
]

INVALID = [
    pytest.param(Case("受付番号 0548-3312-77"), id="other-label"),
    pytest.param(Case("054628\n3359"), id="six-four-without-label"),
    pytest.param(Case("0,1,2,3,4,5,6,7,8,9"), id="list-of-digits"),
    pytest.param(Case("090-0000-0000"), id="placeholder"),
    pytest.param(Case("会議は09:00～12:00、13:00～16:30"), id="times"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_phone_number_grouping(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PHONE_NUMBER")
