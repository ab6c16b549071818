"""Topic signals for the honest no-result decision, each measured alone and with the
decision's own (`bench/retrieval.py --signals`; issue 17, second attempt).

The question is whether the passages cover the question's *topic*, not only its words:
「パスポートの申請に必要な書類は」 shares 申請 and 書類 with 行政手続法 but not パスポート.
Every signal here is computed from what the index already returns plus per-corpus
document frequencies (DF, counted while the corpus is indexed — nothing is written by
hand): the generic procedure words (申請, 手続, 書類, 市 …) are the key terms found in
more than `GENERIC_SHARE` of the chunks, the rest are the question's topic terms, and a
term's weight is its IDF. A logistic model over the decision's signals plus each new one
is fitted on the tuning halves (C answerable vs U unanswerable) and cut where at most
`BUDGET` of the tuning answerable questions fall below it, as `--calibrate` does; the
held-out halves are only measured. Hard rules (e.g. "the rarest key term must be in the
first three passages") are measured on top of the shipped decision.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bench._retrieval_sets import DevSet
from ingest import KnowledgeBase, SudachiBm25, Verdict
from ingest._answerability import SIGNALS, _held, _key_terms, answerability_signals
from ingest._knowledge_base import JUDGED_HITS
from ingest._sparse import SparseVector, Term

# A key term in more than this share of the chunks is a generic (procedure) word.
GENERIC_SHARE = 0.05
# Share of the tuning half's answerable questions allowed below the cut-off (as shipped).
BUDGET = 0.02

NEW_SIGNALS = (
    "idf_coverage",
    "topic_coverage",
    "topic_coverage_top3",
    "rarest_held",
    "rarest_held_top3",
    "rarest_in_corpus",
    "missing_in_corpus",
    "agree_top1",
    "agree_document",
    "sparse_top",
    "term_alignment",
    "question_vs_heading",
)


class CountingBm25(SudachiBm25):
    """The default analyser, counting in how many indexed chunks each term occurs."""

    def __init__(self) -> None:
        super().__init__()
        self.df: Counter[int] = Counter()
        self.chunks = 0

    def embed_document(self, text: str) -> SparseVector:
        vector = super().embed_document(text)
        self.chunks += 1
        self.df.update(set(vector.indices))
        return vector


@dataclass
class Study:
    """Per dev-set part: each question's signals (the decision's and the new ones)."""

    rows: dict[str, list[dict[str, float]]] = field(default_factory=dict)


def _cosines(kb: KnowledgeBase, texts: Sequence[str], cache: dict[str, Any]) -> np.ndarray:
    missing = [t for t in dict.fromkeys(texts) if t not in cache]
    if missing:
        for t, v in zip(missing, kb.embedder.embed_documents(missing), strict=True):
            cache[t] = v / (np.linalg.norm(v) or 1.0)
    return np.array([cache[t] for t in texts])


def question_signals(
    kb: KnowledgeBase, df: Counter[int], chunks: int, text: str, cache: dict[str, Any]
) -> dict[str, float]:
    terms, hits = kb._search(text, JUDGED_HITS, "hybrid", None, None)
    hits = hits[:JUDGED_HITS]
    out = answerability_signals(terms, hits)
    keys = _key_terms(terms)
    tid = SudachiBm25.term_id

    def freq(t: Term) -> int:
        return df.get(tid(t.text), 0)

    def in_corpus(t: Term) -> float:
        if freq(t) or any(df.get(tid(g), 0) for g in t.groups):
            return 1.0
        return 0.5 if t.kanji and all(df.get(tid(k), 0) for k in t.kanji) else 0.0

    idf = {t.text: math.log((chunks + 1) / (freq(t) + 0.5)) for t in keys}
    topic = [t for t in keys if freq(t) <= GENERIC_SHARE * chunks]

    def weighted(ts: Sequence[Term], ids: frozenset[int] | None) -> float:
        total = sum(idf[t.text] for t in ts)
        if not ts or ids is None or total <= 0:
            return 0.0
        return sum(idf[t.text] * _held(t, ids) for t in ts) / total

    ids = [h.term_ids for h in hits]
    rarest = max(keys, key=lambda t: idf[t.text]) if keys else None
    out["idf_coverage"] = weighted(keys, ids[0]) if ids else 0.0
    out["topic_coverage"] = weighted(topic, ids[0]) if ids and topic else float(bool(ids))
    out["topic_coverage_top3"] = max((weighted(topic, i) for i in ids[:3]), default=0.0)
    if not topic:
        out["topic_coverage_top3"] = float(bool(ids))
    held = [_held(rarest, i or frozenset()) for i in ids[:3]] if rarest else []
    out["rarest_held"] = held[0] if held else 0.0
    out["rarest_held_top3"] = max(held, default=0.0)
    out["rarest_in_corpus"] = in_corpus(rarest) if rarest else 1.0
    out["missing_in_corpus"] = float(any(in_corpus(t) == 0 for t in keys))
    # Sparse and dense alone: do their first places agree?
    dense_vec = kb.embedder.embed_query(text).tolist()
    sparse_vec = kb.sparse.query_vector(terms)
    firsts = [
        kb.index.search(dense_vec, sparse_vec, k=1, mode=mode) for mode in ("dense", "sparse")
    ]
    dense1, sparse1 = (f[0] if f else None for f in firsts)
    same = dense1 is not None and sparse1 is not None
    out["agree_top1"] = float(
        same and (dense1.source, dense1.locator) == (sparse1.source, sparse1.locator)  # type: ignore[union-attr]
    )
    out["agree_document"] = float(same and dense1.source == sparse1.source)  # type: ignore[union-attr]
    out["sparse_top"] = sparse1.score if sparse1 is not None else 0.0
    # Token-level alignment through the encoder: each key term alone against the first
    # three passages' headings (the FAQ question, the article caption), IDF-weighted.
    heads = [h.heading or h.text[:80] for h in hits[:3]]
    if keys and heads:
        sims = _cosines(kb, [t.text for t in keys], cache) @ _cosines(kb, heads, cache).T
        weights = np.array([idf[t.text] for t in keys])
        out["term_alignment"] = float((sims.max(axis=1) * weights).sum() / weights.sum())
        out["question_vs_heading"] = float(
            (_cosines(kb, [text], cache) @ _cosines(kb, heads[:1], cache).T)[0, 0]
        )
    else:
        out["term_alignment"] = out["question_vs_heading"] = 0.0
    return out


def collect(kb: KnowledgeBase, analyser: CountingBm25, named_parts: dict[str, DevSet]) -> Study:
    cache: dict[str, Any] = {}
    study = Study()
    for name, dev in named_parts.items():
        study.rows[name] = [
            question_signals(kb, analyser.df, analyser.chunks, q.text, cache) for q in dev.queries
        ]
    return study


def _auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    p, n = np.array(pos)[:, None], np.array(neg)[None, :]
    return float((p > n).mean() + 0.5 * (p == n).mean())


def report(
    study: Study,
    fit: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, float]],
    decisions: dict[str, list[Verdict]],
) -> None:
    names = list(study.rows)
    c_tune, c_held, u_tune, u_held = names[:4]
    rows = study.rows
    print(
        f"\n### Topic signals (--signals): generic words = key terms in > {GENERIC_SHARE:.0%}"
        " of the chunks; AUC of each alone (answerable C vs unanswerable U, tuning |"
        " held-out), and the share of each part that gets the honest answer when the"
        f" decision's signals and it are refitted on the tuning halves (cut at {BUDGET:.0%}"
        " of C tuning)\n"
    )
    print("| signals | AUC tuning | AUC held-out | " + " | ".join(names) + " |")
    print("|---|---:|---:|" + "---:|" * len(names))

    def shares(cols: list[str]) -> str:
        def x(name: str) -> np.ndarray:
            return np.array([[r[c] for c in cols] for r in rows[name]])

        train = np.vstack([x(c_tune), x(u_tune)])
        y = np.r_[np.ones(len(rows[c_tune])), np.zeros(len(rows[u_tune]))]
        w, b = fit(train, y)

        def p(name: str) -> np.ndarray:
            return np.asarray(1 / (1 + np.exp(-(x(name) @ w + b))))

        cut = np.sort(p(c_tune))[int(BUDGET * len(rows[c_tune]))]
        return " | ".join(f"{(p(n) < cut).mean():.1%}" for n in names)

    print(f"| the decision's signals (refitted) | — | — | {shares(list(SIGNALS))} |")
    for s in NEW_SIGNALS:
        aucs = [
            _auc([r[s] for r in rows[a]], [r[s] for r in rows[u]])
            for a, u in ((c_tune, u_tune), (c_held, u_held))
        ]
        print(f"| + {s} | {aucs[0]:.3f} | {aucs[1]:.3f} | {shares([*SIGNALS, s])} |")
    print(f"| + all of them | — | — | {shares([*SIGNALS, *NEW_SIGNALS])} |")
    rules: dict[str, Callable[[dict[str, float]], bool]] = {
        "rarest key term not in the first three passages": lambda r: r["rarest_held_top3"] == 0,
        "rarest key term not in the first passage": lambda r: r["rarest_held"] == 0,
        "no topic term in the first three passages": lambda r: r["topic_coverage_top3"] == 0,
        "a key term nowhere in the corpus": lambda r: r["missing_in_corpus"] == 1,
        "sparse and dense first places from different documents": lambda r: (
            r["agree_document"] == 0
        ),
    }
    print(
        "\n### Hard rules on top of the shipped decision (share that gets the honest answer:"
        " the decision says so or the rule fires)\n"
    )
    print("| rule | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    print(
        "| the decision alone | "
        + " | ".join(
            f"{statistics.fmean(v is not Verdict.ANSWERED for v in decisions[n]):.1%}"
            for n in names
        )
        + " |"
    )
    for label, rule in rules.items():
        cells = " | ".join(
            f"{statistics.fmean(rule(r) or v is not Verdict.ANSWERED for r, v in zip(rows[n], decisions[n], strict=True)):.1%}"
            for n in names
        )
        print(f"| {label} | {cells} |")
