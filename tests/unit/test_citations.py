"""Citations are exact slices of their documents; verification keeps only those, numbered by
first mention, and removes every other marker."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from rag import Citation, Document
from rag.citations import MARKER, cite, is_verbatim, verify
from rag.readers import content_hash

from ..helpers import seed_documents

TEXT = "# Program\n\nVi vill ha sprutbyte. Vi säger nej till tiggeriförbud.\n"
DOC = Document("d", TEXT, "Liberalerna", "Testby", "Program", "d.md", content_hash(TEXT, {}))
DOCUMENTS = {"d": DOC}


def quote_of(n: int, sentence: str) -> Citation:
    start = TEXT.index(sentence)
    return cite(n, DOC, "Program", start, start + len(sentence))


def test_a_citation_is_the_document_text_at_its_offsets_with_its_labels() -> None:
    c = quote_of(4, "Vi vill ha sprutbyte.")
    assert (c.n, c.quote, c.doc_id, c.municipality, c.party, c.title, c.heading) == (
        4,
        "Vi vill ha sprutbyte.",
        "d",
        "Testby",
        "Liberalerna",
        "Program",
        "Program",
    )
    assert is_verbatim(c, DOCUMENTS)


def test_what_is_not_verbatim() -> None:
    c = quote_of(1, "Vi vill ha sprutbyte.")
    assert not is_verbatim(replace(c, doc_id="other"), DOCUMENTS)
    assert not is_verbatim(replace(c, start=c.start + 1), DOCUMENTS)
    assert not is_verbatim(replace(c, quote=c.quote + " Och mer."), DOCUMENTS)
    assert not is_verbatim(replace(c, municipality="Atlantis"), DOCUMENTS)
    assert not is_verbatim(replace(c, party="Moderaterna"), DOCUMENTS)
    assert not is_verbatim(replace(c, start=-1, end=3, quote=""), DOCUMENTS)
    blank = TEXT.index("\n\n")
    assert not is_verbatim(replace(c, start=blank, end=blank + 2, quote="\n\n"), DOCUMENTS)
    beyond = len(TEXT)
    assert not is_verbatim(replace(c, start=beyond, end=beyond + 5, quote=""), DOCUMENTS)


def test_verify_drops_what_it_cannot_check() -> None:
    c1 = quote_of(1, "Vi vill ha sprutbyte.")
    c2 = quote_of(2, "Vi säger nej till tiggeriförbud.")
    forged = replace(c2, quote="Kärnkraft! " + c2.quote)
    shifted = replace(c1, n=3, start=c1.start + 1)
    text, kept = verify("A [1]. B [2]. C [3]. D [4].", [c1, forged, shifted], DOCUMENTS)
    assert [c.quote for c in kept] == [c1.quote]
    assert text == "A [1]. B. C. D."


def test_verify_numbers_by_first_mention_and_drops_uncited_citations() -> None:
    c1 = quote_of(1, "Vi vill ha sprutbyte.")
    c2 = quote_of(2, "Vi säger nej till tiggeriförbud.")
    c3 = quote_of(3, "Vi vill ha sprutbyte.")
    text, kept = verify("Nej [2], ja [1] och nej igen [2] .", [c1, c2, c3], DOCUMENTS)
    assert text == "Nej [1], ja [2] och nej igen [1]."
    assert [(c.n, c.quote) for c in kept] == [(1, c2.quote), (2, c1.quote)]


# --- verification, over forged citations ---------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_verify_keeps_only_verbatim_citations_and_renumbers_them(data: st.DataObject) -> None:
    documents = {d.doc_id: d for d in seed_documents()}
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
