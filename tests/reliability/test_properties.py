"""Property and fuzz tests that the unit tests do not already have: the filter parser, the
question check, citation verification with forged citations, chunk offsets over any Unicode
text (both chunkers), cleaning idempotence over scraped-text debris, and the front-matter and
PDF readers on malformed input (only CorpusError may come out)."""

from __future__ import annotations

import random
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rag import Assistant, Citation, CorpusError, MetadataError, QuestionError
from rag.chunking import chunk_document, recursive_chunks, sentence_spans
from rag.citations import MARKER, verify
from rag.readers import clean_text, content_hash, split_front_matter
from rag.readers.pdf import read_pdf
from rag.retrieval import FILTER_KEYS, Filters, parse_filters
from rag.types import Document
from tests.pdf import make_pdf

SESSION = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MUNICIPALITIES = ["Örebro", "Botkyrka", "Upplands Väsby", "Eskilstuna", "Stockholm"]


# --- the filter parser ----------------------------------------------------------------------


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


@SESSION
@given(raw_filters)
def test_filter_parser_resolves_known_names_or_raises_a_question_error(
    assistant: Assistant, raw: Any
) -> None:
    snapshot = assistant.snapshot()
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


# --- citation verification ------------------------------------------------------------------


@SESSION
@given(st.data())
def test_verify_keeps_only_verbatim_citations_and_renumbers_them(
    assistant: Assistant, data: st.DataObject
) -> None:
    documents = {d.doc_id: d for d in assistant.documents()}
    ids = sorted(documents)
    citations = []
    for n in range(1, data.draw(st.integers(1, 6)) + 1):
        doc = documents[data.draw(st.sampled_from(ids))]
        start = data.draw(st.integers(-5, len(doc.text) + 5))
        end = data.draw(st.integers(start - 5, start + 200))
        quote = doc.text[max(start, 0) : max(end, 0)]
        forge = data.draw(st.sampled_from(["none", "quote", "doc", "municipality"]))
        if forge == "quote":
            quote = quote + data.draw(st.text(min_size=1, max_size=5))
        citation = Citation(n, doc.doc_id, doc.municipality, doc.party, doc.title, "", quote,
                            start, end)  # fmt: skip
        if forge == "doc":
            citation = Citation(**{**citation.__dict__, "doc_id": "no-such-programme"})
        if forge == "municipality":
            citation = Citation(**{**citation.__dict__, "municipality": "Atlantis"})
        citations.append(citation)
    markers = data.draw(st.lists(st.integers(0, 9), max_size=10))
    text = " ".join(f"Mening [{m}]." for m in markers)

    new_text, kept = verify(text, citations, documents)
    assert [c.n for c in kept] == list(range(1, len(kept) + 1))
    for c in kept:
        doc = documents[c.doc_id]
        assert 0 <= c.start < c.end <= len(doc.text) and doc.text[c.start : c.end] == c.quote
        assert c.quote.strip() and c.municipality == doc.municipality
    shown = [int(m.group(1)) for m in MARKER.finditer(new_text)]
    assert set(shown) == {c.n for c in kept}  # every marker has its citation and vice versa


# --- chunk offsets and cleaning -------------------------------------------------------------

any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
scraped = st.lists(
    st.sampled_from(
        ["a", "B", "Ö", "é", ".", "!", ":", "\n", "\n\n", " ", "\t", "-", "#", "## ", "*", "**",
         "•", "1", ")", "Se alla", "Läs mer", "\r\n", "\u00a0", "\ufeff", "\u200b", "x" * 90]
    ),
    max_size=80,
).map("".join)  # fmt: skip


def document(text: str) -> Document:
    return Document("d", text, "P", "M", "T", "d.md", content_hash(text, {}))


@settings(max_examples=200, deadline=None)
@given(any_text | scraped, st.booleans())
def test_chunk_offsets_hold_for_any_text_and_both_chunkers(raw: str, pdf_like: bool) -> None:
    text = clean_text(raw, detect_headings=pdf_like)
    doc = document(text)
    for chunks in (
        chunk_document(doc, 120, 30),
        chunk_document(doc, 700, 250),
        recursive_chunks(doc, 150, 40),
    ):
        for c in chunks:
            assert doc.text[c.start : c.end] == c.text and c.text.strip()
    for s, e in sentence_spans(text):
        assert 0 <= s < e <= len(text)


@settings(max_examples=300, deadline=None)
@given(scraped | any_text, st.booleans())
@example("*\n\na", False)  # a lone bullet joined to the next paragraph became a bullet later
@example("** **", False)  # an empty bold line became an empty heading
def test_cleaning_is_idempotent_on_scraped_debris(raw: str, headings: bool) -> None:
    once = clean_text(raw, detect_headings=headings)
    assert clean_text(once) == once


# --- readers on malformed input ---------------------------------------------------------------

yaml_tokens = st.sampled_from(
    [*"ab :-[]{}!&*?|>'\"#\n0123456789.,%@`\\\t", "!!binary ", "!!int ", "!!float ",
     "!!timestamp ", "!!set ", "2001-13-45", "&a ", "*a", "<<: ", "!!python/name:os.system",
     "\n- ", "---", "...", "%YAML 1.1\n", "\x00", "party: ", "year: "]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(yaml_tokens, max_size=40).map("".join))
def test_front_matter_parser_raises_only_metadata_errors(body: str) -> None:
    try:
        meta, rest = split_front_matter("---\n" + body + "\n---\nText")
    except MetadataError:
        return
    assert isinstance(meta, dict)


PDF = make_pdf([["Program för Testby", "Vi vill ha sprutbyte."], ["Sida två", "Text."]])


@pytest.mark.parametrize("seed", range(4))
def test_pdf_reader_raises_only_corpus_errors(seed: int) -> None:
    """Randomly damaged PDFs (bytes flipped, cut, inserted): text or a CorpusError."""
    rng = random.Random(seed)
    for _ in range(150):
        data = bytearray(PDF)
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(data))
            what = rng.random()
            if what < 0.5:
                data[pos] = rng.randrange(256)
            elif what < 0.75:
                del data[pos : pos + rng.randint(1, 40)]
            else:
                data[pos:pos] = rng.choice(string.printable).encode() * rng.randint(1, 20)
        try:
            meta, text = read_pdf(bytes(data))
        except CorpusError:
            continue
        assert isinstance(text, str) and isinstance(meta, dict)
