"""The knowledge base as a LangChain retriever, so it composes with LangChain chains."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from ._knowledge_base import KnowledgeBase
from ._models import DocType


class KnowledgeBaseRetriever(BaseRetriever):
    """Hybrid search over a `KnowledgeBase`; each hit becomes a `Document` whose metadata
    carries the citation (source, title, locator, heading, doc_type, department,
    modified, score)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    knowledge_base: KnowledgeBase
    k: int = Field(default=5, ge=1, le=100)
    mode: str = "hybrid"
    doc_types: list[DocType] | None = None
    departments: list[str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.knowledge_base.search(
            query, k=self.k, mode=self.mode, doc_types=self.doc_types, departments=self.departments
        )
        return [
            Document(page_content=h.text, metadata=h.model_dump(mode="json", exclude={"text"}))
            for h in hits
        ]
