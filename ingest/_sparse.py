"""BM25 sparse vectors over Sudachi morphemes.

English-centric analyzers split Japanese on whitespace, which leaves whole sentences as
one "word". Sudachi cuts text into morphemes and normalises spelling variants
(手続/手続き, 申込/申し込み), so a query finds an article whatever okurigana it uses.
The IDF half of BM25 is left to Qdrant's IDF modifier, which knows the live corpus; this
module produces the term-frequency half.
"""

from __future__ import annotations

import threading
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sudachipy import Dictionary, SplitMode

# Parts of speech that carry no topic: particles, auxiliaries, punctuation, blanks.
_DROPPED_POS = frozenset({"助詞", "助動詞", "補助記号", "空白"})
# Light verbs and function nouns (いる, ある, する, こと, もの …) are tagged 非自立可能.
_DROPPED_SUBPOS = frozenset({"非自立可能"})
# Sudachi refuses inputs over ~49k bytes; chunks and queries are far shorter, but a
# pasted document must not crash the encoder.
_MAX_CHARS = 12_000


@dataclass(frozen=True)
class SparseVector:
    indices: list[int]
    values: list[float]


class SudachiBm25:
    """Encodes documents and queries as sparse BM25 term weights keyed by a term hash."""

    name = "sudachi-bm25"

    def __init__(self, *, k1: float = 1.2, b: float = 0.75, avg_len: float = 120.0) -> None:
        self.k1 = k1
        self.b = b
        self.avg_len = avg_len
        self._dictionary = Dictionary(dict="core")
        # Sudachi tokenizers are not thread-safe; the service answers from several threads.
        self._local = threading.local()

    def _tokenizer(self) -> Any:
        tok = getattr(self._local, "tokenizer", None)
        if tok is None:
            tok = self._dictionary.tokenizer(mode=SplitMode.A)
            self._local.tokenizer = tok
        return tok

    def terms(self, text: str) -> list[str]:
        """Normalised content morphemes of `text`, in order."""
        clean = unicodedata.normalize("NFKC", text)[:_MAX_CHARS]
        out: list[str] = []
        for m in self._tokenizer().tokenize(clean):
            pos = m.part_of_speech()
            if pos[0] in _DROPPED_POS or pos[1] in _DROPPED_SUBPOS:
                continue
            term = m.normalized_form().lower()
            if term.strip():
                out.append(term)
        return out

    @staticmethod
    def term_id(term: str) -> int:
        return zlib.crc32(term.encode("utf-8"))

    def embed_document(self, text: str) -> SparseVector:
        terms = self.terms(text)
        counts = Counter(self.term_id(t) for t in terms)
        length_norm = 1 - self.b + self.b * len(terms) / self.avg_len
        weights = {
            tid: tf * (self.k1 + 1) / (tf + self.k1 * length_norm) for tid, tf in counts.items()
        }
        return _sorted_vector(weights)

    def embed_query(self, text: str) -> SparseVector:
        return _sorted_vector({self.term_id(t): 1.0 for t in self.terms(text)})


def _sorted_vector(weights: dict[int, float]) -> SparseVector:
    indices = sorted(weights)
    return SparseVector(indices=indices, values=[weights[i] for i in indices])
