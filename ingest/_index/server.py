"""The production back end: a Qdrant server or cluster through qdrant-client.

qdrant-client's local mode (`path=` or `:memory:`) runs the same code without a server,
which is how the test suite exercises this back end.
"""

from __future__ import annotations

import warnings
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client import models as qm

from .._errors import IndexConfigError, IndexError_
from .._models import DocType, Hit
from .._sparse import SparseVector
from .base import (
    DENSE,
    FILTERABLE_FIELDS,
    RRF_K,
    SPARSE,
    DocumentState,
    IndexedChunk,
    accumulate_state,
    hit_from_payload,
    summarise,
)

_SCROLL_PAGE = 1024
_UPSERT_BATCH = 256


class QdrantServerIndex:
    """One collection on a Qdrant server (or in qdrant-client's local mode)."""

    def __init__(self, client: QdrantClient, collection: str) -> None:
        self._client = client
        self._collection = collection
        self._ready = False

    def ensure(self, dimension: int) -> None:
        if self._ready:
            return
        try:
            exists = self._client.collection_exists(self._collection)
            if not exists:
                self._client.create_collection(
                    self._collection,
                    vectors_config={
                        DENSE: qm.VectorParams(size=dimension, distance=qm.Distance.COSINE)
                    },
                    sparse_vectors_config={SPARSE: qm.SparseVectorParams(modifier=qm.Modifier.IDF)},
                )
                with warnings.catch_warnings():
                    # qdrant-client's local mode (tests) warns that it ignores these.
                    warnings.simplefilter("ignore", UserWarning)
                    for field in FILTERABLE_FIELDS:
                        self._client.create_payload_index(
                            self._collection, field, qm.PayloadSchemaType.KEYWORD
                        )
            else:
                self._check_layout(dimension)
        except IndexConfigError:
            raise
        except Exception as exc:
            raise IndexError_(
                f"Qdrant のコレクション {self._collection} を準備できませんでした: {exc}"
            ) from exc
        self._ready = True

    def _check_layout(self, dimension: int) -> None:
        params = self._client.get_collection(self._collection).config.params
        vectors = params.vectors
        size = vectors[DENSE].size if isinstance(vectors, dict) and DENSE in vectors else None
        if size != dimension or not params.sparse_vectors or SPARSE not in params.sparse_vectors:
            raise IndexConfigError(
                f"コレクション {self._collection} は別の埋め込みモデル（次元 {size}）で作られています。"
                f"別のコレクション名を指定するか、作り直してください（必要な次元: {dimension}）。"
            )

    def replace_document(self, source: str, chunks: list[IndexedChunk]) -> None:
        points = [
            qm.PointStruct(
                id=c.point_id,
                vector={
                    DENSE: c.dense,
                    SPARSE: qm.SparseVector(indices=c.sparse.indices, values=c.sparse.values),
                },
                payload=c.payload(),
            )
            for c in chunks
        ]
        for i in range(0, len(points), _UPSERT_BATCH):
            self._client.upsert(self._collection, points[i : i + _UPSERT_BATCH], wait=True)
        # New version first, then the old one goes: see EdgeIndex.replace_document.
        self._delete(source, except_hash=chunks[0].doc_hash if chunks else None)

    def delete_document(self, source: str) -> None:
        self._delete(source, except_hash=None)

    def _delete(self, source: str, *, except_hash: str | None) -> None:
        must_not: list[qm.Condition] | None = (
            [qm.FieldCondition(key="doc_hash", match=qm.MatchValue(value=except_hash))]
            if except_hash
            else None
        )
        flt = qm.Filter(
            must=[qm.FieldCondition(key="source", match=qm.MatchValue(value=source))],
            must_not=must_not,
        )
        self._client.delete(self._collection, qm.FilterSelector(filter=flt), wait=True)

    def documents(self) -> dict[str, DocumentState]:
        states: dict[str, dict[str, list[int]]] = {}
        offset: Any = None
        while True:
            records, offset = self._client.scroll(
                self._collection,
                limit=_SCROLL_PAGE,
                offset=offset,
                with_payload=["source", "doc_hash", "doc_chunks"],
            )
            for record in records:
                accumulate_state(states, record.payload or {})
            if offset is None:
                return summarise(states)

    def count(self) -> int:
        return int(self._client.count(self._collection, exact=True).count)

    def search(
        self,
        dense: list[float],
        sparse: SparseVector,
        *,
        k: int,
        mode: str = "hybrid",
        doc_types: list[DocType] | None = None,
    ) -> list[Hit]:
        flt = (
            qm.Filter(
                must=[
                    qm.FieldCondition(
                        key="doc_type", match=qm.MatchAny(any=[str(d) for d in doc_types])
                    )
                ]
            )
            if doc_types
            else None
        )
        sparse_q = qm.SparseVector(indices=sparse.indices, values=sparse.values)
        if mode in ("dense", "sparse"):
            response = self._client.query_points(
                self._collection,
                query=dense if mode == "dense" else sparse_q,
                using=DENSE if mode == "dense" else SPARSE,
                query_filter=flt,
                limit=k,
                with_payload=True,
            )
        else:
            depth = max(4 * k, 40)
            response = self._client.query_points(
                self._collection,
                prefetch=[
                    qm.Prefetch(query=dense, using=DENSE, limit=depth, filter=flt),
                    qm.Prefetch(query=sparse_q, using=SPARSE, limit=depth, filter=flt),
                ],
                query=qm.RrfQuery(rrf=qm.Rrf(k=RRF_K)),
                limit=k,
                with_payload=True,
            )
        return [hit_from_payload(p.payload or {}, p.score) for p in response.points]

    def close(self) -> None:
        self._client.close()
