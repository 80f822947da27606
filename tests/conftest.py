"""Shared fixtures, and which tests are slow.

The fixtures here are real: the packaged embedding model, Chroma on disk. Every test that uses
one of them, every test in tests/integration/ and every browser or server test is marked
`slow`; `pytest -m "not slow"` runs the rest (tests/unit/ and the quick tests of the concern
folders) in under a minute, and `pytest` runs everything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rag import Assistant, get_settings

from .helpers import CORPUS

TESTS = Path(__file__).resolve().parent
SLOW_FOLDERS = (TESTS / "integration",)
SLOW_FIXTURES = frozenset({"embeddings", "torch_embeddings", "assistant"})
"""The fixtures below that load the real model (and for `assistant`, index into Chroma)."""
SLOW_MARKERS = ("browser", "server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what needs real heavy parts `slow`; a unit test that needs one is an error."""
    for item in items:
        folders = Path(item.path).parents
        if (
            any(folder in folders for folder in SLOW_FOLDERS)
            or SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ()))
            or any(item.get_closest_marker(name) for name in SLOW_MARKERS)
        ):
            item.add_marker(pytest.mark.slow)
        if TESTS / "unit" in folders and item.get_closest_marker("slow"):
            raise pytest.UsageError(
                f"{item.nodeid} is slow: unit tests run without the real model, Chroma, a "
                "browser or a server (tests/integration/ is for those)"
            )


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
    settings = get_settings(corpus_dir=CORPUS, index_dir=folder / "index")
    a = Assistant(settings, embeddings=embeddings)
    a.ingest()
    return a
