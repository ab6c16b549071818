"""在留カード番号 / 特別永住者証明書番号 (residence card number): AB12345678CD."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from guardrails.recognizers._base import JapanesePatternRecognizer

# Format. Source: 出入国在留管理庁「在留カード等番号失効情報照会」and its 在留カード /
# 特別永住者証明書 explanations: the number printed top right (RESIDENCE CARD NUMBER /
# 証明書番号) is 12 characters, "英字2桁＋数字8桁＋英字2桁" (e.g. AB12345678CD). The
# 特別永住者証明書 uses the same format. No check character is published, so the shape
# and context decide; the shape is distinctive enough to block on its own when intact.
# (Restated, e.g., in https://gh-tec.co.jp/column/residence-card-number and
# https://attorney-office.com/blog/20170213ci/.)
#
# Recognisers see normalised text (full-width letters and digits are ASCII, zero-width
# characters are gone); case is accepted either way, explicitly.

# Part of a longer token (XAB12345678CD, AB12345678CDE, AB12345678CD-01): not a card.
_NOT_AFTER = r"(?<![A-Za-z0-9_])(?<![A-Za-z0-9][\-.])"
_NOT_BEFORE = r"(?![A-Za-z0-9_])(?![\-.][A-Za-z0-9])"
# Evasion separators: spaces, newlines, hyphens and look-alikes, dots, middle dots.
_SEP = r"[\s\-.・\u30fc\u2010-\u2015\u2212]"


class ResidenceCardRecognizer(JapanesePatternRecognizer):
    """Recognise 在留カード / 特別永住者証明書 numbers.

    Scoring rule:

    * the printed shape, 12 characters in one piece, scores 0.6 — it blocks without
      context; a context word (在留カード, 特別永住者証明書 …) adds 0.35 (→ 0.95);
    * the same characters split by spaces, hyphens, dots or newlines (AB 1234 5678 CD)
      score 0.3 and need a context word (→ 0.65).
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "residence_card_exact",
            rf"{_NOT_AFTER}[A-Za-z]{{2}}[0-9]{{8}}[A-Za-z]{{2}}{_NOT_BEFORE}",
            0.6,
        ),
        Pattern(
            "residence_card_separated",
            # Up to three separator characters between any two characters.
            rf"{_NOT_AFTER}[A-Za-z]{_SEP}{{0,3}}[A-Za-z]{_SEP}{{0,3}}"
            rf"[0-9](?:{_SEP}{{0,3}}[0-9]){{7}}{_SEP}{{0,3}}"
            rf"[A-Za-z]{_SEP}{{0,3}}[A-Za-z]{_NOT_BEFORE}",
            0.3,
        ),
    ]

    CONTEXT: ClassVar[list[str]] = [
        "在留カード",
        "在留",
        "特別永住",
        "永住者証明書",
        "外国人登録",
    ]  # no English word: Sudachi's lemma of "Residence" is レジデンス (apartment names)

    SUPPORTED_ENTITY: ClassVar[str] = "RESIDENCE_CARD"
    MIN_DIGITS: ClassVar[int] = 8  # 8 digits between letters
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """False unless the cleaned match is letter, letter, 8 digits, letter, letter."""
        compact = compact_card_number(pattern_text)
        if len(compact) != 12:
            return False
        if not (compact[:2].isalpha() and compact[2:10].isdigit() and compact[10:].isalpha()):
            return False
        return None

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders such as AA00000000AA (one repeated digit)."""
        return len(set(compact_card_number(pattern_text)[2:10])) == 1


def compact_card_number(text: str) -> str:
    """Upper-cased ASCII letters and digits of a match, separators dropped."""
    return "".join(c for c in text if c.isascii() and c.isalnum()).upper()
