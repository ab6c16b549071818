"""ForeignAddressRecognizer (ADDRESS): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

SCORE = (0.85, 0.85)

VALID = [
    pytest.param(
        Case("I live at 4-11-3 Sakae-cho, Fujieda-shi.", ["4-11-3 Sakae-cho, Fujieda-shi"], SCORE),
        id="block-first",
    ),
    pytest.param(
        Case("Sống tại Minato-machi 1-2-3 từ tháng trước.", ["Minato-machi 1-2-3"], SCORE),
        id="town-first-vi",
    ),
    pytest.param(
        Case(
            "My address: 2-chome 5-8 Asahi-machi, Shimada City",
            ["2-chome 5-8 Asahi-machi, Shimada City"],
            SCORE,
        ),
        id="chome",
    ),
    pytest.param(
        Case("Moro em Tajiri 2058, Yaizu-shi.", ["Tajiri 2058, Yaizu-shi"], SCORE), id="pt-banchi"
    ),
    pytest.param(Case("Vivo en 3-4-5 Midori-cho.", ["3-4-5 Midori-cho"], SCORE), id="es"),
    pytest.param(
        Case("저는 시마다시 미도리초 3-4-5에 살고 있습니다.", ["시마다시 미도리초 3-4-5"], SCORE),
        id="hangul",
    ),
    pytest.param(
        Case("住所：Kotobuki-cho 7-1-15, Yaizu-shi", ["Kotobuki-cho 7-1-15, Yaizu-shi"], SCORE),
        id="japanese-label",
    ),
]

EVASION = [
    pytest.param(
        Case("I live at 4－11－3 Sakae-cho.", ["4－11－3 Sakae-cho"], SCORE), id="fullwidth-hyphens"
    ),
    pytest.param(
        Case("I live at 4 - 11 - 3 Sakae-cho.", ["4 - 11 - 3 Sakae-cho"], SCORE),
        id="spaced-hyphens",
    ),
]

INVALID = [
    pytest.param(
        Case("Yaizu City Hall: 2-16-32 Hon-machi, Yaizu-shi (Tel 054-626-1111)"), id="city-hall"
    ),
    pytest.param(Case("Venue: Yaizu Cultural Center, 1550-2 Sangamyo, Yaizu City"), id="venue"),
    pytest.param(Case("I moved to Sakura City last month."), id="city-only"),
    pytest.param(Case("The festival is on 2-5 May in Chuo Park."), id="date-range"),
    pytest.param(Case("Please read pages 12-15 of Chapter 3."), id="pages"),
    pytest.param(Case("사쿠라시청 주오초 2-5-12 (전화 054-626-1111)"), id="hangul-city-hall"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_foreign_address(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "ADDRESS")
