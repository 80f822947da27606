"""A corpus read again after an ingest: files whose stamps (size and modification time, their
sidecar's, the table's, the reader's) are those recorded are not read; any change reads them.
An unread file is proved unread by giving it content that cannot be read, at the same stamp."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from rag.readers import Earlier, Loaded, Record, read_corpus
from rag.types import Document, Unread

FRONT = "---\nparty: Liberalerna\nmunicipality: {}\n---\n"
BODY = "# Trygghet i {0}\n\nVi vill ha fler fältassistenter i {0}.\n"
HOUR_AGO = time.time_ns() - 3600 * 10**9  # well before the moments a stamp is not trusted


def write(path: Path, text: str, mtime_ns: int = HOUR_AGO) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def garble(path: Path) -> None:
    """The same size and modification time, content that no reader accepts (NUL bytes)."""
    st = path.stat()
    path.write_bytes(b"\x00" * st.st_size)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def programmes(tmp_path: Path, *towns: str) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for town in towns:
        write(corpus / f"{town.lower()}.md", FRONT.format(town) + BODY.format(town))
    return corpus


def noting(read: list[str]) -> Callable[[list[Path]], list[Path]]:
    """A progress hook that notes the names of the files read."""

    def each(files: list[Path]) -> list[Path]:
        read.extend(p.name for p in files)
        return files

    return each


def reread(corpus: Path, before: Loaded) -> tuple[Loaded, list[str]]:
    """The corpus read as the next ingest reads it, after `before` was indexed; and the names
    of the files actually read."""
    read: list[str] = []
    return read_corpus(corpus, noting(read), Earlier(recorded(before))), read


def recorded(loaded: Loaded) -> Record:
    assert loaded.record is not None
    return loaded.record


def unread(doc: Document | Unread) -> Unread:
    """What a file not read again stands for: the document recorded, by id and content hash."""
    return Unread(doc.doc_id, doc.content_hash)


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund", "Umea")
    first = read_corpus(corpus)
    garble(corpus / "lund.md")
    second, read = reread(corpus, first)
    assert read == []
    assert second.documents == [unread(d) for d in first.documents] and second.problems == []
    assert second.record == first.record  # recorded again, for the ingest after


def test_a_file_with_the_same_time_but_another_size_is_read_again(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund", "Umea")
    first = read_corpus(corpus)
    write(corpus / "lund.md", FRONT.format("Lund") + BODY.format("Lunds kommun"))  # HOUR_AGO
    second, read = reread(corpus, first)
    assert read == ["lund.md"]
    assert "Lunds kommun" in second.documents[0].text
    assert second.documents[1] == unread(first.documents[1])


def test_a_touched_file_is_read_again(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund", "Umea")
    first = read_corpus(corpus)
    garble(corpus / "umea.md")
    os.utime(corpus / "umea.md", ns=(HOUR_AGO + 10**9, HOUR_AGO + 10**9))
    second, read = reread(corpus, first)
    assert read == ["umea.md"]
    assert [p.path.name for p in second.problems] == ["umea.md"]
    assert "binary" in second.problems[0].reason


def test_a_new_or_changed_sidecar_reads_its_file_again(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund", "Umea")
    first = read_corpus(corpus)
    write(corpus / "lund.md.meta.yaml", "party: Centerpartiet\n")
    second, read = reread(corpus, first)
    assert read == ["lund.md"] and second.documents[0].party == "Centerpartiet"
    write(corpus / "lund.md.meta.yaml", "party: Moderaterna\n", HOUR_AGO + 10**9)
    third, read = reread(corpus, second)
    assert read == ["lund.md"] and third.documents[0].party == "Moderaterna"


def test_a_changed_table_reads_every_file_again(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund", "Umea")
    first = read_corpus(corpus)
    write(corpus / "metadata.csv", "file,party,municipality,title,year\nlund.md,,,Ny titel,\n")
    second, read = reread(corpus, first)
    assert read == ["lund.md", "umea.md"]
    assert second.documents[0].title == "Ny titel"
    assert reread(corpus, second)[1] == []


def test_a_file_changed_just_now_is_read_again_until_its_stamp_can_be_trusted(
    tmp_path: Path,
) -> None:
    """An edit in the same tick of the clock as the stamp could keep size and time: a file
    modified within seconds of its stamp is not recorded."""
    corpus = programmes(tmp_path, "Lund", "Umea")
    write(corpus / "lund.md", FRONT.format("Lund") + BODY.format("Lund"), time.time_ns())
    first = read_corpus(corpus)
    assert first.record is not None and list(first.record.stamps) == ["umea.md"]
    assert reread(corpus, first)[1] == ["lund.md"]


def test_an_unchanged_file_keeps_its_warnings_and_its_id(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund")
    write(corpus / "utan-rubrik.md", FRONT.format("Umea") + "Vi vill ha fler fältassistenter.\n")
    write(corpus / "zz-lund.md", "---\nid: lund\n" + FRONT.format("Lund")[4:] + BODY.format("X"))
    first = read_corpus(corpus)
    garble(corpus / "utan-rubrik.md")
    second, read = reread(corpus, first)
    assert read == ["zz-lund.md"]  # a file that gave no document is read every time
    assert [str(w) for w in second.warnings] == [str(w) for w in first.warnings] != []
    assert [str(p) for p in second.problems] == ["zz-lund.md: id 'lund' is already used by lund.md"]


def test_with_no_file_read_the_warnings_recorded_are_told_in_corpus_order(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund")
    for name in ("b-utan-rubrik.md", "a-utan-rubrik.md"):
        write(corpus / name, FRONT.format("Umea") + "Vi vill ha fler fältassistenter.\n")
    first = read_corpus(corpus)
    second, read = reread(corpus, first)
    assert read == [] and second.problems == []
    assert [p.path.name for p in second.warnings] == ["a-utan-rubrik.md", "b-utan-rubrik.md"]
    assert [str(w) for w in second.warnings] == [str(w) for w in first.warnings]


def test_a_record_of_another_reader_reads_every_file(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund", "Umea")
    record = recorded(read_corpus(corpus))
    read: list[str] = []
    read_corpus(corpus, noting(read), Earlier(replace(record, reader="another")))
    assert read == ["lund.md", "umea.md"]


def test_a_record_is_kept_as_json_and_read_back(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund")
    write(corpus / 'Åre "utkast".md', FRONT.format("Åre") + "Vi vill ha fler fältassistenter.\n")
    first = read_corpus(corpus)
    record = recorded(first)
    data = json.loads(record.to_json())
    names = ["lund.md", 'Åre "utkast".md']
    stamps = [f"{(corpus / n).stat().st_size}:{HOUR_AGO}" for n in names]
    warnings = [[], [first.warnings[0].reason]]
    assert data == {
        "reader": record.reader,
        "table": "",  # no table
        "files": {
            n: [stamp, d.doc_id, d.content_hash, w]
            for n, stamp, d, w in zip(names, stamps, first.documents, warnings, strict=True)
        },
    }
    back = Record.from_json(data)
    assert back == record and back is not None
    assert back.stamps == record.stamps and back.readings == record.readings


@pytest.mark.parametrize(
    "change",
    [
        lambda data: {**data, "files": {n: e[:2] for n, e in data["files"].items()}},  # no hash
        lambda data: {**data, "files": {n: [[1], *e[1:]] for n, e in data["files"].items()}},
        lambda data: {k: v for k, v in data.items() if k != "reader"},
        lambda data: {**data, "files": {**data["files"], "x.md": data["files"]["lund.md"]}},
        lambda data: "not a record",
        lambda data: None,
    ],
)
def test_what_is_not_a_record_this_code_writes_is_none(
    tmp_path: Path, change: Callable[[Any], Any]
) -> None:
    data = json.loads(recorded(read_corpus(programmes(tmp_path, "Lund"))).to_json())
    assert Record.from_json(change(data)) is None


def test_an_unchanged_files_reading_and_entry_are_those_recorded_not_made_again(
    tmp_path: Path,
) -> None:
    corpus = programmes(tmp_path, "Lund", "Umea")
    first = read_corpus(corpus)
    write(corpus / "umea.md", FRONT.format("Umea") + BODY.format("Umeå kommun"))
    second, read = reread(corpus, first)
    before, after = recorded(first), recorded(second)
    assert read == ["umea.md"]
    assert second.documents[0] is before.readings["lund.md"][0]
    assert after.readings["lund.md"] is before.readings["lund.md"]
    assert after.entries["lund.md"] is before.entries["lund.md"]
    assert after.entries["umea.md"] != before.entries["umea.md"]
    assert after.readings["umea.md"] == (unread(second.documents[1]), [])  # kept as unread


def test_a_deleted_file_leaves_the_record(tmp_path: Path) -> None:
    corpus = programmes(tmp_path, "Lund", "Umea")
    first = read_corpus(corpus)
    (corpus / "umea.md").unlink()
    second, read = reread(corpus, first)
    assert read == [] and second.documents == [recorded(first).readings["lund.md"][0]]
    assert list(recorded(second).entries) == ["lund.md"]
