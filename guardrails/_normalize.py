"""Normalisation that detection runs on, with a map back to the original text.

Recognisers only ever see the normalised text, so every evasion handled here is handled
for every recogniser at once. Findings must still point into the *original* string
(the ``yakuba guard scan`` contract), hence the per-character offset map.

Steps, in order (each one keeps the map):

1. Drop invisible format characters (zero-width space/joiners, word joiner, BOM, soft
   hyphen and every other Unicode ``Cf`` character) and digit decorations (variation
   selectors, the keycap in ``1️⃣``): they split ``1234`` into ``12\u200b34`` without
   changing what a reader sees.
2. NFKC per character. Per character (not per string) so that every output character
   has exactly one source character; a character may expand (``㈱`` → ``(株)``), and
   all the expansion maps back to it. Any Unicode decimal digit (full-width, Arabic-Indic,
   mathematical bold …) becomes an ASCII digit.
3. Runs of two or more digit characters that contain kanji digits written positionally
   (``〇九〇``, ``一二三四``, ``零``) become ASCII digits. A lone ``一`` is left alone:
   it is overwhelmingly a word (一般, 一つ), not a digit.
4. Dash look-alikes between two digits (one space allowed on either side) become
   ``-`` (``090ー1234―5678``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Explicit list for readability; the Cf category test below covers these and more.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Variation selectors and the combining keycap: "1️⃣2️⃣3️⃣" reads as 123.
_DECORATION = frozenset(
    [chr(c) for c in range(0xFE00, 0xFE10)] + [chr(c) for c in range(0xE0100, 0xE01F0)] + ["\u20e3"]
)

_KANJI_DIGITS: dict[str, str] = {
    "〇": "0",
    "零": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}

# After NFKC: hyphen, non-breaking hyphen (→U+2010), figure dash, en/em dash, horizontal
# bar, minus sign, hyphen bullet, katakana prolonged sound mark (ｰ → ー), box-drawing
# horizontals (typed as dashes by some IMEs). Full-width － and small ﹣ already become
# ASCII '-' under NFKC.
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\u30fc\u2500\u2501")

_ASCII_DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the index of its source.

    ``origin`` is ``None`` when the text was already normal (the common, all-ASCII case):
    indices are then identical and no list is kept.
    """

    text: str
    original_length: int
    origin: tuple[int, ...] | None = None

    def original_index(self, index: int) -> int:
        """Original index of the normalised character at ``index``."""
        if self.origin is None:
            return index
        return self.origin[index]

    def to_original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to the original text.

        The result covers every original character that contributed to the span,
        including invisible characters that were removed from inside it.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError("span outside the normalised text")
        if self.origin is None:
            return start, end
        if start == end:
            pos = self.origin[start] if start < len(self.origin) else self.original_length
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


def _is_invisible(ch: str) -> bool:
    return ch in _ZERO_WIDTH or ch in _DECORATION or unicodedata.category(ch) == "Cf"


@lru_cache(maxsize=16384)
def _normalize_char(ch: str) -> str:
    """What one non-ASCII character becomes ("" when dropped). Cached: prompts reuse a
    few thousand distinct characters, and this is the guard's per-character hot path."""
    if _is_invisible(ch):
        return ""
    out = unicodedata.normalize("NFKC", ch)
    if len(out) == 1 and out in _ASCII_DIGITS:
        return out
    # NFKC leaves many non-ASCII decimal digits alone (e.g. Arabic-Indic ٣).
    return "".join(
        str(digit) if (digit := unicodedata.decimal(c, None)) is not None else c for c in out
    )


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for detection, keeping the offset map to the original."""
    if text.isascii():
        # ASCII is NFKC-stable and holds no invisible characters, kanji or look-alike
        # dashes: nothing to do, and no map to build (keeps the hot path cheap).
        return NormalizedText(text=text, original_length=len(text))

    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        out = ch if ch.isascii() else _normalize_char(ch)
        if len(out) == 1:
            chars.append(out)
            origin.append(index)
        else:
            chars.extend(out)
            origin.extend([index] * len(out))

    _convert_kanji_digit_runs(chars)
    _unify_dashes_between_digits(chars)
    return NormalizedText(text="".join(chars), original_length=len(text), origin=tuple(origin))


def _convert_kanji_digit_runs(chars: list[str]) -> None:
    n = len(chars)
    i = 0
    while i < n:
        if chars[i] not in _KANJI_DIGITS and chars[i] not in _ASCII_DIGITS:
            i += 1
            continue
        j = i
        has_kanji = False
        while j < n and (chars[j] in _KANJI_DIGITS or chars[j] in _ASCII_DIGITS):
            has_kanji = has_kanji or chars[j] in _KANJI_DIGITS
            j += 1
        if has_kanji and j - i >= 2:
            for k in range(i, j):
                chars[k] = _KANJI_DIGITS.get(chars[k], chars[k])
        i = j


def _unify_dashes_between_digits(chars: list[str]) -> None:
    n = len(chars)
    for i in range(1, n - 1):
        if chars[i] not in _DASHES:
            continue
        # One space is tolerated on either side: "090 ー 1234".
        before = i - 2 if chars[i - 1] == " " and i >= 2 else i - 1
        after = i + 2 if chars[i + 1] == " " and i + 2 < n else i + 1
        if chars[before] in _ASCII_DIGITS and chars[after] in _ASCII_DIGITS:
            chars[i] = "-"
