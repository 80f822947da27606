"""Packs: the parts an index version is made of, each written once and never changed.

A pack holds some programmes: their documents, chunks and term counts in the folder
`packs/<name>/`, and their vectors in one Chroma collection. A version of the index names its
packs and, per programme, the pack that holds it (`Manifest`); a programme replaced or removed
later stays in its old pack, unseen, until that pack is merged away. So a changed programme
costs one new small pack, and a version is never half-written: a pack becomes visible only when
a manifest naming it is written, after the pack is complete.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rag.lexical import TermCounts
from rag.types import Chunk, Document

PACKS = "packs"
STAGING = ".staging-"


def new_name() -> str:
    """A name that sorts by creation time and does not collide."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically: a temporary file, flushed, then renamed over the target."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class PackRef:
    """A pack as one version sees it: `live` of its `rows` chunks belong to programmes this
    version takes from it; the rest were replaced or removed since."""

    name: str
    collection: str
    rows: int
    live: int

    @property
    def dead(self) -> int:
        return self.rows - self.live


@dataclass(frozen=True)
class Catalogue:
    """What a pack holds, without the texts: per programme its content hash and its chunks'
    ids and text hashes (enough to plan an ingest and reuse vectors)."""

    content_hash: dict[str, str]
    chunks: dict[str, list[tuple[str, str]]]

    def rows(self, doc_ids: set[str]) -> int:
        return sum(len(self.chunks[d]) for d in doc_ids if d in self.chunks)


@dataclass(frozen=True)
class PackContents:
    documents: list[Document]
    chunks: list[Chunk]
    terms: TermCounts


def folder(root: Path, name: str) -> Path:
    return root / PACKS / name


def begin_pack(root: Path) -> str:
    """A new pack's name, with its staging folder (the mark of an ingest in progress)."""
    name = new_name()
    (root / PACKS / f"{STAGING}{name}").mkdir(parents=True)
    return name


def write_pack(root: Path, name: str, contents: PackContents) -> None:
    """Write a pack's files into its staging folder, then move it into place in one rename."""
    staging = root / PACKS / f"{STAGING}{name}"
    write_json(staging / "documents.json", [asdict(d) for d in contents.documents])
    write_json(staging / "chunks.json", [asdict(c) for c in contents.chunks])
    contents.terms.save(staging / "terms.npz")
    hashes = {d.doc_id: d.content_hash for d in contents.documents}
    chunk_list: dict[str, list[tuple[str, str]]] = {d: [] for d in hashes}
    for c in contents.chunks:
        chunk_list[c.doc_id].append((c.chunk_id, c.text_hash))
    write_json(staging / "catalogue.json", {"content_hash": hashes, "chunks": chunk_list})
    os.replace(staging, folder(root, name))


def read_catalogue(root: Path, name: str) -> Catalogue:
    data = read_json(folder(root, name) / "catalogue.json")
    chunks = {d: [(c, h) for c, h in pairs] for d, pairs in data["chunks"].items()}
    return Catalogue(dict(data["content_hash"]), chunks)


def read_pack(root: Path, name: str) -> PackContents:
    where = folder(root, name)
    return PackContents(
        [Document(**d) for d in read_json(where / "documents.json")],
        [Chunk(**c) for c in read_json(where / "chunks.json")],
        TermCounts.load(where / "terms.npz"),
    )


def remove_packs_except(root: Path, keep: set[str]) -> None:
    """Remove pack folders not in `keep`, and staging left by an interrupted ingest."""
    packs = root / PACKS
    if packs.exists():
        for path in packs.iterdir():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)
