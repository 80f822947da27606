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
import os
import time
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
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
    return _stamp_of(st, trusted_before_ns)


def _stamp_of(st: os.stat_result, trusted_before_ns: int) -> Stamp | None:
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
class Earlier:
    """What the ingest that built the index's version recorded (`Loaded.record`), and that
    version."""

    record: Any
    version: str | None = None


def _file_stamps(names: Sequence[str], before: int, dir_fd: int) -> dict[str, Stamp | None]:
    """The stamps of the files `names` in the open folder `dir_fd`, folders left out: one stat
    each."""
    files: dict[str, Stamp | None] = {}
    for name in names:
        try:
            st = os.stat(name, dir_fd=dir_fd)
        except OSError:  # gone since listed, or unreadable: read, to say so
            files[name] = None
            continue
        if not S_ISDIR(st.st_mode):
            files[name] = _stamp_of(st, before)
    return files


@dataclass(frozen=True)
class Stamps:
    """A corpus folder's stamps, taken before its files are read."""

    reader: str
    table: Stamp | None
    files: dict[str, Stamp | None]  # name -> the file's stamp with its sidecar's

    @classmethod
    def take(
        cls, folder: Path, names: Sequence[str], table: Path, present: Container[str]
    ) -> Stamps:
        """The stamps of the files `names` in `folder` (a folder among them is left out) and of
        their sidecars; a sidecar whose name is not among those `present` is not there."""
        before = time.time_ns() - RACY_NS
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # names looked up in it, not paths
        except OSError:
            return cls(reader_stamp(), stamp(os.fspath(table), before), dict.fromkeys(names))
        try:
            files = _file_stamps(names, before, fd)
            for name in [n for n in files if files[n] and n + SIDECAR_SUFFIX in present]:
                beside = stamp(name + SIDECAR_SUFFIX, before, fd)
                files[name] = None if beside is None else f"{files[name]}|{beside}"
        finally:
            os.close(fd)
        return cls(reader_stamp(), stamp(os.fspath(table), before), files)

    def record(self, read: Mapping[str, Reading]) -> dict[str, Any]:
        """What to keep of this ingest (JSON): per file read (by name) with a trusted stamp,
        `[stamp, doc_id, content_hash, warnings]`."""
        files = self.files
        kept = {
            name: [files[name], doc.doc_id, doc.content_hash, warnings]
            for name, (doc, warnings) in read.items()
            if files.get(name)
        }
        table = self.table
        return {"reader": self.reader, "table": table, "files": kept if table is not None else {}}

    def unchanged(self, earlier: Earlier) -> dict[str, Reading]:
        """The files (by name) whose stamps are those `earlier` recorded, each as the document
        recorded (`Unread`) with its recorded warnings; none when the reader or the table
        changed."""
        try:
            record = earlier.record
            same = record["reader"] == self.reader and record["table"] == self.table
            if not same or self.table is None:
                return {}
            recorded = record["files"]
            return {
                name: (Unread(seen[1], seen[2]), seen[3])
                for name, now in self.files.items()
                if now and (seen := recorded.get(name)) and seen[0] == now
            }
        except (KeyError, TypeError, AttributeError, IndexError):  # not a record this code wrote
            return {}
