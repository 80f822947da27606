"""Retrieval's own parts: rank fusion, the filter parser (every invalid filter is tested here,
once) and lexical retrieval over the seed programmes in memory. Dense and hybrid retrieval over
the real model and Chroma are in tests/integration/test_retrieval.py."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag import QuestionError
from rag.pipeline import Context
from rag.retrieval import (
    FILTER_KEYS,
    Filters,
    first_per_group,
    fuse,
    parse_filters,
    retrieve_passages,
)
from rag.snapshot import in_memory
from rag.types import Passage

MUNICIPALITIES = ["Örebro", "Botkyrka", "Upplands Väsby", "Eskilstuna", "Stockholm"]

# --- fusion ----------------------------------------------------------------------------------


def test_fusion_adds_weighted_reciprocal_ranks_and_keeps_each_rank() -> None:
    rows, scores, ranks = fuse([([0, 1, 2], 1.0), ([2, 0], 3.0)], rrf_k=10)
    assert rows.tolist() == [2, 0, 1]
    assert scores.tolist() == pytest.approx([1 / 13 + 3 / 11, 1 / 11 + 3 / 12, 1 / 12])
    assert ranks.tolist() == [[3, 1], [1, 2], [2, 0]]
    assert [len(x) for x in fuse([], 10)] == [0, 0, 0]
    assert [len(x) for x in fuse([([], 1.0)], 10)] == [0, 0, 0]


def test_fusion_keeps_equal_scores_in_order_of_first_appearance() -> None:
    rows, _, _ = fuse([([9, 4], 1.0), ([4, 7, 9, 3], 1.0)], rrf_k=10)
    assert rows.tolist() == [4, 9, 7, 3]  # 4 and 9 tie; 9 came first
    rows, _, _ = fuse([([5, 2, 8], 1.0)], rrf_k=10)
    assert rows.tolist() == [5, 2, 8]


@pytest.mark.parametrize(
    ("groups", "most", "expected"),
    [
        ([7, 7, 8, 7], 2, [True, True, True, False]),
        ([1, 2, 1, 2, 1], 1, [True, True, False, False, False]),
        ([3, 3, 3], 3, [True, True, True]),
        ([], 2, []),
    ],
)
def test_first_per_group_keeps_the_first_of_each_group(
    groups: list[int], most: int, expected: list[bool]
) -> None:
    assert first_per_group(np.array(groups, np.int64), most).tolist() == expected


# --- filters --------------------------------------------------------------------------------


def test_filters_become_a_chroma_where_clause() -> None:
    assert Filters().where() is None and not Filters()
    assert Filters(municipality=("Örebro",)).where() == {"municipality": {"$in": ["Örebro"]}}
    both = Filters(municipality=("Örebro", "Botkyrka"), party=("Liberalerna",))
    assert both and both.where() == {
        "$and": [
            {"municipality": {"$in": ["Örebro", "Botkyrka"]}},
            {"party": {"$in": ["Liberalerna"]}},
        ]
    }


def test_filter_names_match_loosely_and_come_back_as_in_the_corpus(
    seed_context: Context,
) -> None:
    snapshot = seed_context.snapshot
    parsed = parse_filters({"municipality": ["  örebro ", "ÖREBRO", "upplands väsby"]}, snapshot)
    assert parsed == Filters(municipality=("Örebro", "Upplands Väsby"))
    assert parse_filters({"party": "liberalerna"}, snapshot) == Filters(party=("Liberalerna",))
    assert parse_filters({"municipality": "", "party": []}, snapshot) == Filters()
    assert parse_filters(None, snapshot) == Filters()
    assert parse_filters(parsed, snapshot) == parsed


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ("Stockholm", "filters must be a mapping"),
        (["municipality", "Stockholm"], "filters must be a mapping"),
        ({"kommun": "Stockholm"}, "unknown filter(s): kommun (use municipality or party)"),
        ({1: "x", "municipality": "Örebro"}, "unknown filter(s): 1"),
        ({"municipality": 3}, "filter municipality must be a name or a list of names"),
        ({"municipality": [1]}, "filter municipality must be a name or a list of names"),
        ({"municipality": ["Stockholm", None]}, "must be a name or a list of names"),
        ({"municipality": {"name": "Stockholm"}}, "must be a name or a list of names"),
        ({"municipality": b"Stockholm"}, "must be a name or a list of names"),
        ({"municipality": "Atlantis"}, "unknown municipality 'Atlantis' (the corpus has: Botkyrka"),
        ({"municipality": ["Örebro", "Malmö"]}, "unknown municipality 'Malmö'"),
        ({"municipality": "<script>"}, "unknown municipality '<script>'"),
        ({"party": "Piratpartiet"}, "unknown party 'Piratpartiet' (the corpus has: Liberalerna)"),
    ],
)
def test_invalid_filters_are_a_clear_question_error(
    seed_context: Context, filters: Any, message: str
) -> None:
    """Every kind of invalid filter, at the one parser that every way of asking uses
    (tests/reliability/test_questions.py checks that each of them does)."""
    with pytest.raises(QuestionError) as raised:
        parse_filters(filters, seed_context.snapshot)
    assert message in str(raised.value)


def spelled(name: str) -> st.SearchStrategy[str]:
    """A known name as people type it: any case, spaces around."""
    return st.tuples(st.sampled_from([str.lower, str.upper, str.title, str]), st.text(" ")).map(
        lambda t: t[1] + t[0](name) + t[1]
    )


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
filter_value = (
    st.none()
    | st.just("")
    | st.just([])
    | spelled(MUNICIPALITIES[0])
    | st.lists(st.sampled_from(MUNICIPALITIES).flatmap(spelled), max_size=4)
    | spelled("Liberalerna")
    | json_like
)
raw_filters = (
    st.dictionaries(st.sampled_from([*FILTER_KEYS, "kommun", "", "Party"]), filter_value)
    | json_like
)


@settings(max_examples=150, deadline=None)
@given(raw_filters)
def test_filter_parser_resolves_known_names_or_raises_a_question_error(
    seed_context: Context, raw: Any
) -> None:
    snapshot = seed_context.snapshot
    known = {
        "municipality": {d.municipality for d in snapshot.documents.values()},
        "party": {d.party for d in snapshot.documents.values()},
    }
    try:
        filters = parse_filters(raw, snapshot)
    except QuestionError as e:
        assert str(e)  # a message, never an empty error
        return
    assert isinstance(filters, Filters)
    for key, values in filters.items():
        assert set(values) <= known[key] and len(set(values)) == len(values)
        given_values = raw.get(key) if isinstance(raw, dict) else None
        if isinstance(given_values, str):
            given_values = [given_values]
        expected = {v.strip().casefold() for v in given_values or [] if v}
        assert {v.casefold() for v in values} == expected
    assert parse_filters(filters, snapshot) == filters  # parsed filters parse to themselves


# --- lexical retrieval ----------------------------------------------------------------------


def lexical(ctx: Context, query: str, k: int, **kwargs: Any) -> list[Passage]:
    return retrieve_passages(
        ctx.snapshot, ctx.store, ctx.embeddings, ctx.settings, query, k, **kwargs
    )


def test_lexical_passages_are_ranked_slices_of_their_programmes(seed_context: Context) -> None:
    passages = lexical(seed_context, "sprutbyte", 4)
    assert len(passages) == 4
    assert {p.municipality for p in passages[:2]} == {"Örebro", "Eskilstuna"}
    assert [p.lexical_rank for p in passages] == [1, 2, 3, 4]
    assert all(p.dense_rank is None for p in passages)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    for p in passages:
        doc = seed_context.snapshot.documents[p.chunk.doc_id]
        assert doc.text[p.chunk.start : p.chunk.end] == p.chunk.text
        assert (p.municipality, p.party, p.title) == (doc.municipality, doc.party, doc.title)


def test_filters_and_per_document_narrow_lexical_retrieval(seed_context: Context) -> None:
    only = Filters(municipality=("Stockholm", "Botkyrka"))
    passages = lexical(seed_context, "hemlösa", 6, filters=only)
    assert passages and {p.municipality for p in passages} <= {"Stockholm", "Botkyrka"}
    spread = lexical(seed_context, "socialtjänsten", 5, per_document=1)
    assert len({p.chunk.doc_id for p in spread}) == len(spread) == 5
    assert lexical(seed_context, "Qxzvy", 5) == []  # nothing shares a feature with it


def test_the_lexical_query_replaces_the_question_on_the_lexical_side(
    seed_context: Context,
) -> None:
    plain = lexical(seed_context, "Vem föreslår sprutbyte?", 1)[0]
    topic = lexical(seed_context, "Vem föreslår sprutbyte?", 1, lexical_query="Skolfam")[0]
    assert "sprut" in plain.chunk.text and "Skolfam" not in plain.chunk.text
    assert "Skolfam" in topic.chunk.text


def test_an_empty_corpus_retrieves_nothing_in_every_mode(seed_context: Context) -> None:
    empty = replace(seed_context, snapshot=in_memory("empty", [], []))
    for mode in ("dense", "lexical", "hybrid"):
        assert lexical(empty, "sprutbyte", 4, mode=mode, per_document=1) == []
