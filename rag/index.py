"""Incremental, atomic ingest, and the snapshots that queries read.

Each ingest that changes anything writes a new version: a Chroma collection named after the
settings fingerprint and version, and a snapshot folder (documents, chunks, lexical index).
Only then is `CURRENT.json` replaced, atomically, to point at it; a crash before that leaves the
previous version answering. Unchanged documents are skipped by content hash, and vectors of
unchanged chunk text are copied, not recomputed.

Writers take turns on a file lock (`ingest.lock`, released by the kernel if the writer dies),
across threads and processes; readers never wait. A reader keeps the version it loaded until
`CURRENT.json` names another; the previous version is kept, older ones are pruned.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from rag.chunking import chunk_document, indexed_text, recursive_chunks
from rag.config import Settings
from rag.embedders import Embeddings
from rag.errors import IndexUnavailable
from rag.lexical import LexicalIndex, words
from rag.progress import SILENT, Progress
from rag.readers import Problem
from rag.store import VectorStore, forget_local_store
from rag.types import Chunk, Document

POINTER = "CURRENT.json"
LOCK_FILE = "ingest.lock"
LOCK_WAIT_SECONDS = 600.0
EMBED_SLICE = 256
"""Passages embedded per call during ingest, so that progress can be shown between calls."""


@dataclass
class IngestReport:
    """What an ingest did."""

    version: str | None = None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    rebuilt: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # files read, with something to know

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.removed)} removed",
            f"{len(self.unchanged)} unchanged",
            f"{self.chunks} chunks",
            f"{self.embedded} embedded",
        ]
        head = "rebuilt index: " if self.rebuilt else "index: "
        return head + ", ".join(parts) + (f" (version {self.version})" if self.version else "")


@dataclass
class Snapshot:
    """One consistent version of the index: what a query reads."""

    version: str
    collection: str
    documents: dict[str, Document]
    chunks: list[Chunk]
    lexical: LexicalIndex
    row_of: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.row_of = {c.chunk_id: i for i, c in enumerate(self.chunks)}

    @cached_property
    def chunk_documents(self) -> np.ndarray:
        """Per chunk row, the position of its document in `documents` (for vectorised filters)."""
        position = {doc_id: i for i, doc_id in enumerate(self.documents)}
        return np.fromiter(
            (position[c.doc_id] for c in self.chunks), dtype=np.intp, count=len(self.chunks)
        )

    @cached_property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        """Pairs of words that stand next to each other somewhere in the indexed text."""
        out: set[tuple[str, str]] = set()
        for c in self.chunks:
            ws = words(f"{c.heading}\n{c.text}")
            out.update(zip(ws, ws[1:], strict=False))
        return frozenset(out)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of the indexed text, lower-cased (computed on first use)."""
        return frozenset(w for c in self.chunks for w in words(f"{c.heading} {c.text}"))


def _write_json(path: Path, data: Any) -> None:
    """Write JSON atomically: a temporary file, flushed, then renamed over the target."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@contextmanager
def writer_lock(root: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the index's writer lock, waiting up to `wait` seconds for another ingest to end."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexUnavailable(
                        f"another ingest into {root} is still running",
                        "wait for it to finish, then ingest again",
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


class Index:
    """The on-disk index under `settings.index_dir` (vectors in Chroma, the rest beside it)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = Path(settings.index_dir)
        self.fingerprint = settings.index_fingerprint()
        self._store: VectorStore | None = None

    @property
    def store(self) -> VectorStore:
        if self._store is None:
            path = None if self.settings.chroma_url else self.root / "chroma"
            self._store = VectorStore(path=path, url=self.settings.chroma_url)
        return self._store

    # --- reading ------------------------------------------------------------------------

    def pointer(self) -> dict[str, Any] | None:
        path = self.root / POINTER
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) and "version" in data else None
        except (OSError, ValueError) as e:
            raise IndexUnavailable(
                f"index pointer {path} is unreadable", "run `rag ingest --rebuild`"
            ) from e

    def is_current(self, pointer: dict[str, Any] | None) -> bool:
        """True when `pointer` (from `self.pointer()`) names an index built with today's
        settings."""
        return pointer is not None and pointer.get("fingerprint") == self.fingerprint

    def load(self) -> Snapshot:
        """The current snapshot. A version pruned by another process's ingest while it was being
        read is not an error: the version `CURRENT.json` names now is read instead."""
        attempts = 0
        while True:
            ptr = self.pointer()
            if ptr is None:
                raise IndexUnavailable("no index yet", "run `rag ingest`")
            try:
                return self._load(ptr)
            except IndexUnavailable:
                attempts += 1
                if attempts == 3 or (self.pointer() or {}).get("version") == ptr["version"]:
                    raise

    def _load(self, ptr: dict[str, Any]) -> Snapshot:
        folder = self.root / "snapshots" / ptr["version"]
        try:
            docs = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
            chunks = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
            lexical = LexicalIndex.load(folder)
        except (OSError, ValueError, KeyError) as e:
            raise IndexUnavailable(
                f"index version {ptr['version']} is damaged or missing ({type(e).__name__})",
                "run `rag ingest --rebuild`",
            ) from e
        return Snapshot(
            version=ptr["version"],
            collection=ptr["collection"],
            documents={d["doc_id"]: Document(**d) for d in docs},
            chunks=[Chunk(**c) for c in chunks],
            lexical=lexical,
        )

    # --- writing ------------------------------------------------------------------------

    def ingest(
        self,
        documents: list[Document],
        embeddings: Embeddings,
        rebuild: bool = False,
        progress: Progress = SILENT,
    ) -> IngestReport:
        """Make the index hold exactly `documents`, doing as little work as possible. With
        `rebuild`, start from scratch: an unreadable pointer or a broken local store is
        replaced. Each stage of the work is reported to `progress`."""
        with writer_lock(self.root):
            if rebuild:
                self._reopen_local_store()
            self.store.collections()  # a store that cannot be reached fails before any embedding
            return self._ingest(documents, embeddings, rebuild, progress)

    def _reopen_local_store(self) -> None:
        """Open the local store afresh (its folder may have been replaced since this process
        opened it); a store that cannot be opened or listed is removed, to be built again."""
        if self.settings.chroma_url:
            return
        path = self.root / "chroma"
        forget_local_store(path)
        self._store = None
        try:
            self.store.collections()
        except IndexUnavailable:
            forget_local_store(path)
            self._store = None
            shutil.rmtree(path, ignore_errors=True)

    def _ingest(
        self, documents: list[Document], embeddings: Embeddings, rebuild: bool, progress: Progress
    ) -> IngestReport:
        report = IngestReport()
        old: Snapshot | None = None
        if not rebuild and self.is_current(self.pointer()):
            try:
                old = self.load()
            except IndexUnavailable:
                old = None
        report.rebuilt = old is None and (self.root / POINTER).exists()
        old_docs = old.documents if old else {}
        old_chunks: dict[str, list[Chunk]] = {}  # by document: one pass, not one per document
        for c in old.chunks if old else []:
            old_chunks.setdefault(c.doc_id, []).append(c)

        chunks: list[Chunk] = []
        for doc in documents:
            prev = old_docs.get(doc.doc_id)
            if prev is not None and prev.content_hash == doc.content_hash and old is not None:
                report.unchanged.append(doc.doc_id)
                chunks.extend(old_chunks.get(doc.doc_id, []))
            else:
                (report.updated if prev is not None else report.added).append(doc.doc_id)
                chunks.extend(self.chunk(doc))
        new_ids = {d.doc_id for d in documents}
        report.removed = sorted(set(old_docs) - new_ids)
        report.chunks = len(chunks)
        if old is not None and not report.changed:
            report.version = old.version
            return report

        version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        collection = f"rag-{self.fingerprint}-{version}"
        snapshots = self.root / "snapshots"
        staging = snapshots / f".staging-{version}"  # marks an ingest in progress
        staging.mkdir(parents=True, exist_ok=True)

        by_id = {d.doc_id: d for d in documents}
        before = embeddings.passages_embedded
        vectors = self._vectors(chunks, by_id, old, embeddings, progress)
        report.embedded = embeddings.passages_embedded - before

        with progress.stage("store vectors", len(chunks), "chunks") as advance:
            self.store.write(
                collection,
                [c.chunk_id for c in chunks],
                vectors,
                [
                    {
                        "doc_id": c.doc_id,
                        "municipality": by_id[c.doc_id].municipality,
                        "party": by_id[c.doc_id].party,
                    }
                    for c in chunks
                ],
                on_batch=advance,
            )
        with progress.stage("lexical index", len(chunks), "chunks") as advance:
            lexical = LexicalIndex.build(
                [c.chunk_id for c in chunks],
                [indexed_text(by_id[c.doc_id].municipality, c.heading, c.text) for c in chunks],
                self.settings.lexical_ngram,
            )
            advance(len(chunks))
        _write_json(staging / "documents.json", [asdict(d) for d in documents])
        _write_json(staging / "chunks.json", [asdict(c) for c in chunks])
        lexical.save(staging)
        os.replace(staging, snapshots / version)
        _write_json(
            self.root / POINTER,
            {
                "version": version,
                "collection": collection,
                "fingerprint": self.fingerprint,
                "embedding_model": self.settings.embedding_model,
                "chunk_max_chars": self.settings.chunk_max_chars,
                "chunk_min_chars": self.settings.chunk_min_chars,
                "documents": len(documents),
                "chunks": len(chunks),
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
        report.version = version
        self._prune(keep={version, old.version if old else version})
        return report

    def chunk(self, doc: Document) -> list[Chunk]:
        s = self.settings
        if s.chunker == "recursive":
            return recursive_chunks(doc, s.chunk_max_chars, s.chunk_overlap)
        return chunk_document(doc, s.chunk_max_chars, s.chunk_min_chars)

    def _vectors(
        self,
        chunks: list[Chunk],
        by_id: dict[str, Document],
        old: Snapshot | None,
        embeddings: Embeddings,
        progress: Progress = SILENT,
    ) -> np.ndarray:
        """Vectors for every chunk: copied where the old version has the same text, else new
        (embedded a slice at a time, each reported to `progress`)."""
        reuse: dict[str, str] = {}
        if old is not None:
            old_by_hash = {c.text_hash: c.chunk_id for c in old.chunks}
            reuse = {
                c.chunk_id: old_by_hash[c.text_hash] for c in chunks if c.text_hash in old_by_hash
            }
        stored = self.store.vectors(old.collection, sorted(set(reuse.values()))) if old else {}
        todo = [c for c in chunks if reuse.get(c.chunk_id) not in stored]
        texts = [indexed_text(by_id[c.doc_id].municipality, c.heading, c.text) for c in todo]
        parts = []
        with progress.stage("embed", len(texts), "chunks") as advance:
            for i in range(0, len(texts), EMBED_SLICE):
                parts.append(embeddings.embed_passages(texts[i : i + EMBED_SLICE]))
                advance(len(parts[-1]))
        fresh = np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)
        vec_of = {c.chunk_id: fresh[i] for i, c in enumerate(todo)}
        vec_of.update({c: stored[old] for c, old in reuse.items() if c not in vec_of})
        if not chunks:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([vec_of[c.chunk_id] for c in chunks])

    def _prune(self, keep: set[str]) -> None:
        """Remove versions other than `keep` (the current and the one before it, which queries
        that started earlier may still be reading), and staging left by an interrupted ingest
        (under the writer lock, no other ingest is in progress)."""
        snapshots = self.root / "snapshots"
        for folder in snapshots.iterdir():
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
        keep_names = {f"rag-{self.fingerprint}-{v}" for v in keep}
        for name in self.store.collections():
            if name.startswith("rag-") and name not in keep_names:
                self.store.delete(name)
