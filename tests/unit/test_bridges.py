"""English words bridged to the corpus's Swedish words: only words worth bridging, only a
nearest word that clearly stands out, word vectors cached so only new words are embedded.

A table embedder stands in for the multilingual model, which is not what is tested here: each
word gets its own fixed random direction, and the English words in its table point where their
Swedish word points."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from rag.bridges import Bridges, bridgeable, cache_path, load_bridges, word_vectors

VOCABULARY = [f"ord{chr(97 + i)}{chr(97 + j)}" for i in range(8) for j in range(8)] + [
    "sprutbyte",
    "hemlöshet",
    "och",
    "2022",
]


class TableEmbedder:
    """Unit vectors: a fixed random direction per word; `table` words share their target's."""

    name = "table"

    def __init__(self, table: dict[str, str] | None = None) -> None:
        self.table = table or {}
        self.embedded: list[str] = []

    def _vector(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
        v = np.random.default_rng(seed).normal(size=48)
        return v / np.linalg.norm(v)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(self.table.get(t, t)) for t in texts])

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return np.stack([self._vector(t) for t in texts])


def test_only_alphabetic_words_of_four_letters_or_more_are_bridged_to() -> None:
    assert bridgeable(["och", "sprutbyte", "2022", "hemlösa", "sprutbyte"]) == [
        "hemlösa",
        "sprutbyte",
    ]


def test_a_word_is_bridged_only_to_a_word_that_stands_out(tmp_path: Path) -> None:
    model = TableEmbedder({"needle": "sprutbyte"})
    bridges = Bridges.build(VOCABULARY, model, tmp_path)
    assert bridges.bridge("needle") == ("sprutbyte",)
    assert bridges.bridge("zorbing") == ()  # nothing stands out from the rest
    assert Bridges([], np.zeros((0, 48)), model).bridge("needle") == ()


def test_word_vectors_are_cached_and_only_new_words_embedded(tmp_path: Path) -> None:
    model = TableEmbedder()
    first = word_vectors(["sprutbyte", "hemlöshet"], model, tmp_path)
    assert model.embedded == ["sprutbyte", "hemlöshet"]
    assert cache_path("table", tmp_path).exists()
    again = word_vectors(["hemlöshet", "sprutbyte", "kvinnojour"], model, tmp_path)
    assert model.embedded == ["sprutbyte", "hemlöshet", "kvinnojour"]
    assert np.allclose(again[1], first[0], atol=1e-3)  # kept as float16
    assert word_vectors([], model, tmp_path).shape[0] == 0


def test_a_damaged_cache_is_computed_again(tmp_path: Path) -> None:
    cache_path("table", tmp_path).parent.mkdir(parents=True, exist_ok=True)
    cache_path("table", tmp_path).write_bytes(b"not a numpy file")
    model = TableEmbedder()
    assert word_vectors(["sprutbyte"], model, tmp_path).shape == (1, 48)
    assert model.embedded == ["sprutbyte"]


def test_bridging_off_or_its_model_missing_leaves_the_glossary_alone() -> None:
    assert load_bridges("", VOCABULARY) is None
    assert load_bridges("no-such-embedder", VOCABULARY) is None
