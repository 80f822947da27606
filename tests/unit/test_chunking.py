"""Chunks follow the structure and always point exactly into their document."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.chunking import chunk_document, chunk_sentences, recursive_chunks, sentence_spans
from rag.readers import clean_text, content_hash, load_corpus
from rag.types import Chunk, Document

from ..helpers import CORPUS

DOCS = load_corpus(CORPUS)[0]
CHUNKERS = {
    "structure": lambda d: chunk_document(d, 700, 250),
    "structure-small": lambda d: chunk_document(d, 200, 50),
    "recursive": lambda d: recursive_chunks(d, 1000, 200),
}


def _doc(text: str) -> Document:
    return Document("d", text, "P", "M", "T", "s.md", content_hash(text, {}))


def _check(doc: Document, chunks: list[Chunk]) -> None:
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert c.text.strip() == c.text and c.text


@pytest.mark.parametrize("chunker", CHUNKERS)
@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.doc_id)
def test_offsets_round_trip_for_every_chunk(chunker: str, doc: Document) -> None:
    chunks = CHUNKERS[chunker](doc)
    assert chunks
    _check(doc, chunks)
    assert len({c.chunk_id for c in chunks}) == len(chunks)


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.doc_id)
def test_chunks_stay_under_their_heading_and_size(doc: Document) -> None:
    for c in chunk_document(doc, 700, 250):
        assert "\n#" not in c.text and not c.text.startswith("#")
        assert c.heading
        # At most max_chars, plus a short remainder (< min_chars) merged into it; only a single
        # sentence longer than that may exceed it.
        longest_sentence = max(e - s for s, e in sentence_spans(c.text))
        assert len(c.text) <= 700 + 250 or longest_sentence > 700


def test_heading_is_recorded() -> None:
    orebro = next(d for d in DOCS if d.municipality == "Örebro")
    by_heading = {c.heading: c.text for c in chunk_document(orebro)}
    assert "sprututbyte" in by_heading["Sprutbyte"]
    assert "Kommunens socialtjänst" in by_heading["Socialpolitik"]  # text before any ##


ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
SCRAPED = st.lists(
    st.sampled_from(
        ["a", "B", "Ö", "é", ".", "!", "?", ":", "\n", "\n\n", " ", "\t", "-", "#", "## ", "*",
         "**", "•", "1", ")", "Se alla", "Läs mer", "\r\n", "\u00a0", "\ufeff", "\u200b",
         "x" * 90]
    ),
    max_size=80,
).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT | SCRAPED, st.booleans())
def test_offsets_hold_for_any_text_and_both_chunkers(raw: str, pdf_like: bool) -> None:
    text = clean_text(raw, detect_headings=pdf_like)
    doc = _doc(text)
    for chunks in (
        chunk_document(doc, 120, 30),
        chunk_document(doc, 700, 250),
        recursive_chunks(doc, 150, 40),
    ):
        _check(doc, chunks)
    for s, e in sentence_spans(text):
        assert 0 <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e] and text[s:e]


def test_sentences() -> None:
    text = "Vi vill. T.ex. satsningar på språk! Och mer?\n- En punkt"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Vi vill.",
        "T.ex. satsningar på språk!",
        "Och mer?",
        "En punkt",
    ]


def test_chunk_sentences_are_read_as_evidence_is() -> None:
    documents = [
        Document("a", "Vi vill ha sprutbyte. Det hjälper.", "L", "A", "a", "a.md", "h-a"),
        Document("b", "Hemlösa ska få bostad.", "L", "B", "b", "b.md", "h-b"),
    ]
    chunks = [c for d in documents for c in chunk_document(d, 200, 10)]
    assert chunk_sentences(chunks[:1]) == ["Vi vill ha sprutbyte.", "Det hjälper."]
    assert chunk_sentences(chunks)[-1] == "Hemlösa ska få bostad."
    assert chunk_sentences([]) == []
