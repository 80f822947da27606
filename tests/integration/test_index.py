"""Ingest is incremental (proved by counting embeddings) and the index knows what built it.
Real Chroma on disk, the real packaged model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag import Assistant, CorpusError, IndexUnavailable, get_settings

from ..helpers import CORPUS, copy_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copy_corpus(tmp_path / "corpus")


def make(corpus: Path, tmp_path: Path, embeddings, **overrides) -> Assistant:  # type: ignore[no-untyped-def]
    settings = get_settings(corpus_dir=corpus, index_dir=tmp_path / "index", **overrides)
    return Assistant(settings, embeddings=embeddings)


def test_incremental_ingest_counts_embeddings(corpus: Path, tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    a = make(corpus, tmp_path, embeddings)
    first = a.ingest()
    assert len(first.added) == 5 and first.embedded == first.chunks > 40

    again = a.ingest()
    assert again.embedded == 0 and len(again.unchanged) == 5 and not again.changed
    assert again.version == first.version

    # Change one paragraph of one programme: only its changed chunk is embedded again.
    path = corpus / "orebro-liberalerna-socialpolitik.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("fler fältassistenter.", "fler fältarbetare."),
        encoding="utf-8",
    )
    changed = a.ingest()
    assert changed.updated == ["orebro-liberalerna-socialpolitik"]
    assert changed.embedded == 1
    assert "fältarbetare" in a.document("orebro-liberalerna-socialpolitik").text

    # Delete one: it is removed, nothing is embedded.
    (corpus / "botkyrka-liberalerna-socialpolitik.md").unlink()
    removed = a.ingest()
    assert removed.removed == ["botkyrka-liberalerna-socialpolitik"] and removed.embedded == 0
    assert "Botkyrka" not in {d.municipality for d in a.documents()}
    assert all(p.municipality != "Botkyrka" for p in a.retrieve("kontaktfamiljer", k=10))


def test_changed_settings_rebuild_instead_of_mixing(
    corpus: Path,
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    first = make(corpus, tmp_path, embeddings).ingest()
    bigger = make(corpus, tmp_path, embeddings, chunk_max_chars=1200)
    report = bigger.ingest()
    assert report.rebuilt and report.embedded == report.chunks < first.chunks
    pointer = json.loads((tmp_path / "index" / "CURRENT.json").read_text())
    assert pointer["chunk_max_chars"] == 1200
    assert pointer["embedding_model"] == "packaged:all-MiniLM-L6-v2"
    # Only the current version and the one before it are kept.
    assert len(list((tmp_path / "index" / "versions").iterdir())) <= 2


def test_first_use_builds_the_index(corpus: Path, tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    a = make(corpus, tmp_path, embeddings)
    assert not (tmp_path / "index" / "CURRENT.json").exists()
    assert len(a.documents()) == 5
    assert (tmp_path / "index" / "CURRENT.json").exists()


def test_bad_file_is_skipped_and_the_rest_ingested(
    corpus: Path,
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    (corpus / "trasig.md").write_bytes(b"\xff\xfe garbage \x00")
    report = make(corpus, tmp_path, embeddings).ingest()
    assert len(report.added) == 5
    assert [p.path.name for p in report.problems] == ["trasig.md"]


def test_adding_a_file_with_metadata_from_the_caller(
    corpus: Path,
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    new = tmp_path / "malmo.txt"
    new.write_text("Socialpolitik i Malmö\n\nVi vill införa sprutbyte.\n", encoding="utf-8")
    a = make(corpus, tmp_path, embeddings)
    report = a.ingest([new], metadata={"party": "Liberalerna", "municipality": "Malmö"})
    assert sorted(report.added) == sorted([*(f.stem for f in CORPUS.glob("*.md")), "malmo"])
    assert (corpus / "malmo.txt").exists() and (corpus / "malmo.txt.meta.yaml").exists()
    assert a.document("malmo").title == "Socialpolitik i Malmö"
    answer = a.ask("Vem föreslår sprutbyte?")
    assert "Malmö" in answer.municipalities

    other = tmp_path / "other" / "malmo.txt"
    other.parent.mkdir()
    other.write_text("Annat innehåll\n\nText.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="already exists"):
        a.ingest([other], metadata={"party": "L", "municipality": "Malmö"})
    assert "sprutbyte" in (corpus / "malmo.txt").read_text(encoding="utf-8")  # nothing lost


def test_damaged_index_is_a_clear_error(corpus: Path, tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    a = make(corpus, tmp_path, embeddings)
    a.ingest()
    for f in (tmp_path / "index" / "packs").glob("*/chunks.json"):
        f.write_text("{not json")
    fresh = make(corpus, tmp_path, embeddings)
    with pytest.raises(IndexUnavailable, match="rebuild"):
        fresh.ask("Vem föreslår sprutbyte?")
    report = fresh.ingest(rebuild=True)
    assert report.chunks > 0
    assert fresh.ask("Vem föreslår sprutbyte?").answerable


def test_an_index_updated_programme_by_programme_answers_as_one_built_at_once(
    corpus: Path,
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    updated = make(corpus, tmp_path, embeddings)
    updated.ingest()
    path = corpus / "eskilstuna-liberalerna-sociala-insatser.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nVi vill ha fler fältarbetare.\n")
    updated.ingest()
    (corpus / "stockholm-liberalerna-socialpolitik.md").unlink()
    report = updated.ingest()
    assert report.removed == ["stockholm-liberalerna-socialpolitik"]
    assert len(updated.snapshot().packs) >= 1

    fresh = make(corpus, tmp_path / "fresh", embeddings)
    fresh.ingest()
    assert [d.doc_id for d in updated.documents()] == [d.doc_id for d in fresh.documents()]
    order = sorted(updated.snapshot().chunks, key=lambda c: c.chunk_id)
    assert order == sorted(fresh.snapshot().chunks, key=lambda c: c.chunk_id)
    for question in ("Vem föreslår sprutbyte?", "Vilka vill ha fler fältarbetare?", "hemlöshet"):
        assert updated.ask(question).to_dict() == fresh.ask(question).to_dict(), question
