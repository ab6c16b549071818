"""住民票コード (resident record code): 11 digits, recognised only with context."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from guardrails.recognizers._base import LabelledPatternRecognizer
from guardrails.recognizers._digits import (
    NOT_AFTER_DIGITS,
    NOT_BEFORE_DIGITS,
    digits_only,
    is_one_repeated_digit,
    separated_digits,
)

# Format. Source: 住民基本台帳法施行規則 (平成11年自治省令第35号) 第1条: a 住民票コード is
# 十けたの数字 drawn at random followed by one 検査数字 "computed by the formula the
# 総務大臣 determines" — that formula is a separate 告示 (平成14年総務省告示第436号).
# NOT VERIFIED: the text of that 告示 (modulus and weights) could not be checked here,
# so no check digit is applied. Eleven digits alone are also mobile numbers, order
# numbers, …, hence a label is required (see the class rule).


class ResidentCodeRecognizer(LabelledPatternRecognizer):
    """Recognise 住民票コード: 11 digits labelled 住民票 / 住基.

    Scoring rule (no verified check digit; the nearest-label rule of
    ``LabelledPatternRecognizer``):

    * 住民票, 住民票コード or 住基 (住基ネット) is the nearest label, within 30 characters
      before the number or 12 after it → 0.45: reported, yet below a phone number's
      own score, so "住民票の件で09012345678" stays a 電話番号 (``OUTRANK`` is off);
    * a phone or account word (電話, 携帯, 口座 …) nearer, or no label → dropped;
    * one repeated digit → dropped.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "resident_code_11_digits",
            rf"{NOT_AFTER_DIGITS}{separated_digits(11)}{NOT_BEFORE_DIGITS}",
            0.1,
        ),
    ]

    # Substrings: 住民票 covers 住民票コード; 住基 covers 住基ネット.
    CONTEXT: ClassVar[list[str]] = ["住民票", "住基"]
    COMPETING_CONTEXT: ClassVar[list[str]] = ["電話", "tel", "携帯", "連絡先", "fax", "口座"]
    LABELLED_SCORE: ClassVar[float] = 0.45
    OUTRANK: ClassVar[float | None] = None

    SUPPORTED_ENTITY: ClassVar[str] = "RESIDENT_CODE"
    MIN_DIGITS: ClassVar[int] = 11  # 11 digits
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """None (the label decides) for 11 digits; False otherwise."""
        return None if len(digits_only(pattern_text)) == 11 else False

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders such as 00000000000."""
        return is_one_repeated_digit(digits_only(pattern_text))
