"""The vector store takes the Chroma client it is given (here a real in-memory one)."""

from __future__ import annotations

import uuid

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings

from rag.errors import IndexUnavailable
from rag.store import VectorStore


@pytest.fixture
def store() -> VectorStore:
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    return VectorStore(client)


def test_a_given_client_holds_the_vectors(store: VectorStore) -> None:
    name = f"rag-test-{uuid.uuid4().hex[:8]}"
    vectors = np.eye(3, dtype=np.float32)
    meta = [
        {"doc_id": d, "municipality": m, "party": "L"} for d, m in zip("abc", "XYZ", strict=True)
    ]
    store.write(name, ["a#0", "b#0", "c#0"], vectors, meta)
    assert name in store.collections() and store.count(name) == 3
    assert [cid for cid, _ in store.query(name, vectors[1], 1)] == ["b#0"]
    assert [cid for cid, _ in store.query(name, vectors[1], 3, {"municipality": "Z"})] == ["c#0"]
    got = store.vectors(name, ["c#0", "missing"])
    assert list(got) == ["c#0"] and np.allclose(got["c#0"], vectors[2])
    store.delete(name)
    assert name not in store.collections()


def test_a_failing_call_is_a_clear_error(store: VectorStore) -> None:
    with pytest.raises(IndexUnavailable, match="Chroma failed to count"):
        store.count("rag-no-such-collection")


def test_a_store_needs_somewhere_to_keep_vectors() -> None:
    with pytest.raises(ValueError, match="Chroma client"):
        VectorStore()
