"""運転免許証番号 (driver's licence number): 12 digits, recognised only with context."""

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
from guardrails.recognizers.my_number import MyNumberRecognizer

# Format. Source: the police 運転免許事務取扱要領 (e.g. 沖縄県警察「運転免許事務取扱要領」):
# the 免許証番号 is 12 digits — 公安委員会コード (2), 年号記号 (2: year of first issue),
# 交付番号 (6), チェックデジット (1), 再交付記号 (1). NOT VERIFIED: the check-digit formula
# is not published by the 警察庁 (the one circulating on the web has no official
# source), so no check digit is applied and a licence label is required.


class DriverLicenseRecognizer(LabelledPatternRecognizer):
    """Recognise 運転免許証番号: 12 digits labelled as a driver's licence.

    Twelve digits are also a マイナンバー, so the nearest label decides (the rule of
    ``LabelledPatternRecognizer``):

    * a licence word (免許, 運転免許証, 免許証番号, マイナ免許証, 運転経歴証明書) is the
      nearest label — nearer than any マイナンバー word (MyNumberRecognizer.CONTEXT) →
      0.85, or 1.0 when the digits also pass the マイナンバー check digit (one 12-digit
      number in ten does): the label, not the coincidence, names the type;
    * no licence label, or a マイナンバー word nearer → the pattern's 0.1, dropped (with
      a right check digit the number is then a マイナンバー);
    * one repeated digit → dropped.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "driver_license_12_digits",
            rf"{NOT_AFTER_DIGITS}{separated_digits(12)}{NOT_BEFORE_DIGITS}",
            0.1,
        ),
    ]

    # Substrings: 免許 covers 運転免許, 免許証, 免許証番号, 免許番号 and マイナ免許証.
    CONTEXT: ClassVar[list[str]] = ["免許", "運転経歴証明書"]
    COMPETING_CONTEXT: ClassVar[list[str]] = MyNumberRecognizer.CONTEXT

    SUPPORTED_ENTITY: ClassVar[str] = "DRIVER_LICENSE"
    MIN_DIGITS: ClassVar[int] = 12  # 12 digits
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """None (the label decides) for 12 digits; False otherwise."""
        return None if len(digits_only(pattern_text)) == 12 else False

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders such as 000000000000."""
        return is_one_repeated_digit(digits_only(pattern_text))
