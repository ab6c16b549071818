"""健康保険: 保険者番号 (8 or 6 digits, check digit) and 被保険者 記号・番号, with context."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from guardrails.recognizers._base import LabelledPatternRecognizer
from guardrails.recognizers._digits import (
    DIGIT_SEPARATOR,
    NOT_AFTER_DIGITS,
    NOT_BEFORE_DIGITS,
    digits_only,
    is_one_repeated_digit,
    separated_digits,
)

# 保険者番号. Source: 厚生労働省「保険者番号等の設定について」別添「保険者番号等設定要領」
# (the text quoted below was checked against two independent reproductions; the
# circular itself could not be opened here):
# * 8 digits = 法別番号 (2) + 都道府県番号 (2) + 保険者別番号 (3) + 検証番号 (1); 国民健康
#   保険 has no 法別番号, so its 保険者番号 has 6 digits;
# * 都道府県番号 is 01-47 (JIS X 0401 order);
# * 法別番号 of the medical insurance schemes (医療保険): 01 協会けんぽ, 02 船員保険,
#   03/04 日雇特例, 06 組合管掌, 07 自衛官等, 31-34 共済組合, 39 後期高齢者医療, 63, 72-75
#   特例退職, 67 退職者医療. (公費負担者番号 share the layout with other 法別番号; they
#   identify a payer, not a person, and are not recognised.)
# * 検証番号: see insurer_check_digit below.
_HOBETSU = frozenset({1, 2, 3, 4, 6, 7, 31, 32, 33, 34, 39, 63, 67, 72, 73, 74, 75})

# 保険者番号 are written contiguously. Evasion separators are accepted in the 8-digit
# form (a date like 2024-01-15 fails the 法別番号), only whitespace in the 6-digit one
# (24-01-15 or 24.01.15 would be a date with a valid 都道府県番号).
_SPACED = r"\s{0,3}"

# 被保険者証 (and 資格確認書) 記号・番号, as printed on the cards (not checked against
# the official 様式): the 記号 is digits, Latin letters, kana or kanji (国保: a ward's
# name), the 番号 digits, the 枝番 two digits (個人単位化 of the 令和元年 amendment of
# 健康保険法, which also forbids asking people for their 記号・番号). 被保険者番号
# (後期高齢者医療: 8 digits) is one number. None has a check digit.

# Between a label and its value: spaces, a colon ("記号：" is "記号:" after
# normalisation) or the particle は ("被保険者番号は12345678です").
_LABEL_GAP = r"[\s:は]{0,3}"
# The labels are matched, then \K (regex module, which Presidio uses) starts the
# reported span at the value: a literal start is searched much faster than a lookbehind.
_SYMBOL = r"[0-9A-Za-z\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]{1,10}"
_JOIN = r"\s?[・\-/]\s?"  # 記号・番号 written as one value: AB123・45, 12345-67

# Patterns the 保険者番号 rule applies to (see label_may_confirm).
_INSURER_PATTERNS = frozenset({"insurer_number_8_digits", "insurer_number_6_digits"})


class HealthInsuranceRecognizer(LabelledPatternRecognizer):
    """Recognise 健康保険 numbers: 保険者番号 and 被保険者 記号・番号.

    Every form needs a health-insurance label (保険証, 被保険者, 保険者番号, 資格確認書,
    健康保険, 国保 …) as its nearest label — the rule of ``LabelledPatternRecognizer``:
    "記号 12345 番号 67" is also a ゆうちょ account (BANK_ACCOUNT) and "記号 1234 番号
    567890" a 年金手帳 (PENSION_NUMBER), so a bank or pension word nearer than the
    health word (``COMPETING_CONTEXT``) leaves the digits to those recognisers.

    * 保険者番号, 8 or 6 digits: the 法別番号 / 都道府県番号 must exist and the 検証番号
      must be right, otherwise the match is dropped; with the label → 0.9. The check
      alone is not enough: one 8-digit number in ten passes it (dates like 20240115 are
      excluded by the 法別番号). The 保険者番号 names the insurer, not the person, but it
      is part of the card's identification;
    * 被保険者番号 followed by its digits ("被保険者番号 12345678") → 0.9: the label is
      its own context;
    * 記号・番号 ("記号 12345 番号 67 枝番 01", "記号・番号 AB123・45") with the label →
      0.9, above BANK_ACCOUNT's 0.85 for a ゆうちょ reading of the same digits (a fixed
      margin: Presidio runs the recognisers' context hooks in no fixed order, so the
      bank's final score is not always known here). The span covers the values, from
      the 記号 to the 番号 (or 枝番);
    * without the label the patterns' 0.1 / 0.2 stay below the threshold: dropped;
    * one repeated digit → dropped.

    "記号" and "番号" themselves are not context words: they are in the patterns, and
    番号 is everywhere.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "insurer_number_8_digits",
            rf"{NOT_AFTER_DIGITS}{separated_digits(8)}{NOT_BEFORE_DIGITS}",
            0.1,
        ),
        Pattern(
            "insurer_number_6_digits",
            rf"{NOT_AFTER_DIGITS}[0-9](?:{_SPACED}[0-9]){{5}}{NOT_BEFORE_DIGITS}",
            0.1,
        ),
        Pattern(
            "insured_kigo_bango_labelled",
            # 記号 12345 番号 67 (枝番 01); 記号：東 番号：1234
            rf"記号{_LABEL_GAP}\K{_SYMBOL}[\s、,]{{0,3}}番号{_LABEL_GAP}[0-9]{{1,10}}"
            rf"(?:[\s、,]{{0,3}}枝番{_LABEL_GAP}[0-9]{{2}})?(?![0-9])",
            0.2,
        ),
        Pattern(
            "insured_kigo_bango_joined",
            # 記号・番号 AB123・45, 記号番号：12345-67-01
            rf"記号[・/]?番号{_LABEL_GAP}\K{_SYMBOL}{_JOIN}[0-9]{{1,10}}"
            rf"(?:{_JOIN}[0-9]{{2}})?(?![0-9])",
            0.2,
        ),
        Pattern(
            "insured_number_labelled",
            rf"被保険者番号{_LABEL_GAP}\K[0-9](?:{DIGIT_SEPARATOR}{{0,3}}[0-9]){{5,9}}"
            rf"{NOT_BEFORE_DIGITS}",
            # Above the 保険者番号 patterns' 0.1: 8 digits after 被保険者番号 match both, and
            # Presidio keeps only the higher-scored of two identical spans.
            0.15,
        ),
    ]

    # Substrings: 保険者 covers 保険者番号, 被保険者, 被保険者証; 保険証 マイナ保険証;
    # 健康保険 国民健康保険; けんぽ 協会けんぽ; 健保 健保組合.
    CONTEXT: ClassVar[list[str]] = [
        "保険証",
        "保険者",
        "資格確認書",
        "健康保険",
        "国保",
        "健保",
        "けんぽ",
        "共済組合",
        "船員保険",
    ]
    # Labels that give the same shapes to BANK_ACCOUNT (ゆうちょ 記号・番号) or
    # PENSION_NUMBER (年金手帳 記号・番号).
    COMPETING_CONTEXT: ClassVar[list[str]] = [
        "ゆうちょ",
        "銀行",
        "口座",
        "通帳",
        "貯金",
        "振込",
        "金融機関",
        "年金",
    ]

    LABELLED_SCORE: ClassVar[float] = 0.9

    SUPPORTED_ENTITY: ClassVar[str] = "HEALTH_INSURANCE"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """None (the label decides) when there are digits; never True: a label is always
        needed. The 保険者番号 rule is in ``label_may_confirm``: it applies to two of the
        patterns, and this method is not told which pattern matched."""
        return None if digits_only(pattern_text) else False

    def label_may_confirm(self, text: str, result: RecognizerResult) -> bool:
        """A 保険者番号 match counts only with a valid 法別番号, 都道府県番号 and 検証番号."""
        explanation = result.analysis_explanation
        pattern = explanation.pattern_name if explanation is not None else ""
        if pattern in _INSURER_PATTERNS:
            return is_valid_insurer_number(digits_only(text[result.start : result.end]))
        return True

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders such as 00000000 or 記号 0000 番号 0000."""
        return is_one_repeated_digit(digits_only(pattern_text))


def is_valid_insurer_number(digits: str) -> bool:
    """Structure (法別番号, 都道府県番号) and 検証番号 of an 8- or 6-digit 保険者番号."""
    if len(digits) == 8:
        if int(digits[:2]) not in _HOBETSU:
            return False
        prefecture = digits[2:4]
    elif len(digits) == 6:
        prefecture = digits[:2]
    else:
        return False
    if not 1 <= int(prefecture) <= 47:
        return False
    return int(digits[-1]) == insurer_check_digit(digits[:-1])


def insurer_check_digit(body: str) -> int:
    """検証番号 of a 保険者番号 from its other digits (7, or 5 for 国民健康保険).

    Source: 保険者番号等設定要領 (see the module comment): (1) multiply the digits of
    法別番号, 都道府県番号 and 保険者別番号 by 2 and 1 alternately, starting with 2 at the
    last digit; (2) add the products, a two-digit product counting as the sum of its
    digits; (3) the 検証番号 is 10 minus the last digit of that sum, or 0 when the last
    digit is 0. (This is the Luhn scheme of ISO/IEC 7812-1 Annex B.)
    """
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError("expected ASCII digits")
    total = 0
    for offset, ch in enumerate(reversed(body)):
        product = int(ch) * (2 if offset % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10
