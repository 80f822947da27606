"""`Embeddings`: an embedder as LangChain's `Embeddings`, counting the passages it embeds (so
tests and benchmarks can see what an ingest cost). Async variants come from the base class."""

from __future__ import annotations

import numpy as np
from langchain_core.embeddings import Embeddings as LangChainEmbeddings

from rag.embedders.base import Embedder


class Embeddings(LangChainEmbeddings):
    """What `Assistant.embeddings` is: LangChain's interface on top of one `Embedder`, plus the
    same vectors as arrays for our own index and retrieval."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.passages_embedded = 0

    @property
    def name(self) -> str:
        return self.embedder.name

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of passages, one row each (counted in `passages_embedded`)."""
        if not texts:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        self.passages_embedded += len(texts)
        return np.asarray(self.embedder.embed_documents(list(texts)), dtype=np.float32)

    def embed_question(self, text: str) -> np.ndarray:
        """The unit vector of one question."""
        return np.asarray(self.embedder.embed_queries([text])[0], dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self.embed_passages(texts)]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.embed_question(text)]
