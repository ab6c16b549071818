"""The one interface both index back ends implement, and the payload they share."""

from __future__ import annotations

import uuid
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, cast

import numpy as np

from .._errors import IndexConfigError
from .._models import Chunk, DocType, Hit
from .._sparse import SparseVector

DENSE = "dense"
SPARSE = "bm25"
# Reciprocal-rank fusion constant. 60 (the original RRF paper's value, tuned for fusing
# many TREC runs) flattens the two lists' top ranks until a document both lists rank
# mediocre beats each list's clear winner; 2 (Qdrant's own default) lets a confident first
# place count. bench/retrieval.py: k=2 beat k=60 on every dev set, by 0.03–0.07 nDCG@10.
RRF_K = 2
# The dense list weighs 2.5 times the sparse one (weighted RRF divides a rank by its
# list's weight): with lead-sentence vectors the dense ranking is the better one on
# paraphrased questions (FAQ dev sets +0.03–0.04 nDCG@10 over equal weights) and costs
# nothing measurable where keywords decide (law QA ±0.003, run-to-run noise); with
# multilingual-e5 a dense weight of 2 helped on all three dev sets. Weights 2–3 score
# alike; 2.5 avoids the exact ties weight 2 produces (dense 2nd = sparse 1st), which the
# engine breaks arbitrarily, so results repeat run to run.
DENSE_WEIGHT = 2.5


@dataclass(frozen=True)
class Fusion:
    """How hybrid search merges the dense and the sparse ranking.

    ``rrf``: reciprocal-rank fusion, score = Σ 1 / (rank / weight + k - 1) over the two
    prefetches (Qdrant's weighted RRF); ``dbsf``: distribution-based score fusion (each
    list's scores normalised by mean ± 3σ, then summed; weights are ignored). ``depth`` is
    how many candidates each side contributes (0 = max(4 × limit, 40)).
    """

    method: Literal["rrf", "dbsf"] = "rrf"
    k: int = RRF_K
    depth: int = 0
    dense_weight: float = DENSE_WEIGHT
    sparse_weight: float = 1.0

    def prefetch_limit(self, limit: int) -> int:
        return self.depth or max(4 * limit, 40)

    @property
    def weights(self) -> list[float] | None:
        if self.dense_weight == self.sparse_weight == 1.0:
            return None
        return [self.dense_weight, self.sparse_weight]


DEFAULT_FUSION = Fusion()


@dataclass(frozen=True)
class IndexSignature:
    """Which models produced an index's vectors. Vectors of different models live in
    different spaces, so an index must never mix them; `views` says which texts of a
    chunk were embedded (see `passage_views`), so chunks stay comparable."""

    embedder: str
    dimension: int
    sparse: str
    views: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "embedder": self.embedder,
            "dimension": self.dimension,
            "sparse": self.sparse,
            "views": self.views,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndexSignature | None:
        try:
            return cls(
                str(data["embedder"]),
                int(data["dimension"]),
                str(data["sparse"]),
                str(data.get("views", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def check(self, stored: IndexSignature, where: str) -> None:
        """Raise IndexConfigError (in Japanese, with the way out) unless `stored` matches."""
        if stored == self:
            return
        if stored.embedder != self.embedder or stored.dimension != self.dimension:
            what = (
                f"埋め込みモデル {stored.embedder}（{stored.dimension} 次元）で作られています。"
                f"現在の設定は {self.embedder}（{self.dimension} 次元）です。"
            )
        elif stored.sparse != self.sparse:
            what = (
                f"キーワード索引の方式 {stored.sparse} で作られています。"
                f"現在の方式は {self.sparse} です。"
            )
        else:
            what = (
                f"文単位ベクトルの設定 {stored.views or '（なし）'} で作られています。"
                f"現在の設定は {self.views or '（なし）'} です。"
            )
        raise IndexConfigError(
            f"{where} は{what}異なる設定のベクトルは混在できません。"
            "元の設定に戻すか、別のコレクション名（--collection）を指定するか、"
            "索引を削除して作り直してください。",
            path=where,
        )


# Payload fields the index must be able to filter on.
FILTERABLE_FIELDS = ("source", "doc_type", "doc_hash", "department")


@dataclass(frozen=True)
class IndexedChunk:
    """A chunk with its vectors and the identity of the document version it came from."""

    chunk: Chunk
    # One vector, or several (the whole chunk and its lead sentences: `passage_views`);
    # the index scores a chunk by its best-matching vector (MaxSim).
    dense: list[float] | list[list[float]]
    sparse: SparseVector
    doc_hash: str
    doc_chunks: int

    @property
    def dense_vectors(self) -> list[list[float]]:
        if self.dense and isinstance(self.dense[0], list):
            return self.dense
        return [cast(list[float], self.dense)]

    @property
    def point_id(self) -> str:
        # Deterministic ids make a re-run after a crash overwrite instead of duplicating.
        key = f"{self.chunk.source}\x00{self.doc_hash}\x00{self.chunk.ordinal}"
        return str(uuid.uuid5(uuid.NAMESPACE_URL, key))

    def payload(self) -> dict[str, Any]:
        return {
            **self.chunk.model_dump(mode="json"),
            "doc_hash": self.doc_hash,
            "doc_chunks": self.doc_chunks,
        }


@dataclass(frozen=True)
class DocumentState:
    """What the index holds for one source: the version and whether it is complete."""

    doc_hash: str
    stored_chunks: int
    expected_chunks: int

    @property
    def complete(self) -> bool:
        return self.stored_chunks == self.expected_chunks


def filter_conditions(
    doc_types: list[DocType] | None, departments: list[str] | None
) -> list[tuple[str, list[str]]]:
    """The payload conditions of a search, as (field, any of these values); both back ends
    turn them into their own filter objects."""
    out: list[tuple[str, list[str]]] = []
    if doc_types:
        out.append(("doc_type", [str(d) for d in doc_types]))
    if departments:
        out.append(("department", list(departments)))
    return out


def best_similarity(query: Any, vectors: Any) -> float | None:
    """The highest dot product of `query` (a float32 array) with a point's dense vector(s)
    — the cosine similarity, as stored vectors and queries are unit length — or None
    without vectors."""
    if isinstance(vectors, dict):
        vectors = vectors.get(DENSE)
    if not vectors:
        return None
    # numpy, not a Python loop: a query's 5–10 hits carry up to 3 vectors of 512 numbers
    # each, and the loop cost ~2 ms of CPU per query in the service (yappi, bench/service.py).
    # array.array reads a list of floats about twice as fast as np.asarray does.
    rows = vectors if isinstance(vectors[0], list) else [vectors]
    matrix = np.array([array("f", row) for row in rows])
    return float((matrix @ query).max())


def hits_from_points(dense: list[float], points: Iterable[Any]) -> list[Hit]:
    """Search results (either back end's scored points, with payload, dense and sparse
    vectors) as hits, each with its relevance to the query vector `dense` and the term
    ids of its keyword vector (which of the question's terms it holds: ingest._answerability)."""
    query = np.array(array("f", dense))
    hits: list[Hit] = []
    for p in points:
        hit = hit_from_payload(p.payload or {}, p.score, best_similarity(query, p.vector))
        sparse = p.vector.get(SPARSE) if isinstance(p.vector, dict) else None
        if sparse is not None:
            hit.set_term_ids(sparse.indices)
        hits.append(hit)
    return hits


def hit_from_payload(payload: dict[str, Any], score: float, relevance: float | None = None) -> Hit:
    return Hit(
        source=str(payload.get("source", "")),
        title=str(payload.get("title", "")),
        locator=str(payload.get("locator", "")),
        heading=str(payload.get("heading", "")),
        doc_type=DocType(payload.get("doc_type", DocType.OTHER)),
        department=str(payload.get("department", "")),
        modified=str(payload.get("modified", "")),
        text=str(payload.get("text", "")),
        score=float(score),
        relevance=relevance,
    )


def accumulate_state(states: dict[str, dict[str, list[int]]], payload: dict[str, Any]) -> None:
    """Fold one point's payload into per-source, per-version counts (see `summarise`)."""
    per_hash = states.setdefault(str(payload["source"]), {})
    counts = per_hash.setdefault(str(payload["doc_hash"]), [0, int(payload["doc_chunks"])])
    counts[0] += 1


def summarise(states: dict[str, dict[str, list[int]]]) -> dict[str, DocumentState]:
    """One state per source; a source with two versions (an interrupted replace) is
    reported as incomplete so the next ingest rewrites it."""
    out: dict[str, DocumentState] = {}
    for source, per_hash in states.items():
        if len(per_hash) == 1:
            ((doc_hash, (stored, expected)),) = per_hash.items()
            out[source] = DocumentState(doc_hash, stored, expected)
        else:
            out[source] = DocumentState("", sum(c[0] for c in per_hash.values()), -1)
    return out


class VectorIndex(Protocol):
    """A collection with named dense and sparse vectors and a chunk payload."""

    def ensure(self, dimension: int, *, signature: IndexSignature | None = None) -> None:
        """Create the collection if missing; reject one with an incompatible layout.

        With a `signature`, a new collection records it and an existing one must carry the
        same (IndexConfigError otherwise); an existing collection from before signatures
        were recorded is accepted when its dimension matches, and stamped when empty."""

    def stored_signature(self) -> IndexSignature | None:
        """What the collection records about the models that built it (None: a new
        collection, or one from before signatures were recorded)."""

    def replace_document(self, source: str, chunks: list[IndexedChunk]) -> None:
        """Remove every point of `source`, then store `chunks` (all of one version)."""

    def delete_document(self, source: str) -> None: ...

    def documents(self) -> dict[str, DocumentState]: ...

    def count(self) -> int: ...

    def optimize(self) -> None:
        """Build search structures after a batch of writes (the embedded engine has no
        background optimizer; a server optimizes by itself)."""

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
        """`mode` is hybrid (fused, see `Fusion`; the index's default when None), dense or
        sparse."""

    def close(self) -> None: ...
