"""Telephone numbers of other countries, as foreign residents write their own or their
family's (+84 90 123 4567, 010-1234-5678, 手机号 13812345678, sđt 0901234567).

``PhoneNumberRecognizer`` and ``PhoneNumberGroupingRecognizer`` read Japan's numbering
plan (10 or 11 digits from 0, +81); a resident's home number fits none of it. Rules:

* an international number: ``+`` and a country code other than 81, then 7 to 14 digits
  in groups (E.164 allows 15 in all) → 0.85. Source: ITU-T E.164;
* a Korean mobile number: 010, then 4 and 4 digits → 0.6, 0.85 after a phone word —
  no Japanese number starts with 010 (it is Japan's international call prefix), and
  Korea's other mobile prefixes (011, 016–019) were retired in 2021. Source:
  과학기술정보통신부 전기통신번호관리세칙;
* any other run of 9 to 12 digits from 0 or 1 right after a phone word in the
  languages staff translate from (전화, 휴대폰, 手机, 电话, sđt, điện thoại, phone,
  celular, teléfono, telepono … — within 12 characters, nothing but separators after
  it) → 0.85: Chinese mobiles (138 1234 5678), Vietnamese (090 123 4567), Philippine
  (0917 123 4567), Brazilian ((11) 91234-5678) numbers.

Placeholders (one repeated digit: +84 000 000 0000) are dropped.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers._base import ContextRecognizer, count_digits
from guardrails.recognizers._digits import digits_only, is_one_repeated_digit
from guardrails.recognizers.phone_number import is_valid_national_number

_SEP = r"[\s\-.()]{0,2}"
_LABELS = (
    "전화번호", "전화", "휴대폰", "핸드폰", "연락처", "手机号码", "手机号", "手机", "手機",
    "电话", "電話", "联系电话", "聯絡電話", "số điện thoại", "so dien thoai", "điện thoại",
    "dien thoai", "sđt", "sdt", "đt", "phone number", "phone", "mobile", "cellphone", "cell",
    "tel", "telefone", "celular", "teléfono", "telefono", "móvil", "movil", "número",
    "numero", "telepono", "numero ng telepono",
)  # fmt: skip
_LABEL_BEFORE = re.compile(
    "(?:"
    + "|".join(re.escape(w) for w in sorted(_LABELS, key=len, reverse=True))
    + r")(?:\s?(?:của tôi|là|é|es|ko|는|은|是|:|：|#|no\.?))*[\s:：]*\Z",
    re.I,
)
_LABEL_WINDOW = 24
# One pass over the text: an international number, a Korean mobile, or a national
# number of another country (kept only after a phone word).
_NUMBER = re.compile(
    rf"(?<![0-9+])(?P<international>\+(?!81)[1-9][0-9]{{0,2}}(?:{_SEP}[0-9]){{7,14}})(?![0-9])"
    r"|(?<![0-9+\-])(?P<korean>010[\s\-.]?[0-9]{4}[\s\-.]?[0-9]{4})(?![0-9])"
    rf"|(?<![0-9+\-])(?P<national>\(?[01][0-9]{{1,3}}\)?(?:{_SEP}[0-9]){{7,10}})(?![0-9])"
)
_MIN_DIGITS = 9
_SCORE = 0.85
_SCORE_BARE_KOREAN = 0.6


class ForeignPhoneNumberRecognizer(ContextRecognizer):
    """Recognise other countries' telephone numbers (see the module doc)."""

    SUPPORTED_ENTITY: ClassVar[str] = "PHONE_NUMBER"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """International numbers, Korean mobiles, and national numbers after a phone
        word (see the module doc)."""
        if count_digits(text) < _MIN_DIGITS:
            return []
        found: list[tuple[tuple[int, int], float]] = []
        for match in _NUMBER.finditer(text):
            digits = digits_only(match.group())
            if is_one_repeated_digit(digits[3:]):
                continue  # a placeholder: +84 000 000 0000
            if match.lastgroup == "national" and is_valid_national_number(digits):
                continue  # Japan's own numbering: phone_number.py's
            start = match.start()
            labelled = _LABEL_BEFORE.search(text, max(0, start - _LABEL_WINDOW), start)
            if labelled is not None:
                found.append((match.span(), _SCORE))
            elif match.lastgroup == "international":
                found.append((match.span(), _SCORE))
            elif match.lastgroup == "korean":
                found.append((match.span(), _SCORE_BARE_KOREAN))
        return self.results(found)
