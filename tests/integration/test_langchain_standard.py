"""LangChain's own standard tests (`langchain-tests`) against our retriever and embeddings.

Their async tests run on pytest-asyncio, in "auto" mode for this folder only (conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.embeddings import Embeddings as LangChainEmbeddings
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import (
    EmbeddingsIntegrationTests,
    RetrieversIntegrationTests,
)

from rag import Assistant
from rag.retriever import HybridRetriever


class Standard:
    """Gives the standard test classes, whose settings are properties, the session's assistant."""

    assistant: Assistant

    @pytest.fixture(autouse=True)
    def _assistant(self, assistant: Assistant) -> None:
        type(self).assistant = assistant


class TestHybridRetriever(Standard, RetrieversIntegrationTests):
    """`HybridRetriever` built directly, as LangChain builds any retriever class."""

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        a = self.assistant
        return {
            "snapshot": a.snapshot,
            "store": a.index.store,
            "embeddings": a.embeddings,
            "settings": a.settings,
        }

    @property
    def retriever_query_example(self) -> str:
        return "hemlöshet"


class TestAssistantRetriever(TestHybridRetriever):
    """The same tests for the retriever users get: `Assistant.as_retriever(**kwargs)`."""

    @property
    def retriever_constructor(self) -> Any:
        return self.assistant.as_retriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"filters": {"party": "Liberalerna"}}


class TestAssistantEmbeddings(Standard, EmbeddingsIntegrationTests):
    """`Assistant().embeddings` itself: the model the index is built with."""

    @property
    def embeddings_class(self) -> type[LangChainEmbeddings]:
        return type(self.assistant.embeddings)

    @pytest.fixture
    def model(self) -> LangChainEmbeddings:
        assert isinstance(self.assistant.embeddings, LangChainEmbeddings)
        return self.assistant.embeddings
