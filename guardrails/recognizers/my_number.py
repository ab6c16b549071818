"""マイナンバー (個人番号, Japan's 12-digit Individual Number)."""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from guardrails.recognizers._base import (
    OWN_LABEL,
    JapanesePatternRecognizer,
    nearest_label,
    words_regex,
)
from guardrails.recognizers._digits import digits_only, is_one_repeated_digit
from guardrails.recognizers.phone_number import is_valid_national_number

# Separators people (or evaders) put between the digits: spaces, newlines, hyphens,
# dots, katakana middle dots. Up to three in a row ("\r\n", " - ").
_SEP = r"[\s\-.・]"
# Digits glued to the candidate, directly or by hyphens/dots, make one longer number:
# a 13-digit 法人番号 (1234567890123, 1-2345-6789-0123) must not yield a マイナンバー.
# Whitespace does not glue: fields pasted from a spreadsheet ("123456789018\t03-…"),
# a numbered list on the next line ("…9018\n2. 電話") must not hide the number.
_JOINER = r"[\-.・]{0,3}"
# Commas too: under the label, 1,234,5678,9018 is a disguise, not an amount.
_TWELVE = r"[0-9](?:[\s\-.・,]{0,3}[0-9]){11}"
# The amount form: 12 digits written as money (¥…, $…, +…, …円/万/億/兆) — excluded by
# the main pattern, taken only under a マイナンバー label (an evader's disguise).
_AMOUNT_FORM = "my_number_amount_form"
_LABEL_WINDOW = (30, 12)
_SCORE_LABELLED = 0.85
_NO_RIVAL = words_regex(())


class MyNumberRecognizer(JapanesePatternRecognizer):
    """Recognise マイナンバー: 12 digits whose last digit is the statutory check digit.

    Scoring rule (why the pattern score is so low):

    * check digit correct → ``validate_result`` returns True → score 1.0;
    * check digit wrong → ``validate_result`` returns None and the match keeps the
      pattern's 0.1, below the guard's threshold (0.4): a random 12-digit number is
      *not* a マイナンバー …
    * … unless a context word (マイナンバー, 個人番号, 番号カード …) is near: Presidio's
      context enhancer then adds 0.35, so a mistyped or deliberately altered number
      written next to the word マイナンバー is still caught (score 0.45).
    * one digit repeated twelve times is a placeholder and is dropped outright;
    * a lot number and a phone number written side by side (白山市倉光2-1 076-808-5972:
      twelve digits, one time in eleven with a "valid" check digit) are two numbers:
      without a context word they are not reported as a マイナンバー.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "my_number_12_digits",
            # Boundaries: no digit (directly or via hyphens/dots) on either side,
            # not a "+81…" phone number, not an amount (¥…, …円/万/億/兆).
            rf"(?<![0-9]{_JOINER})(?<![+¥$]\(?)"
            rf"[0-9](?:{_SEP}{{0,3}}[0-9]){{11}}"
            rf"(?!{_JOINER}[0-9])(?!\s?[円万億兆])",
            0.1,
        ),
        Pattern(
            _AMOUNT_FORM,
            rf"(?:(?<=[+¥$])|(?<=[+¥$]\())(?<![0-9]{_JOINER}[+¥$])(?<![0-9]{_JOINER}[+¥$]\()"
            rf"{_TWELVE}(?!{_JOINER}[0-9])"
            rf"|(?<![0-9]{_JOINER})(?<![+¥$]\()(?<![+¥$]){_TWELVE}(?=\s?[円万億兆])",
            0.1,
        ),
    ]

    CONTEXT: ClassVar[list[str]] = [
        "マイナンバー",
        "個人番号",
        "番号カード",
        "通知カード",
        "マイナカード",
        "マイナ保険証",
        "mynumber",
    ]

    SUPPORTED_ENTITY: ClassVar[str] = "MY_NUMBER"
    MIN_DIGITS: ClassVar[int] = 12  # 12 digits
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """True when the check digit is right; None (keep the low score) otherwise."""
        digits = digits_only(pattern_text)
        if len(digits) != 12:
            return False
        if int(digits[11]) == my_number_check_digit(digits[:11]):
            return None if lot_and_phone(pattern_text) else True
        return None

    def kept(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """The amount form counts only with a マイナンバー word as its nearest label
        (30 characters before, else 12 after) → 0.85, or 1.0 with a right check digit:
        「マイナンバーは123456789018円」 is a disguise, 「¥123,456,789,018」 an amount.
        The other results are left to Presidio's context enhancer."""
        if not any(_is_amount_form(r) for r in results):
            return results
        own = words_regex(tuple(self.context))
        spans = [(r.start, r.end) for r in results]
        kept: list[RecognizerResult] = []
        for result in results:
            if not _is_amount_form(result):
                kept.append(result)
                continue
            label = nearest_label(
                text, result.start, result.end, own, _NO_RIVAL, spans, _LABEL_WINDOW
            )
            if label != OWN_LABEL:
                continue
            result.score = max(result.score, _SCORE_LABELLED)
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            kept.append(result)
        return kept

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders such as 000000000000 even when a context word is near."""
        return is_one_repeated_digit(digits_only(pattern_text))


def _is_amount_form(result: RecognizerResult) -> bool:
    explanation = result.analysis_explanation
    return explanation is not None and explanation.pattern_name == _AMOUNT_FORM


# A phone number as written (0AB-CDE-FGHI, 0AB(CDE)FGHI), standing apart in the match.
_WRITTEN_PHONE = re.compile(r"0[0-9]{1,4}(?:-|\()[0-9]{1,4}(?:-|\))[0-9]{3,4}")
_GAP = re.compile(r"\s+")


def lot_and_phone(text: str) -> bool:
    """True when ``text`` is a short number (a lot: 2-1, 1550) and a written phone
    number, separated by whitespace, in either order."""
    parts = _GAP.split(text.strip())
    for cut in range(1, len(parts)):
        left, right = " ".join(parts[:cut]), " ".join(parts[cut:])
        for lot, phone in ((left, right), (right, left)):
            if (
                len(digits_only(lot)) <= 5
                and _WRITTEN_PHONE.fullmatch(phone)
                and is_valid_national_number(digits_only(phone))
            ):
                return True
    return False


def my_number_check_digit(first_eleven: str) -> int:
    """Check digit of a マイナンバー.

    Source: 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令
    (平成26年政令第155号) 第8条. With Pn the n-th of the 11 digits counted from the
    right-hand end, Qn = n + 1 for 1 ≤ n ≤ 6 and Qn = n - 5 for 7 ≤ n ≤ 11;
    r = Σ Pn × Qn mod 11; the check digit is 0 when r ≤ 1, otherwise 11 - r.
    """
    if len(first_eleven) != 11 or not first_eleven.isascii() or not first_eleven.isdigit():
        raise ValueError("expected exactly 11 ASCII digits")
    total = 0
    for n, ch in enumerate(reversed(first_eleven), start=1):
        weight = n + 1 if n <= 6 else n - 5
        total += int(ch) * weight
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder
