"""Swedish-aware lexical retrieval: words without stopwords, Snowball stems for inflection,
character n-grams for compounds, BM25 scores."""

from __future__ import annotations

import numpy as np
import pytest

from rag.lexical import LexicalIndex, features, ngrams, stem, words

TEXTS = {
    "a": "Vi stöder ett sprutbytesprogram.",
    "b": "Metoden är sprututbyte.",
    "c": "Hemlösa ska få bostad.",
    "d": "Något helt annat om skolan.",
}


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(list(TEXTS), list(TEXTS.values()))


def test_words_are_lower_cased_without_stopwords_or_punctuation() -> None:
    assert words("Vem föreslår sprutbyte? Och_LSS, 1177 för alla!") == [
        "föreslår",
        "sprutbyte",
        "lss",
        "1177",
    ]
    assert words("Who wants it and why?") == ["wants"]


def test_stems_join_inflections() -> None:
    assert stem("hemlösa") == stem("hemlöshet") == "hemlös"
    assert stem("kvinnojourer") == "kvinnojour"


def test_ngrams_are_padded_and_short_words_stay_whole() -> None:
    assert ngrams("sprut") == ["<spr", "spru", "prut", "rut>"]
    assert ngrams("ab") == ["<ab>"]


def test_features_count_stems_and_ngrams_of_long_enough_words() -> None:
    got = features("Hemlösa hemlösa och LSS")
    assert got["s:hemlös"] == 2 and got["g:<hem"] == 2 and got["g:ösa>"] == 2
    assert got["s:lss"] == 1 and not any(f.startswith("g:") and "lss" in f for f in got)
    assert "s:och" not in got


def test_compounds_and_inflections_are_found(index: LexicalIndex) -> None:
    top = [index.ids[i] for i, _ in index.search("sprutbyte", 4)]
    assert top[:2] in (["a", "b"], ["b", "a"]) and "d" not in top
    assert index.ids[index.search("hemlöshet", 1)[0][0]] == "c"
    assert "s:hemlös" in features("hemlösa")


def test_search_returns_positive_scores_best_first(index: LexicalIndex) -> None:
    hits = index.search("sprutbyte bostad", 10)
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert len(hits) == 3  # the fourth text shares nothing with the query
    assert index.search("", 3) == [] and index.search("och vem", 3) == []
    assert np.array_equal(index.scores("qxzv"), np.zeros(len(TEXTS)))


def test_search_keeps_to_the_allowed_rows(index: LexicalIndex) -> None:
    allowed = np.array([False, True, True, True])
    assert [index.ids[i] for i, _ in index.search("sprutbyte", 4, allowed)] == ["b"]


def test_stem_frequency_counts_chunks(index: LexicalIndex) -> None:
    assert index.stem_frequency("hemlöshet") == 1
    assert index.stem_frequency("kärnkraft") == 0
    double = LexicalIndex.build(["x", "y"], ["Hemlösa och hemlöshet.", "Hemlösheten."])
    assert double.stem_frequency("hemlösa") == 2
