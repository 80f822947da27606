"""English words bridged to the corpus's Swedish words: only words worth bridging, only a
nearest word that clearly stands out.

A table embedder (tests/fakes.py) stands in for the multilingual model, which is not what is
tested here: the English words in its table point where their Swedish word points."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.bridges import Bridges, bridgeable
from tests.fakes import TableEmbedder

VOCABULARY = [f"ord{chr(97 + i)}{chr(97 + j)}" for i in range(8) for j in range(8)] + [
    "sprutbyte",
    "hemlöshet",
    "och",
    "2022",
]


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


def test_a_word_asked_about_again_is_bridged_without_the_model(tmp_path: Path) -> None:
    model = TableEmbedder({"needle": "sprutbyte"})
    bridges = Bridges.build(VOCABULARY, model, tmp_path)
    assert bridges.bridge("needle") == bridges.bridge("needle") == ("sprutbyte",)
    assert bridges.bridge("zorbing") == bridges.bridge("zorbing") == ()
    assert model.asked == ["needle", "zorbing"]
