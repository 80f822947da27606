"""Shared fixtures. Everything is real: the packaged embedding model, Chroma on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rag import Assistant, get_settings

from .helpers import CORPUS


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No RAG_* setting leaks in from the shell; the index and feedback live in tmp_path."""
    for key in list(os.environ):
        if key.startswith("RAG_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RAG_CORPUS_DIR", str(CORPUS))
    monkeypatch.setenv("RAG_FEEDBACK_PATH", str(tmp_path / "feedback.jsonl"))


@pytest.fixture(scope="session")
def embeddings():  # type: ignore[no-untyped-def]
    """The packaged all-MiniLM-L6-v2, loaded once per test session."""
    from rag.embedders import load_embeddings

    return load_embeddings(get_settings())


@pytest.fixture(scope="session")
def torch_embeddings():  # type: ignore[no-untyped-def]
    """The packaged all-MiniLM-L6-v2 in sentence-transformers (torch), loaded once."""
    from rag.embedders import load_embeddings

    return load_embeddings(get_settings(embedding_backend="torch"))


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Assistant:  # type: ignore[no-untyped-def]
    """An assistant over the seed corpus, indexed once per test session."""
    folder = tmp_path_factory.mktemp("shared")
    settings = get_settings(
        corpus_dir=CORPUS, index_dir=folder / "index", feedback_path=folder / "feedback.jsonl"
    )
    a = Assistant(settings, embeddings=embeddings)
    a.ingest()
    return a
