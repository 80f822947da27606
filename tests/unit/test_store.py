"""The store's errors, where no Chroma runs: a store that cannot be opened is a clear
`IndexUnavailable` with what to do, at once. (Storing and querying vectors in a real Chroma,
embedded and `chroma run`, is tested in tests/integration/test_store.py and
test_store_server.py.)"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rag import IndexUnavailable
from rag.store import VectorStore

from ..helpers import free_port


def test_a_server_that_is_not_there_is_a_clear_error_at_once() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(IndexUnavailable, match="is the Chroma server running") as raised:
        VectorStore(url=url)
    assert url in str(raised.value) and time.monotonic() - started < 30


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="rag ingest --rebuild") as raised:
        VectorStore(path=tmp_path / "file" / "chroma")
    assert "cannot open the Chroma store" in str(raised.value)


def test_a_store_needs_somewhere_to_keep_vectors() -> None:
    with pytest.raises(ValueError, match="Chroma client"):
        VectorStore()
