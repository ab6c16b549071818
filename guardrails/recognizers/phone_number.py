"""Japanese telephone numbers (固定電話, 携帯電話, IP電話, フリーダイヤル, +81)."""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers._base import (
    OWN_LABEL,
    RIVAL_LABEL,
    JapanesePatternRecognizer,
    nearest_label,
)
from guardrails.recognizers._digits import digits_only, is_one_repeated_digit

# Numbering rules. Source: 総務省「電気通信番号計画」(令和元年総務省告示第6号) and the
# 総務省 telephone-number pages (電話番号の構成): a fixed-line number is 0 + area code
# + local exchange + subscriber = 10 digits, the area code never starting with 0;
# 070/080/090 (mobile), 050 (IP phone), 060 and 020 are 11 digits; 0120 (free dial),
# 0570 (navi dial) and 0180 are 10 digits; 0800 (free dial) is 11 digits. From abroad
# the trunk 0 is dropped after +81. The prefixes 0A0 (A = 1-9) are all non-geographic
# (020 … 090 above; 010 is the international call prefix), so a 10-digit number — a
# fixed line 0AB-J with its area code, or a 10-digit service number — never has 0 as its
# third digit.
_ELEVEN_DIGIT_PREFIXES = ("020", "050", "060", "070", "080", "090", "0800")
_TEN_DIGIT_SERVICE_PREFIXES = ("0120", "0570", "0180")

# Ten bare digits (0312345678). Which area code they start with cannot be told without
# the full table of area codes, so the shape above is the only check; a label decides
# the rest (see PhoneNumberRecognizer.enhance_using_context, and nearest_label in
# recognizers/_base.py for the rule):
_CONTIGUOUS_FIXED = "phone_jp_fixed_contiguous"
# A phone word is the nearest label: the 0.3 + 0.35 that Presidio's context enhancer
# used to give (these results no longer go through it).
_SCORE_CONTIGUOUS_LABELLED = 0.65
_SCORE_CONTIGUOUS_BARE = 0.45  # no label at all: "田中様（0312345678）" — just blocks
LABEL_WINDOW = (30, 12)  # characters looked at before / after the number
# Phone words; "TEL No." and 電話番号 must win against the rival "No" / "番号" in them.
PHONE_LABEL = re.compile(
    r"電話|携帯|連絡先|内線|架電|ファッ?クス|(?:tel|fax|phone)(?:\.?\s?no\.?)?", re.I
)
# Labels of the other identifiers written as ten digits: 基礎年金番号, 介護保険の被保険者
# 番号 and 事業所番号, 医療機関コード, 受付番号, お客様番号, 会員ID … — any 番号 / コード /
# ID / No that is not a phone word's own (電話番号, FAX番号, "連絡先の番号").
OTHER_NUMBER_LABEL = re.compile(
    r"(?<!電話)(?<!携帯)(?<!内線)(?<!連絡先)(?<!ファックス)(?<!ファクス)(?<!tel)(?<!fax)(?<!の)"
    r"番号|コード|(?<![a-z])(?:id|no)(?![a-z])|[#№]",
    re.I,
)

# One separator: a hyphen or dot (optionally spaced: "03 - 1234 - 5678") or a space.
_SEP = r"(?:\s?[\-.]\s?|\s)"
# A number glued to more digits by a hyphen or dot (2024-03-1234-5678, 1.03.1234…) is
# part of something longer. A space alone does not glue: "03-1234-5678 9時から" is common.
_NOT_AFTER = r"(?<![0-9+])(?<![0-9][\-.])"
_NOT_BEFORE = r"(?![0-9])(?![\-.][0-9])"
_DIGIT_GROUP = re.compile(r"[0-9]+")


class PhoneNumberRecognizer(JapanesePatternRecognizer):
    """Recognise Japanese phone numbers; structure is checked in ``validate_result``.

    There is no check digit, so scores reflect how distinctive the written form is:
    a hyphenated or bracketed number is almost surely a phone number (0.6, plus 0.35
    with a context word — 電話, TEL, 連絡先 … — from Presidio's context enhancer); a bare
    run of eleven digits starting 070/080/090/050/060/020 too (0.5).

    A bare run of ten digits (0AB-J, 0120 …) is scored in ``enhance_using_context`` from
    the nearest label (``nearest_label``: within 30 characters before, else 12 after):

    * a phone word (電話, TEL, 連絡先, 電話番号 …) → 0.65;
    * the label of another identifier written as ten digits (基礎年金番号, 介護保険の
      被保険者番号, 医療機関コード, 受付番号, お客様番号, ID, No …) → dropped: the
      number is that identifier, and its own recogniser (if any) reports it;
    * no label → 0.45, which blocks: a bare 0AB-J number next to a name or in a contact
      line ("田中様（0312345678）") is a phone number far more often than not.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "phone_jp_international",
            rf"(?<![0-9])\+\s?81{_SEP}?(?:\(0\){_SEP}?)?[0-9]{{1,4}}(?:{_SEP}?[0-9]{{1,4}}){{1,3}}"
            rf"{_NOT_BEFORE}",
            0.7,
        ),
        Pattern(
            "phone_jp_separated",
            # 03-1234-5678, 0123-45-6789, 090 1234 5678, 03.1234.5678
            rf"{_NOT_AFTER}0[1-9][0-9]{{0,3}}{_SEP}[0-9]{{1,4}}{_SEP}[0-9]{{3,4}}{_NOT_BEFORE}",
            0.6,
        ),
        Pattern(
            "phone_jp_bracketed",
            # 03(1234)5678, (03)1234-5678, 03 (1234) 5678
            rf"{_NOT_AFTER}(?:0[1-9][0-9]{{0,3}}\s?\(\s?[0-9]{{1,4}}\s?\)"
            rf"|\(0[1-9][0-9]{{0,3}}\)\s?[0-9]{{1,4}}{_SEP}?)\s?[0-9]{{3,4}}{_NOT_BEFORE}",
            0.6,
        ),
        Pattern(
            "phone_jp_mobile_ip_contiguous",
            rf"{_NOT_AFTER}0[5-9]0[0-9]{{8}}{_NOT_BEFORE}",
            0.5,
        ),
        Pattern(
            _CONTIGUOUS_FIXED,
            # Ten bare digits are also order numbers, codes …: scored from the labels
            # around them, in enhance_using_context.
            rf"{_NOT_AFTER}0[1-9][0-9]{{8}}{_NOT_BEFORE}",
            0.3,
        ),
    ]

    CONTEXT: ClassVar[list[str]] = [
        "電話",
        "tel",
        "携帯",
        "連絡先",
        "fax",
        "ファックス",
        "ファクス",
        "内線",
        "phone",
        "架電",
    ]

    SUPPORTED_ENTITY: ClassVar[str] = "PHONE_NUMBER"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"
    MIN_DIGITS: ClassVar[int] = 10  # the shortest number: 0AB-CDEF, or +81 and 9 digits

    def validate_result(self, pattern_text: str) -> bool | None:
        """None (keep the pattern's score) for a well-formed number, False otherwise."""
        national = national_number(pattern_text)
        if national is None or not is_valid_national_number(national):
            return False
        groups = _DIGIT_GROUP.findall(pattern_text)
        if len(groups) >= 3 and not pattern_text.lstrip().startswith("+"):
            # The 0-prefixed first group is the area code / service prefix (2-5 digits);
            # the subscriber group of a 10-digit fixed line is always four digits.
            if not 2 <= len(groups[0]) <= 5:
                return False
            if len(national) == 10 and not national.startswith(_TEN_DIGIT_SERVICE_PREFIXES):
                if len(groups[-1]) != 4:
                    return False
        return None

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: list[RecognizerResult],
        other_raw_recognizer_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts | None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Score the bare ten-digit numbers from their nearest label (see the class
        doc); every other result is left to Presidio's context enhancer."""
        own_spans = [(r.start, r.end) for r in raw_recognizer_results]
        kept: list[RecognizerResult] = []
        for result in raw_recognizer_results:
            explanation = result.analysis_explanation
            if explanation is None or explanation.pattern_name != _CONTIGUOUS_FIXED:
                kept.append(result)
                continue
            label = phone_label(text, result, own_spans)
            if label == RIVAL_LABEL:
                continue
            labelled = label == OWN_LABEL
            result.score = _SCORE_CONTIGUOUS_LABELLED if labelled else _SCORE_CONTIGUOUS_BARE
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            kept.append(result)
        return kept

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders such as 090-0000-0000 or 03-1111-1111.

        Everything after the first three digits being one repeated digit is a dummy
        (this is also what "090-〇〇〇〇-〇〇〇〇" becomes after normalisation).
        """
        national = national_number(pattern_text)
        if national is None:
            return True
        return is_one_repeated_digit(national[3:])


def phone_label(
    text: str, result: RecognizerResult, own_spans: list[tuple[int, int]]
) -> str | None:
    """Whose label is nearest to the number: a phone word's (``OWN_LABEL``), another
    identifier's (``RIVAL_LABEL``) or none (see ``nearest_label``)."""
    return nearest_label(
        text,
        result.start,
        result.end,
        PHONE_LABEL,
        OTHER_NUMBER_LABEL,
        own_spans,
        LABEL_WINDOW,
        ties_to_own=True,
    )


def national_number(match_text: str) -> str | None:
    """The number as dialled inside Japan (leading 0), or None if it cannot be one."""
    stripped = match_text.strip()
    if not stripped.startswith("+"):
        return digits_only(stripped)
    digits = digits_only(stripped)
    if not digits.startswith("81"):
        return None
    rest = digits[2:]
    # "+81 (0)3 …" and the common mistake "+81-03-…" both carry the trunk 0.
    if rest.startswith("0"):
        rest = rest[1:]
    return "0" + rest


def is_valid_national_number(national: str) -> bool:
    """Length and prefix rules of the 電気通信番号計画 (see module comment)."""
    if len(national) < 10 or not national.startswith("0") or national[1] == "0":
        return False
    if national.startswith(_ELEVEN_DIGIT_PREFIXES):
        return len(national) == 11
    return len(national) == 10 and national[2] != "0"
