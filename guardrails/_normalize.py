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
   all the expansion maps back to it. An ideograph beyond U+FFFF (𠮷, 𡈽) becomes its usual
   form (吉, 土) or a stand-in kanji, so the recognisers read it as the kanji it is. Any
   Unicode decimal digit (full-width, Arabic-Indic,
   mathematical bold …) becomes an ASCII digit. The one composition NFKC does across
   characters is redone here: a kana followed by a voicing mark (half-width ``ｷﾞ``, or
   ``キ`` + U+3099) becomes the composed kana (``ギ``), whose source is both characters.
3. Runs of two or more digit characters that contain kanji digits written positionally
   (``〇九〇``, ``一二三四``, ``零``) become ASCII digits. A lone ``一`` is left alone:
   it is overwhelmingly a word (一般, 一つ), not a digit — unless a dash joins it to a run
   of two or more digits (``四ー九二六八``: a number grouped with hyphens).
4. Dash look-alikes between two digits (one space allowed on either side) become
   ``-`` (``090ー1234―5678``).
5. Digits written one at a time are joined up: in a chain of single digits, each
   separated from the next by one separator — a space (the ideographic space is one
   after NFKC), tab, line break, ``.`` or ``・`` — the separator that joins at least four
   digits in a row is removed throughout the chain (``0 9 0 1 2 3 4`` → ``0901234``,
   ``0 9 0 - 1 2 3 4`` → ``090-1234``). Hyphens are not such separators: ``1-2-3-4`` is
   how block numbers of addresses are written. In a chain spaced out with spaces, a
   spaced-out ``/ - . :`` loses its spaces (``1 9 9 8 / 0 7 / 2 9`` → ``1998/07/29``).
   The span of a finding covers the dropped separators. Ordinary numbers are never
   touched: decimals (3.5), dates (2024.1.15), versions (1.2.3), enumerations
   (1. 2. 3.), 第1・2項 and times (8:30) have fewer than four single digits in a row, or
   digits glued together; a chain glued to a longer number by a separator (10.1.2.3.4,
   1 2 3 4 56) is part of something else and is left alone. Dots need five digits:
   section and version numbers run to four parts (1.2.3.4), while no identifier the
   guard looks for has fewer than six digits.
6. Latin letters written one at a time (``M a r i a``, three or more, one space apart)
   lose their spaces; two spaces still part two words.
7. Cyrillic and Greek look-alikes (``М``, ``а``, ``ο`` …) inside a word that also has
   ASCII letters become the Latin letters they imitate (``Маria`` → ``Maria``); a word
   all in Cyrillic is left alone.
8. Letters written for digits inside a number (``O9O-l234-5678``: O/o → 0, I/l → 1,
   and their Cyrillic and Greek look-alikes) become digits, when the run has seven digits or more and at most one letter for
   every two digits; words (Oil, ISO9001 — glued to other letters) are left alone.

Before step 1, deliberate encodings are decoded (``guardrails._decode``: HTML references,
``\\u`` escapes, percent-encoding, base64 text), and after step 2 numbers read out in kana
(``ゼロキュウゼロ``, ``イチニーサンヨン``; in hiragana only a long number:
``ぜろきゅうぜろ いちにさんよん ごろくななはち``) become digits (step 3a); each decoded
character maps to the whole source it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from guardrails._decode import DecodedChar, decode_spans

# Explicit list for readability; the Cf category test below covers these and more.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Variation selectors and the combining keycap: "1️⃣2️⃣3️⃣" reads as 123.
_DECORATION = frozenset(
    [chr(c) for c in range(0xFE00, 0xFE10)] + [chr(c) for c in range(0xE0100, 0xE01F0)] + ["\u20e3"]
)
# Combining voiced / semi-voiced sound marks (what NFKC makes of half-width ﾞ ﾟ).
_VOICING_MARKS = frozenset("\u3099\u309a")

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
_DASHES_AND_HYPHEN = _DASHES | {"-"}

_ASCII_DIGITS = frozenset("0123456789")
# Ideographs outside the Basic Multilingual Plane (CJK extensions B–H, compatibility
# supplement). Family registers use some in names (𠮷田, 𡈽屋), but the recognisers' kanji
# classes stop at U+9FFF, so 𠮷田 聡一郎 was found as 田 聡一郎 and 𠮷 reached the model.
_SUPPLEMENTARY_IDEOGRAPHS = ((0x20000, 0x323AF), (0x2F800, 0x2FA1F))
# The usual form of the variants names are written with; any other such ideograph reads
# as 丂 (U+4E02: a kanji in no word list, so it only makes the run a kanji run).
_IDEOGRAPH_VARIANTS = {"𠮷": "吉", "𡈽": "土", "𣘺": "橋", "𥔎": "崎"}
_STAND_IN_IDEOGRAPH = "丂"

# Step 3a. Numbers read out in kana (ゼロキュウゼロ, イチニーサンヨン, ワンツースリー):
# the words of the Japanese and the English readings of each digit.
_KATAKANA_NUMERALS: dict[str, str] = {
    "ゼロ": "0", "レイ": "0", "マル": "0",
    "イチ": "1", "ワン": "1",
    "ニ": "2", "ニー": "2", "ツー": "2",
    "サン": "3", "スリー": "3",
    "ヨン": "4", "シ": "4", "フォー": "4",
    "ゴ": "5", "ゴー": "5", "ファイブ": "5", "ファイヴ": "5",
    "ロク": "6", "シックス": "6",
    "ナナ": "7", "シチ": "7", "セブン": "7", "セヴン": "7",
    "ハチ": "8", "エイト": "8",
    "キュウ": "9", "キュー": "9", "ク": "9", "ナイン": "9",
}  # fmt: skip
_KANA_NUMERALS: dict[str, str] = _KATAKANA_NUMERALS
# In hiragana (ぜろきゅうぜろ いちにさんよん …) a number is taken only as a whole phone
# or card number: runs of three digits or more, chained by at most two separators, eight
# digits in all — hiragana runs are mostly grammar (にしに, いちご, ごご), and the readings
# that are single syllables of it (し, く, しち) are left out.
_HIRAGANA_NUMERALS: dict[str, str] = {
    "ぜろ": "0", "れい": "0", "いち": "1", "に": "2", "にい": "2", "さん": "3",
    "よん": "4", "ご": "5", "ごお": "5", "ろく": "6", "なな": "7", "はち": "8",
    "きゅう": "9", "きゅー": "9",
}  # fmt: skip
# Eight numeral words, at most two separators apart: the test before any work.
_HIRAGANA_NUMBER = re.compile(
    "(?:(?:"
    + "|".join(sorted(_HIRAGANA_NUMERALS, key=len, reverse=True))
    + r")[ \u3000の、,・\-ー]{0,2}){8,}"
)
_HIRAGANA_RUN = re.compile(r"[\u3041-\u306d\u306f-\u3096ー]{2,}")  # の parts groups
_HIRAGANA_CHAIN_GAP = re.compile(r"[ \u3000の、,・\-ー]{0,2}")
_HIRAGANA_MIN_RUN = 3
_HIRAGANA_MIN_DIGITS = 8
_LONGEST_NUMERAL = max(map(len, _KANA_NUMERALS))
# Three numeral words in a row somewhere: the test before step 3a does any work, itself
# behind a cheaper one (a run of the letters numeral words are made of).
_KANA_NUMBER_CHARS = re.compile("[" + "".join(sorted(set("".join(_KANA_NUMERALS)))) + "]{3,}")
_KANA_NUMBER = re.compile("(?:" + "|".join(sorted(_KANA_NUMERALS, key=len, reverse=True)) + "){3,}")
_KANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}")
# Fewest digits a run must spell alone: イチゴ (1 5) and ニシ (2 4) are words.
_KATAKANA_MIN_DIGITS = 3

# Step 5. A chain: single digits, each pair joined by one separator (or a spaced-out
# punctuation mark). Linear: a separator is never a digit.
_CHAIN_GAP = r"(?:[ \t\n.・]|\r\n| [/\-.:] )"
_CHAIN = re.compile(rf"(?<![0-9])[0-9](?:{_CHAIN_GAP}[0-9])+(?![0-9])")
_CHAIN_GLUE_BEFORE = re.compile(r"[0-9](?:[ \t\n.・]|\r\n)\Z")
_CHAIN_GLUE_AFTER = re.compile(r"(?:[ \t\n.・]|\r\n)[0-9]")
# Step 6. Latin letters written one at a time (M a r i a): three or more in a row.
_LATIN_LETTER = "A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ"
_SPACED_LETTERS = re.compile(
    rf"(?<![{_LATIN_LETTER}])[{_LATIN_LETTER}](?: [{_LATIN_LETTER}]){{2,}}(?![{_LATIN_LETTER}])"
)
# Step 7. Cyrillic and Greek letters that look Latin, swapped into a Latin word (Маria).
_HOMOGLYPHS: dict[str, str] = dict(
    zip(
        "АВЕКМНОРСТХУаеорсухіјѕԁӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧοαν",
        "ABEKMHOPCTXYaeopcyxijsdlABEZHIKMNOPTYXoav",
        strict=True,
    )
)
_ANY_HOMOGLYPH = re.compile("[" + "".join(_HOMOGLYPHS) + "]")
# Step 8. Letters for digits inside a number.
# Latin O/o/I/l, and the Cyrillic and Greek letters that look like them.
_DIGIT_LOOKALIKES = dict(zip("OoIlОоΟοІΙӏ", "00110000111", strict=True))
_LOOKS_LIKE_DIGIT = "".join(_DIGIT_LOOKALIKES)
_DIGIT_LOOKALIKE_GATE = re.compile(f"[0-9][{_LOOKS_LIKE_DIGIT}]|[{_LOOKS_LIKE_DIGIT}][0-9]")
_DIGIT_LOOKALIKE_RUN = re.compile(
    rf"(?<![A-Za-z0-9])[0-9{_LOOKS_LIKE_DIGIT}]+(?:[\-. ・/][0-9{_LOOKS_LIKE_DIGIT}]+)*"
    r"(?![A-Za-z0-9])"
)
_LOOKALIKE_MIN_DIGITS = 7
_MIXED_WORD = re.compile(rf"[{_LATIN_LETTER}\u0370-\u03ff\u0400-\u04ff]+")
_CHAIN_MIN_DIGITS = 4  # a separator must join at least this many digits in a row …
_CHAIN_MIN_DIGITS_DOT = 5  # … or this many when it is a dot (1.2.3.4 is a section number)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the index of its source.

    ``origin`` is ``None`` when the text was already normal (the common, all-ASCII case):
    indices are then identical and no list is kept. ``origin_end`` (exclusive end of each
    character's source) is kept only when a character has more than one source
    character (composed kana); otherwise it is ``origin[i] + 1``.
    """

    text: str
    original_length: int
    origin: tuple[int, ...] | None = None
    origin_end: tuple[int, ...] | None = None

    def original_index(self, index: int) -> int:
        """Original index of the normalised character at ``index``."""
        if self.origin is None:
            return index
        return self.origin[index]

    def to_original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to the original text.

        The result covers every original character that contributed to the span,
        including invisible characters and digit separators removed from inside it.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError("span outside the normalised text")
        if self.origin is None:
            return start, end
        if start == end:
            pos = self.origin[start] if start < len(self.origin) else self.original_length
            return pos, pos
        if self.origin_end is not None:
            return self.origin[start], self.origin_end[end - 1]
        return self.origin[start], self.origin[end - 1] + 1


def _is_invisible(ch: str) -> bool:
    return ch in _ZERO_WIDTH or ch in _DECORATION or unicodedata.category(ch) == "Cf"


@lru_cache(maxsize=16384)
def _normalize_char(ch: str) -> str:
    """What one non-ASCII character becomes ("" when dropped). Cached: prompts reuse a
    few thousand distinct characters, and this is the guard's per-character hot path."""
    if _is_invisible(ch):
        return ""
    code = ord(ch)
    if any(low <= code <= high for low, high in _SUPPLEMENTARY_IDEOGRAPHS):
        return _IDEOGRAPH_VARIANTS.get(ch, _STAND_IN_IDEOGRAPH)
    out = unicodedata.normalize("NFKC", ch)
    if len(out) == 1 and out in _ASCII_DIGITS:
        return out
    # NFKC leaves many non-ASCII decimal digits alone (e.g. Arabic-Indic ٣).
    return "".join(
        str(digit) if (digit := unicodedata.decimal(c, None)) is not None else c for c in out
    )


@lru_cache(maxsize=512)
def _compose(base: str, mark: str) -> str | None:
    """``base`` + a voicing mark as one character (キ + U+3099 → ギ), or None."""
    composed = unicodedata.normalize("NFC", base + mark)
    return composed if len(composed) == 1 else None


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for detection, keeping the offset map to the original."""
    decoded = decode_spans(text)
    if text.isascii() and not decoded:
        # ASCII is NFKC-stable and holds no invisible characters, kanji or look-alike
        # dashes: only digits written one at a time, and letters written for digits
        # (same length), can change (rare: no map to build otherwise, which keeps the
        # hot path cheap).
        source = text
        text = _fold_digit_lookalikes(text)
        drops = _spaced_digit_drops(text) if _CHAIN.search(text) else []
        if _SPACED_LETTERS.search(text):
            drops = sorted(drops + _spaced_letter_drops(text))
        if not drops:
            return NormalizedText(text=text, original_length=len(source))
        dropped = set(drops)
        keep = [i for i in range(len(text)) if i not in dropped]
        return NormalizedText(
            text="".join(text[i] for i in keep), original_length=len(source), origin=tuple(keep)
        )

    source, spans = _substitute(text, decoded)
    chars: list[str] = []
    origin: list[int] = []
    ends: list[int] | None = None  # built only once a character has two sources
    for index, ch in enumerate(source):
        out = ch if ch.isascii() else _normalize_char(ch)
        if len(out) == 1:
            if out in _VOICING_MARKS and chars and (composed := _compose(chars[-1], out)):
                chars[-1] = composed
                if ends is None:
                    ends = [o + 1 for o in origin]
                ends[-1] = index + 1
                continue
            chars.append(out)
            origin.append(index)
            if ends is not None:
                ends.append(index + 1)
        elif out:
            chars.extend(out)
            origin.extend([index] * len(out))
            if ends is not None:
                ends.extend([index + 1] * len(out))
    if spans is not None:  # indices of ``source`` → spans of ``text``
        ends = [spans[o][1] for o in origin] if ends is None else [spans[e - 1][1] for e in ends]
        origin = [spans[o][0] for o in origin]

    joined = "".join(chars)
    katakana = bool(_KANA_NUMBER_CHARS.search(joined) and _KANA_NUMBER.search(joined))
    if katakana or _HIRAGANA_NUMBER.search(joined):
        chars, origin, ends = _convert_kana_numerals(chars, origin, ends)
    _convert_kanji_digit_runs(chars)
    _unify_dashes_between_digits(chars)
    _fold_homoglyphs(chars)
    normalized = _fold_digit_lookalikes("".join(chars))
    if len(normalized) == len(chars):
        chars = list(normalized)
    drops = _spaced_digit_drops(normalized)
    if _SPACED_LETTERS.search(normalized):
        drops = sorted(drops + _spaced_letter_drops(normalized))
    if drops:
        dropped = set(drops)
        keep = [i for i in range(len(chars)) if i not in dropped]
        normalized = "".join(chars[i] for i in keep)
        origin = [origin[i] for i in keep]
        if ends is not None:
            ends = [ends[i] for i in keep]
    return NormalizedText(
        text=normalized,
        original_length=len(text),
        origin=tuple(origin),
        origin_end=tuple(ends) if ends is not None else None,
    )


def _substitute(
    text: str, decoded: list[list[DecodedChar]]
) -> tuple[str, list[tuple[int, int]] | None]:
    """``text`` with the decoded runs (``guardrails._decode``) in place of their encoded
    source, and for each of its characters the span of ``text`` it stands for (None when
    nothing was decoded: the identity)."""
    if not decoded:
        return text, None
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for run in decoded:
        parts.append(text[pos : run[0].start])
        spans.extend((i, i + 1) for i in range(pos, run[0].start))
        parts.append("".join(c.char for c in run))
        spans.extend((c.start, c.end) for c in run)
        pos = run[-1].end
    parts.append(text[pos:])
    spans.extend((i, i + 1) for i in range(pos, len(text)))
    return "".join(parts), spans


def _convert_kana_numerals(
    chars: list[str], origin: list[int], ends: list[int] | None
) -> tuple[list[str], list[int], list[int] | None]:
    """Step 3a (see the module doc): numbers read out in kana become digits."""
    joined = "".join(chars)
    runs: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    for match in _KANA_RUN.finditer(joined):
        words = _kana_digits(match.group())
        if words is not None:
            runs.append((match.start(), match.end(), words))
    wanted = [len(words) >= _KATAKANA_MIN_DIGITS for a, _, words in runs]
    # A short group beside a number read out the same way: ゼロキュウゼロのロクナナ.
    for k, (a, b, words) in enumerate(runs):
        if wanted[k] or len(words) < 2:
            continue
        before = joined[max(0, a - 2) : a]
        after = joined[b : b + 2]
        near = [runs[j] for j in (k - 1, k + 1) if 0 <= j < len(runs) and wanted[j]]
        if any(0 < (a - r[1]) <= 1 or 0 < (r[0] - b) <= 1 for r in near) or any(
            c in _ASCII_DIGITS for c in before + after
        ):
            wanted[k] = True
    hiragana = _hiragana_numbers(joined)
    if hiragana:
        merged = sorted([*zip(runs, wanted, strict=True), *((run, True) for run in hiragana)])
        runs, wanted = [run for run, _ in merged], [keep for _, keep in merged]
    if not any(wanted):
        return chars, origin, ends
    if ends is None:
        ends = [o + 1 for o in origin]
    new_chars: list[str] = []
    new_origin: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for (a, _, words), keep in zip(runs, wanted, strict=True):
        if not keep:
            continue
        new_chars += chars[pos:a]
        new_origin += origin[pos:a]
        new_ends += ends[pos:a]
        for start, stop, digit in words:
            new_chars.append(digit)
            new_origin.append(origin[a + start])
            new_ends.append(ends[a + stop - 1])
        pos = a + words[-1][1]
    new_chars += chars[pos:]
    new_origin += origin[pos:]
    new_ends += ends[pos:]
    return new_chars, new_origin, new_ends


def _hiragana_numbers(joined: str) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    """Runs of hiragana that spell digits and together make a long number (see
    ``_HIRAGANA_NUMERALS``): ぜろきゅうぜろ いちにさんよん ごろくななはち."""
    runs = []
    for match in _HIRAGANA_RUN.finditer(joined):
        words = _kana_digits(match.group(), hiragana=True)
        if words is not None and len(words) >= _HIRAGANA_MIN_RUN:
            runs.append((match.start(), match.end(), words))
    found: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    chain: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    for run in [*runs, None]:
        if run is not None and chain:
            gap = _HIRAGANA_CHAIN_GAP.fullmatch(joined, chain[-1][1], run[0])
            if gap is not None:
                chain.append(run)
                continue
        if sum(len(words) for _, _, words in chain) >= _HIRAGANA_MIN_DIGITS:
            found += chain
        chain = [run] if run is not None else []
    return found


@lru_cache(maxsize=4096)
def _kana_digits(run: str, *, hiragana: bool = False) -> list[tuple[int, int, str]] | None:
    """The digits a kana run spells out word by word — (start, end, digit) each — or
    None when some part of it is no numeral word (イチゴ parses, イチバン does not).
    Cached: only kana runs, which are words of the language, never long values."""
    table = _HIRAGANA_NUMERALS if hiragana else _KANA_NUMERALS
    if len(run) > 60:
        return None
    # best[i]: a parse of run[:i] (fewest words), built left to right.
    best: list[list[tuple[int, int, str]] | None] = [None] * (len(run) + 1)
    best[0] = []
    for i in range(len(run)):
        parsed = best[i]
        if parsed is None:
            continue
        for size in range(1, min(_LONGEST_NUMERAL, len(run) - i) + 1):
            digit = table.get(run[i : i + size])
            if digit is None:
                continue
            candidate = [*parsed, (i, i + size, digit)]
            current = best[i + size]
            if current is None or len(candidate) < len(current):
                best[i + size] = candidate
    return best[-1] or None


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
        if has_kanji and (j - i >= 2 or _dash_joins_digit_run(chars, i)):
            for k in range(i, j):
                chars[k] = _KANJI_DIGITS.get(chars[k], chars[k])
        i = j


def _is_digit_char(ch: str) -> bool:
    return ch in _ASCII_DIGITS or ch in _KANJI_DIGITS


def _dash_joins_digit_run(chars: list[str], i: int) -> bool:
    """True when the lone kanji digit at ``i`` is joined by a dash to a run of two or
    more digits (kanji or ASCII) on either side: ``四ー九二六八``, ``三二ー五``."""
    after = chars[i + 1 : i + 4]
    if len(after) == 3 and after[0] in _DASHES_AND_HYPHEN:
        if _is_digit_char(after[1]) and _is_digit_char(after[2]):
            return True
    before = chars[max(0, i - 3) : i]
    return (
        len(before) == 3
        and before[2] in _DASHES_AND_HYPHEN
        and _is_digit_char(before[0])
        and _is_digit_char(before[1])
    )


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


def _spaced_letter_drops(text: str) -> list[int]:
    """Step 6 (see the module doc): the spaces inside letters written one at a time."""
    return [
        match.start() + i
        for match in _SPACED_LETTERS.finditer(text)
        for i, ch in enumerate(match.group())
        if ch == " "
    ]


def _fold_homoglyphs(chars: list[str]) -> None:
    """Step 7 (see the module doc): Cyrillic and Greek look-alikes inside Latin words."""
    joined = "".join(chars)
    if joined.isascii() or not _ANY_HOMOGLYPH.search(joined):
        return
    for word in _MIXED_WORD.finditer(joined):
        text = word.group()
        if any(c.isascii() for c in text) and any(c in _HOMOGLYPHS for c in text):
            for i in range(word.start(), word.end()):
                chars[i] = _HOMOGLYPHS.get(chars[i], chars[i])


def _fold_digit_lookalikes(text: str) -> str:
    """Step 8 (see the module doc): O9O-l234-5678 → 090-1234-5678 (same length)."""
    if not _DIGIT_LOOKALIKE_GATE.search(text):
        return text
    out = list(text)
    for run in _DIGIT_LOOKALIKE_RUN.finditer(text):
        value = run.group()
        digits = sum(c.isdigit() for c in value)
        letters = sum(c in _DIGIT_LOOKALIKES for c in value)
        if digits >= _LOOKALIKE_MIN_DIGITS and 0 < letters and 2 * letters <= digits:
            for i in range(run.start(), run.end()):
                out[i] = _DIGIT_LOOKALIKES.get(out[i], out[i])
    return "".join(out)


def _spaced_digit_drops(text: str) -> list[int]:
    """Step 5 (see the module doc): indices of the separators to drop from ``text``."""
    drops: list[int] = []
    for chain in _CHAIN.finditer(text):
        drops.extend(_chain_drops(text, chain.start(), chain.end()))
    return drops


def _chain_drops(text: str, start: int, end: int) -> list[int]:
    """Indices to drop from the chain ``text[start:end]`` (empty: leave it alone)."""
    # Glued by a separator to a longer number ("10.1.2.3.4", "1 2 3 4 56"): not a chain
    # of single digits but part of something else.
    if _CHAIN_GLUE_BEFORE.search(text, max(0, start - 3), start):
        return []
    if _CHAIN_GLUE_AFTER.match(text, end):
        return []
    # The gaps between consecutive digits, as (start, end) in text.
    gaps: list[tuple[int, int]] = []
    i = start + 1
    while i < end:
        j = i
        while text[j] not in _ASCII_DIGITS:
            j += 1
        gaps.append((i, j))
        i = j + 1
    if len(gaps) + 1 < _CHAIN_MIN_DIGITS:
        return []
    joiner = _chain_joiner([text[a:b] for a, b in gaps])
    if joiner is None:
        return []
    drops: list[int] = []
    for a, b in gaps:
        gap = text[a:b]
        if gap == joiner:
            drops.extend(range(a, b))
        elif joiner == " " and len(gap) == 3:  # " / " → "/"
            drops.extend((a, b - 1))
    return drops


def _chain_joiner(gaps: list[str]) -> str | None:
    """The one-character (or CRLF) separator joining enough digits in a row (see
    ``_CHAIN_MIN_DIGITS``); the most frequent one if several do, None if none does."""
    best: str | None = None
    best_count = 0
    run_gap, run = "", 0
    qualified: set[str] = set()
    for gap in gaps:
        run = run + 1 if gap == run_gap else 1
        run_gap = gap
        needed = _CHAIN_MIN_DIGITS_DOT if gap == "." else _CHAIN_MIN_DIGITS
        if run >= needed - 1 and (len(gap) == 1 or gap == "\r\n"):
            qualified.add(gap)
    for gap in qualified:
        count = gaps.count(gap)
        if count > best_count or (count == best_count and best is not None and gap < best):
            best, best_count = gap, count
    return best
