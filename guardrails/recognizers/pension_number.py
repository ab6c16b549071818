"""基礎年金番号 (basic pension number): 10 digits (4-6), recognised only with context."""

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

# Format. Source: 日本年金機構「基礎年金番号」(基礎年金番号通知書 / 年金手帳): 10 digits,
# a 4-digit 記号 (the issuing office) and a 6-digit 番号 ("1234-567890"); on the old
# 年金手帳 they are printed as 記号 1234 番号 567890. No check digit is published, so a
# label is required (see the class rule).
# Between a label and its value: spaces, a colon ("記号：" is "記号:" after
# normalisation) or the particle は ("被保険者番号は12345678です").
_LABEL_GAP = r"[\s:は]{0,3}"


class PensionNumberRecognizer(LabelledPatternRecognizer):
    """Recognise 基礎年金番号 labelled as such.

    Scoring rule (no check digit exists; the nearest-label rule of
    ``LabelledPatternRecognizer``):

    * 基礎年金番号, 年金番号, 年金手帳, 年金証書 … is the nearest label, within 30
      characters before the number or 12 after it → 0.45: reported, yet below a
      formatted phone number's own score (``OUTRANK`` is off). The bare word 年金 does
      not count: "年金事務所 03-1234-5678" is a phone number;
    * a phone or account word (電話, 口座 …) nearer, or no label → dropped: ten bare
      digits are phone numbers (0312345678), codes, amounts …;
    * one repeated digit → dropped.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "pension_number_10_digits",
            # 1234-567890, 1234567890, and evasion separators anywhere.
            rf"{NOT_AFTER_DIGITS}{separated_digits(10)}{NOT_BEFORE_DIGITS}",
            0.1,
        ),
        Pattern(
            "pension_number_kigo_bango",
            # 年金手帳: 記号 1234 番号 567890; \K (regex module) starts the span at 1234.
            rf"記号{_LABEL_GAP}\K[0-9]{{4}}[\s、,]{{0,3}}番号{_LABEL_GAP}[0-9]{{6}}(?![0-9])",
            0.1,
        ),
    ]

    # Substrings: 年金番号 covers 基礎年金番号; 基礎年金 covers 基礎年金番号通知書.
    CONTEXT: ClassVar[list[str]] = [
        "年金番号",
        "年金手帳",
        "年金証書",
        "基礎年金",
        "年金記録",
    ]
    COMPETING_CONTEXT: ClassVar[list[str]] = ["電話", "tel", "携帯", "連絡先", "fax", "口座"]
    LABELLED_SCORE: ClassVar[float] = 0.45
    OUTRANK: ClassVar[float | None] = None

    SUPPORTED_ENTITY: ClassVar[str] = "PENSION_NUMBER"
    MIN_DIGITS: ClassVar[int] = 10  # 10 digits (4 + 6 in 記号・番号 form)
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """None (context decides) for 10 digits; False otherwise."""
        return None if len(digits_only(pattern_text)) == 10 else False

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders such as 0000-000000."""
        return is_one_repeated_digit(digits_only(pattern_text))
