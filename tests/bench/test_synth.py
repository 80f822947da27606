"""The synthetic corpus generator: seeded determinism, and offsets that point at the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.synth import (
    PARTIES,
    change_document,
    generate_documents,
    municipality_names,
    seed_paragraphs,
    write_corpus,
)
from rag.chunking import chunk_document
from rag.query import swedish_municipalities
from rag.readers import corpus_files, load_documents

from ..helpers import CORPUS


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_corpus_other_seed_other_corpus(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", 2_000, seed=7)
    write_corpus(tmp_path / "b", 2_000, seed=7)
    write_corpus(tmp_path / "c", 2_000, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_seed_paragraphs_are_slices_of_their_files() -> None:
    paragraphs = seed_paragraphs(CORPUS)
    assert len(paragraphs) > 20
    for p in paragraphs:
        text = (CORPUS / p.source).read_text(encoding="utf-8")
        assert text[p.start : p.end] == p.text
        assert p.text.strip() and not p.text.startswith("#")


@pytest.mark.parametrize("seed", [0, 1])
def test_generated_offsets_point_at_the_seed_paragraphs(seed: int) -> None:
    paragraphs = seed_paragraphs(CORPUS)
    docs = generate_documents(3_000, seed=seed)
    assert docs
    for doc in docs:
        for place in doc.placements:
            assert doc.text[place.start : place.end] == paragraphs[place.paragraph].text


def test_names_are_distinct_made_up_and_eight_parties_each() -> None:
    names = municipality_names(290, seed=0)
    assert len(set(names)) == 290
    real = {n.casefold() for n in swedish_municipalities()}
    assert not any(n.casefold() in real for n in names)
    docs = generate_documents(5_000, seed=0)
    by_place: dict[str, set[str]] = {}
    for d in docs:
        by_place.setdefault(d.municipality, set()).add(d.party)
    assert all(parties <= set(PARTIES) for parties in by_place.values())
    assert len(docs) == len({d.doc_id for d in docs})


def test_written_corpus_loads_chunks_near_the_target_and_keeps_the_invariant(
    tmp_path: Path,
) -> None:
    summary = write_corpus(tmp_path / "corpus", 2_000, seed=0)
    docs, problems = load_documents(corpus_files(tmp_path / "corpus"))
    assert not problems
    assert len(docs) == summary.documents
    seed_names = {p.name for p in CORPUS.glob("*.md")}
    assert seed_names <= {p.name for p in (tmp_path / "corpus").iterdir()}
    chunks = [c for d in docs for c in chunk_document(d)]
    by_id = {d.doc_id: d for d in docs}
    for c in chunks:
        assert by_id[c.doc_id].text[c.start : c.end] == c.text
    assert 0.85 * 2_000 < len(chunks) < 1.15 * 2_000


def test_change_document_changes_only_that_file(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", 500, seed=0)
    before = _files(tmp_path / "corpus")
    target = sorted((tmp_path / "corpus").iterdir())[0]
    change_document(target)
    after = _files(tmp_path / "corpus")
    assert [n for n in before if before[n] != after[n]] == [target.name]
