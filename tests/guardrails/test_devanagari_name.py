"""DevanagariNameRecognizer (PERSON): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from guardrails.recognizers.devanagari_name import DevanagariNameRecognizer
from tests.guardrails._assertions import Case, assert_findings

SCORE = (0.85, 0.85)

VALID = [
    pytest.param(Case("मेरो नाम बिनोद कुमार श्रेष्ठ हो।", ["बिनोद कुमार श्रेष्ठ"], SCORE), id="my-name-is"),
    pytest.param(Case("नमस्ते, म कृष्ण बस्नेत हुँ।", ["कृष्ण बस्नेत"], SCORE), id="i-am"),
    pytest.param(Case("नाम: लक्ष्मी घिमिरे", ["लक्ष्मी घिमिरे"], SCORE), id="label"),
    pytest.param(
        Case("मेरो छोरी प्रिया तामाङ बिरामी छिन्।", ["प्रिया तामाङ"], SCORE), id="kin-two-words"
    ),
]
EVASION = [
    pytest.param(
        Case("通訳依頼です。मेरो नाम दीपक राई हो। 電話は後で", ["दीपक राई"], SCORE),
        id="inside-japanese",
    ),
]
INVALID = [
    pytest.param(Case("म नेपाली हुँ।"), id="nationality"),
    pytest.param(Case("म जापानमा काम गर्छु।"), id="sentence"),
    pytest.param(Case("सूचना: सिटी हलको काउन्टर बन्द रहनेछ।"), id="notice"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_devanagari_name(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")


@pytest.mark.parametrize(
    ("name", "valid"), [("राम थापा", True), ("हो", False), ("राम ले", False), ("", False)]
)
def test_validate_result(name: str, valid: bool) -> None:
    assert DevanagariNameRecognizer.validate_result(name) is valid
