"""Shared fixtures. Everything is real: the packaged embedding model, Chroma on disk."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from rag import Assistant, Settings, get_settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


def free_port() -> int:
    """A loopback port where nothing listens (yet)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(assistant: Assistant, settings: Settings | None = None) -> Iterator[tuple[str, Any]]:
    """The web chat over `assistant` on a free loopback port, launched with the app's own queue
    limits and `settings`' login; yields its URL and the app."""
    from ui.app import build_app, launch_options

    app = build_app(assistant)
    options = launch_options(settings or assistant.settings, "127.0.0.1", free_port())
    _, url, _ = app.launch(prevent_thread_lock=True, quiet=True, **options)
    try:
        yield url, app
    finally:
        app.close()


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
    from rag.embedding import load_embeddings

    return load_embeddings(get_settings())


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
