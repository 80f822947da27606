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
from typing import Any

from rag.readers.metadata import SIDECAR_SUFFIX
from rag.types import Document, Unread

RACY_NS = 2_000_000_000
"""A stamp is trusted when the file is at least this much older than the moment it was taken
(2 s: the coarsest modification times in use, FAT's, tick every 2 s)."""
FORMAT_LIBRARIES = ("trafilatura", "pdfplumber")

Stamp = list[int]
"""`[size, mtime_ns]`; `[]` for a file that is not there."""
Reading = tuple[Document | Unread, list[str]]
"""A file's document (`Unread` when the file was not read again) and its warnings."""


def stamp(path: str | Path, trusted_before_ns: int) -> Stamp | None:
    """The file's stamp; None when its stat cannot be read or it changed too recently to
    trust (after `trusted_before_ns`)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return []
    except OSError:
        return None
    if st.st_mtime_ns > trusted_before_ns:
        return None
    return [st.st_size, st.st_mtime_ns]


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
    """What the ingest that built the index's version recorded (`Loaded.record`)."""

    record: Any


@dataclass(frozen=True)
class Stamps:
    """A corpus folder's stamps, taken before its files are read."""

    reader: str
    table: Stamp | None
    files: dict[str, tuple[Stamp | None, Stamp | None]]  # name -> (file, sidecar)

    @classmethod
    def take(
        cls, folder: Path, names: Sequence[str], table: Path, present: Container[str]
    ) -> Stamps:
        """The stamps of the files `names` in `folder` and of their sidecars; a sidecar whose
        name is not among those `present` in the folder is not there."""
        before = time.time_ns() - RACY_NS
        base = os.fspath(folder)

        def sidecar(name: str) -> Stamp | None:
            side = name + SIDECAR_SUFFIX
            return stamp(f"{base}/{side}", before) if side in present else []

        files = {n: (stamp(f"{base}/{n}", before), sidecar(n)) for n in names}
        return cls(reader_stamp(), stamp(table, before), files)

    def trusted(self, name: str) -> bool:
        file, side = self.files.get(name, (None, None))
        return bool(file) and side is not None and self.table is not None

    def record(self, read: Mapping[str, Reading]) -> dict[str, Any]:
        """What to keep of this ingest (JSON): per file read (by name) with trusted stamps, its
        stamps, its document's id and content hash, and its warnings."""
        files = {
            name: {
                "file": self.files[name][0],
                "sidecar": self.files[name][1],
                "doc_id": doc.doc_id,
                "content_hash": doc.content_hash,
                "warnings": warnings,
            }
            for name, (doc, warnings) in read.items()
            if self.trusted(name)
        }
        return {"reader": self.reader, "table": self.table, "files": files}

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
            out: dict[str, Reading] = {}
            for name, (file, side) in self.files.items():
                seen = recorded.get(name)
                if seen and file and seen["file"] == file and seen["sidecar"] == side:
                    doc = Unread(str(seen["doc_id"]), str(seen["content_hash"]))
                    out[name] = (doc, [str(w) for w in seen["warnings"]])
            return out
        except (KeyError, TypeError, AttributeError):  # not a record this code wrote
            return {}
