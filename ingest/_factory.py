"""Build the knowledge base a deployment asks for: embedded or a Qdrant server."""

from __future__ import annotations

from pathlib import Path

from ._embedding import Embedder, UseEmbedder
from ._index.base import VectorIndex
from ._knowledge_base import ChunkScreen, KnowledgeBase


def open_index(
    *,
    data_dir: Path,
    collection: str,
    qdrant_url: str | None = None,
    qdrant_api_key: str | None = None,
) -> VectorIndex:
    """The embedded index under `data_dir` unless a Qdrant server URL is given."""
    if qdrant_url:
        from qdrant_client import QdrantClient

        from ._index.server import QdrantServerIndex

        client = QdrantClient(url=qdrant_url, api_key=qdrant_api_key, timeout=30)
        return QdrantServerIndex(client, collection)
    from ._index.edge import EdgeIndex

    return EdgeIndex(data_dir / "index" / collection)


def open_knowledge_base(
    *,
    data_dir: Path,
    collection: str = "yakuba",
    qdrant_url: str | None = None,
    qdrant_api_key: str | None = None,
    embedder: Embedder | None = None,
    screen: ChunkScreen | None = None,
    withhold_flagged: bool = True,
) -> KnowledgeBase:
    index = open_index(
        data_dir=data_dir,
        collection=collection,
        qdrant_url=qdrant_url,
        qdrant_api_key=qdrant_api_key,
    )
    return KnowledgeBase(
        index, embedder or UseEmbedder(), screen=screen, withhold_flagged=withhold_flagged
    )
