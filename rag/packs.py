"""Packs: the parts an index version is made of, each written once and never changed.

A pack holds some programmes: their documents, chunks and term counts in the folder
`packs/<name>/`, and their vectors in one Chroma collection. A version of the index names its
packs and, per programme, the pack that holds it (`Manifest`); a programme replaced or removed
later stays in its old pack, unseen, until that pack is merged away. So a changed programme
costs one new small pack, and a version is never half-written: a pack becomes visible only when
a manifest naming it is written, after the pack is complete.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from rag.chunking import indexed_text
from rag.files import new_name, read_json, write_json
from rag.lexical import Columns, TermCounts, feature_key, words
from rag.types import Chunk, Document

PACKS = "packs"
STAGING = ".staging-"
CHUNK_FIELDS = ("chunk_id", "doc_id", "start", "end", "heading", "text_hash")


MERGE_RATIO = 4
"""The newest parts are merged once together they hold 1/MERGE_RATIO of the part before them."""


def merge_start(sizes: Sequence[int], ratio: int = MERGE_RATIO) -> int:
    """Where the parts to merge begin, for parts of these sizes, oldest first: the newest are
    merged while together they hold at least 1/ratio of the one before them, so that there are
    few parts and each row is copied only a few times (sizes grow geometrically).

    >>> merge_start([1000, 100, 30]), merge_start([1000, 100, 300]), merge_start([40, 30])
    (1, 0, 0)
    """
    i = len(sizes) - 1
    tail = sizes[i] if sizes else 0
    while i > 0 and tail * ratio >= sizes[i - 1]:
        i -= 1
        tail += sizes[i]
    return max(i, 0)


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

    def pairs(self) -> list[tuple[str, str]]:
        """(chunk id, text hash) of every chunk, in the pack's row order."""
        return [pair for pairs in self.chunks.values() for pair in pairs]

    @cached_property
    def row_of_text(self) -> dict[str, int]:
        """The first row holding each chunk text (by text hash); worked out once, as a pack's
        catalogue is read once per process."""
        out: dict[str, int] = {}
        for row, (_, text_hash) in enumerate(self.pairs()):
            out.setdefault(text_hash, row)
        return out


@dataclass(frozen=True)
class PackContents:
    """A pack's programmes, chunks and term counts (by feature; row i is chunk i). `words` and
    `pairs` (per programme, its distinct words, space-separated, and the keys of its adjacent
    word pairs) are derived from the chunks when the pack is written."""

    documents: list[Document]
    chunks: list[Chunk]
    terms: Columns
    words: dict[str, str] = field(default_factory=dict)
    pairs: dict[str, np.ndarray] = field(default_factory=dict)


def chunk_terms(documents: Sequence[Document], chunks: Sequence[Chunk], ngram: int) -> Columns:
    """The term counts of a pack's chunks (row i is chunk i), of the text the index sees."""
    place = {d.doc_id: d.municipality for d in documents}
    return TermCounts.of_texts(
        [c.chunk_id for c in chunks],
        [indexed_text(place[c.doc_id], c.heading, c.text) for c in chunks],
        ngram,
    ).columns()


def pair_key(first: str, second: str) -> int:
    """The key of two words standing next to each other."""
    return feature_key(f"{first} {second}")


def words_and_pairs(chunks: Sequence[Chunk]) -> tuple[dict[str, str], dict[str, np.ndarray]]:
    seen: dict[str, set[str]] = {}
    pairs: dict[str, set[int]] = {}
    for c in chunks:
        ws = words(f"{c.heading}\n{c.text}")
        seen.setdefault(c.doc_id, set()).update(ws)
        pairs.setdefault(c.doc_id, set()).update(map(pair_key, ws, ws[1:]))
    return (
        {d: " ".join(sorted(ws)) for d, ws in seen.items()},
        {
            d: np.fromiter(sorted(keys), dtype=np.int64, count=len(keys))
            for d, keys in pairs.items()
        },
    )


def folder(root: Path, name: str) -> Path:
    return root / PACKS / name


def begin_pack(root: Path) -> str:
    """A new pack's name, with its staging folder (the mark of an ingest in progress)."""
    name = new_name()
    (root / PACKS / f"{STAGING}{name}").mkdir(parents=True)
    return name


def write_pack(root: Path, name: str, contents: PackContents, vectors: np.ndarray) -> None:
    """Write a pack's files into its staging folder, then move it into place in one rename.
    The pack keeps its own copy of its vectors (row i is chunk i), so that an ingest reuses
    or merges vectors by reading a few rows, never a whole Chroma collection."""
    staging = root / PACKS / f"{STAGING}{name}"
    np.save(staging / "vectors.npy", np.asarray(vectors, dtype=np.float32))
    write_json(staging / "documents.json", [asdict(d) for d in contents.documents])
    # A chunk's text is its document's text[start:end]: stored once, in documents.json.
    write_json(
        staging / "chunks.json", [[getattr(c, f) for f in CHUNK_FIELDS] for c in contents.chunks]
    )
    contents.terms.save(staging)
    words_of, pairs_of = words_and_pairs(contents.chunks)
    write_json(staging / "words.json", words_of)
    order = list(pairs_of)
    with open(staging / "pairs.npz", "wb") as f:
        np.savez(
            f,
            docs=np.asarray(order, dtype=str),
            sizes=np.asarray([len(pairs_of[d]) for d in order], dtype=np.int64),
            keys=np.concatenate([pairs_of[d] for d in order] or [np.zeros(0, np.int64)]),
        )
    hashes = {d.doc_id: d.content_hash for d in contents.documents}
    chunk_list: dict[str, list[tuple[str, str]]] = {}
    for c in contents.chunks:  # a programme's chunks are contiguous: the lists keep row order
        chunk_list.setdefault(c.doc_id, []).append((c.chunk_id, c.text_hash))
    chunk_list.update({d: [] for d in hashes if d not in chunk_list})
    write_json(staging / "catalogue.json", {"content_hash": hashes, "chunks": chunk_list})
    os.replace(staging, folder(root, name))


def read_catalogue(root: Path, name: str) -> Catalogue:
    data = read_json(folder(root, name) / "catalogue.json")
    chunks = {d: [(c, h) for c, h in pairs] for d, pairs in data["chunks"].items()}
    return Catalogue(dict(data["content_hash"]), chunks)


def read_pack(root: Path, name: str) -> PackContents:
    where = folder(root, name)
    documents = [Document(**d) for d in read_json(where / "documents.json")]
    text = {d.doc_id: d.text for d in documents}
    chunks = [
        Chunk(cid, sys.intern(doc_id), start, end, sys.intern(heading), text_hash, text[doc_id])
        for cid, doc_id, start, end, heading, text_hash in read_json(where / "chunks.json")
    ]
    with np.load(where / "pairs.npz") as z:
        ends = np.cumsum(z["sizes"])
        keys = z["keys"]
        pairs = {
            d: keys[end - size : end]
            for d, size, end in zip(z["docs"].tolist(), z["sizes"], ends, strict=True)
        }
    words_of = read_json(where / "words.json")
    return PackContents(documents, chunks, Columns.open(where), words_of, pairs)


def pack_vectors(root: Path, name: str, rows: Sequence[int]) -> np.ndarray:
    """Rows of a pack's vectors (read from a memory map: only those rows are read)."""
    vectors = np.load(folder(root, name) / "vectors.npy", mmap_mode="r")
    return np.array(vectors[np.asarray(rows, dtype=np.intp)], dtype=np.float32)


def remove_packs_except(root: Path, keep: set[str]) -> None:
    """Remove pack folders not in `keep`, and staging left by an interrupted ingest."""
    packs = root / PACKS
    if packs.exists():
        for path in packs.iterdir():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)
