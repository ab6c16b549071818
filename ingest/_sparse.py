"""BM25 sparse vectors over Sudachi morphemes, with Sudachi's synonym groups.

English-centric analyzers split Japanese on whitespace, which leaves whole sentences as
one "word". Sudachi cuts text into morphemes and normalises spelling variants
(手続/手続き, 申込/申し込み, こども/子供, タンス/箪笥), so a query finds an article whatever
okurigana or script it uses.

Citizens rarely use the manual's words: they write 引っ越し where the FAQ says 転居, 届け出
where it says 申請. Sudachi's system dictionary links each word to the groups of its
synonym dictionary (the data chikkarpy reads), so every morpheme that belongs to a group
also yields a group term ``§<id>``: a document saying 転居 and a question saying 引っ越し
share the term of group 21673. Both sides get the group terms, so this is query expansion
and document expansion at once, weighted below the word itself, with the corpus IDF
keeping broad groups cheap. Measured in bench/retrieval.py (docs/retrieval.md).

The IDF half of BM25 is left to Qdrant's IDF modifier, which knows the live corpus; this
module produces the term-frequency half.
"""

from __future__ import annotations

import threading
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from sudachipy import Dictionary, SplitMode

__all__ = [
    "LEGACY_ANALYZER",
    "SYNONYM_PREFIX",
    "SparseVector",
    "SudachiBm25",
    "Term",
    "TermForm",
    "analyzer_for",
]

# Parts of speech that carry no topic: particles, auxiliaries, punctuation, blanks.
_DROPPED_POS = frozenset({"助詞", "助動詞", "補助記号", "空白"})
# Light verbs and function nouns (いる, ある, する, こと, もの …) are tagged 非自立可能.
_DROPPED_SUBPOS = frozenset({"非自立可能"})
# Sudachi refuses inputs over ~49k bytes; chunks and queries are far shorter, but a
# pasted document must not crash the encoder.
_MAX_CHARS = 12_000
SYNONYM_PREFIX = "§"
KANJI_PREFIX = "字"  # + each kanji of a word: 飼い犬 yields 字飼, 字犬 and 犬 yields 字犬
# The analyser every index was built with before synonym groups (issue 17): an index
# that records it keeps being searched with it (see `analyzer_for`).
LEGACY_ANALYZER = "sudachi-bm25"

TermForm = Literal["normalized", "dictionary", "surface"]


@dataclass(frozen=True)
class SparseVector:
    indices: list[int]
    values: list[float]


@dataclass(frozen=True)
class Term:
    """One content morpheme: its indexed form, its synonym-group and kanji terms, and
    its part of speech (which words are a question's key terms: ingest._answerability)."""

    text: str
    groups: tuple[str, ...]
    pos: tuple[str, str, str]
    kanji: tuple[str, ...] = ()

    @property
    def noun(self) -> bool:
        return self.pos[0] == "名詞"


class SudachiBm25:
    """Encodes documents and queries as sparse BM25 term weights keyed by a term hash.

    `form` is which form of a morpheme is indexed (Sudachi's normalised form by default);
    `synonym_weight` > 0 adds the morpheme's synonym-group terms at that weight relative
    to the word (0 turns them off). Both change the index's vectors, so `name` records
    them and an index refuses another setting.
    """

    def __init__(
        self,
        *,
        k1: float = 1.2,
        b: float = 0.75,
        avg_len: float = 120.0,
        form: TermForm = "normalized",
        synonym_weight: float = 0.25,
        kanji_weight: float = 0.25,
    ) -> None:
        self.k1 = k1
        self.b = b
        self.avg_len = avg_len
        self.form: TermForm = form
        self.synonym_weight = synonym_weight
        self.kanji_weight = kanji_weight
        self._dictionary = Dictionary(dict="core")
        # Sudachi tokenizers are not thread-safe; the service answers from several threads.
        self._local = threading.local()

    @property
    def name(self) -> str:
        parts = [LEGACY_ANALYZER]
        if self.form != "normalized":
            parts.append(self.form)
        if self.synonym_weight > 0:
            parts.append(f"syn{self.synonym_weight:g}")
        if self.kanji_weight > 0:
            parts.append(f"kanji{self.kanji_weight:g}")
        return "+".join(parts)

    def _tokenizer(self) -> Any:
        tok = getattr(self._local, "tokenizer", None)
        if tok is None:
            tok = self._dictionary.tokenizer(mode=SplitMode.A)
            self._local.tokenizer = tok
        return tok

    def analyse(self, text: str) -> list[Term]:
        """The content morphemes of `text`, in order, with their synonym groups."""
        clean = unicodedata.normalize("NFKC", text)[:_MAX_CHARS]
        out: list[Term] = []
        for m in self._tokenizer().tokenize(clean):
            pos = m.part_of_speech()
            if pos[0] in _DROPPED_POS or pos[1] in _DROPPED_SUBPOS:
                continue
            if self.form == "normalized":
                term = m.normalized_form()
            elif self.form == "dictionary":
                term = m.dictionary_form()
            else:
                term = m.surface()
            term = term.lower()
            if not term.strip():
                continue
            groups = (
                tuple(f"{SYNONYM_PREFIX}{g}" for g in m.synonym_group_ids())
                if self.synonym_weight > 0
                else ()
            )
            kanji = (
                tuple(f"{KANJI_PREFIX}{ch}" for ch in dict.fromkeys(term) if _is_kanji(ch))
                if self.kanji_weight > 0
                else ()
            )
            out.append(Term(term, groups, (pos[0], pos[1], pos[2]), kanji))
        return out

    def terms(self, text: str) -> list[str]:
        """Indexed forms of the content morphemes of `text`, in order."""
        return [t.text for t in self.analyse(text)]

    @staticmethod
    def term_id(term: str) -> int:
        return zlib.crc32(term.encode("utf-8"))

    def embed_document(self, text: str) -> SparseVector:
        terms = self.analyse(text)
        length_norm = 1 - self.b + self.b * len(terms) / self.avg_len
        weights: dict[int, float] = {}
        words = Counter(self.term_id(t.text) for t in terms)
        groups = Counter(self.term_id(g) for t in terms for g in t.groups)
        kanji = Counter(self.term_id(k) for t in terms for k in t.kanji)
        for counts, scale in (
            (words, 1.0),
            (groups, self.synonym_weight),
            (kanji, self.kanji_weight),
        ):
            for tid, tf in counts.items():
                weights[tid] = scale * tf * (self.k1 + 1) / (tf + self.k1 * length_norm)
        return _sorted_vector(weights)

    def embed_query(self, text: str) -> SparseVector:
        return self.query_vector(self.analyse(text))

    def query_vector(self, terms: list[Term]) -> SparseVector:
        """The query vector of already analysed terms (each word 1, its groups less)."""
        weights: dict[int, float] = {}
        for t in terms:
            weights[self.term_id(t.text)] = 1.0
            for g in t.groups:
                gid = self.term_id(g)
                weights[gid] = max(weights.get(gid, 0.0), self.synonym_weight)
            for k in t.kanji:
                kid = self.term_id(k)
                weights[kid] = max(weights.get(kid, 0.0), self.kanji_weight)
        return _sorted_vector(weights)


def analyzer_for(name: str) -> SudachiBm25 | None:
    """The analyser an index records by `name` (see `SudachiBm25.name`), or None for a
    name this version does not know: an index built before synonym groups keeps being
    searched with its own analyser until it is rebuilt."""
    base, *options = name.split("+")
    if base != LEGACY_ANALYZER:
        return None
    form: TermForm = "normalized"
    weights = {"syn": 0.0, "kanji": 0.0}
    for option in options:
        if option in ("dictionary", "surface"):
            form = "dictionary" if option == "dictionary" else "surface"
            continue
        kind = next((k for k in weights if option.startswith(k)), None)
        if kind is None:
            return None
        try:
            weights[kind] = float(option[len(kind) :])
        except ValueError:
            return None
    return SudachiBm25(form=form, synonym_weight=weights["syn"], kanji_weight=weights["kanji"])


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _sorted_vector(weights: dict[int, float]) -> SparseVector:
    indices = sorted(weights)
    return SparseVector(indices=indices, values=[weights[i] for i in indices])
