"""The vector store on a real embedded Chroma, opened by the store from a temporary folder or
given as a client the caller built (in memory): collections written in batches, nearest
neighbours by cosine similarity, metadata filters, vectors read back. The hashing embedder
stands in for the model, which is not what is tested here."""

from __future__ import annotations

from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings

from rag import IndexUnavailable
from rag.store import VectorStore, forget_local_store

from ..fakes import HashingEmbedder

TEXTS = [
    "Vi vill införa sprutbyte i hela kommunen.",
    "Hemlösa ska få en egen bostad först.",
    "Fler fältassistenter ska arbeta på kvällarna.",
    "Kvinnojourerna ska få mer stöd.",
]
PLACES = ["Örebro", "Stockholm", "Örebro", "Botkyrka"]


@pytest.fixture(params=["folder", "given client"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> VectorStore:
    if request.param == "folder":
        return VectorStore(path=tmp_path / "chroma")
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    for collection in client.list_collections():  # one in-memory store per process
        client.delete_collection(collection.name)
    return VectorStore(client)


def write(store: VectorStore, name: str = "rag-test-1") -> np.ndarray:
    vectors = HashingEmbedder(dimension=64).embed_documents(TEXTS)
    batches: list[int] = []
    metadatas = [{"doc_id": f"d{i}", "municipality": m, "party": "L"} for i, m in enumerate(PLACES)]
    store.write(name, [f"c{i}" for i in range(len(TEXTS))], vectors, metadatas, batches.append)
    assert sum(batches) == len(TEXTS)
    return vectors


def test_a_collection_holds_what_was_written(store: VectorStore) -> None:
    vectors = write(store)
    assert store.collections() == ["rag-test-1"] and store.count("rag-test-1") == 4
    got = store.vectors("rag-test-1", ["c2", "c0", "missing"])
    assert set(got) == {"c0", "c2"} and np.allclose(got["c2"], vectors[2], atol=1e-6)
    assert store.vectors("rag-test-1", []) == {}


def test_nearest_first_by_cosine_similarity_and_filtered(store: VectorStore) -> None:
    vectors = write(store)
    hits = store.query("rag-test-1", vectors[1], 4)
    assert hits[0][0] == "c1" and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    question = HashingEmbedder(dimension=64).embed_queries(["Vem vill ha sprutbyte?"])[0]
    assert store.query("rag-test-1", question, 1)[0][0] == "c0"
    only = store.query("rag-test-1", vectors[1], 4, {"municipality": {"$in": ["Örebro"]}})
    assert sorted(cid for cid, _ in only) == ["c0", "c2"]


def test_a_deleted_collection_is_gone(store: VectorStore) -> None:
    write(store, "rag-test-1")
    write(store, "rag-test-2")
    store.delete("rag-test-1")
    store.delete("rag-test-9")  # deleting what is not there is not an error
    assert store.collections() == ["rag-test-2"]
    with pytest.raises(IndexUnavailable, match="Chroma failed to count"):
        store.count("rag-test-1")


def test_a_store_in_a_relative_folder_opens_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = Path(".rag-index") / "chroma"
    write(VectorStore(path=relative))
    forget_local_store(relative)  # as a new process would, with the database already there
    assert VectorStore(path=relative).count("rag-test-1") == len(TEXTS)


def test_a_collection_made_again_elsewhere_is_read_anew(store: VectorStore) -> None:
    write(store)
    assert store.count("rag-test-1") == 4  # the store now keeps this collection's handle
    other = VectorStore(store.given) if store.given is not None else VectorStore(path=store.path)
    other.delete("rag-test-1")
    vectors = HashingEmbedder(dimension=64).embed_documents(TEXTS[:2])
    metadatas = [{"doc_id": "d9", "municipality": "Malmö", "party": "V"}] * 2
    other.write("rag-test-1", ["n0", "n1"], vectors, metadatas)
    assert store.count("rag-test-1") == 2
    assert [cid for cid, _ in store.query("rag-test-1", vectors[0], 4)] == ["n0", "n1"]
