"""Does anything in the index answer the question? A calibrated decision, not a threshold.

Hybrid search always returns its k best passages, even for a question nothing answers:
「飼い犬の登録はどこでできますか」 against an index without a dog page returns 印鑑登録
passages (they share 登録), 「パスポートの申請に必要な書類は」 returns 行政手続法 (申請,
書類). Their cosine relevance (0.3–0.5) is no lower than that of many paraphrased
questions that *are* answered. Three kinds of evidence are combined:

- **how well the best passage matches** — its cosine relevance and how far it stands
  out from the runners-up (a real answer is usually alone at the top);
- **whether keyword and dense ranking agree** — the fused reciprocal-rank score of the
  first hit is high only when both lists put it near the top;
- **whether the question's key terms are in the passage** — its nouns (犬, パスポート),
  counted when the passage holds the word or one of its Sudachi synonym groups.

A logistic model over these signals gives the probability that the question is
answered; its weights and the two cut-offs were fitted on the tuning half of the dev
sets (`bench/retrieval.py --calibrate`) and checked on the held-out half. With the
bundled embedder they separate off-topic requests well and near-misses poorly: at the
chosen cut-off ~2 % of answerable questions and ~30 % of unanswerable ones get the honest
answer (docs/retrieval.md); topic signals from per-corpus IDF, the rarest key term and
sparse/dense agreement did not change that (`bench/retrieval.py --signals`), nor did a
learned model over 34 signals (`--decision`). With a chat
model configured, the assistant has the model judge what this decision lets through
(`service.pipeline.retrieval.declined`). The weights belong to the embedder they were
fitted with; `AnswerabilityModel.for_embedder` picks them, and a model calibrated for
another setup can be passed as `KnowledgeBase(judge=…)`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ._models import Hit
from ._sparse import SudachiBm25, Term

__all__ = [
    "KEY_TERM_BOOST",
    "Answerability",
    "AnswerabilityModel",
    "Retrieval",
    "Verdict",
    "answerability_signals",
    "boost_key_terms",
]


class Verdict(StrEnum):
    ANSWERED = "answered"  # the hits answer the question, as far as retrieval can tell
    CLOSEST = "closest"  # the closest passages, which may not answer it
    NONE = "none"  # nothing in the index answers it


class Answerability(BaseModel):
    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    confidence: float = Field(
        ge=0.0, le=1.0, description="calibrated probability that the hits answer the question"
    )
    signals: dict[str, float] = Field(
        default_factory=dict, description="the evidence the decision was made on"
    )


class Retrieval(BaseModel):
    """What `KnowledgeBase.retrieve` returns: the hits and whether they answer."""

    query: str
    hits: list[Hit]
    answerability: Answerability

    @property
    def answered(self) -> bool:
        return self.answerability.verdict is Verdict.ANSWERED


SIGNALS = (
    "relevance",
    "relevance_max",
    "relevance_shortfall",
    "relevance_gap",
    "fused",
    "fused_gap",
    "coverage",
    "coverage_top3",
    "missing",
)


# Nouns that frame a question rather than name its subject (どこで、何を、どのように).
_FRAME_NOUNS = frozenset({"方法", "仕方", "遣り方", "場所", "所", "為", "事", "物", "時", "場合"})
# Counters (一日, 何回), adverb-like (とき) and adjective-like (必要) nouns.
_FRAME_SUBPOS = frozenset({"助数詞可能", "副詞可能", "形状詞可能"})


def _key_terms(terms: Sequence[Term]) -> list[Term]:
    """The nouns that name the question's subject (犬, パスポート, 登録), once each; all
    its content words when it has none."""
    nouns = [
        t
        for t in terms
        if t.pos[0] == "名詞"
        and t.pos[1] in ("普通名詞", "固有名詞")
        and t.pos[2] not in _FRAME_SUBPOS
        and t.text not in _FRAME_NOUNS
    ] or list(terms)
    seen: set[str] = set()
    out: list[Term] = []
    for t in nouns:
        if t.text not in seen:
            seen.add(t.text)
            out.append(t)
    return out


@dataclass(frozen=True, slots=True)
class _KeyIds:
    """A key term's ids (its word, synonym groups and kanji), hashed once per question:
    every hit is checked for every key term, three times per retrieval (boost, coverage,
    held anywhere), and hashing each term again for each hit was ~450 crc32 calls an ask."""

    word: int
    groups: frozenset[int]
    kanji: frozenset[int]

    @classmethod
    def of(cls, term: Term) -> _KeyIds:
        term_id = SudachiBm25.term_id
        return cls(
            term_id(term.text),
            frozenset(term_id(g) for g in term.groups),
            frozenset(term_id(k) for k in term.kanji),
        )

    def held(self, ids: frozenset[int]) -> float:
        """1 when the passage holds the word or one of its synonym groups; 0.5 when it
        holds every kanji of the word (飼い犬 in a page about 犬 that 飼う — or 天気 in
        any text with 天 and 気, hence only half); else 0."""
        if self.word in ids or not self.groups.isdisjoint(ids):
            return 1.0
        if self.kanji and self.kanji <= ids:
            return 0.5
        return 0.0


def _held(term: Term, ids: frozenset[int]) -> float:
    """`_KeyIds.held` for one term (bench/_decision_study.py's signals use it)."""
    return _KeyIds.of(term).held(ids)


def _key_ids(terms: Sequence[Term]) -> list[_KeyIds]:
    return [_KeyIds.of(t) for t in _key_terms(terms)]


def _coverage(keys: Sequence[_KeyIds], ids: frozenset[int] | None) -> float:
    if not keys or ids is None:
        return 0.0
    return sum(k.held(ids) for k in keys) / len(keys)


# Cosine (USE) above which a passage is at least on a related topic.
RELATED = 0.3


def answerability_signals(terms: Sequence[Term], hits: Sequence[Hit]) -> dict[str, float]:
    """The evidence for `AnswerabilityModel`, from the question's analysed terms and its
    hybrid hits (best first, with relevance and term ids as the index returns them)."""
    if not hits:
        return dict.fromkeys(SIGNALS, 0.0)
    keys = _key_ids(terms)
    relevances = [h.relevance or 0.0 for h in hits]
    rest = relevances[1:] or [0.0]
    coverages = [_coverage(keys, h.term_ids) for h in hits]
    held_anywhere = [max(k.held(h.term_ids or frozenset()) for h in hits) > 0 for k in keys]
    return {
        "relevance": relevances[0],
        "relevance_max": max(relevances),
        # How far the best passage falls short of a plainly related one: near zero
        # similarity is strong evidence that nothing answers, whatever words match.
        "relevance_shortfall": max(0.0, RELATED - max(relevances)),
        "relevance_gap": relevances[0] - statistics.median(rest),
        "fused": hits[0].score,
        "fused_gap": hits[0].score - (hits[1].score if len(hits) > 1 else 0.0),
        "coverage": coverages[0],
        "coverage_top3": max(coverages[:3]),
        "missing": (held_anywhere.count(False) / len(keys)) if keys else 1.0,
    }


# How much the share of key terms a hybrid hit holds adds to its fused score (weighted
# RRF: both lists' first place is worth 1.21, the dense list's alone 0.71). Measured in
# bench/retrieval.py --tune.
KEY_TERM_BOOST = 0.3


def boost_key_terms(terms: Sequence[Term], hits: Sequence[Hit], weight: float) -> list[Hit]:
    """`hits` re-ordered by fused score + `weight` × the share of the question's key
    terms each holds (its score becomes that sum): 「飼い犬の登録」 puts the page that
    mentions 犬 above 印鑑登録 pages the dense ranking prefers for 登録."""
    keys = _key_ids(terms)
    if not keys or weight <= 0:
        return list(hits)
    rescored = [
        h.model_copy(update={"score": h.score + weight * _coverage(keys, h.term_ids)}) for h in hits
    ]
    return sorted(rescored, key=lambda h: -h.score)


# Fitted by `bench/retrieval.py --calibrate` on the tuning half of the dev sets (weighted
# RRF k=2, dense ×2.5, key-term boost 0.3, keyword analyser sudachi-bm25+syn0.25+kanji0.25).
# Cut-offs: below ANSWER_AT fall 2 % of the tuning half's answerable questions (they get
# the closest passages, shown as possibly not answering), below NONE_AT 0.5 % (nothing
# found). USE_EMBEDDER's model reads every signal; the rank model, for other embedders,
# only the fused scores and key terms.
USE_EMBEDDER = "use-multilingual-v3"
# signal: (weight in the USE model, weight in the rank model; None = not read)
_CALIBRATED: dict[str, tuple[float, float | None]] = {
    "relevance": (2.070, None),
    "relevance_max": (2.335, None),
    "relevance_shortfall": (-0.285, None),
    "relevance_gap": (0.556, None),
    "fused": (1.480, 2.146),
    "fused_gap": (0.556, 0.484),
    "coverage": (0.886, 0.776),
    "coverage_top3": (0.381, 0.430),
    "missing": (-0.402, -0.878),
}
# (bias, ANSWER_AT, NONE_AT) of each model
_USE_CUTS = (-3.415, 0.311, 0.193)
_RANK_CUTS = (-2.132, 0.272, 0.198)
_USE_WEIGHTS = {name: use for name, (use, _) in _CALIBRATED.items()}
_RANK_WEIGHTS = {name: rank for name, (_, rank) in _CALIBRATED.items() if rank is not None}


@dataclass(frozen=True)
class AnswerabilityModel:
    """Logistic model over `answerability_signals`; `answer_at` and `none_at` cut the
    probability into the three verdicts. The defaults are the offline default's model
    (`for_embedder`)."""

    weights: dict[str, float] = field(default_factory=lambda: dict(_USE_WEIGHTS))
    bias: float = _USE_CUTS[0]
    answer_at: float = _USE_CUTS[1]
    none_at: float = _USE_CUTS[2]

    @classmethod
    def for_embedder(cls, name: str) -> AnswerabilityModel:
        """The model calibrated for embedder `name`: the bundled USE model's, or for any
        other embedder (whose cosine scale differs) one that reads only the rank-based
        fused scores and the key terms."""
        if name == USE_EMBEDDER:
            return cls()
        bias, answer_at, none_at = _RANK_CUTS
        return cls(weights=dict(_RANK_WEIGHTS), bias=bias, answer_at=answer_at, none_at=none_at)

    def probability(self, signals: dict[str, float]) -> float:
        z = self.bias + sum(w * signals.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def judge(self, terms: Sequence[Term], hits: Sequence[Hit]) -> Answerability:
        signals = answerability_signals(terms, hits)
        if not hits:
            return Answerability(verdict=Verdict.NONE, confidence=0.0, signals=signals)
        p = self.probability(signals)
        if p >= self.answer_at:
            verdict = Verdict.ANSWERED
        elif p >= self.none_at:
            verdict = Verdict.CLOSEST
        else:
            verdict = Verdict.NONE
        return Answerability(
            verdict=verdict,
            confidence=round(p, 4),
            signals={k: round(v, 4) for k, v in signals.items()},
        )
