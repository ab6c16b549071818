"""旅券番号 (Japanese passport number): two Latin letters and seven digits."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from guardrails.recognizers._base import JapanesePatternRecognizer

# Format. Source: 外務省 旅券 (パスポート) の身分事項ページ — the 旅券番号 (Passport No.)
# printed top right is "英字2文字＋数字7桁", e.g. TK1234567; the first letter is the
# passport type (T: 10-year, M: 5-year, …), the digits are issued in sequence. There is
# no check digit (the MRZ check digit of ICAO Doc 9303 is not printed in the number),
# so only the shape and the context decide. (Restated, e.g., in
# https://wondertrip.jp/1017647/ and https://maeharakazuhiro.com/passport-number/.)
#
# Recognisers see normalised text (guardrails._normalize): full-width ＴＫ１２３４５６７
# is already ASCII, zero-width characters are gone. Lower case is accepted (typed
# numbers are often lower-cased), explicitly: the patterns do not rely on Presidio's
# global IGNORECASE flag.

# A letter, digit or underscore next to the candidate makes it part of a longer token
# (AB1234567X, XAB1234567, AB12345678): a product or order code, not a passport.
# So do a hyphen/dot glued to more letters or digits (AB1234567-01, v2.AB1234567).
_NOT_AFTER = r"(?<![A-Za-z0-9_])(?<![A-Za-z0-9][\-.])"
_NOT_BEFORE = r"(?![A-Za-z0-9_])(?![\-.][A-Za-z0-9])"
# Evasion separators between the letters and the digits or inside the digits: spaces,
# newlines, hyphens (incl. look-alikes the normaliser leaves next to letters), dots.
_SEP = r"[\s\-.・\u30fc\u2010-\u2015\u2212]"


class PassportNumberRecognizer(JapanesePatternRecognizer):
    """Recognise Japanese passport numbers.

    Scoring rule (no check digit exists):

    * the exact printed shape — two letters and seven digits (one space allowed after
      capitals), standing alone — scores 0.5: above the guard's threshold (0.4), so it
      blocks without context (a passport number pasted alone is still one);
    * a context word (旅券, パスポート, passport) nearby adds 0.35 (→ 0.85);
    * a split-up shape (TK-1234-567, TK\\n1234567, tk 1234567, No.1234567 …) scores 0.2
      and needs a context word to pass (→ 0.55): alone it looks like any reference code.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "passport_jp_exact",
            # TK1234567, tk1234567, and with one space only in capitals ("TK 1234567"):
            # lower-case "to 1234567" is an English phrase. NO/ID + digits are
            # reference numbers ("No1234567", "ID 1234567"), not passport series.
            # The leading (?=[A-Za-z]) is for speed only: it lets the regex engine skip
            # ahead to letters instead of trying the lookarounds at every position.
            rf"(?=[A-Za-z]){_NOT_AFTER}(?![Nn][Oo][ 0-9]|[Ii][Dd][ 0-9])"
            rf"(?:[A-Za-z]{{2}}|(?-i:[A-Z]{{2}}) )[0-9]{{7}}{_NOT_BEFORE}",
            0.5,
        ),
        Pattern(
            "passport_jp_separated",
            # Up to three separator characters between any two characters.
            rf"{_NOT_AFTER}[A-Za-z]{_SEP}{{0,3}}[A-Za-z]{_SEP}{{0,3}}"
            rf"[0-9](?:{_SEP}{{0,3}}[0-9]){{6}}{_NOT_BEFORE}",
            0.2,
        ),
    ]

    CONTEXT: ClassVar[list[str]] = [
        "旅券",
        "パスポート",
        "passport",
    ]

    SUPPORTED_ENTITY: ClassVar[str] = "PASSPORT_NUMBER"
    MIN_DIGITS: ClassVar[int] = 7  # two letters and 7 digits
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """False unless exactly two letters and seven digits remain once cleaned."""
        letters, digits = split_letters_digits(pattern_text)
        if len(letters) != 2 or len(digits) != 7:
            return False
        return None

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders: seven zeros (XX0000000) or one repeated digit."""
        _, digits = split_letters_digits(pattern_text)
        return len(set(digits)) == 1


def split_letters_digits(text: str) -> tuple[str, str]:
    """The ASCII letters (upper-cased) and the ASCII digits of a match, separators dropped."""
    letters = "".join(c for c in text if c.isascii() and c.isalpha()).upper()
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    return letters, digits
