"""Japanese telephone numbers written in any grouping, separators or numerals.

Evaders (and careless copies) group a number as no telephone directory does: 4-4-2
(0901-2345-67), six digits and four split by a line break (054628⏎3359), groups joined by
・ ／ 、 _ | , の (090・8765・4321, 090の1234の5678), kanji or kana numerals (〇九〇・…,
ゼロキュウゼロ — made ASCII by the normaliser). ``PhoneNumberRecognizer`` checks the
directory shapes; this recogniser takes every other grouping of the same numbers:
ten or eleven digits from 0 that pass the numbering rules of ``phone_number.py``.

Scoring (in ``kept``; the pattern's 0.3 alone stays below the threshold):

* a phone word (電話, TEL, 携帯, 連絡先 …) is the nearest label (``nearest_label``,
  30 characters before, else 12 after) → 0.7;
* another identifier's label is the nearest (受付番号, 会員ID …) → dropped;
* no label → 0.5 for the shape of a mobile number (070/080/090, eleven digits, at
  most four groups of two or more digits); dropped otherwise — a list of single
  digits or a six-and-four split is left to the label.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from guardrails.recognizers._base import OWN_LABEL, RIVAL_LABEL, JapanesePatternRecognizer
from guardrails.recognizers.phone_number import (
    PhoneNumberRecognizer,
    is_valid_national_number,
    phone_label,
)

# Up to three of these between any two digits (after NFKC: ／ → /, ｜ → |, ， → ,).
_SEPARATOR = r"[\s\-.・/_|,、の()]"
_GROUP = re.compile(r"[0-9]+")
_MOBILE_PREFIXES = ("070", "080", "090")
_SCORE_LABELLED = 0.7
_SCORE_MOBILE_SHAPE = 0.5
_MAX_BARE_GROUPS = 4


class PhoneNumberGroupingRecognizer(JapanesePatternRecognizer):
    """Recognise phone numbers in unusual groupings (see the module doc)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "phone_jp_any_grouping",
            # A sign before it (+0901…, ¥03…) does not make it something else.
            rf"(?<![0-9])(?<![0-9][\-.])0(?:{_SEPARATOR}{{0,3}}[0-9]){{9,10}}(?![0-9])",
            0.3,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = PhoneNumberRecognizer.CONTEXT
    SUPPORTED_ENTITY: ClassVar[str] = "PHONE_NUMBER"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"
    MIN_DIGITS: ClassVar[int] = 10

    def validate_result(self, pattern_text: str) -> bool | None:
        """None (the label decides) for a number the numbering plan allows, else False;
        placeholders (090-0000-0000) are dropped."""
        national = "".join(_GROUP.findall(pattern_text))
        if not is_valid_national_number(national) or len(set(national[3:])) == 1:
            return False
        return None

    def kept(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Keep and score the numbers by their label or shape (see the module doc)."""
        own_spans = [(r.start, r.end) for r in results]
        kept: list[RecognizerResult] = []
        for result in results:
            label = phone_label(text, result, own_spans)
            if label == RIVAL_LABEL:
                continue
            if label == OWN_LABEL:
                result.score = _SCORE_LABELLED
            elif _mobile_shaped(text[result.start : result.end]):
                result.score = _SCORE_MOBILE_SHAPE
            else:
                continue
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            kept.append(result)
        return kept


def _mobile_shaped(match_text: str) -> bool:
    groups = _GROUP.findall(match_text)
    national = "".join(groups)
    return (
        len(national) == 11
        and national.startswith(_MOBILE_PREFIXES)
        and len(groups) <= _MAX_BARE_GROUPS
        and min(map(len, groups)) >= 2
    )
