"""法人番号 (Corporate Number): 13 digits, the LEADING one a check digit."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers._base import JapanesePatternRecognizer
from guardrails.recognizers._digits import (
    NOT_AFTER_DIGITS,
    NOT_BEFORE_DIGITS,
    digits_only,
    is_one_repeated_digit,
    separated_digits,
)

# Format. Source: 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令
# 第35条第1項 (12-digit 基礎番号 + one 検査用数字 in front) and 国税庁 法人番号公表サイト
# FAQ「法人番号とはどのような番号ですか」(検査用数字 is 1 to 9). Written contiguously or
# 1-4-4-4 (国税庁 forms); an 適格請求書 登録番号 is "T" + the 13 digits. Separators are
# accepted anywhere, as for マイナンバー.

# The check digit stands alone in the 1-4-4-4 grouping, and the normaliser converts only
# runs of two or more kanji digits (a lone 一 is a word): "五ー六一九二ー…" reaches this
# recogniser as "五ー6192-…". The second pattern takes a lone kanji check digit
# followed by a separator (dash look-alikes included) and the other 12 digits.
_KANJI_CHECK_DIGIT = "一二三四五六七八九"
_KANJI_TO_DIGIT = str.maketrans("〇一二三四五六七八九", "0123456789")
_AFTER_KANJI = r"[\s\-.・\u2010-\u2015\u2212\u30fc\u2500\u2501]{1,3}"

# Score of a right check digit without context: the guard's threshold (0.4) itself, so
# that the number is reported, yet below every blocking finding (a context-rescued one
# scores 0.45). 法人番号 is only *warned* about (policy.toml): a confident 1.0 here
# used to hide a blocking finding on the same digits (a ゆうちょ 記号・番号 is 13 digits
# too) and let the prompt through. The guard now ranks overlapping findings by policy
# action first (_guard._resolve_overlaps), so that cannot happen any more; the low score
# stays, as the confidence of a shape-only match.
VALIDATED_SCORE = 0.4


class CorporateNumberRecognizer(JapanesePatternRecognizer):
    """Recognise 法人番号: 13 digits whose first digit is the statutory check digit.

    Scoring rule:

    * check digit right → 0.4 (``VALIDATED_SCORE``, see above); a context word
      (法人番号, 登録番号, インボイス …) adds 0.35 → 0.75;
    * check digit wrong → the pattern's 0.1, below the threshold: a random 13-digit
      number (a JAN code, a timestamp) is not a 法人番号 … unless a context word is near,
      then 0.45;
    * a leading 0 (never a check digit) or one repeated digit → dropped.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "corporate_number_13_digits",
            # An optional "T" (登録番号) is simply outside the match: it is not a digit.
            rf"{NOT_AFTER_DIGITS}{separated_digits(13)}{NOT_BEFORE_DIGITS}",
            0.1,
        ),
        Pattern(
            "corporate_number_kanji_check_digit",
            rf"(?<![0-9〇零{_KANJI_CHECK_DIGIT}]){NOT_AFTER_DIGITS}[{_KANJI_CHECK_DIGIT}]"
            rf"{_AFTER_KANJI}{separated_digits(12)}{NOT_BEFORE_DIGITS}",
            0.1,
        ),
    ]

    CONTEXT: ClassVar[list[str]] = [
        "法人番号",
        "法人",
        "登録",  # 登録番号 (Sudachi: 登録 + 番号) of an 適格請求書発行事業者
        "インボイス",
        "適格請求書",
        "国税庁",
        "corporate",
    ]

    SUPPORTED_ENTITY: ClassVar[str] = "CORPORATE_NUMBER"
    MIN_DIGITS: ClassVar[int] = 12  # 13 digits, or a kanji check digit and 12
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """True when the check digit is right; None (keep the low score) otherwise."""
        digits = digits_only(pattern_text.translate(_KANJI_TO_DIGIT))
        if len(digits) != 13 or digits[0] == "0":
            return False
        if int(digits[0]) == corporate_number_check_digit(digits[1:]):
            return True
        return None

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders such as 1111111111111."""
        return is_one_repeated_digit(digits_only(pattern_text.translate(_KANJI_TO_DIGIT)))

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's pattern analysis, with a validated number capped at 0.4."""
        results: list[RecognizerResult] = super().analyze(
            text, entities, nlp_artifacts, regex_flags
        )
        for result in results:
            if result.score >= EntityRecognizer.MAX_SCORE:
                result.score = VALIDATED_SCORE
        return results


def corporate_number_check_digit(base: str) -> int:
    """Check digit (検査用数字) of a 法人番号 from its 12-digit 基礎番号.

    Source: 法人番号の指定等に関する省令 (平成26年財務省令第70号) 第2条: with Pn the n-th
    digit of the 基礎番号 counted from its right-hand end and Qn = 1 for odd n, 2 for even
    n, the check digit is 9 − (Σ Pn × Qn mod 9) — always 1 to 9.
    """
    if len(base) != 12 or not base.isascii() or not base.isdigit():
        raise ValueError("expected exactly 12 ASCII digits")
    total = sum(int(ch) * (1 if n % 2 else 2) for n, ch in enumerate(reversed(base), start=1))
    return 9 - total % 9
