"""The text-vector store: texts embedded once and kept by content, read back by lookup, never
half-written, and a question never writes. A table embedder stands in for the multilingual
model (each text its own fixed direction), which is not what is tested here."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from rag.textvectors import POINTER, TextVectors, load_multilingual, store_folder
from tests.fakes import TableEmbedder


def test_texts_are_embedded_once_and_read_back(tmp_path: Path) -> None:
    model = TableEmbedder()
    store = TextVectors(model, tmp_path)
    first = store.vectors(["sprutbyte", "Vi vill införa sprutbyte."])
    assert model.embedded == ["sprutbyte", "Vi vill införa sprutbyte."]
    again = TextVectors(model, tmp_path).vectors(["Vi vill införa sprutbyte.", "hemlöshet"])
    assert model.embedded[2:] == ["hemlöshet"]  # only the new text
    assert np.allclose(again[0], first[1], atol=1e-3)  # kept as float16
    assert store.vectors([]).shape[0] == 0


def test_lookup_says_which_texts_are_stored(tmp_path: Path) -> None:
    store = TextVectors(TableEmbedder(), tmp_path)
    store.add(["sprutbyte", "hemlöshet"])
    rows, found = store.lookup(["hemlöshet", "okänt ord", "sprutbyte"])
    assert found.tolist() == [True, False, True]
    assert not rows[1].any() and rows[0].any()


def test_a_generation_replaces_the_older_ones_but_the_last(tmp_path: Path) -> None:
    store = TextVectors(TableEmbedder(), tmp_path)
    for text in ["ett", "två", "tre"]:
        store.add([text])
    files = sorted(p.name for p in store_folder("table", tmp_path).glob("*.npy"))
    assert len(files) == 4  # keys and vectors of the current generation and the one before
    assert store.lookup(["ett", "två", "tre"])[1].all()


def test_adding_a_few_texts_does_not_rewrite_the_many_stored(tmp_path: Path) -> None:
    store = TextVectors(TableEmbedder(), tmp_path)
    many = [f"mening {i}" for i in range(40)]
    store.add(many)
    (big,) = store_folder("table", tmp_path).glob("*.keys.npy")
    written = big.stat().st_mtime_ns
    for text in ["ett", "två", "tre"]:  # each a segment of its own, the small ones merged
        store.add([text])
        assert big.exists() and big.stat().st_mtime_ns == written
    pointer = json.loads((store_folder("table", tmp_path) / POINTER).read_text())
    assert pointer["segments"][0] == big.name.split(".")[0] and len(pointer["segments"]) == 2
    assert TextVectors(TableEmbedder(), tmp_path).lookup([*many, "ett", "två", "tre"])[1].all()
    store.add([f"ny {i}" for i in range(10)])  # a quarter of the big one: all merge into one
    assert len(json.loads((store_folder("table", tmp_path) / POINTER).read_text())["segments"]) == 1
    assert store.lookup([*many, "tre", "ny 9"])[1].all()


def test_similarity_ranks_without_writing(tmp_path: Path) -> None:
    model = TableEmbedder({"needle": "sprutbyte"})
    store = TextVectors(model, tmp_path)
    store.add(["sprutbyte"])
    scores = store.similarity("needle", ["hemlöshet", "sprutbyte"])
    assert scores[1] > 0.99 > scores[0]
    assert not store.lookup(["hemlöshet"])[1].any()  # embedded for the question, not stored
    assert store.similarity("needle", []).shape == (0,)


def test_a_damaged_store_is_an_empty_one(tmp_path: Path) -> None:
    folder = store_folder("table", tmp_path)
    folder.mkdir(parents=True)
    (folder / POINTER).write_text('{"generation": "gone"}')
    model = TableEmbedder()
    assert TextVectors(model, tmp_path).vectors(["sprutbyte"]).shape == (1, 48)
    (folder / POINTER).write_text("not json")
    assert TextVectors(model, tmp_path).vectors(["sprutbyte"]).shape == (1, 48)
    assert model.embedded == ["sprutbyte", "sprutbyte"]


def test_no_model_named_or_installed_means_none() -> None:
    assert load_multilingual("") is None
    assert load_multilingual("no-such-embedder") is None


def test_one_question_is_embedded_once_however_often_it_ranks(tmp_path: Path) -> None:
    class Counting(TableEmbedder):
        questions = 0

        def embed_queries(self, texts: list[str]) -> np.ndarray:
            Counting.questions += len(texts)
            return super().embed_queries(texts)

    store = TextVectors(Counting(), tmp_path)
    for _ in range(3):
        store.similarity("needle", ["sprutbyte"])
    store.similarity("other", ["sprutbyte"])
    assert Counting.questions == 2


def test_a_prefetched_question_is_embedded_in_its_own_thread_and_used_once(tmp_path: Path) -> None:
    class Recording(TableEmbedder):
        threads: list[str] = []

        def embed_queries(self, texts: list[str]) -> np.ndarray:
            Recording.threads.append(threading.current_thread().name)
            return super().embed_queries(texts)

    store = TextVectors(Recording(), tmp_path)
    store.prefetch("needle")
    prefetched = store.similarity("needle", ["sprutbyte"])
    assert Recording.threads == ["rag-question_0"]  # not again on the caller's thread
    assert np.allclose(
        prefetched, TextVectors(TableEmbedder(), tmp_path).similarity("needle", ["sprutbyte"])
    )
    store.similarity("other", ["sprutbyte"])  # another question: embedded here, as before
    assert Recording.threads[1:] == [threading.current_thread().name]
