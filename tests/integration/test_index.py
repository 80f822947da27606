"""Ingest is incremental (proved by counting embeddings) and the index knows what built it.
Real Chroma on disk, the real packaged model."""

from __future__ import annotations

import gc
import json
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

import rag.index
import rag.readers.documents as reading
from rag import Assistant, CorpusError, IndexUnavailable, IngestReport, get_settings
from rag.embedders import Embeddings
from rag.readers import Earlier, Record, read_labelled

from ..fakes import HashingEmbedder
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
    # Its chunks, read from the new pack alone, are the version's.
    own = a.index.chunks_of({"orebro-liberalerna-socialpolitik"})
    assert own == [c for c in a.snapshot().chunks if c.doc_id == "orebro-liberalerna-socialpolitik"]
    assert any("fältarbetare" in c.text for c in own) and a.index.chunks_of({"okänt"}) == []

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


# --- files unchanged since the last ingest are not read again ------------------------------
# Real Chroma on disk; the hashing embedder stands in for the model, which is not the point.

HOUR_AGO = time.time_ns() - 3600 * 10**9  # older than the seconds in which a stamp is not trusted
CHANGED = "orebro-liberalerna-socialpolitik.md"


@dataclass
class Reads:
    """An assistant, and the files its ingests read (by name)."""

    assistant: Assistant
    files: list[str] = field(default_factory=list)

    def read_labelled(self, path: Path, *args: Any, **kwargs: Any) -> Any:
        self.files.append(path.name)
        return read_labelled(path, *args, **kwargs)

    def ingest(self, rebuild: bool = False) -> IngestReport:
        self.files.clear()
        return self.assistant.ingest(rebuild=rebuild)


@pytest.fixture
def hashing(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Reads:
    """An assistant over the seed corpus (files dated an hour ago), indexed once; the files
    read by each later ingest are noted."""
    for path in corpus.iterdir():
        os.utime(path, ns=(HOUR_AGO, HOUR_AGO))
    settings = get_settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    reads = Reads(Assistant(settings, embeddings=Embeddings(HashingEmbedder())))
    reads.assistant.ingest()
    monkeypatch.setattr(reading, "read_labelled", reads.read_labelled)
    return reads


def test_a_re_ingest_reads_only_the_files_that_changed(corpus: Path, hashing: Reads) -> None:
    path = corpus / CHANGED
    path.write_text(path.read_text(encoding="utf-8") + "\nVi vill ha fler fältarbetare.\n")
    os.utime(path, ns=(HOUR_AGO, HOUR_AGO))  # the same time, another size
    report = hashing.ingest()
    assert hashing.files == [CHANGED]
    assert report.updated == [path.stem] and len(report.unchanged) == 4 and not report.problems
    assert "fältarbetare" in hashing.assistant.document(path.stem).text
    assert hashing.ingest().changed is False and hashing.files == []


def test_an_ingest_pauses_the_cyclic_collector_and_restores_it(
    corpus: Path, hashing: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its full collections would walk every object alive (a loaded snapshot) for nothing."""
    collecting: list[bool] = []
    read = hashing.read_labelled
    monkeypatch.setattr(
        reading, "read_labelled", lambda *a, **k: collecting.append(gc.isenabled()) or read(*a, **k)
    )
    path = corpus / CHANGED
    path.write_text(path.read_text(encoding="utf-8") + "\nVi vill ha fler fältarbetare.\n")
    assert gc.isenabled()
    assert hashing.ingest().updated and collecting == [False] and gc.isenabled()


def test_a_touched_file_is_read_and_changes_nothing(corpus: Path, hashing: Reads) -> None:
    version = hashing.assistant.index.pointer().version  # type: ignore[union-attr]
    os.utime(corpus / CHANGED, ns=(HOUR_AGO + 10**9, HOUR_AGO + 10**9))
    report = hashing.ingest()
    assert hashing.files == [CHANGED]
    assert not report.changed and report.version == version and report.embedded == 0
    hashing.ingest()
    assert hashing.files == []  # its new stamp is recorded


def test_an_edited_table_or_a_rebuild_reads_every_file(corpus: Path, hashing: Reads) -> None:
    table = corpus / "metadata.csv"
    table.write_text(f"file,party,municipality,title,year\n{CHANGED},,,Ny titel,\n")
    os.utime(table, ns=(HOUR_AGO, HOUR_AGO))
    report = hashing.ingest()
    assert len(hashing.files) == 5 and report.updated == [Path(CHANGED).stem]
    assert hashing.assistant.document(Path(CHANGED).stem).title == "Ny titel"
    hashing.ingest()
    assert hashing.files == []
    assert hashing.ingest(rebuild=True).rebuilt and len(hashing.files) == 5
    hashing.ingest()
    assert hashing.files == []


def test_a_deleted_file_is_removed_and_the_rest_not_read(corpus: Path, hashing: Reads) -> None:
    (corpus / CHANGED).unlink()
    report = hashing.ingest()
    assert hashing.files == [] and report.removed == [Path(CHANGED).stem]
    assert Path(CHANGED).stem not in {d.doc_id for d in hashing.assistant.documents()}


def test_a_damaged_record_of_the_files_reads_them_all(tmp_path: Path, hashing: Reads) -> None:
    (tmp_path / "index" / "sources.json").write_text("{not json")
    assert not hashing.ingest().changed and len(hashing.files) == 5
    hashing.ingest()
    assert hashing.files == []


def test_a_damaged_record_file_read_from_disk_reads_them_all(
    tmp_path: Path, hashing: Reads
) -> None:
    """A record file is written once: only another process reads it from disk."""
    index = tmp_path / "index"
    (index / "records" / on_disk(index)["record"]).write_text('{"reader": "x", "files": {')
    other = Assistant(hashing.assistant.settings, embeddings=hashing.assistant.embeddings)
    hashing.files.clear()
    assert not other.ingest().changed and len(hashing.files) == 5
    hashing.files.clear()
    other.ingest()
    assert hashing.files == []


def test_each_record_is_written_under_a_name_of_its_own_and_the_one_before_kept(
    corpus: Path, hashing: Reads
) -> None:
    """Not over the one before, which the filesystem would then write out ahead of the next
    forced write; the one before stays for a reader on its way to it, older ones go."""
    index = corpus.parent / "index"
    first = on_disk(index)["record"]
    (corpus / CHANGED).unlink()
    hashing.ingest()
    second = on_disk(index)["record"]
    assert second != first and sorted(p.name for p in (index / "records").iterdir()) == sorted(
        [first, second]
    )
    path = sorted(corpus.glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nVi vill ha fler fältarbetare.\n")
    hashing.ingest()
    third = on_disk(index)["record"]
    assert sorted(p.name for p in (index / "records").iterdir()) == sorted([second, third])


def on_disk(index: Path) -> Any:
    return json.loads((index / "sources.json").read_text(encoding="utf-8"))


def recorded_on_disk(index: Path) -> Record | None:
    return Record.from_json(json.loads((index / "records" / on_disk(index)["record"]).read_text()))


def test_the_record_this_process_wrote_is_not_read_again_until_the_file_changes(
    corpus: Path, hashing: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ingest that wrote the record keeps it in memory; once another process's ingest
    replaces the file, the record on disk (that ingest's) is read instead."""
    index, sources = hashing.assistant.index, corpus.parent / "index" / "sources.json"
    reads: list[Path] = []
    read_json = rag.index.read_json
    monkeypatch.setattr(rag.index, "read_json", lambda p: reads.append(p) or read_json(p))
    version = index.pointer().version  # type: ignore[union-attr]
    assert index.earlier() == Earlier(recorded_on_disk(index.root), version)  # type: ignore[arg-type]
    assert [p for p in reads if p.name != "CURRENT.json"] == []  # neither SOURCES nor the record
    other = Assistant(hashing.assistant.settings, embeddings=hashing.assistant.embeddings)
    (corpus / CHANGED).unlink()
    other.ingest()
    record = recorded_on_disk(index.root)
    version = index.pointer().version  # type: ignore[union-attr]
    assert record is not None and CHANGED not in record.stamps
    assert index.earlier() == Earlier(record, version)
    assert sources in reads and index.root / "records" / on_disk(index.root)["record"] in reads


def test_an_ingest_that_changes_nothing_does_not_write_the_record_again(
    corpus: Path, hashing: Reads
) -> None:
    """Neither in the process that wrote the record nor in another: the file stays the one
    written (a write replaces it by another file); an ingest that changes something writes."""
    sources = corpus.parent / "index" / "sources.json"
    written = sources.stat().st_ino
    other = Assistant(hashing.assistant.settings, embeddings=hashing.assistant.embeddings)
    for assistant in (hashing.assistant, other):
        assert not assistant.ingest().changed and sources.stat().st_ino == written
    (corpus / CHANGED).unlink()
    assert other.ingest().removed and sources.stat().st_ino != written


def test_files_recorded_before_another_ingest_changed_the_index_are_read_again(
    corpus: Path, hashing: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record read, then another ingest publishes another text of a programme: the file,
    at the stamp recorded, no longer stands for what the index holds, so every file is read."""
    path, assistant = corpus / CHANGED, hashing.assistant
    before, stat = path.read_bytes(), path.stat()
    recorded = assistant.index.earlier()
    path.write_text(before.decode() + "\nVi vill ha fler fältarbetare.\n", encoding="utf-8")
    assert hashing.ingest().updated == [path.stem]  # the other ingest
    path.write_bytes(before)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the stamp recorded
    monkeypatch.setattr(assistant.index, "earlier", lambda: recorded)
    report = hashing.ingest()
    assert report.updated == [path.stem] and len(hashing.files) == 5
    assert "fältarbetare" not in assistant.document(path.stem).text


def test_a_packs_catalogue_is_read_once_and_forgotten_when_unused(
    hashing: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = hashing.assistant.index
    manifest = index.manifest(index.pointer().version)  # type: ignore[union-attr]
    index.catalogues(manifest)
    reads: list[str] = []
    monkeypatch.setattr(rag.index, "read_catalogue", lambda root, name: reads.append(name))
    assert set(index.catalogues(manifest)) == {p.name for p in manifest.packs} and reads == []
    index.catalogues(replace(manifest, packs=()))
    index.catalogues(manifest)
    assert reads == [p.name for p in manifest.packs]  # forgotten, so read again


def test_the_next_ingest_does_not_read_the_manifest_this_process_wrote(
    corpus: Path, hashing: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version never changes: the one this process wrote or read last is kept in memory."""
    index = hashing.assistant.index
    reads: list[Path] = []
    read_json = rag.index.read_json
    monkeypatch.setattr(rag.index, "read_json", lambda p: reads.append(p) or read_json(p))
    (corpus / CHANGED).unlink()
    assert hashing.ingest().removed and hashing.ingest().changed is False
    assert [p for p in reads if p.parent.name == "versions"] == []
    other = Assistant(hashing.assistant.settings, embeddings=hashing.assistant.embeddings)
    assert other.documents() == hashing.assistant.documents()  # another process reads it
    assert [p.stem for p in reads if p.parent.name == "versions"] == [index.pointer().version]  # type: ignore[union-attr]


def test_unread_programmes_are_not_looked_up_when_the_ingest_starts_from_their_version(
    corpus: Path, hashing: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record they come from was kept for that version, which holds them as recorded: only
    the programmes read are looked up in it."""
    looked: list[str] = []
    content_hash = rag.index._Old.content_hash
    monkeypatch.setattr(
        rag.index._Old, "content_hash", lambda old, d: looked.append(d) or content_hash(old, d)
    )
    (corpus / CHANGED).unlink()
    assert hashing.ingest().removed == [Path(CHANGED).stem] and looked == []
    other = sorted(corpus.glob("*.md"))[0]
    other.write_text(other.read_text(encoding="utf-8") + "\nVi vill ha fler fältarbetare.\n")
    assert hashing.ingest().updated == [other.stem] and set(looked) == {other.stem}


def test_a_deletion_rewrites_no_pack_that_is_still_mostly_live(
    corpus: Path, hashing: Reads
) -> None:
    index = hashing.assistant.index
    before = index.manifest(index.pointer().version).packs
    (corpus / CHANGED).unlink()
    hashing.ingest()
    after = index.manifest(index.pointer().version).packs
    assert [p.name for p in after] == [p.name for p in before]
    assert after[0].live < after[0].rows and after[0].dead <= after[0].live


def test_each_pack_counts_live_the_chunks_its_programmes_have_after_an_update_and_a_deletion(
    corpus: Path, hashing: Reads
) -> None:
    index, path = hashing.assistant.index, corpus / CHANGED
    path.write_text(path.read_text(encoding="utf-8") + "\nVi vill ha fler fältarbetare.\n")
    hashing.ingest()
    next(p for p in sorted(corpus.glob("*.md")) if p != path).unlink()
    report = hashing.ingest()
    manifest = index.manifest(index.pointer().version)  # type: ignore[union-attr]
    catalogues = index.catalogues(manifest)
    for pack in manifest.packs:
        held = {d for d, p in manifest.holder.items() if p == pack.name}
        assert pack.live == catalogues[pack.name].rows(held) > 0
    assert report.chunks == sum(p.live for p in manifest.packs) == index.pointer().chunks  # type: ignore[union-attr]
