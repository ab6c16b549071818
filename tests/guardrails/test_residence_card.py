"""ResidenceCardRecognizer (RESIDENCE_CARD): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from guardrails.recognizers.residence_card import ResidenceCardRecognizer
from tests.guardrails._assertions import Case, assert_findings

N = "AB12345678CD"
ZW = "\u200b"
BARE = (0.6, 0.6)  # intact 12-character shape: blocks on its own
WITH_CONTEXT = (0.95, 0.95)
SPLIT_WITH_CONTEXT = (0.65, 0.65)  # split-up shape, rescued by a context word

VALID = [
    pytest.param(Case(N, [N], BARE), id="bare"),
    pytest.param(Case(f"在留カード番号：{N}", [N], WITH_CONTEXT), id="label"),
    pytest.param(
        Case("特別永住者証明書番号はXY87654321ZWです", ["XY87654321ZW"], WITH_CONTEXT),
        id="special-permanent-resident",
    ),
    pytest.param(Case(f"{N}（在留カード）", [N], WITH_CONTEXT), id="context-after"),
    pytest.param(
        Case("在留カード番号 / RESIDENCE CARD No. EF24681357GH", ["EF24681357GH"], WITH_CONTEXT),
        id="as-printed",
    ),
    pytest.param(Case("ab12345678cd", ["ab12345678cd"], BARE), id="lower-case"),
    pytest.param(Case(f"本人 {N}、配偶者 AB12345679CD", [N, "AB12345679CD"], BARE), id="two"),
]

EVASION = [
    pytest.param(Case("ＡＢ１２３４５６７８ＣＤ", [(0, 12)], BARE), id="fullwidth"),
    pytest.param(Case(f"AB1234{ZW}5678CD", [(0, 13)], BARE), id="zero-width"),
    pytest.param(Case(f"A{ZW}B12345678C\u00adD", [(0, 14)], BARE), id="zero-width-letters"),
    pytest.param(
        Case("在留カード AB 1234 5678 CD", ["AB 1234 5678 CD"], SPLIT_WITH_CONTEXT), id="spaces"
    ),
    pytest.param(
        Case("在留カード番号 AB-12345678-CD", ["AB-12345678-CD"], SPLIT_WITH_CONTEXT),
        id="hyphens",
    ),
    pytest.param(
        Case("在留カード番号 AB－1234ー5678―CD", ["AB－1234ー5678―CD"], SPLIT_WITH_CONTEXT),
        id="hyphen-variants",
    ),
    pytest.param(
        Case("在留カード番号\nAB\n12345678\nCD", ["AB\n12345678\nCD"], SPLIT_WITH_CONTEXT),
        id="newlines",
    ),
    pytest.param(
        Case(
            "在留カード　ＡＢ　１２３４５６７８　ＣＤ",
            ["ＡＢ　１２３４５６７８　ＣＤ"],
            SPLIT_WITH_CONTEXT,
        ),
        id="ideographic-spaces",
    ),
]

INVALID = [
    pytest.param(Case("XAB12345678CD"), id="letter-before"),
    pytest.param(Case("AB12345678CDE"), id="letter-after"),
    pytest.param(Case("AB12345678CD-01"), id="hyphen-suffix"),
    pytest.param(Case("AB1234567CD"), id="seven-digits"),
    pytest.param(Case("AB123456789CD"), id="nine-digits"),
    pytest.param(Case("A12345678CD"), id="one-letter"),
    pytest.param(Case("AB12345678C1"), id="digit-at-end"),
    pytest.param(Case("AB 1234 5678 CD"), id="split-without-context"),
    pytest.param(Case("在留カード番号 AA00000000AA"), id="placeholder"),
    pytest.param(Case("TK1234567"), id="passport"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_residence_card(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "RESIDENCE_CARD")


def test_defaults_are_overridable() -> None:
    recognizer = ResidenceCardRecognizer(context=["独自語"])
    assert recognizer.context == ["独自語"]
    assert recognizer.supported_entities == ["RESIDENCE_CARD"]
