"""Stand-ins for real parts, each used only where that part is not what a test is about. The
real parts (the packaged model, Chroma) are tested in tests/integration/."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    GenericFakeChatModel,
)

from rag.embedders.base import PromptedEmbedder

_WORD = re.compile(r"\w+")


class HashingEmbedder(PromptedEmbedder):
    """A small deterministic embedder: every word of a text is hashed into one of `dimension`
    buckets and the counts are scaled to a unit vector, so texts that share words lie close.

    It stands in for the embedding model only where the model is not what is tested (the
    LangChain interface, prompts, counting, vectors in a store); tests of the real model use the
    `embeddings` fixture. It records every batch it encodes in `calls`.
    """

    name = "hashing"

    def __init__(self, dimension: int = 32, query_prompt: str = "", passage_prompt: str = ""):
        super().__init__(query_prompt, passage_prompt)
        self.dimension = dimension
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
            if not out[row].any():
                out[row, 0] = 1.0  # a text without words still gets a unit vector
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class TableEmbedder:
    """A stand-in for the multilingual model where it is not what is tested (bridging, the
    text-vector store): every text gets a fixed random unit direction; the texts in `table`
    point where their target points. It records every passage it embeds in `embedded`, and
    every question in `asked`."""

    name = "table"

    def __init__(self, table: dict[str, str] | None = None) -> None:
        self.table = table or {}
        self.embedded: list[str] = []
        self.asked: list[str] = []

    def _vector(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
        v = np.random.default_rng(seed).normal(size=48)
        return v / np.linalg.norm(v)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        return np.stack([self._vector(self.table.get(t, t)) for t in texts])

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return np.stack([self._vector(t) for t in texts])


class NoVectors:
    """The vector store of a pipeline that retrieves in lexical mode, which reads no vectors:
    any use of it fails the test."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"lexical retrieval used the vector store ({name})")


# No real LLM is reachable where the tests run: LangChain's fake chat models stand in for a
# hosted one.


class UnreachableChatModel(FakeListChatModel):
    """A fake chat model whose server is down."""

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        raise ConnectionError("connection refused")


class CountingChatModel(GenericFakeChatModel):
    """A fake chat model that counts its calls."""

    calls: int = 0

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        self.calls += 1
        return super()._stream(*args, **kwargs)
