"""The embedded back end: the Qdrant engine in-process (qdrant-edge), one shard on disk."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import qdrant_edge as qe

from .._errors import IndexBusyError, IndexConfigError, IndexError_
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
# Vectors (KB) a segment holds before it gets an HNSW graph. Below it a query scans every
# vector, which costs ~1 ms per 1,000 vectors on this 2-core machine: a municipality's
# 例規集 and manuals (a few thousand chunks, 2–3 vectors each) stay exact and need no
# indexing time; past ~5,000 chunks the graph keeps queries near 15 ms.
INDEXING_THRESHOLD_KB = 20_000
# Segments of ~100 MB of vectors (float16: ~33k chunks of three 512-d vectors) each get
# their own, smaller HNSW graph, built as soon as the segment is full (replace_document).
# That bounds ingest's memory: at 100k chunks the process peaked at 1,283 MiB RSS instead
# of 2,529 MiB with all chunks in one segment; query p50 13.8 vs 13.1 ms (3 segments vs 1).
MAX_SEGMENT_KB = 100_000
_UPSERT_BATCH = 256
# Which models built the shard, next to the shard's own files (qdrant-edge ignores it).
SIGNATURE_FILE = "yakuba-index.json"


_STORAGE = {
    "float16": qe.VectorStorageDatatype.Float16,
    "float32": qe.VectorStorageDatatype.Float32,
}
# Bytes per vector element on disk, to tell when unindexed vectors fill a segment.
_ELEMENT_BYTES = {
    qe.VectorStorageDatatype.Float16: 2,
    qe.VectorStorageDatatype.Float32: 4,
}


def _config(dimension: int, datatype: Any) -> Any:
    """The shard's layout. Dense vectors are memory-mapped (read from disk as queries touch
    them) and by default stored as float16: at 100k chunks (300k vectors) that measured
    2.0 GiB RSS after queries instead of 3.5 GiB and a 2.4 instead of 3.7 GiB peak, with
    the same latency (p50 11.9 vs 12.6 ms); cosine scores move by ~1e-3."""
    return qe.EdgeConfig(
        vectors={
            DENSE: qe.EdgeVectorParams(
                size=dimension,
                distance=qe.Distance.Cosine,
                # A chunk may carry several vectors (itself and its lead sentences); it
                # scores by the best one.
                multivector_config=qe.MultiVectorConfig(comparator=qe.MultiVectorComparator.MaxSim),
                datatype=datatype,
                memory=qe.Memory.Cold,
            )
        },
        sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
        optimizers=qe.EdgeOptimizersConfig(
            indexing_threshold=INDEXING_THRESHOLD_KB, max_segment_size=MAX_SEGMENT_KB
        ),
    )


def _held_by_another_process(exc: Exception) -> bool:
    # qdrant-edge locks a shard's write-ahead log; a second opener gets "Can't init WAL:
    # Kind(WouldBlock)" (measured: `yakuba ingest` while `yakuba serve` runs).
    return "WouldBlock" in str(exc)


class EdgeIndex:
    """A Qdrant shard stored under `path`; no server, no network."""

    def __init__(
        self,
        path: Path,
        *,
        fusion: Fusion = DEFAULT_FUSION,
        vector_storage: Literal["float16", "float32"] = "float16",
    ) -> None:
        """`vector_storage` applies to a shard this creates; an existing shard keeps its own."""
        self._path = path
        self.fusion = fusion
        self._vector_storage = vector_storage
        self._shard: Any = None
        self._dimension = 0
        self._datatype: Any = None
        # Bytes of dense vectors written since the last optimize (see `replace_document`).
        self._unindexed_bytes = 0
        # The shard is safe for concurrent reads, but ingest's replace must not interleave.
        self._write_lock = threading.Lock()
        # Reads in flight; reopening the shard (see `optimize`) waits until there are none.
        self._readers = 0
        self._idle = threading.Condition()

    def stored_signature(self) -> IndexSignature | None:
        return self._read_signature()

    def _read_signature(self) -> IndexSignature | None:
        try:
            data = json.loads((self._path / SIGNATURE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return IndexSignature.from_dict(data) if isinstance(data, dict) else None

    def _write_signature(self, signature: IndexSignature) -> None:
        target = self._path / SIGNATURE_FILE
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(signature.as_dict(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)

    def ensure(self, dimension: int, *, signature: IndexSignature | None = None) -> None:
        stored = self._read_signature()
        if signature is not None and stored is not None:
            # Before opening: a clear "other model" message beats the shard's config error.
            signature.check(stored, str(self._path))
        if self._shard is None:
            self._open(dimension)
        # A shard from before signatures were recorded is stamped only while empty: what
        # built its vectors is unknown otherwise.
        if signature is not None and stored is None and self.count() == 0:
            self._write_signature(signature)

    def _open(self, dimension: int) -> None:
        self._path.mkdir(parents=True, exist_ok=True)
        existing = any(p.name != SIGNATURE_FILE for p in self._path.iterdir())
        wanted = _STORAGE[self._vector_storage]
        try:
            if not existing:
                self._shard = qe.EdgeShard.create(str(self._path), _config(dimension, wanted))
            else:
                try:
                    self._shard = qe.EdgeShard.load(str(self._path), _config(dimension, wanted))
                except Exception as exc:
                    if _held_by_another_process(exc):
                        raise
                    # A shard keeps the storage type it was created with (older ones:
                    # float32); the engine refuses to open it as the other.
                    wanted = next(t for t in _STORAGE.values() if t is not wanted)
                    self._shard = qe.EdgeShard.load(str(self._path), _config(dimension, wanted))
            self._dimension, self._datatype = dimension, wanted
        except Exception as exc:
            if _held_by_another_process(exc):
                raise IndexBusyError(
                    f"索引 {self._path} は別のプロセス（yakuba serve など）が使用中です。"
                    "組み込みの索引は一度に一つのプロセスしか開けません。"
                    "サービスを止めてから取り込むか、Qdrant サーバー（YAKUBA_QDRANT_URL）を"
                    "使ってください。",
                    path=str(self._path),
                ) from exc
            raise IndexConfigError(
                f"索引 {self._path} を開けませんでした（別の設定で作られた索引の可能性があります。"
                f"別のコレクション名を指定するか、索引を作り直してください）: {exc}",
                path=str(self._path),
            ) from exc
        self._ensure_field_indexes()

    def _ensure_field_indexes(self) -> None:
        # Replace and delete select a document's points by source and hash; without a
        # keyword index each selection scans the whole shard, so re-ingesting n documents
        # costs O(n²). Shards made before the index existed get it on their next open.
        present = set(self._s.info().payload_schema)
        for field in FILTERABLE_FIELDS:
            if field not in present:
                self._s.update(
                    qe.UpdateOperation.create_field_index(field, qe.PayloadSchemaType.Keyword)
                )

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self._idle:
            self._readers += 1
        try:
            yield self._s
        finally:
            with self._idle:
                self._readers -= 1
                self._idle.notify_all()

    @property
    def _s(self) -> Any:
        if self._shard is None:
            raise IndexError_("索引が開かれていません（ensure() を先に呼んでください）")
        return self._shard

    def replace_document(self, source: str, chunks: list[IndexedChunk]) -> None:
        with self._write_lock:
            points = [
                qe.Point(
                    id=c.point_id,
                    vector={
                        DENSE: c.dense_vectors,
                        SPARSE: qe.SparseVector(indices=c.sparse.indices, values=c.sparse.values),
                    },
                    payload=c.payload(),
                )
                for c in chunks
            ]
            for i in range(0, len(points), _UPSERT_BATCH):
                self._s.update(qe.UpdateOperation.upsert_points(points[i : i + _UPSERT_BATCH]))
            # Old versions go only after the new one is in, so a crash never leaves the
            # document missing; two versions side by side are detected and rewritten.
            keep = chunks[0].doc_hash if chunks else None
            # No flush here: the shard's write-ahead log already makes each update
            # durable, and an fsync per document made ingest 5x slower.
            self._delete(source, except_hash=keep)
            # Index each segment's worth of new vectors as soon as it is written, rather
            # than everything at the end: an optimize has the segment it rebuilds mapped
            # in full, old and new copy (each file mapped twice), so one 100k-chunk
            # segment peaked at 2,529 MiB RSS; a segment at a time, 1,267–1,283 MiB.
            element = _ELEMENT_BYTES[self._datatype]
            self._unindexed_bytes += sum(len(v) * element for c in chunks for v in c.dense_vectors)
            if self._unindexed_bytes >= MAX_SEGMENT_KB * 1024:
                self._optimize()

    def delete_document(self, source: str) -> None:
        with self._write_lock:
            self._delete(source, except_hash=None)

    def _delete(self, source: str, *, except_hash: str | None) -> None:
        must_not: list[Any] | None = (
            [qe.FieldCondition(key="doc_hash", match=qe.MatchValue(value=except_hash))]
            if except_hash
            else None
        )
        flt = qe.Filter(
            must=[qe.FieldCondition(key="source", match=qe.MatchValue(value=source))],
            must_not=must_not,
        )
        self._s.update(qe.UpdateOperation.delete_points_by_filter(flt))

    def documents(self) -> dict[str, DocumentState]:
        states: dict[str, dict[str, list[int]]] = {}
        offset: Any = None
        selector = qe.PayloadSelector.Include(["source", "doc_hash", "doc_chunks"])
        with self._reading() as shard:
            while True:
                records, offset = shard.scroll(
                    qe.ScrollRequest(offset=offset, limit=_SCROLL_PAGE, with_payload=selector)
                )
                for record in records:
                    accumulate_state(states, record.payload or {})
                if offset is None:
                    return summarise(states)

    def optimize(self) -> None:
        """Runs the shard's optimizers: segments past the indexing threshold get their
        HNSW graph (measured: 30k chunks, hybrid query p50 96 → 15 ms); below it, a no-op.
        After an optimization the shard is reopened (see `_reopen`)."""
        with self._write_lock:
            self._optimize()

    def _optimize(self) -> None:
        if self._s.optimize():
            self._reopen()
        self._unindexed_bytes = 0

    def _reopen(self) -> None:
        """Closes and loads the shard again. An optimized segment keeps every page the
        optimizer wrote mapped in this process (a 16k-chunk segment: 94 MiB of RSS for
        47 MiB of float16 vectors, the file mapped twice); a fresh load maps pages only as
        queries touch them. At 100k chunks: 705 MiB RSS after the last optimize."""
        with self._idle:
            self._idle.wait_for(lambda: self._readers == 0)
            self._s.flush()
            self._s.close()
            self._shard = None
            self._shard = qe.EdgeShard.load(
                str(self._path), _config(self._dimension, self._datatype)
            )

    def count(self) -> int:
        with self._reading() as shard:
            return int(shard.count(qe.CountRequest(exact=True)))

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
            qe.Filter(
                must=[
                    qe.FieldCondition(key=key, match=qe.MatchAny(any=values))
                    for key, values in conditions
                ]
            )
            if conditions
            else None
        )
        dense_q = qe.Query.Nearest([dense], using=DENSE)
        sparse_q = qe.Query.Nearest(
            qe.SparseVector(indices=sparse.indices, values=sparse.values), using=SPARSE
        )
        if mode == "dense":
            request = qe.QueryRequest(
                limit=k, query=dense_q, filter=flt, with_payload=True, with_vector=[DENSE, SPARSE]
            )
        elif mode == "sparse":
            request = qe.QueryRequest(
                limit=k, query=sparse_q, filter=flt, with_payload=True, with_vector=[DENSE, SPARSE]
            )
        else:
            fuse = fusion or self.fusion
            depth = fuse.prefetch_limit(k)
            method: Any = (
                qe.Fusion.Dbsf()
                if fuse.method == "dbsf"
                else qe.Fusion.Rrf(k=fuse.k, weights=fuse.weights)
            )
            request = qe.QueryRequest(
                limit=k,
                prefetches=[
                    qe.Prefetch(limit=depth, query=dense_q, filter=flt),
                    qe.Prefetch(limit=depth, query=sparse_q, filter=flt),
                ],
                query=method,
                with_payload=True,
                # The fused score is rank-based; the vectors give each hit an absolute
                # relevance the assistant can hold to a threshold.
                with_vector=[DENSE, SPARSE],
            )
        with self._reading() as shard:
            points = shard.query(request)
        return hits_from_points(dense, points)

    def flush(self) -> None:
        """Writes pending changes to the shard's files (before they are copied)."""
        with self._write_lock:
            self._s.flush()

    def close(self) -> None:
        if self._shard is not None:
            self._shard.flush()
            self._shard.close()
            self._shard = None
