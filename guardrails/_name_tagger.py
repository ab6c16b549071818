"""A learned name tagger: a linear model over hashed features of Sudachi's words.

The hand-written name rules reach their targets on the texts they were tuned on and
fall short on the next unseen part (issue 12). This tagger reads each Sudachi word
(``Morpheme``) of the normalised text with its neighbours — surface, script and shape,
affixes, Sudachi's POS (人名 / 姓 / 名 where the lexicon knows it), the words around it
(さん, 様, 씨, Ms., 娘の, 氏名：) — and gives the probability that the word belongs to a
person's name. Words above the threshold are joined into spans (across a space or a
middle dot), and the spans go through the same public-role / register / policy logic as
the rules' PERSON findings.

Features are hashed with CRC-32 (stable across processes, unlike ``hash``) into
``2 ** HASH_BITS`` buckets; the weights are a float16 vector in ``data/name_tagger.npz``
written by ``scripts/train_name_tagger.py``. Nothing here caches a prompt's words.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from guardrails._hashed_weights import read_weights, save_weights
from guardrails._nlp_engine import Morpheme
from guardrails.recognizers import _foreign_words as vocab
from guardrails.recognizers._latin_lexicon import latin_lexicon

HASH_BITS = 18
_MASK = (1 << HASH_BITS) - 1
MODEL_FILE = "name_tagger.npz"
# Format of the data file; the training script writes it, ``load_model`` checks it.
FORMAT_VERSION = 1

# Words no name is made of: particles, auxiliaries, punctuation, blanks, numbers.
_NEVER_NAME_POS = frozenset(["助詞", "助動詞", "空白", "記号", "接続詞", "感動詞"])
_PUNCT_POS = "補助記号"
# What may join two name words into one span: nothing, a space, a middle dot, a comma
# inside "SURNAME, Given" is not joined (a list of names is more common).
_JOINERS = frozenset(["", " ", "　", "・", "･", "-"])
_MAX_SURFACE = 24

# Sudachi's name kinds (姓, 名) of a surface, over all its homographs.
NameLookup = Callable[[str], frozenset[str]]


def char_kind(ch: str) -> str:
    """One letter for the script / kind of ``ch`` (the shape features are built on it)."""
    code = ord(ch)
    if ch.isdigit():
        return "d"
    if 0x3041 <= code <= 0x309F:
        return "h"
    if 0x30A0 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "k"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or code in (0x3005, 0x3006):
        return "K"
    if 0xAC00 <= code <= 0xD7A3:
        return "g"
    if 0x0900 <= code <= 0x097F:
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L" if ch.isupper() else "l"
    if ch.isalpha():
        return "V" if ch.isupper() else "v"  # Latin with diacritics, other alphabets
    if ch.isspace():
        return "s"
    return "p"


def shape(surface: str) -> str:
    """The kinds of ``surface``'s characters with runs collapsed, at most four."""
    out: list[str] = []
    for ch in surface:
        kind = char_kind(ch)
        if not out or out[-1] != kind:
            out.append(kind)
            if len(out) == 4:
                break
    return "".join(out)


def _letters(surface: str) -> bool:
    return any(ch.isalpha() for ch in surface)


def candidate(m: Morpheme) -> bool:
    """Whether ``m`` may be (part of) a name: a word with letters that is not a particle,
    auxiliary or blank."""
    return m.pos[0] not in _NEVER_NAME_POS and _letters(m.surface)


class _Word(NamedTuple):
    # A NamedTuple: one per Sudachi word of every prompt, and a frozen dataclass's
    # __init__ cost a fifth of the tagger's word pass.
    start: int
    end: int
    low: str
    pos: str
    shape: str
    candidate: bool


def _words(text: str, morphemes: Sequence[Morpheme]) -> list[_Word]:
    words: list[_Word] = []
    for m in morphemes:
        if m.pos[0] == "空白":
            continue
        low = m.surface.lower()[:_MAX_SURFACE]
        pos = "-".join(p for p in m.pos[:4] if p != "*")
        words.append(_Word(m.start, m.end, low, pos, shape(m.surface), candidate(m)))
    return words


_KOREAN_SURNAMES = frozenset(vocab.KOREAN_SURNAMES)
_CHINESE_SURNAMES = frozenset(vocab.CHINESE_SURNAMES)
_NAME_LEXICON_KINDS = ("K", "k", "h", "Kh", "hK", "kK", "Kk")


def lexicon_feature(surface: str, word_shape: str, lexicon_names: NameLookup | None) -> str:
    """What the name lists say of a word: Latin given / family name lists, Korean and
    Chinese surname tables, Vietnamese surnames, Sudachi's 姓 / 名 entries (all
    homographs), or "-" (listed nowhere)."""
    kinds: list[str] = []
    first = word_shape[:1]
    if first in ("L", "l", "V", "v"):
        lexicon = latin_lexicon()
        word = surface[:1].upper() + surface[1:].lower()
        if word in lexicon.given:
            kinds.append("G")
        if word in lexicon.family:
            kinds.append("F")
        if surface.lower() in vocab.VIETNAMESE_SURNAMES:
            kinds.append("VN")
    elif first == "g":
        if surface[:2] in _KOREAN_SURNAMES:
            kinds.append("KR2")
        elif surface[:1] in _KOREAN_SURNAMES:
            kinds.append("KR")
    elif word_shape in _NAME_LEXICON_KINDS:
        if lexicon_names is not None:
            kinds.extend(sorted(lexicon_names(surface)))
        if word_shape == "K" and (
            surface[:1] in _CHINESE_SURNAMES or surface[:2] in _CHINESE_SURNAMES
        ):
            kinds.append("ZH")
    return "+".join(kinds) or "-"


def _features(
    text: str, words: list[_Word], i: int, morpheme: Morpheme, lexicon_names: NameLookup | None
) -> list[str]:
    """The feature strings of word ``i`` (see the module doc)."""
    w = words[i]
    surface = text[w.start : w.end]
    prev1 = words[i - 1] if i > 0 else None
    prev2 = words[i - 2] if i > 1 else None
    next1 = words[i + 1] if i + 1 < len(words) else None
    next2 = words[i + 2] if i + 2 < len(words) else None
    p1 = prev1.low if prev1 else "<s>"
    p2 = prev2.low if prev2 else "<s>"
    n1 = next1.low if next1 else "</s>"
    n2 = next2.low if next2 else "</s>"
    gap_before = prev1 is not None and prev1.end < w.start
    gap_after = next1 is not None and w.end < next1.start
    line_start = (
        w.start == 0
        or text[w.start - 1] == "\n"
        or (prev1 is None or "\n" in text[prev1.end : w.start])
    )
    first = surface[:1]
    title = first.isupper() and surface[1:].islower()
    lex = lexicon_feature(surface, w.shape, lexicon_names)
    return [
        f"x={lex}",
        f"xs={lex}|{w.shape}|{title}|{line_start}",
        f"xw-1={lex}|{p1}",
        f"xw+1={lex}|{n1}",
        "b",
        f"w={w.low}",
        f"p={w.pos}",
        f"s={w.shape}",
        f"n={min(len(surface), 6)}",
        f"a1={w.low[:1]}",
        f"a2={w.low[:2]}",
        f"z1={w.low[-1:]}",
        f"z2={w.low[-2:]}",
        f"o={morpheme.oov}",
        f"t={title}|{surface.isupper() and len(surface) > 1}",
        f"g={gap_before}|{gap_after}",
        f"ls={line_start}",
        f"w-1={p1}",
        f"w-2={p2}",
        f"w+1={n1}",
        f"w+2={n2}",
        f"p-1={prev1.pos if prev1 else '<s>'}",
        f"p+1={next1.pos if next1 else '</s>'}",
        f"s-1={prev1.shape if prev1 else '<s>'}",
        f"s+1={next1.shape if next1 else '</s>'}",
        f"w-1s={p1}|{w.shape}",
        f"sw+1={w.shape}|{n1}",
        f"w-2-1={p2}|{p1}",
        f"w+12={n1}|{n2}",
        f"p-1p+1={prev1.pos if prev1 else '<s>'}|{w.pos}|{next1.pos if next1 else '</s>'}",
    ]


# Signs that a text is about a resident rather than a public notice: an honorific or
# title beside a word, a kinship word, the first person, a name field. The gate of
# ``NameTaggerRecognizer``: without any, a word needs a much higher probability
# (public notices in seven languages are full of capitalised words and place names).
_CUE_WORDS = (
    "さん",
    "様",
    "さま",
    "ちゃん",
    "くん",
    "君",
    "殿",
    "氏名",
    "名前",
    "なまえ",
    "フリガナ",
    "ふりがな",
    "娘",
    "息子",
    "夫",
    "妻",
    "母",
    "父",
    "祖母",
    "祖父",
    "孫",
    "兄",
    "姉",
    "弟",
    "妹",
    "私",
    "わたし",
    "僕",
    "本人",
    "世帯主",
    "申請者",
    "相談者",
    "保護者",
    "児童",
    "利用者",
    "씨",
    "님",
    "이름",
    "성명",
    "제 ",
    "저는",
    "남편",
    "아내",
    "딸",
    "아들",
    "엄마",
    "아빠",
    "我",
    "姓名",
    "先生",
    "女士",
    "小姐",
    "妻子",
    "丈夫",
    "儿子",
    "女儿",
    "兒子",
    "女兒",
    "tôi",
    "Tôi",
    "toi",
    "Toi",
    "tên",
    "Tên",
    "ông",
    "Ông",
    "bà",
    "Bà",
    "anh",
    "chị",
    "vợ",
    "chồng",
    "con ",
    "saya",
    "Saya",
    "nama",
    "Nama",
    "suami",
    "istri",
    "anak",
    "Bapak",
    "Ibu",
    "ako",
    "Ako",
    "asawa",
    "pangalan",
    "Pangalan",
    "mero",
    "Mero",
    "meri",
    "naam",
    "नाम",
    "मेरो",
    "मेरी",
)
_CUE_PATTERN = (
    "|".join(re.escape(w) for w in sorted(set(_CUE_WORDS), key=len, reverse=True))
    + r"|\b(?:I|I'm|I am|my|My|me|Mr|Mrs|Ms|Miss|Dr|Dear|Name|name|wife|husband|son|daughter"
    r"|mother|father|eu|Eu|meu|minha|Meu|Minha|Sr|Sra|Srta|Nome|nome|mi|Mi|yo|Yo|Nombre"
    r"|nombre|esposa|esposo|marido|filho|filha|hijo|hija|mãe|pai|madre|padre|-san|san)\b"
)
_CUES = re.compile(_CUE_PATTERN)


def resident_cues(text: str) -> bool:
    """Whether ``text`` shows any sign of being about a resident (see ``_CUE_WORDS``)."""
    return _CUES.search(text) is not None


def hashed(features: Sequence[str]) -> list[int]:
    """The buckets of ``features`` (CRC-32, stable across processes and machines)."""
    crc = zlib.crc32
    return [crc(f.encode("utf-8")) & _MASK for f in features]


def featurise(
    text: str, morphemes: Sequence[Morpheme], lexicon_names: NameLookup | None = None
) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """The candidate words' spans and each one's hashed features, in text order.
    ``lexicon_names``: Sudachi's 姓 / 名 kinds of a surface (the NLP engine's)."""
    words = _words(text, morphemes)
    by_start = {m.start: m for m in morphemes}
    spans: list[tuple[int, int]] = []
    rows: list[list[int]] = []
    for i, w in enumerate(words):
        if not w.candidate:
            continue
        spans.append((w.start, w.end))
        rows.append(hashed(_features(text, words, i, by_start[w.start], lexicon_names)))
    return spans, rows


@dataclass(frozen=True)
class NameTaggerModel:
    """The trained weights (one per hash bucket) and the intercept."""

    weights: npt.NDArray[np.float32]
    intercept: float

    def probabilities(self, rows: Sequence[Sequence[int]]) -> list[float]:
        """P(name) of each row of hashed features."""
        if not rows:
            return []
        flat = np.array(list(chain.from_iterable(rows)), dtype=np.int64)
        offsets = np.cumsum([0, *(len(row) for row in rows[:-1])])
        margins = np.add.reduceat(self.weights[flat], offsets) + self.intercept
        return [1.0 / (1.0 + math.exp(-float(m))) for m in margins]


def decode(
    text: str, spans: Sequence[tuple[int, int]], probabilities: Sequence[float], threshold: float
) -> list[tuple[int, int, float]]:
    """Join neighbouring words at or above ``threshold`` into name spans: (start, end,
    highest probability). Words join across nothing, a space or a middle dot."""
    out: list[tuple[int, int, float]] = []
    for (start, end), p in zip(spans, probabilities, strict=True):
        if p < threshold:
            continue
        if out and text[out[-1][1] : start] in _JOINERS:
            s, _, q = out[-1]
            out[-1] = (s, end, max(p, q))
        else:
            out.append((start, end, p))
    return out


def save_model(path: Any, weights: npt.NDArray[Any], intercept: float, meta: str) -> None:
    """Write the data file (float16 weights, compressed)."""
    save_weights(path, weights, intercept, meta, version=FORMAT_VERSION, hash_bits=HASH_BITS)


def read_model(source: Any) -> NameTaggerModel:
    """Read a data file written by ``save_model``; ValueError when it does not fit."""
    weights, intercept = read_weights(
        source, version=FORMAT_VERSION, hash_bits=HASH_BITS, what="name tagger"
    )
    return NameTaggerModel(weights=weights, intercept=intercept)


@lru_cache(maxsize=1)
def load_model() -> NameTaggerModel:
    """The shipped model (``guardrails/data/name_tagger.npz``), read once per process."""
    resource = resources.files("guardrails").joinpath("data", MODEL_FILE)
    with resource.open("rb") as handle:
        return read_model(handle)
