"""The retrieval dev sets and the corpus they search (bench/retrieval_data/, see its README).

- **A lawqa** — デジタル庁's lawqa_jp questions against the articles they quote.
- **B faq** — the first 93 citizen paraphrases of the 84-pair FAQ (kept for comparison
  with earlier runs).
- **C city** — 303 citizen-style questions (B's 93 and 210 more: colloquial, kana, typos,
  no official terms) against a city's FAQ (146 pairs), a ごみ guide and 焼津市's facility
  lists, with graded relevance: 2 = answers the question, 1 = helps.
- **B-ans** — the FAQ questions against the answers alone.
- **U unanswerable** — 102 citizen questions nothing in the corpus answers (other
  authorities' business, services the corpus does not describe, near-misses sharing words
  with an FAQ) and 40 off-topic requests.

C and U are split into a tuning part and a held-out part (30 %, by a hash of the FAQ id or
the question, so paraphrases of one FAQ stay together); nothing is tuned on the held-out
part.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import statistics
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "retrieval_data"
CITY = DATA / "city"
K = 10
FAQ_TITLE = "よくある質問"  # the CSV's file name, which the FAQ loader takes as its title
ANSWERS_TITLE = "回答集"
MANUAL_TITLE = "ごみの分け方・出し方ガイド"
ANY = "*"  # a gold locator that accepts every chunk of the title (facility tables)
HELD_OUT_SHARE = 0.3

Key = tuple[str, str]  # (title, locator) of a relevant passage


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    gold: dict[Key, int]  # relevant passage → grade (2 answers, 1 helps)
    held_out: bool = False


@dataclass
class DevSet:
    name: str
    queries: list[Query]
    index: str  # which corpus ("kb" or "answers") it searches
    answerable: bool = True

    def part(self, held_out: bool) -> DevSet:
        tag = "held-out" if held_out else "tune"
        return DevSet(
            f"{self.name} [{tag}]",
            [q for q in self.queries if q.held_out == held_out],
            self.index,
            self.answerable,
        )


@dataclass
class Scores:
    ndcg: float
    recall: float
    mrr: float


def held_out(group: str) -> bool:
    return zlib.crc32(group.encode("utf-8")) % 100 < HELD_OUT_SHARE * 100


def faq_locator(faq_id: str) -> str:
    return f"FAQ {faq_id}"  # the FAQ loader's locator for a sheet with an ID column


def _answer_locator(n: int) -> str:
    return f"A{n:03d}"


def _gold_key(ref: str) -> Key:
    """A gold reference of city/faq_more.json: ``FAQ <id>``, a facility list's title, or
    a section of the ごみ guide."""
    if ref.startswith("FAQ "):
        return (FAQ_TITLE, ref)
    if ref.startswith("焼津市_"):
        return (ref, ANY)
    return (MANUAL_TITLE, ref)


@dataclass
class Raw:
    articles: list[dict[str, str]]
    faqs: list[dict[str, str]]  # every FAQ pair of the city (84 + 62)


def load() -> tuple[list[DevSet], DevSet, Raw]:
    """The answerable dev sets, the unanswerable set, and the corpus's raw texts."""
    lawqa = json.loads((DATA / "lawqa.json").read_text(encoding="utf-8"))
    faq = json.loads((DATA / "faq.json").read_text(encoding="utf-8"))["faqs"]
    more = json.loads((CITY / "faq_more.json").read_text(encoding="utf-8"))
    a = DevSet(
        "A lawqa",
        [
            Query(q["id"], q["question"], dict.fromkeys((tuple(g) for g in q["gold"]), 1))
            for q in lawqa["questions"]
        ],
        "kb",
    )
    b_queries = [
        Query(
            f"{f['id']}#{i}",
            text,
            {(FAQ_TITLE, faq_locator(f["id"])): 2},
            held_out=held_out(f["id"]),
        )
        for f in faq
        for i, text in enumerate(f["queries"])
    ]
    b = DevSet("B faq", b_queries, "kb")
    city = list(b_queries)
    for f in more["faqs"]:
        for i, text in enumerate(f["queries"]):
            gold = {(FAQ_TITLE, faq_locator(f["id"])): 2}
            for other in f.get("also", []):
                gold[(FAQ_TITLE, faq_locator(other))] = 1
            city.append(Query(f"{f['id']}#{i}", text, gold, held_out(f["id"])))
    for faq_id, texts in more["extra_queries"].items():
        for i, text in enumerate(texts):
            gold = {(FAQ_TITLE, faq_locator(faq_id)): 2}
            city.append(Query(f"{faq_id}#x{i}", text, gold, held_out(faq_id)))
    for kind in ("facility_queries", "manual_queries"):
        for i, q in enumerate(more[kind]):
            gold = {_gold_key(ref): int(grade) for ref, grade in q["gold"].items()}
            city.append(Query(f"{kind}#{i}", q["text"], gold, held_out(q["text"])))
    c = DevSet("C city", city, "kb")
    b_ans = DevSet(
        "B-ans faq→answer",
        [
            Query(f["id"], f["question"], {(ANSWERS_TITLE, _answer_locator(n)): 1})
            for n, f in enumerate(faq, start=1)
        ],
        "answers",
    )
    unanswerable = json.loads((CITY / "unanswerable.json").read_text(encoding="utf-8"))
    offtopic = json.loads((DATA / "offtopic.json").read_text(encoding="utf-8"))
    u = DevSet(
        "U unanswerable",
        [
            Query(f"{kind}{i}", text, {}, held_out(text))
            for kind, texts in (("near", unanswerable["questions"]), ("off", offtopic["questions"]))
            for i, text in enumerate(texts)
        ],
        "kb",
        answerable=False,
    )
    return [a, b, c, b_ans], u, Raw(lawqa["articles"], [*faq, *more["faqs"]])


def write_corpora(tmp: Path, raw: Raw, laws: list[Path]) -> dict[str, list[Path]]:
    """Files the real loaders chunk as wanted: Markdown with one chunk per article (A) or
    answer (B-ans), the city's FAQ as a CSV sheet, the ごみ guide as Markdown and the
    facility lists as the CSV files 焼津市 publishes."""
    lawqa_dir, faq_dir, ans_dir = tmp / "lawqa", tmp / "faq", tmp / "faq_answers"
    for d in (lawqa_dir, faq_dir, ans_dir):
        d.mkdir()
    by_law: dict[str, list[dict[str, str]]] = {}
    for art in raw.articles:
        by_law.setdefault(art["law"], []).append(art)
    for i, (law, arts) in enumerate(by_law.items()):
        body = "".join(f"## {a['article']}\n\n{a['text']}\n\n" for a in arts)
        (lawqa_dir / f"law{i:02d}.md").write_text(f"# {law}\n\n{body}", encoding="utf-8")
    # The FAQ as a municipality exports it: a sheet with ID, category, question and answer
    # columns, read by the real FAQ loader (one Q/A pair per chunk).
    with (faq_dir / f"{FAQ_TITLE}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["No", "カテゴリ", "質問", "回答"])
        for f in raw.faqs:
            writer.writerow([f["id"], f["category"], f["question"], f["answer"]])
    shutil.copy(CITY / f"{MANUAL_TITLE}.md", faq_dir)
    shutil.copytree(CITY / "yaizu", faq_dir / "yaizu")
    first_faqs = raw.faqs[:84]  # B-ans: the original FAQ's answers
    answers = "".join(
        f"## {_answer_locator(n)}\n\n{f['answer']}\n\n" for n, f in enumerate(first_faqs, 1)
    )
    (ans_dir / "answers.md").write_text(f"# {ANSWERS_TITLE}\n\n{answers}", encoding="utf-8")
    return {"kb": [*laws, lawqa_dir, faq_dir], "answers": [*laws, ans_dir]}


# ---------------------------------------------------------------- metrics


def _matches(title: str, locator: str, gold: dict[Key, int]) -> Key | None:
    if (title, locator) in gold:
        return (title, locator)
    if (title, ANY) in gold:
        return (title, ANY)
    return None


def score(hits: Iterable[tuple[str, str]], gold: dict[Key, int]) -> Scores:
    """nDCG@10 with graded gains, Recall@10 of the relevant passages, and MRR of the
    first relevant one; a relevant passage counts once (a second chunk of a credited
    article or facility list is irrelevant)."""
    credited: set[Key] = set()
    gains: list[float] = []
    for title, locator in list(hits)[:K]:
        key = _matches(title, locator, gold)
        hit = key is not None and key not in credited
        if key is not None:
            credited.add(key)
        gains.append(float(gold[key]) if hit and key is not None else 0.0)
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal_gains = sorted(gold.values(), reverse=True)[:K]
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(ideal_gains))
    first = next((i for i, g in enumerate(gains) if g), None)
    return Scores(
        ndcg=dcg / ideal if ideal else 0.0,
        recall=len(credited) / len(gold) if gold else 0.0,
        mrr=1 / (first + 1) if first is not None else 0.0,
    )


def mean_scores(items: Iterable[Scores]) -> Scores:
    xs = list(items)
    return Scores(
        statistics.fmean(s.ndcg for s in xs),
        statistics.fmean(s.recall for s in xs),
        statistics.fmean(s.mrr for s in xs),
    )
