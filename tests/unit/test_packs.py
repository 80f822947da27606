"""Packs and the versions made of them: term counts that merge exactly, snapshots assembled in
corpus order whatever pack holds a programme, and when packs are merged. No model, no Chroma."""

from __future__ import annotations

import numpy as np
import pytest

from rag.chunking import chunk_document
from rag.index import Manifest, PackRef, Pointer, merge_from
from rag.lexical import Columns, LexicalIndex, TermCounts
from rag.packs import Catalogue, PackContents, pack_vectors, read_catalogue, read_pack, write_pack
from rag.snapshot import assemble, in_memory
from rag.types import Document

TEXTS = {
    "a": "Vi stöder ett sprutbytesprogram.",
    "b": "Metoden är sprututbyte.",
    "c": "Hemlösa ska få bostad.",
    "d": "Något helt annat om skolan.",
}


def test_merged_counts_score_as_counts_built_at_once() -> None:
    ids = list(TEXTS)
    whole = LexicalIndex.build(ids, list(TEXTS.values()))
    first = TermCounts.of_texts(ids[:2], list(TEXTS.values())[:2])
    second = TermCounts.of_texts(ids[2:], list(TEXTS.values())[2:])
    merged = TermCounts.merge([second, first]).rows([2, 3, 0, 1])
    assert merged.ids == ids
    parts = LexicalIndex(ids, [(merged.columns(), np.arange(4))])
    assert np.allclose(parts.scores("sprutbyte bostad"), whole.scores("sprutbyte bostad"))
    assert parts.search("sprutbyte", 4) == whole.search("sprutbyte", 4)
    assert parts.stem_frequency("hemlösa") == 1 and parts.stem_frequency("okänt") == 0


def test_an_index_over_parts_skips_the_rows_it_does_not_hold() -> None:
    """As a snapshot reads packs: the second part's first row is a programme replaced since."""
    ids, texts = list(TEXTS), list(TEXTS.values())
    whole = LexicalIndex.build(ids[:3], texts[:3])
    first = TermCounts.of_texts(ids[:2], texts[:2]).columns()
    second = TermCounts.of_texts(["old", ids[2]], ["Sprutbyte och bostad.", texts[2]]).columns()
    parts = LexicalIndex(ids[:3], [(first, np.arange(2)), (second, np.array([-1, 2]))])
    for query in ("sprutbyte", "bostad hemlösa", "okänt"):
        assert np.allclose(parts.scores(query), whole.scores(query))
    assert parts.stem_frequency("bostad") == whole.stem_frequency("bostad") == 1


def test_term_counts_survive_a_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    counts = TermCounts.of_texts(list(TEXTS), list(TEXTS.values()))
    counts.columns().save(tmp_path)
    opened = Columns.open(tmp_path)
    # read where it lies, not loaded (a plain array over the mapped file)
    assert isinstance(opened.rows.base, np.memmap) and not isinstance(opened.rows, np.memmap)
    back = TermCounts.of_columns(list(TEXTS), opened)
    assert back.ids == counts.ids and np.array_equal(back.keys, counts.keys)
    assert (back.counts != counts.counts).nnz == 0
    assert np.array_equal(opened.lengths, np.asarray(counts.counts.sum(axis=1)).ravel())


@pytest.mark.parametrize(
    ("sizes", "start"),
    [
        ([(1000, 1000)], 0),  # one whole pack: nothing to merge
        ([(1000, 1000), (10, 10)], 1),  # a small new pack stays apart
        ([(1000, 1000), (10, 10), (10, 10)], 1),  # two small ones of a size merge
        ([(1000, 1000), (200, 200), (60, 60)], 0),  # 60 ≥ 200/4, then 260 ≥ 1000/4
        ([(1000, 1000), (200, 200), (60, 60), (10, 10)], 3),  # 10 < 60/4: none
        ([(400, 400), (100, 100)], 0),  # a quarter of the pack before: all merge
        ([(1000, 400), (10, 10)], 0),  # more replaced than live: rewritten
    ],
)
def test_which_packs_merge(sizes: list[tuple[int, int]], start: int) -> None:
    packs = [PackRef(str(i), f"c{i}", rows, live) for i, (rows, live) in enumerate(sizes)]
    assert merge_from(packs) == start


def test_a_catalogue_finds_the_first_row_holding_a_text() -> None:
    catalogue = Catalogue(
        {"a": "ha", "b": "hb"},
        {"a": [("a-0", "t1"), ("a-1", "t2")], "b": [("b-0", "t2"), ("b-1", "t3")]},
    )
    assert catalogue.row_of_text == {"t1": 0, "t2": 1, "t3": 3}


def test_manifest_and_pointer_read_back() -> None:
    manifest = Manifest((PackRef("p1", "rag-x-p1", 5, 3),), {"b": "p1", "a": "p1"})
    back = Manifest.from_json(manifest.to_json())
    assert back == manifest and list(back.holder) == ["b", "a"]  # corpus order is kept
    fields = dict.fromkeys(
        ["version", "fingerprint", "embedding_model", "created"], "x"
    ) | dict.fromkeys(["chunk_max_chars", "chunk_min_chars", "documents", "chunks"], 1)
    assert Pointer.from_json(fields) == Pointer(**fields)  # type: ignore[arg-type]
    assert Pointer.from_json({"version": "v", "collection": "c"}) is None  # an older layout


def test_a_manifest_keeps_its_holder_as_an_object_and_reads_the_older_list_of_pairs() -> None:
    manifest = Manifest((PackRef("p1", "rag-x-p1", 5, 3),), {"b": "p1", "a": "p2"})
    assert manifest.to_json()["holder"] == {"b": "p1", "a": "p2"}
    older = {"packs": manifest.to_json()["packs"], "holder": [["b", "p1"], ["a", "p2"]]}
    assert Manifest.from_json(older) == manifest


def _pack(tmp_path, name: str, docs: dict[str, str]) -> PackContents:  # type: ignore[no-untyped-def]
    documents = [
        Document(doc_id, text, "L", doc_id.title(), doc_id, f"{doc_id}.md", f"h-{text}")
        for doc_id, text in docs.items()
    ]
    chunks = [c for d in documents for c in chunk_document(d, 200, 10)]
    terms = TermCounts.of_texts([c.chunk_id for c in chunks], [c.text for c in chunks]).columns()
    contents = PackContents(documents, chunks, terms)
    write_pack(tmp_path, name, contents, np.ones((len(chunks), 3), dtype=np.float32))
    return contents


def test_a_snapshot_takes_each_programme_from_its_pack(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "packs" / ".staging-old").mkdir(parents=True)
    (tmp_path / "packs" / ".staging-new").mkdir(parents=True)
    _pack(tmp_path, "old", {"a": TEXTS["a"], "b": TEXTS["b"]})
    _pack(tmp_path, "new", {"b": TEXTS["c"]})  # b was changed: its new text is in "new"
    assert read_catalogue(tmp_path, "old").rows({"a", "b"}) == 2
    assert [cid for cid, _ in read_catalogue(tmp_path, "old").pairs()] == ["a#0", "b#0"]
    assert pack_vectors(tmp_path, "old", [1]).tolist() == [[1.0, 1.0, 1.0]]
    contents = {name: read_pack(tmp_path, name) for name in ("old", "new")}
    packs = (PackRef("old", "c-old", 2, 1), PackRef("new", "c-new", 1, 1))
    snap = assemble("v1", packs, {"b": "new", "a": "old"}, contents, 4)
    assert list(snap.documents) == ["b", "a"]  # programmes in corpus order
    assert [c.doc_id for c in snap.chunks] == ["a", "b"]  # chunks pack by pack, oldest first
    assert "Hemlösa" in snap.documents["b"].text and snap.chunks[1].text.startswith("Hemlösa")
    assert snap.lexical.ids == [c.chunk_id for c in snap.chunks]
    assert snap.live("new", snap.chunks[1].chunk_id)
    assert not snap.live("old", snap.chunks[1].chunk_id)  # b's older text, still in "old"
    hits = snap.lexical.search("sprutbyte", 5)
    assert [snap.chunks[row].doc_id for row, _ in hits] == ["a"]
    # Words and word pairs of the programmes in this version only (not b's older text).
    assert {"hemlösa", "sprutbytesprogram"} <= snap.vocabulary
    assert "sprututbyte" not in snap.vocabulary
    assert snap.is_pair("stöder", "sprutbytesprogram") and not snap.is_pair(
        "metoden", "sprututbyte"
    )


def test_an_in_memory_snapshot_has_the_same_parts() -> None:
    documents = [
        Document(d, text, "L", d.title(), d, f"{d}.md", f"h-{d}") for d, text in TEXTS.items()
    ]
    chunks = [c for d in documents for c in chunk_document(d, 200, 10)]
    snap = in_memory("v", documents, chunks)
    assert snap.chunks == chunks and list(snap.documents) == list(TEXTS)
    assert snap.is_pair("hemlösa", "få") and "skolan" in snap.vocabulary
