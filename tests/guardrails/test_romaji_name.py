"""RomanisedJapaneseNameRecognizer (PERSON): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

STRONG = (0.85, 0.85)

VALID = [
    pytest.param(
        Case(
            "The resident Hiroshi Nakamura called again this morning.", ["Hiroshi Nakamura"], STRONG
        ),
        id="given-then-surname",
    ),
    pytest.param(
        Case("Namae: Sasaki Yumiko (renraku wa ato de)", ["Sasaki Yumiko"], STRONG),
        id="surname-then-given",
    ),
    pytest.param(
        Case("Please write to MATSUDA KAORI about the form.", ["MATSUDA KAORI"], STRONG),
        id="capitals",
    ),
]
EVASION = [
    pytest.param(
        Case("thanks, kimura takuya-san will bring it", ["kimura takuya"], STRONG),
        id="lower-case-with-san",
    ),
    pytest.param(
        Case("hello suzuki ichiro, your card is ready", ["suzuki ichiro"], STRONG),
        id="lower-case-common-surname",
    ),
    pytest.param(
        Case("Yamamoto\u3000Akane のローマ字表記", ["Yamamoto\u3000Akane"], STRONG),
        id="ideographic-space",
    ),
]
INVALID = [
    pytest.param(Case("Minato Elementary School is closed."), id="school-name"),
    pytest.param(Case("Ogawa Community Center, Yaizu-shi"), id="place-words"),
    pytest.param(Case("Yaizu City Hall opens at 8:30 on Monday."), id="city-hall"),
    pytest.param(Case("the gomi taisaku team (rare surname, in lower case)"), id="rare-lower"),
    pytest.param(Case("McDonald Shin will open"), id="mixed-case"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_romaji_name(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")
