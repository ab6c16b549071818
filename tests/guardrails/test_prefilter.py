"""The digit-count prefilter of the pattern recognisers (``MIN_DIGITS``): a text with
fewer digits than a pattern needs skips the patterns, and nothing else changes."""

from __future__ import annotations

import pytest
from presidio_analyzer import Pattern

from guardrails.recognizers._base import JapanesePatternRecognizer, count_digits
from guardrails.recognizers.credit_card import CreditCardRecognizer
from guardrails.recognizers.my_number import MyNumberRecognizer
from guardrails.recognizers.postal_code import PostalCodeRecognizer
from guardrails.recognizers.residence_card import ResidenceCardRecognizer

CASES = [
    # (recogniser, a text its patterns match at the minimum, the same with a digit less)
    pytest.param(MyNumberRecognizer, "1234 5678 9018", "1234 5678 901", id="my-number"),
    pytest.param(PostalCodeRecognizer, "〒100-0001", "〒100-001", id="postal-code"),
    pytest.param(CreditCardRecognizer, "3056 930902 5904", "3056 930902 590", id="credit-card"),
    pytest.param(ResidenceCardRecognizer, "AB12345678CD", "AB1234567CD", id="residence-card"),
]


@pytest.mark.parametrize(("cls", "enough", "fewer"), CASES)
def test_patterns_run_only_with_enough_digits(
    cls: type[JapanesePatternRecognizer], enough: str, fewer: str
) -> None:
    recognizer = cls()
    assert count_digits(enough) == cls.MIN_DIGITS
    assert recognizer.analyze(enough, [recognizer.supported_entities[0]])
    assert recognizer.analyze(fewer, [recognizer.supported_entities[0]]) == []


class _FiveDigits(JapanesePatternRecognizer):
    PATTERNS = [Pattern("five", r"[0-9]{5}", 0.5)]
    SUPPORTED_ENTITY = "FIVE_DIGITS"
    MIN_DIGITS = 5


def test_own_patterns_are_not_prefiltered() -> None:
    assert _FiveDigits().analyze("番号 123", ["FIVE_DIGITS"]) == []
    own = _FiveDigits(patterns=[Pattern("three", r"[0-9]{3}", 0.5)])
    assert own.analyze("番号 123", ["FIVE_DIGITS"])


@pytest.mark.parametrize(
    ("text", "digits"), [("", 0), ("令和六年", 0), ("03-1234-5678", 10), ("ａ1b2", 2)]
)
def test_count_digits(text: str, digits: int) -> None:
    assert count_digits(text) == digits
