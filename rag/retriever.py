"""The LangChain retriever over an index: `retrieve_passages` as a `BaseRetriever`, each result
a LangChain document carrying its `Passage`. Imported only by those who ask for it
(`Assistant.as_retriever`): answering a question does not need LangChain's retriever machinery."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables.config import run_in_executor

from rag.config import Settings
from rag.embedders import Embeddings
from rag.errors import QuestionError
from rag.retrieval import parse_filters, retrieve_passages
from rag.snapshot import Snapshot
from rag.store import VectorStore
from rag.types import Passage


class HybridRetriever(BaseRetriever):
    """LangChain retriever over `retrieve_passages`; each result carries its `Passage`.

    `k`, `filters` and `per_document` set at construction can be changed per call:
    `retriever.invoke("hemlöshet", k=3, filters={"municipality": ["Örebro"]})`.
    """

    snapshot: Callable[[], Snapshot]
    store: VectorStore
    embeddings: Embeddings
    settings: Settings
    k: int = 5
    per_document: int = 0
    filters: dict[str, Any] | None = None

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Mapping[str, Any] | None = None,
        per_document: int | None = None,
    ) -> list[LCDocument]:
        k = self.k if k is None else k
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise QuestionError(f"k must be a whole number of at least 1, got {k!r}")
        if not isinstance(query, str) or not query.strip():
            raise QuestionError("the query is empty", "ask about a topic, e.g. 'hemlöshet'")
        snap = self.snapshot()
        passages = retrieve_passages(
            snap,
            self.store,
            self.embeddings,
            self.settings,
            query,
            k,
            parse_filters(self.filters if filters is None else filters, snap),
            self.per_document if per_document is None else per_document,
        )
        return [as_langchain_document(p) for p in passages]

    async def _aget_relevant_documents(
        self,
        query: str,
        *,
        run_manager: AsyncCallbackManagerForRetrieverRun,
        **kwargs: Any,
    ) -> list[LCDocument]:
        """The same search in a worker thread, with the same per-call arguments."""
        return await run_in_executor(
            None, self._get_relevant_documents, query, run_manager=run_manager.get_sync(), **kwargs
        )


def as_langchain_document(p: Passage) -> LCDocument:
    return LCDocument(
        page_content=p.chunk.text,
        metadata={
            "chunk_id": p.chunk.chunk_id,
            "doc_id": p.chunk.doc_id,
            "municipality": p.municipality,
            "party": p.party,
            "title": p.title,
            "heading": p.chunk.heading,
            "start": p.chunk.start,
            "end": p.chunk.end,
            "score": p.score,
            "passage": p,
        },
    )
