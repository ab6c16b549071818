"""The same behaviour from both index back ends: embedded Qdrant (qdrant-edge) and
qdrant-client (local mode standing in for a Qdrant server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from qdrant_client import QdrantClient

from ingest import (
    Chunk,
    DocType,
    EdgeIndex,
    IndexConfigError,
    QdrantServerIndex,
    SudachiBm25,
    VectorIndex,
)
from ingest._index import edge
from ingest._index.base import FILTERABLE_FIELDS, IndexedChunk

DIM = 8


def _vec(seed: int) -> list[float]:
    v = np.random.default_rng(seed).normal(size=DIM)
    return (v / np.linalg.norm(v)).tolist()


@pytest.fixture(params=["edge", "qdrant-client"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorIndex]:
    idx: VectorIndex
    if request.param == "edge":
        idx = EdgeIndex(tmp_path / "edge")
    else:
        idx = QdrantServerIndex(QdrantClient(path=str(tmp_path / "local")), "test")
    idx.ensure(DIM)
    yield idx
    idx.close()


SPARSE = SudachiBm25()


def _doc(
    source: str,
    texts: list[str],
    doc_hash: str,
    doc_type: DocType = DocType.LAW,
    department: str = "",
) -> list[IndexedChunk]:
    return [
        IndexedChunk(
            chunk=Chunk(
                source=source,
                title="テスト法",
                locator=f"第{i + 1}条",
                text=t,
                doc_type=doc_type,
                ordinal=i,
                department=department,
            ),
            dense=_vec(hash(t) % 10_000),
            sparse=SPARSE.embed_document(t),
            doc_hash=doc_hash,
            doc_chunks=len(texts),
        )
        for i, t in enumerate(texts)
    ]


def test_replace_is_idempotent_and_versions_do_not_mix(index: VectorIndex) -> None:
    index.replace_document(
        "a.txt", _doc("a.txt", ["審査基準を定める。", "標準処理期間を定める。"], "h1")
    )
    index.replace_document(
        "a.txt", _doc("a.txt", ["審査基準を定める。", "標準処理期間を定める。"], "h1")
    )
    assert index.count() == 2
    index.replace_document("a.txt", _doc("a.txt", ["聴聞を行う。"], "h2"))
    assert index.count() == 1
    state = index.documents()["a.txt"]
    assert (state.doc_hash, state.complete) == ("h2", True)


def test_interrupted_replace_is_reported_incomplete(index: VectorIndex) -> None:
    full = _doc("a.txt", ["一の文。", "二の文。", "三の文。"], "h1")
    # Simulate a crash: only part of a document's points were written.
    index.replace_document("a.txt", full[:1])
    state = index.documents()["a.txt"]
    assert not state.complete


def test_delete_document(index: VectorIndex) -> None:
    index.replace_document("a.txt", _doc("a.txt", ["審査基準"], "h1"))
    index.replace_document("b.txt", _doc("b.txt", ["情報公開"], "h2"))
    index.delete_document("a.txt")
    assert set(index.documents()) == {"b.txt"}


@pytest.mark.parametrize("mode", ["hybrid", "sparse"])
def test_search_finds_the_keyword_document(index: VectorIndex, mode: str) -> None:
    index.replace_document(
        "a.txt", _doc("a.txt", ["行政庁は審査基準を公にしておかなければならない。"], "h1")
    )
    index.replace_document("b.txt", _doc("b.txt", ["一般廃棄物の処理計画を定める。"], "h2"))
    index.replace_document("c.txt", _doc("c.txt", ["住民票の写しの交付を請求する。"], "h3"))
    hits = index.search(_vec(1), SPARSE.embed_query("審査基準の公表"), k=3, mode=mode)
    assert hits[0].source == "a.txt"
    assert hits[0].locator == "第1条"
    assert hits[0].title == "テスト法"


@pytest.mark.parametrize("mode", ["hybrid", "dense", "sparse"])
def test_hits_carry_the_cosine_relevance_of_their_closest_vector(
    index: VectorIndex, mode: str
) -> None:
    doc = _doc("a.txt", ["審査基準を定める。", "標準処理期間を定める。"], "h1")
    index.replace_document("a.txt", doc)
    query = doc[1].dense_vectors[0]
    hits = index.search(query, SPARSE.embed_query("標準処理期間"), k=2, mode=mode)
    by_locator = {h.locator: h.relevance for h in hits}
    # The embedded index stores float16 vectors: cosines within ~1e-3.
    assert by_locator["第2条"] == pytest.approx(1.0, abs=2e-3)
    other = sum(a * b for a, b in zip(query, doc[0].dense_vectors[0], strict=True))
    assert by_locator.get("第1条", other) == pytest.approx(other, abs=2e-3)


def test_search_dense_and_doc_type_filter(index: VectorIndex) -> None:
    law = _doc("law.txt", ["条文の本文"], "h1", DocType.LAW)
    faq = _doc("faq.csv", ["よくある質問"], "h2", DocType.FAQ)
    index.replace_document("law.txt", law)
    index.replace_document("faq.csv", faq)
    hits = index.search(faq[0].dense, SPARSE.embed_query("質問"), k=5, mode="dense")
    assert hits[0].source == "faq.csv"
    only_law = index.search(faq[0].dense, SPARSE.embed_query("質問"), k=5, doc_types=[DocType.LAW])
    assert [h.source for h in only_law] == ["law.txt"]


def test_department_filter_combines_with_doc_type(index: VectorIndex) -> None:
    index.replace_document("a.pdf", _doc("a.pdf", ["窓口の手引き"], "h1", DocType.MANUAL, "市民課"))
    index.replace_document("b.pdf", _doc("b.pdf", ["窓口の手引き"], "h2", DocType.MANUAL, "税務課"))
    index.replace_document("c.csv", _doc("c.csv", ["窓口の質問"], "h3", DocType.FAQ, "市民課"))
    query = (_vec(3), SPARSE.embed_query("窓口の手引き"))
    shimin = index.search(*query, k=5, departments=["市民課"])
    assert {h.source for h in shimin} == {"a.pdf", "c.csv"}
    assert {h.department for h in shimin} == {"市民課"}
    both = index.search(*query, k=5, departments=["市民課"], doc_types=[DocType.MANUAL])
    assert [h.source for h in both] == ["a.pdf"]
    either = index.search(*query, k=5, departments=["市民課", "税務課"], mode="sparse")
    assert {h.source for h in either} == {"a.pdf", "b.pdf", "c.csv"}
    assert index.search(*query, k=5, departments=["福祉課"]) == []


def test_edge_shard_indexes_the_fields_replace_and_filters_select(tmp_path: Path) -> None:
    # Without keyword indexes every replace scans the shard: quadratic over a 例規集.
    idx = EdgeIndex(tmp_path / "edge")
    idx.ensure(DIM)
    assert set(FILTERABLE_FIELDS) <= set(idx._s.info().payload_schema)
    idx.close()


def test_reopen_with_other_dimension_is_refused(tmp_path: Path) -> None:
    client = QdrantClient(path=str(tmp_path / "local"))
    QdrantServerIndex(client, "c").ensure(DIM)
    with pytest.raises(IndexConfigError):
        QdrantServerIndex(client, "c").ensure(DIM * 2)
    client.close()


def test_edge_index_persists_across_reopen(tmp_path: Path) -> None:
    first = EdgeIndex(tmp_path / "edge")
    first.ensure(DIM)
    first.replace_document("a.txt", _doc("a.txt", ["審査基準"], "h1"))
    first.close()
    again = EdgeIndex(tmp_path / "edge")
    again.ensure(DIM)
    assert again.documents()["a.txt"].doc_hash == "h1"
    again.close()


@pytest.mark.parametrize(("first", "then"), [("float32", "float16"), ("float16", "float32")])
def test_a_shard_keeps_its_vector_storage_when_reopened(
    tmp_path: Path, first: Literal["float16", "float32"], then: Literal["float16", "float32"]
) -> None:
    # Shards made before float16 storage (float32) must open with today's default.
    made = EdgeIndex(tmp_path / "edge", vector_storage=first)
    made.ensure(DIM)
    made.replace_document("a.txt", _doc("a.txt", ["審査基準を定める。"], "h1"))
    made.close()
    again = EdgeIndex(tmp_path / "edge", vector_storage=then)
    again.ensure(DIM)
    again.replace_document("b.txt", _doc("b.txt", ["情報公開の手続"], "h2"))
    hits = again.search(_vec(1), SPARSE.embed_query("審査基準"), k=2, mode="sparse")
    assert hits[0].source == "a.txt" and again.count() == 2
    again.close()


def test_a_full_segment_is_indexed_while_writing_and_stays_searchable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tiny thresholds: 1 KB of float16 8-d vectors is 64 vectors, so the writes below fill
    # several segments, each indexed (and the shard reopened) as soon as it is full.
    monkeypatch.setattr(edge, "INDEXING_THRESHOLD_KB", 1)
    monkeypatch.setattr(edge, "MAX_SEGMENT_KB", 1)
    index = EdgeIndex(tmp_path / "edge")
    index.ensure(DIM)
    words = ["審査基準", "聴聞", "弁明", "届出", "開示", "処分"]
    for d, word in enumerate(words):
        texts = [f"{word}について第{i}項に定める。" for i in range(50)]
        index.replace_document(f"{d}.txt", _doc(f"{d}.txt", texts, f"h{d}"))
    assert index._s.info().indexed_vectors_count > 0
    index.optimize()
    assert index.count() == 300
    hits = index.search(_vec(1), SPARSE.embed_query("聴聞"), k=5, mode="sparse")
    assert [h.source for h in hits] == ["1.txt"] * 5
    assert len(index.search(_vec(1), SPARSE.embed_query("聴聞"), k=5, mode="hybrid")) == 5
    index.close()
