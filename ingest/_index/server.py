"""The production back end: a Qdrant server or cluster through qdrant-client.

qdrant-client's local mode (`path=` or `:memory:`) runs the same code without a server,
which is how the test suite exercises this back end.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client import models as qm

from .._errors import IndexConfigError, IndexError_
from .._models import DocType, Hit
from .._sparse import SparseVector
from .base import (
    DEFAULT_FUSION,
    DENSE,
    FILTERABLE_FIELDS,
    SPARSE,
    DocumentState,
    Fusion,
    IndexedChunk,
    IndexSignature,
    accumulate_state,
    filter_conditions,
    hits_from_points,
    summarise,
)

_SCROLL_PAGE = 1024
_UPSERT_BATCH = 256
# Collection metadata key under which the signature (which models built it) is stored.
SIGNATURE_KEY = "yakuba_index"

logger = logging.getLogger(__name__)


class QdrantServerIndex:
    """One collection on a Qdrant server (or in qdrant-client's local mode)."""

    def __init__(
        self, client: QdrantClient, collection: str, *, fusion: Fusion = DEFAULT_FUSION
    ) -> None:
        self._client = client
        self._collection = collection
        self.fusion = fusion
        self._ready = False

    def ensure(self, dimension: int, *, signature: IndexSignature | None = None) -> None:
        try:
            if not self._ready:
                if self._client.collection_exists(self._collection):
                    if signature is not None:
                        self._check_signature(signature)
                    self._check_layout(dimension)
                else:
                    self._create(dimension, signature)
                # Also on existing collections: one made before a field became filterable
                # gets its index (creating an existing index is a no-op on the server).
                with warnings.catch_warnings():
                    # qdrant-client's local mode (tests) warns that it ignores these.
                    warnings.simplefilter("ignore", UserWarning)
                    for field in FILTERABLE_FIELDS:
                        self._client.create_payload_index(
                            self._collection, field, qm.PayloadSchemaType.KEYWORD
                        )
                self._ready = True
            if signature is not None:
                self._check_signature(signature)
        except IndexConfigError:
            raise
        except Exception as exc:
            raise IndexError_(
                f"Qdrant のコレクション {self._collection} を準備できませんでした: {exc}"
            ) from exc

    def _create(self, dimension: int, signature: IndexSignature | None) -> None:
        kwargs: dict[str, Any] = {
            "vectors_config": {
                DENSE: qm.VectorParams(
                    size=dimension,
                    distance=qm.Distance.COSINE,
                    # Several vectors per chunk (itself, its lead sentences); best one counts.
                    multivector_config=qm.MultiVectorConfig(
                        comparator=qm.MultiVectorComparator.MAX_SIM
                    ),
                )
            },
            "sparse_vectors_config": {SPARSE: qm.SparseVectorParams(modifier=qm.Modifier.IDF)},
        }
        if signature is not None:
            kwargs["metadata"] = {SIGNATURE_KEY: signature.as_dict()}
        try:
            self._client.create_collection(self._collection, **kwargs)
        except Exception:
            if "metadata" not in kwargs or self._client.collection_exists(self._collection):
                raise
            # Qdrant servers before 1.16 know no collection metadata.
            logger.warning(
                "Qdrant がコレクションのメタデータに対応していないため、"
                "埋め込みモデルの記録なしで作成します（%s）",
                self._collection,
            )
            del kwargs["metadata"]
            self._client.create_collection(self._collection, **kwargs)

    def stored_signature(self) -> IndexSignature | None:
        try:
            if not self._client.collection_exists(self._collection):
                return None
            config = self._client.get_collection(self._collection).config
        except Exception as exc:
            raise IndexError_(
                f"Qdrant のコレクション {self._collection} を確認できませんでした: {exc}"
            ) from exc
        metadata = getattr(config, "metadata", None)
        raw = metadata.get(SIGNATURE_KEY) if isinstance(metadata, dict) else None
        return IndexSignature.from_dict(raw) if isinstance(raw, dict) else None

    def _check_signature(self, signature: IndexSignature) -> None:
        """Refuse a collection built by another model; stamp an unstamped empty one."""
        stored = self.stored_signature()
        if stored is not None:
            signature.check(stored, f"コレクション {self._collection}")
        elif self.count() == 0:
            # Collections from before signatures were recorded are stamped only while
            # empty: what built their vectors is unknown otherwise.
            self._client.update_collection(
                self._collection, metadata={SIGNATURE_KEY: signature.as_dict()}
            )

    def _check_layout(self, dimension: int) -> None:
        params = self._client.get_collection(self._collection).config.params
        vectors = params.vectors
        dense = vectors.get(DENSE) if isinstance(vectors, dict) else None
        size = dense.size if dense is not None else None
        if size != dimension or not params.sparse_vectors or SPARSE not in params.sparse_vectors:
            raise IndexConfigError(
                f"コレクション {self._collection} は別の埋め込みモデル（次元 {size}）で作られています。"
                f"別のコレクション名を指定するか、作り直してください（必要な次元: {dimension}）。"
            )
        if dense is not None and dense.multivector_config is None:
            raise IndexConfigError(
                f"コレクション {self._collection} は以前の形式（1 箇所 1 ベクトル）で作られています。"
                "別のコレクション名を指定するか、作り直してください。"
            )

    def replace_document(self, source: str, chunks: list[IndexedChunk]) -> None:
        points = [
            qm.PointStruct(
                id=c.point_id,
                vector={
                    DENSE: c.dense_vectors,
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

    def optimize(self) -> None:
        """Nothing to do: the Qdrant server runs its optimizers in the background."""

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
        departments: list[str] | None = None,
        fusion: Fusion | None = None,
    ) -> list[Hit]:
        conditions = filter_conditions(doc_types, departments)
        flt = (
            qm.Filter(
                must=[
                    qm.FieldCondition(key=key, match=qm.MatchAny(any=values))
                    for key, values in conditions
                ]
            )
            if conditions
            else None
        )
        sparse_q = qm.SparseVector(indices=sparse.indices, values=sparse.values)
        dense_q = [dense]  # one query vector against the chunks' multivectors
        if mode in ("dense", "sparse"):
            response = self._client.query_points(
                self._collection,
                query=dense_q if mode == "dense" else sparse_q,
                using=DENSE if mode == "dense" else SPARSE,
                query_filter=flt,
                limit=k,
                with_payload=True,
                with_vectors=[DENSE, SPARSE],
            )
        else:
            fuse = fusion or self.fusion
            depth = fuse.prefetch_limit(k)
            method: qm.FusionQuery | qm.RrfQuery = (
                qm.FusionQuery(fusion=qm.Fusion.DBSF)
                if fuse.method == "dbsf"
                else qm.RrfQuery(rrf=qm.Rrf(k=fuse.k, weights=fuse.weights))
            )
            response = self._client.query_points(
                self._collection,
                prefetch=[
                    qm.Prefetch(query=dense_q, using=DENSE, limit=depth, filter=flt),
                    qm.Prefetch(query=sparse_q, using=SPARSE, limit=depth, filter=flt),
                ],
                query=method,
                limit=k,
                with_payload=True,
                with_vectors=[DENSE, SPARSE],
            )
        return hits_from_points(dense, response.points)

    def close(self) -> None:
        self._client.close()
