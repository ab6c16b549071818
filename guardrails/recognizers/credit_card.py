"""クレジットカード番号 (payment card numbers): 14-16 digits, Luhn, known IIN ranges."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from guardrails.recognizers._base import JapanesePatternRecognizer
from guardrails.recognizers._digits import (
    DIGIT_SEPARATOR,
    NOT_AFTER_DIGITS,
    NOT_BEFORE_DIGITS,
    digits_only,
    is_one_repeated_digit,
)

# Issuer identification numbers (IIN, the leading digits of the PAN of ISO/IEC 7812-1)
# of the brands accepted in Japan, with their PAN lengths, as published by the networks:
# Visa 4 (16 digits); Mastercard 51-55 and the 2-series 2221-2720 (16); JCB 3528-3589
# (16); American Express 34, 37 (15); Diners Club International 300-305, 36, 38 (14,
# and 16 on newer cards). Lengths outside 14-16 (13- or 19-digit Visa) are not handled.
_BRANDS: tuple[tuple[int, int, frozenset[int]], ...] = (
    # (first IIN, last IIN, allowed lengths); IINs compared on their own digit count.
    (4, 4, frozenset({16})),
    (51, 55, frozenset({16})),
    (2221, 2720, frozenset({16})),
    (3528, 3589, frozenset({16})),
    (34, 34, frozenset({15})),
    (37, 37, frozenset({15})),
    (300, 305, frozenset({14, 16})),
    (36, 36, frozenset({14, 16})),
    (38, 38, frozenset({14, 16})),
)


class CreditCardRecognizer(JapanesePatternRecognizer):
    """Recognise payment card numbers (PAN) of the major brands.

    Scoring rule:

    * Luhn check digit right and a known brand IIN with its length → 1.0. The card
      then also wins against a マイナンバー or 電話番号 found inside it (for example 12
      of the 16 digits of "4111 1111 1111 1111", since spaces do not glue digits): at
      equal score the guard keeps the longer finding;
    * wrong check digit or unknown IIN → the pattern's 0.1, below the threshold, unless
      a context word (クレジット, カード, VISA …) is near (→ 0.45): a mistyped card number
      next to カード番号 is still one;
    * fewer than 14 or more than 16 digits, or one repeated digit → dropped.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "credit_card_14_16_digits",
            # Any grouping: 4-4-4-4, Amex 4-6-5, Diners 4-6-4, or evasion separators.
            rf"{NOT_AFTER_DIGITS}[0-9](?:{DIGIT_SEPARATOR}{{0,3}}[0-9]){{13,15}}{NOT_BEFORE_DIGITS}",
            0.1,
        ),
    ]

    # Sudachi lemmas (VISA → ビザ, アメックス → AMEX); Presidio matches substrings.
    CONTEXT: ClassVar[list[str]] = [
        "クレジット",
        "カード",
        "card",
        "ビザ",
        "visa",
        "mastercard",
        "マスター",
        "jcb",
        "amex",
        "ダイナース",
        "diners",
        "有効期限",
        "セキュリティー",
    ]

    SUPPORTED_ENTITY: ClassVar[str] = "CREDIT_CARD"
    MIN_DIGITS: ClassVar[int] = 14  # 14 to 16 digits
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """True for a valid PAN of a known brand; None (keep the low score) otherwise."""
        digits = digits_only(pattern_text)
        if not 14 <= len(digits) <= 16:
            return False
        if luhn_is_valid(digits) and known_brand(digits):
            return True
        return None

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders such as 0000-0000-0000-0000."""
        return is_one_repeated_digit(digits_only(pattern_text))


def luhn_is_valid(number: str) -> bool:
    """Luhn ("modulus 10") check over the whole PAN, check digit included.

    Source: ISO/IEC 7812-1, Annex B: double every second digit starting with the
    right-hand digit of the number *without* its check digit, add the digits of the
    products and the undoubled digits; the check digit makes the total a multiple of 10.
    Counted on the full PAN, the doubled digits are those at odd offsets from the right.
    """
    if not number or not number.isascii() or not number.isdigit():
        raise ValueError("expected ASCII digits")
    total = 0
    for offset, ch in enumerate(reversed(number)):
        value = int(ch)
        if offset % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9  # the sum of the two digits of 10..18
        total += value
    return total % 10 == 0


def known_brand(number: str) -> bool:
    """True when the leading digits and the length fit one brand of ``_BRANDS``."""
    for first, last, lengths in _BRANDS:
        prefix = int(number[: len(str(first))])
        if first <= prefix <= last and len(number) in lengths:
            return True
    return False
