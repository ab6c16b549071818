"""A learned no-result decision, measured (`bench/retrieval.py --decision`; issue 17,
third attempt).

Per question, every signal the index can give cheaply (`features`): the shipped
decision's signals (`ingest._answerability.SIGNALS`), the topic signals of
bench/_signal_study.py (per-corpus IDF, the rarest key term, sparse/dense agreement,
term alignment through the encoder), and more: the dense and the keyword list's own
first scores and margins (top1 − top2, top1 − top5), the question's length, and whether
its head noun (the last key noun: 登録 in 飼い犬の登録), its first key noun and its main
verb are in the first passage(s). Models (`MODELS`: logistic regression on the shipped
signals, on all signals, and a small gradient-boosted model on all) are fitted on the
tuning halves (answerable C vs unanswerable U). The cut-off is chosen on **grouped
5-fold cross-validation** of the tuning halves (paraphrases of one FAQ stay in one fold):
the probability below which `BUDGET` of the out-of-fold answerable questions fall; the
same cross-validation gives each model's out-of-fold honest shares. The model refitted on
the whole tuning halves is then applied, with that cut-off, to the held-out halves, A
lawqa, and — only with `--final` — the final held-out near-misses
(`city/unanswerable_final.json`), which nothing was chosen on.

Outcome (docs/retrieval.md): none beats the shipped decision on held-out questions except
through the question's length (an artefact of how the sets were written), none catches
any of the final near-misses, so nothing was adopted. `python -m bench._decision_study
ROWS.json [MODEL …]` re-runs the report, with trade-offs and three outcomes for the named
models, from rows saved by `--decision-rows`.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bench._retrieval_sets import DevSet, Query
from bench._signal_study import NEW_SIGNALS, CountingBm25, question_signals
from ingest import AnswerabilityModel, KnowledgeBase
from ingest._answerability import SIGNALS, _held, _key_terms
from ingest._sparse import Term

# Share of answerable questions allowed to get the honest answer (the target is 3 %; the
# cut-off is chosen at 2 % out-of-fold, leaving a margin for the held-out half).
BUDGET = 0.02
FOLDS = 5
# Verbs that frame a question (できる, する, ある, 教える …) rather than say what it is about.
_LIGHT_VERBS = frozenset(
    {
        "為る",
        "出来る",
        "有る",
        "居る",
        "成る",
        "行く",
        "来る",
        "言う",
        "教える",
        "知る",
        "分かる",
        "貰う",
        "呉れる",
        "遣る",
    }
)

EXTRA_SIGNALS = (
    "dense_top",
    "dense_gap2",
    "dense_gap5",
    "sparse_gap2",
    "sparse_ratio5",
    "dense_sparse_overlap",
    "query_chars",
    "key_terms",
    "head_noun_top1",
    "head_noun_top3",
    "first_noun_top1",
    "verb_top1",
    "has_verb",
)
ALL_SIGNALS = (*SIGNALS, *NEW_SIGNALS, *EXTRA_SIGNALS)


def _main_verb(terms: Sequence[Term]) -> Term | None:
    verbs = [t for t in terms if t.pos[0] == "動詞" and t.text not in _LIGHT_VERBS]
    return verbs[-1] if verbs else None


def features(
    kb: KnowledgeBase, analyser: CountingBm25, text: str, cache: dict[str, Any]
) -> dict[str, float]:
    out = question_signals(kb, analyser.df, analyser.chunks, text, cache)
    terms = kb.sparse.analyse(text)
    dense_vec = kb.embedder.embed_query(text).tolist()
    sparse_vec = kb.sparse.query_vector(terms)
    dense = kb.index.search(dense_vec, sparse_vec, k=10, mode="dense")
    sparse = kb.index.search(dense_vec, sparse_vec, k=10, mode="sparse")
    hybrid = kb._search(text, 10, "hybrid", None, None)[1][:10]
    ds = [h.relevance if h.relevance is not None else h.score for h in dense] or [0.0]
    ss = [h.score for h in sparse] or [0.0]

    def at(xs: list[float], i: int) -> float:
        return xs[i] if len(xs) > i else 0.0

    out["dense_top"] = ds[0]
    out["dense_gap2"] = ds[0] - at(ds, 1)
    out["dense_gap5"] = ds[0] - at(ds, 4)
    out["sparse_gap2"] = ss[0] - at(ss, 1)
    out["sparse_ratio5"] = at(ss, 4) / ss[0] if ss[0] > 0 else 1.0
    first5 = {(h.source, h.locator) for h in dense[:5]}
    out["dense_sparse_overlap"] = len(first5 & {(h.source, h.locator) for h in sparse[:5]}) / 5
    out["query_chars"] = float(len(text))
    keys = _key_terms(terms)
    out["key_terms"] = float(len(keys))
    ids = [h.term_ids or frozenset() for h in hybrid]
    nouns = [t for t in keys if t.noun]
    head = nouns[-1] if nouns else None
    first = nouns[0] if nouns else None
    out["head_noun_top1"] = _held(head, ids[0]) if head and ids else 0.0
    out["head_noun_top3"] = max((_held(head, i) for i in ids[:3]), default=0.0) if head else 0.0
    out["first_noun_top1"] = _held(first, ids[0]) if first and ids else 0.0
    verb = _main_verb(terms)
    out["has_verb"] = float(verb is not None)
    out["verb_top1"] = _held(verb, ids[0]) if verb and ids else 0.0
    return out


@dataclass
class Rows:
    """Per dev-set part: each question's id and features."""

    parts: dict[str, list[tuple[str, dict[str, float]]]] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.parts, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Rows:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls({k: [(i, r) for i, r in v] for k, v in raw.items()})


def collect(kb: KnowledgeBase, analyser: CountingBm25, named_parts: dict[str, DevSet]) -> Rows:
    cache: dict[str, Any] = {}
    rows = Rows()
    for name, dev in named_parts.items():
        rows.parts[name] = [(q.id, features(kb, analyser, q.text, cache)) for q in dev.queries]
    return rows


def final_set(path: Path) -> DevSet:
    texts = json.loads(path.read_text(encoding="utf-8"))["questions"]
    return DevSet(
        "U final near-misses (untouched)",
        [Query(f"final{i}", t, {}, True) for i, t in enumerate(texts)],
        "kb",
        answerable=False,
    )


# ---------------------------------------------------------------- models

Model = Callable[[np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]]


def _logistic(c: float) -> Model:
    def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000))
        model.fit(x, y)
        return lambda z: model.predict_proba(z)[:, 1]

    return fit


def _boosted(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_depth=3, max_iter=150, learning_rate=0.05, min_samples_leaf=10, random_state=0
    )
    model.fit(x, y)
    return lambda z: model.predict_proba(z)[:, 1]


# Signals that embed more text per question (each key term, the first headings): more
# than the decision's latency budget allows at run time.
_EMBEDDING_SIGNALS = ("term_alignment", "question_vs_heading")

MODELS: dict[str, tuple[Sequence[str], Model]] = {
    "logistic, shipped signals": (SIGNALS, _logistic(1.0)),
    "logistic, + extra signals (this study)": ((*SIGNALS, *EXTRA_SIGNALS), _logistic(1.0)),
    "logistic, all signals": (ALL_SIGNALS, _logistic(1.0)),
    "logistic, all signals, strong L2 (C=0.1)": (ALL_SIGNALS, _logistic(0.1)),
    "gradient-boosted trees, shipped signals": (SIGNALS, _boosted),
    "gradient-boosted trees, all signals": (ALL_SIGNALS, _boosted),
    # The question's length separates this study's sets (the unanswerable questions are
    # shorter) but says nothing about whether the corpus answers a question.
    "gradient-boosted trees, all signals but the question's length": (
        tuple(s for s in ALL_SIGNALS if s != "query_chars"),
        _boosted,
    ),
    "gradient-boosted trees, without length, term alignment, question vs heading": (
        tuple(s for s in ALL_SIGNALS if s not in ("query_chars", *_EMBEDDING_SIGNALS)),
        _boosted,
    ),
}


def _group(qid: str) -> str:
    return qid.split("#")[0]


def _matrix(rows: list[tuple[str, dict[str, float]]], names: Sequence[str]) -> np.ndarray:
    return np.array([[r[n] for n in names] for _, r in rows], dtype=float)


@dataclass
class Outcome:
    cut: float
    oof_answerable: float  # out-of-fold share of tuning answerable below the cut
    oof_unanswerable: float
    shares: dict[str, float]  # part → share below the cut (refitted model)


def evaluate(rows: Rows, names: Sequence[str], fit: Model, budget: float = BUDGET) -> Outcome:
    from sklearn.model_selection import GroupKFold

    keys = list(rows.parts)
    c_tune, u_tune = keys[0], keys[2]
    ans, una = rows.parts[c_tune], rows.parts[u_tune]
    x = np.vstack([_matrix(ans, names), _matrix(una, names)])
    y = np.r_[np.ones(len(ans)), np.zeros(len(una))]
    groups = [_group(i) for i, _ in ans] + [i for i, _ in una]
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        oof[test] = fit(x[train], y[train])(x[test])
    cut = float(np.sort(oof[y == 1])[int(budget * int(y.sum()))])
    predict = fit(x, y)
    shares = {k: float((predict(_matrix(v, names)) < cut).mean()) for k, v in rows.parts.items()}
    return Outcome(
        cut, float((oof[y == 1] < cut).mean()), float((oof[y == 0] < cut).mean()), shares
    )


def report(rows: Rows) -> dict[str, Outcome]:
    keys = list(rows.parts)
    print(
        "\n### A learned decision (--decision): share of each part below the cut-off (the"
        f" honest answer); cut-off at {BUDGET:.0%} of the tuning answerable questions,"
        f" out-of-fold ({FOLDS}-fold grouped CV on the tuning halves)\n"
    )
    print("| model | signals | CV: C tune | CV: U tune | " + " | ".join(keys) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(keys))
    shipped = AnswerabilityModel()
    cells = " | ".join(
        f"{statistics.fmean(shipped.probability(r) < shipped.answer_at for _, r in rows.parts[k]):.1%}"
        for k in keys
    )
    print(f"| the shipped decision, as is (no refit) | {len(SIGNALS)} | — | — | {cells} |")
    outcomes: dict[str, Outcome] = {}
    for label, (names, fit) in MODELS.items():
        o = evaluate(rows, names, fit)
        outcomes[label] = o
        cells = " | ".join(f"{o.shares[k]:.1%}" for k in keys)
        print(
            f"| {label} | {len(names)} | {o.oof_answerable:.1%} | {o.oof_unanswerable:.1%} |"
            f" {cells} |"
        )
    print("\nAUC of each extra signal alone (C vs U, tuning | held-out):\n")
    for s in EXTRA_SIGNALS:
        aucs = []
        for a, u in ((keys[0], keys[2]), (keys[1], keys[3])):
            pos = np.array([r[s] for _, r in rows.parts[a]])[:, None]
            neg = np.array([r[s] for _, r in rows.parts[u]])[None, :]
            aucs.append(float((pos > neg).mean() + 0.5 * (pos == neg).mean()))
        print(f"- {s}: {aucs[0]:.3f} | {aucs[1]:.3f}")
    return outcomes


TRADE_OFF = (0.01, 0.02, 0.03, 0.05, 0.10, 0.20)
# The three outcomes: below the answer cut-off the closest passages under the may-not-
# answer heading; below this share of the answerable questions, nothing found.
NONE_BUDGET = 0.005


def report_detail(rows: Rows, label: str) -> None:
    """One model's trade-off of the cut-off, and its three outcomes."""
    names, fit = MODELS[label]
    keys = list(rows.parts)
    print(f"\n#### {label}: trade-off (cut-off chosen out-of-fold on C tune)\n")
    print("| budget | " + " | ".join(keys) + " |")
    print("|---:|" + "---:|" * len(keys))
    for budget in TRADE_OFF:
        o = evaluate(rows, names, fit, budget)
        print(f"| {budget:.0%} | " + " | ".join(f"{o.shares[k]:.1%}" for k in keys) + " |")
    answer = evaluate(rows, names, fit, BUDGET)
    none = evaluate(rows, names, fit, NONE_BUDGET)
    print(
        f"\n#### {label}: three outcomes (answered ≥ {answer.cut:.3f} > closest ≥"
        f" {min(none.cut, answer.cut):.3f} > none)\n"
    )
    print("| part | answered | closest (hedge) | none | honest (closest + none) |")
    print("|---|---:|---:|---:|---:|")
    for k in keys:
        below_answer, below_none = answer.shares[k], min(none.shares[k], answer.shares[k])
        print(
            f"| {k} | {1 - below_answer:.1%} | {below_answer - below_none:.1%} |"
            f" {below_none:.1%} | **{below_answer:.1%}** |"
        )


if __name__ == "__main__":  # re-run the report from saved rows (--decision-rows)
    import sys

    saved = Rows.load(Path(sys.argv[1]))
    report(saved)
    for chosen in sys.argv[2:]:
        report_detail(saved, chosen)
