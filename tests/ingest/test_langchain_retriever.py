from __future__ import annotations

from pathlib import Path

from ingest import KnowledgeBaseRetriever, UseEmbedder, open_knowledge_base

ROOT = Path(__file__).resolve().parents[2]


def test_retriever_returns_cited_documents(tmp_path: Path) -> None:
    kb = open_knowledge_base(data_dir=tmp_path, embedder=UseEmbedder())
    try:
        kb.ingest([ROOT / "samples" / "laws" / "gyousei_tetsuzuki_hou.txt"])
        retriever = KnowledgeBaseRetriever(knowledge_base=kb, k=3)
        docs = retriever.invoke("審査基準の公表")
        assert len(docs) == 3
        top = docs[0]
        assert top.metadata["title"] == "行政手続法"
        assert top.metadata["locator"] == "第5条"
        assert "審査基準" in top.page_content
        assert set(top.metadata) >= {"source", "locator", "score", "doc_type"}
    finally:
        kb.close()
