"""Stamps: what decides a corpus file's document, recorded at an ingest so that the next one
does not read an unchanged file again: the file stands for the document the index holds
(`Unread`: its id and content hash, from the record).

A file's stamp is its size and modification time (`st_size`, `st_mtime_ns`), with its sidecar's;
the folder's metadata table and the reading code have a stamp of their own, and when either
changed every file is read. A file modified less than `RACY_NS` before its stamp was taken is
not recorded: an edit in the same tick of the clock could keep its size and time.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from stat import S_ISDIR
from typing import Any

from rag.readers.metadata import SIDECAR_SUFFIX
from rag.types import Document, Unread

RACY_NS = 2_000_000_000
"""A stamp is trusted when the file is at least this much older than the moment it was taken
(2 s: the coarsest modification times in use, FAT's, tick every 2 s)."""
FORMAT_LIBRARIES = ("trafilatura", "pdfplumber")

Stamp = str
"""`"size:mtime_ns"`, with `"|size:mtime_ns"` of the sidecar when there is one: compared whole."""
Reading = tuple[Document | Unread, list[str]]
"""A file's document (`Unread` when the file was not read again) and its warnings."""


def stamp(path: str, trusted_before_ns: int, dir_fd: int | None = None) -> Stamp | None:
    """The file's stamp (`path` in the open folder `dir_fd` when given); `""` when it is not
    there; None when its stat cannot be read or it changed too recently to trust (after
    `trusted_before_ns`)."""
    try:
        st = os.stat(path, dir_fd=dir_fd)
    except FileNotFoundError:
        return ""
    except OSError:
        return None
    if st.st_mtime_ns > trusted_before_ns:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


@cache
def reader_stamp() -> str:
    """A hash of the reading code (this package's source, the format libraries' versions):
    a new reader reads every file again."""
    h = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        h.update(source.read_bytes())
    for library in FORMAT_LIBRARIES:
        h.update(f"{library}=={metadata.version(library)}".encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Record:
    """What an ingest recorded of a corpus folder, for the next: the reader's and the table's
    stamps and, per file read with a trusted stamp (by name), its stamp and its reading
    (`Unread`, warnings). Each file's entry is kept as JSON text too: the next record takes an
    unchanged file's entry as it is, and its reading, rather than making them again. Two records
    are equal when their entries are."""

    reader: str
    table: Stamp | None
    entries: dict[str, str]  # name -> `"name": [stamp, doc_id, content_hash, warnings]`
    stamps: dict[str, Stamp] = field(compare=False)
    readings: dict[str, Reading] = field(compare=False)

    def to_json(self) -> str:
        """The record as JSON text: `{"reader", "table", "files": {name: entry}}`."""
        head = json.dumps({"reader": self.reader, "table": self.table})
        return f'{head[:-1]}, "files": {{{", ".join(self.entries.values())}}}}}'

    @classmethod
    def from_json(cls, data: Any) -> Record | None:
        """The record in `data` (`to_json`, parsed); None when it is not one this code writes."""
        try:
            files = data["files"]
            readings: dict[str, Reading] = {
                n: (Unread(e[1], e[2]), e[3]) for n, e in files.items() if _is_entry(e)
            }
            if len(readings) != len(files) or len({e[1] for e in files.values()}) != len(files):
                return None  # an entry not as written, or two files with one id
            stamps = {name: entry[0] for name, entry in files.items()}
            entries = {name: _entry(name, stamps[name], readings[name]) for name in files}
            return cls(data["reader"], data["table"], entries, stamps, readings)
        except (KeyError, TypeError, AttributeError):
            return None


def _is_entry(entry: Any) -> bool:
    """`[stamp, doc_id, content_hash, warnings]`, as a record keeps a file."""
    return (
        isinstance(entry, list)
        and len(entry) == 4
        and all(isinstance(part, str) and part for part in entry[:3])
        and isinstance(entry[3], list)
    )


def _unread(reading: Reading) -> Reading:
    doc, warnings = reading
    return Unread(doc.doc_id, doc.content_hash), warnings


def _entry(name: str, stamp: Stamp, reading: Reading) -> str:
    """The file's entry in the record's JSON, `"name": [stamp, doc_id, content_hash, warnings]`
    (its strings quoted one by one: `json.dumps` of a list costs an encoder each call)."""
    doc, warnings = reading
    quoted = ", ".join(map(_quote, warnings))
    return (
        f"{_quote(name)}: [{_quote(stamp)}, {_quote(doc.doc_id)}, {_quote(doc.content_hash)}, "
        f"[{quoted}]]"
    )


_quote = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True)
class Earlier:
    """What the ingest that built the index's version recorded (`Loaded.record`), and that
    version."""

    record: Record
    version: str | None = None


def _file_stamps(names: Sequence[str], before: int, dir_fd: int) -> dict[str, Stamp | None]:
    """The stamps of the files `names` in the open folder `dir_fd`, folders left out: as
    `stamp` gives them, with a stat per file and no other call."""
    files: dict[str, Stamp | None] = {}
    for name in names:
        try:
            st = os.stat(name, dir_fd=dir_fd)
        except OSError:  # gone since listed, or unreadable: read, to say so
            files[name] = None
            continue
        if not S_ISDIR(st.st_mode):
            trusted = st.st_mtime_ns <= before
            files[name] = f"{st.st_size}:{st.st_mtime_ns}" if trusted else None
    return files


@dataclass(frozen=True)
class Stamps:
    """A corpus folder's stamps, taken before its files are read."""

    reader: str
    table: Stamp | None
    files: dict[str, Stamp | None]  # name -> the file's stamp with its sidecar's

    @classmethod
    def take(
        cls, folder: Path, names: Sequence[str], table: Path, sidecars: Collection[str]
    ) -> Stamps:
        """The stamps of the files `names` in `folder` (a folder among them is left out) and of
        their sidecars; only the files named in `sidecars` have one."""
        before = time.time_ns() - RACY_NS
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # names looked up in it, not paths
        except OSError:
            return cls(reader_stamp(), stamp(os.fspath(table), before), dict.fromkeys(names))
        try:
            files = _file_stamps(names, before, fd)
            for name in sorted(files.keys() & sidecars):
                if not files[name]:
                    continue
                beside = stamp(name + SIDECAR_SUFFIX, before, fd)
                files[name] = None if beside is None else f"{files[name]}|{beside}"
        finally:
            os.close(fd)
        return cls(reader_stamp(), stamp(os.fspath(table), before), files)

    def record(
        self, kept: Mapping[str, Reading], unchanged: Mapping[str, Reading], earlier: Record | None
    ) -> Record:
        """What to keep of this ingest: the files `kept` (by name) with a trusted stamp, each
        as `Unread`. Those among `unchanged` (as `unchanged(earlier)` gave them) keep what
        `earlier` has of them, taken as it is: only the files read are made an entry."""
        if self.table is None:
            return Record(self.reader, self.table, {}, {}, {})
        reused = kept.keys() & unchanged.keys()
        then = earlier if reused and earlier is not None else _NOTHING
        gone = then.readings.keys() - reused
        stamps = _without(then.stamps, gone)
        readings = _without(then.readings, gone)
        entries = _without(then.entries, gone)
        files = self.files
        for name in sorted(kept.keys() - reused):  # read this time: a few, if any
            if not (now := files.get(name)):
                continue
            stamps[name] = now
            readings[name] = _unread(kept[name])
            entries[name] = _entry(name, stamps[name], readings[name])
        return Record(self.reader, self.table, entries, stamps, readings)

    def unchanged(self, earlier: Record) -> dict[str, Reading]:
        """The files (by name) whose stamps are those `earlier` recorded, each as its recorded
        reading (`Unread`, with its warnings); none when the reader or the table changed."""
        if earlier.reader != self.reader or earlier.table != self.table or self.table is None:
            return {}
        files = self.files
        recorded = earlier.stamps.items()
        same = files.items() <= recorded  # as after a deletion: no set of pairs to build
        changed = set() if same else {name for name, _ in files.items() - recorded}
        return _without(earlier.readings, changed | (earlier.readings.keys() - files.keys()))


_NOTHING = Record("", None, {}, {}, {})


def _without(mapping: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """A copy of `mapping` without `names`: `_without({"a": 1, "b": 2}, ["b"]) == {"a": 1}`."""
    out = dict(mapping)
    for name in names:
        out.pop(name, None)
    return out
