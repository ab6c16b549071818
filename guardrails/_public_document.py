"""A learned text-level gate: is the whole text a published municipal document?

Hand-written ``[[public.context_roles]]`` rules judged names public one format at a
time (講師紹介, 委員名簿, 一般質問通告 …) and each round's rules missed the next unseen
part's formats (issue 12). This model reads the whole text instead — hashed character
n-grams (digits folded to 0) and a few structural signs: its lines and list shape,
headings, honorifics, first-person and kin words, dates, 〒 and phone numbers — and
gives P(the text is a public municipal document rather than staff's text about
residents). It is trained by ``scripts/train_public_document.py`` on the hand-labelled
parts of ``bench/guard_eval/data`` (kind ``p`` items are public, kind ``r`` items are
residents' texts); the weights are a float16 vector in ``data/public_document.npz``.

It is only a gate on name findings (``_public_step``): when P is high AND the text
holds no identifier, no contact value of a person and no resident cue, its remaining
names are judged public (``PublicBasis.PUBLIC_GENRE``). Nothing here caches a text.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from guardrails._hashed_weights import read_weights, save_weights

HASH_BITS = 18
_MASK = (1 << HASH_BITS) - 1
MODEL_FILE = "public_document.npz"
# Format of the data file; the training script writes it, ``load_model`` checks it.
FORMAT_VERSION = 1
# Character n-gram orders read over the whole text.
_ORDERS = (1, 2, 3)
# Only the start of a long text is read (cost stays bounded; a document shows its kind
# in its first lines).
_MAX_CHARS = 4000

_DIGITS = re.compile(r"[0-9]")
_SPACES = re.compile(r"[ \t\u3000]+")
_BULLET = re.compile(r"^\s*(?:[・●○■□◆◇▪※\-*＊]|[0-9]+[.．)）]|[（(][0-9]+[)）]|第[0-9]+)")
_LABEL_LINE = re.compile(r"^[^。\n]{1,16}[：:]")
_DATE = re.compile(r"[0-9]{1,4}年[0-9]{1,2}月|令和|平成|[0-9]{1,2}/[0-9]{1,2}")
_PHONE = re.compile(r"[0-9]{2,4}-[0-9]{2,4}-[0-9]{3,4}")
# Signs of a text about a resident rather than a published one (features only; the
# gate's own resident check is ``_public_step``'s).
_SIGNS = {
    "san": re.compile(r"さん"),
    "sama": re.compile(r"様|さま"),
    "shi": re.compile(r"氏(?!名)"),
    "kun": re.compile(r"君"),
    "sensei": re.compile(r"先生"),
    "first": re.compile(r"私|わたし|僕|当方|\b(?:I|my|me)\b"),
    "kin": re.compile(
        r"妻|夫|息子|娘|母|父|祖母|祖父|孫|兄|姉|弟|妹|\b(?:wife|husband|son|daughter)\b"
    ),
    "form": re.compile(r"氏名|フリガナ|ふりがな|生年月日|世帯主|申請者|相談者"),
    "visit": re.compile(r"来庁|来所|来課|窓口に|電話あり|相談があ|から電話|訪問"),
    "office": re.compile(r"市役所|役場|課|係|センター|問い合わせ|問合せ"),
    "postal": re.compile(r"〒"),
    "question": re.compile(r"[?？]"),
    "polite": re.compile(r"です|ます"),
    "plain": re.compile(r"[だた]。|ある。"),
}


def _bucket(n: float) -> int:
    return 0 if n <= 0 else 1 + int(math.log2(n))


def document_features(text: str) -> list[str]:
    """The features of a (normalised) text, as strings (hashed by ``hashed``)."""
    text = text[:_MAX_CHARS]
    folded = _SPACES.sub(" ", _DIGITS.sub("0", text))
    features: set[str] = set()
    flat = folded.replace("\n", "|")
    for n in _ORDERS:
        for i in range(len(flat) - n + 1):
            features.add(f"c{n}:{flat[i : i + n]}")
    lines = [line for line in text.split("\n") if line.strip()]
    n_lines = len(lines)
    features.add(f"lines:{_bucket(n_lines)}")
    features.add(f"len:{_bucket(len(text) // 20)}")
    if lines:
        bullets = sum(1 for line in lines if _BULLET.match(line))
        labels = sum(1 for line in lines if _LABEL_LINE.match(line))
        short = sum(1 for line in lines if len(line) <= 20)
        features.add(f"bullets:{round(4 * bullets / n_lines)}")
        features.add(f"labels:{round(4 * labels / n_lines)}")
        features.add(f"short:{round(4 * short / n_lines)}")
        first = lines[0].strip()
        features.add(f"heading:{len(first) <= 30 and not first.endswith('。')}")
        features.add(f"bracket_title:{first[:1] in '【■◆●〈《「'}")
    features.add(f"dates:{_bucket(len(_DATE.findall(text)))}")
    features.add(f"phones:{_bucket(len(_PHONE.findall(text)))}")
    for name, pattern in _SIGNS.items():
        features.add(f"{name}:{_bucket(len(pattern.findall(text)))}")
    return sorted(features)


def hashed(features: list[str]) -> list[int]:
    """The distinct buckets of ``features`` (CRC-32, stable across processes)."""
    crc = zlib.crc32
    return sorted({crc(f.encode("utf-8")) & _MASK for f in features})


@dataclass(frozen=True)
class PublicDocumentModel:
    """The trained weights (one per hash bucket) and the intercept. A text's row is
    its distinct buckets, each worth ``1 / sqrt(count)`` (unit length)."""

    weights: npt.NDArray[np.float32]
    intercept: float

    def probability(self, text: str) -> float:
        """P(public document) of a normalised text."""
        buckets = hashed(document_features(text))
        if not buckets:
            return 0.0
        index = np.asarray(buckets, dtype=np.int64)
        score = float(self.weights[index].sum()) / math.sqrt(len(buckets)) + self.intercept
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))


def save_model(path: Any, weights: npt.NDArray[Any], intercept: float, meta: str) -> None:
    """Write the data file (float16 weights, compressed)."""
    save_weights(path, weights, intercept, meta, version=FORMAT_VERSION, hash_bits=HASH_BITS)


def read_model(source: Any) -> PublicDocumentModel:
    """Read a data file written by ``save_model``; ValueError when it does not fit."""
    weights, intercept = read_weights(
        source, version=FORMAT_VERSION, hash_bits=HASH_BITS, what="public document"
    )
    return PublicDocumentModel(weights=weights, intercept=intercept)


@lru_cache(maxsize=1)
def load_model() -> PublicDocumentModel:
    """The shipped model (``guardrails/data/public_document.npz``), read once per process."""
    resource = resources.files("guardrails").joinpath("data", MODEL_FILE)
    with resource.open("rb") as handle:
        return read_model(handle)
