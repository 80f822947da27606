"""Incremental, atomic ingest, and the versions that queries read.

A version is a manifest (`versions/<version>.json`) naming its packs (see `rag.packs`) and the
pack that holds each programme. An ingest writes one new pack with the programmes that were
added or changed (vectors of unchanged chunk text are copied, not recomputed), leaves the other
packs as they are, and writes a new manifest; only then is `CURRENT.json` replaced, atomically,
to name it. A crash before that leaves the previous version answering. So one changed
programme costs its own chunks, not the corpus. Now and then the newest packs are merged into
one (when together they are a sizeable share of the pack before them, or a pack holds more
replaced chunks than live ones), so a version has few packs and merging costs stay amortised.

Writers take turns on a file lock (`ingest.lock`, released by the kernel if the writer dies),
across threads and processes; readers never wait. A reader keeps the version it loaded until
`CURRENT.json` names another; the previous version is kept, older ones are pruned.

Beside the versions, `sources.json` names the file in `records/` that keeps what the ingest that
built the current version recorded of its files (their stamps, see `rag.readers.stamps`), so
that the next ingest reads only the files that changed: the others come as `Unread` (an id and a
content hash), and their texts are not read from the index either. Each record is written under
a name of its own, not over the one before: replacing a file makes the filesystem write it out
ahead of the next forced write, and a record is a cache, not worth that wait.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from rag.chunking import chunk_document, indexed_text, recursive_chunks
from rag.config import Settings
from rag.embedders import Embeddings
from rag.errors import IndexUnavailable
from rag.files import new_name, read_json, write_json
from rag.lexical import Columns, TermCounts
from rag.packs import (
    MERGE_RATIO,
    Catalogue,
    PackContents,
    PackRef,
    begin_pack,
    chunk_terms,
    merge_start,
    pack_vectors,
    read_catalogue,
    read_pack,
    remove_packs_except,
    write_pack,
)
from rag.progress import SILENT, Progress
from rag.readers import Earlier, Problem, Record
from rag.snapshot import Snapshot, assemble
from rag.store import VectorStore, forget_local_store
from rag.types import Chunk, Document, Unread

POINTER = "CURRENT.json"
SOURCES = "sources.json"
"""`{"version", "record"}`: a version, and the file in RECORDS with what the ingest that built it
recorded."""
RECORDS = "records"
VERSIONS = "versions"
LOCK_FILE = "ingest.lock"
LOCK_WAIT_SECONDS = 600.0
EMBED_SLICE = 256
"""Passages embedded per call during ingest, so that progress can be shown between calls."""


class Stale(Exception):
    """A programme came as `Unread`, but the version the ingest starts from does not hold that
    text of it: another ingest changed the index after the corpus was read. Read it again."""


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


@dataclass(frozen=True)
class Pointer:
    """`CURRENT.json`: the version queries read, and what built it."""

    version: str
    fingerprint: str
    embedding_model: str
    chunk_max_chars: int
    chunk_min_chars: int
    documents: int
    chunks: int
    created: str

    @classmethod
    def from_json(cls, data: Any) -> Pointer | None:
        """The pointer in `data`, or None when `data` is not one (e.g. an older format)."""
        names = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or not names <= set(data):
            return None
        return cls(**{k: data[k] for k in names})


@dataclass(frozen=True)
class Manifest:
    """A version: its packs, oldest first, and per programme (in corpus order) its pack."""

    packs: tuple[PackRef, ...]
    holder: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"packs": [asdict(p) for p in self.packs], "holder": self.holder}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        """The manifest in `data` (its holder an object, or, written before, a list of pairs)."""
        return cls(tuple(PackRef(**p) for p in data["packs"]), dict(data["holder"]))


def merge_from(packs: Sequence[PackRef], ratio: int = MERGE_RATIO) -> int:
    """Where the packs to merge begin: `packs[i:]` become one pack (nothing to do when that is
    the last pack alone and not worn). The newest packs are merged while together they hold at
    least 1/ratio of the live chunks of the pack before them; a pack with more replaced than
    live chunks is always merged.

    >>> sizes = [(1000, 1000), (100, 100), (30, 30)]
    >>> merge_from([PackRef(str(i), "", rows, live) for i, (rows, live) in enumerate(sizes)])
    1
    """
    i = merge_start([p.live for p in packs], ratio)
    worn = [j for j, p in enumerate(packs) if p.dead > p.live]
    return min([i, *worn])


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
    """The on-disk index under `settings.index_dir`: vectors in Chroma (one collection per
    pack), everything else in files beside it."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        """`client`: a Chroma client to keep the vectors in; without one, the settings say
        where (`chroma_url`, else the folder `chroma` under the index)."""
        self.settings = settings
        self.root = Path(settings.index_dir)
        self.fingerprint = settings.index_fingerprint()
        self.client = client
        self._store: VectorStore | None = None
        self._catalogues: dict[str, Catalogue] = {}  # packs never change: read each once
        self._manifest: tuple[str, Manifest] | None = None  # nor do versions: the last one used
        # What this process last read or wrote of SOURCES, with that file's stat: while the
        # file is that one, it need not be read again.
        self._sources: tuple[tuple[int, int, int], _Sources] | None = None

    @property
    def store(self) -> VectorStore:
        if self._store is None:
            if self.client is not None:
                self._store = VectorStore(self.client)
            elif self.settings.chroma_url:
                self._store = VectorStore(url=self.settings.chroma_url)
            else:
                self._store = VectorStore(path=self.root / "chroma")
        return self._store

    # --- reading ------------------------------------------------------------------------

    def pointer(self) -> Pointer | None:
        path = self.root / POINTER
        if not path.exists():
            return None
        try:
            return Pointer.from_json(read_json(path))
        except (OSError, ValueError) as e:
            raise IndexUnavailable(
                f"index pointer {path} is unreadable", "run `rag ingest --rebuild`"
            ) from e

    def is_current(self, pointer: Pointer | None) -> bool:
        """True when `pointer` names an index built with today's settings."""
        return pointer is not None and pointer.fingerprint == self.fingerprint

    def catalogues(self, manifest: Manifest) -> dict[str, Catalogue]:
        """The catalogues of a version's packs, each read from disk once per process (a pack is
        never changed); those of packs it does not use are forgotten."""
        self._catalogues = {
            p.name: self._catalogues.get(p.name) or read_catalogue(self.root, p.name)
            for p in manifest.packs
        }
        return dict(self._catalogues)

    def manifest(self, version: str) -> Manifest:
        """A version's manifest: read from disk unless it is the one last read or written (a
        version is never changed)."""
        known = self._manifest
        if known is None or known[0] != version:
            try:
                path = self.root / VERSIONS / f"{version}.json"
                known = (version, Manifest.from_json(read_json(path)))
            except (OSError, ValueError, KeyError, TypeError) as e:
                raise self._damaged(version, e) from e
            self._manifest = known
        return known[1]

    def load(self) -> Snapshot:
        """The current snapshot. A version pruned by another process's ingest while it was being
        read is not an error: the version `CURRENT.json` names now is read instead."""
        attempts = 0
        while True:
            ptr = self.pointer()
            if ptr is None:
                raise IndexUnavailable("no index yet", "run `rag ingest`")
            try:
                return self._load(ptr.version)
            except IndexUnavailable:
                attempts += 1
                now = self.pointer()
                if attempts == 3 or (now is not None and now.version == ptr.version):
                    raise

    def _load(self, version: str) -> Snapshot:
        manifest = self.manifest(version)
        try:
            contents = {p.name: read_pack(self.root, p.name) for p in manifest.packs}
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise self._damaged(version, e) from e
        return assemble(
            version, manifest.packs, manifest.holder, contents, self.settings.lexical_ngram
        )

    def chunks_of(self, doc_ids: set[str]) -> list[Chunk]:
        """The chunks of these programmes in the current version, read from the packs that hold
        them (after an ingest, the new pack): not the whole version."""
        ptr = self.pointer()
        holder = self.manifest(ptr.version).holder if ptr else {}
        chunks: list[Chunk] = []
        for name in {holder[d] for d in doc_ids if d in holder}:
            held = read_pack(self.root, name).chunks
            chunks += [c for c in held if c.doc_id in doc_ids and holder[c.doc_id] == name]
        return chunks

    def earlier(self) -> Earlier | None:
        """What the ingest that built the current version recorded of its files; None when
        there is no such record or it cannot be read."""
        try:
            ptr = self.pointer()
            sources = self._sources_now()
            if ptr is None or not self.is_current(ptr) or sources.version != ptr.version:
                return None
            return None if sources.record is None else Earlier(sources.record, ptr.version)
        except (IndexUnavailable, OSError, ValueError, KeyError, TypeError):
            return None

    def _sources_now(self) -> _Sources:
        """SOURCES as it is on disk, with the record it names: from memory while the file is
        the one this process last read or wrote."""
        path = self.root / SOURCES
        known, seen = self._sources, _file_id(path)
        if known is None or known[0] != seen:
            data = read_json(path)
            name = _record_name(data["record"])
            known = self._sources = (seen, _Sources(data["version"], name, self._read_record(name)))
        return known[1]

    def _read_record(self, name: str | None) -> Record | None:
        """The record in the file `name` of RECORDS; None when there is none to read."""
        if name is None:
            return None
        try:
            return Record.from_json(read_json(self.root / RECORDS / name))
        except (OSError, ValueError):
            return None

    @staticmethod
    def _damaged(version: str, e: Exception) -> IndexUnavailable:
        return IndexUnavailable(
            f"index version {version} is damaged or missing ({type(e).__name__})",
            "run `rag ingest --rebuild`",
        )

    # --- writing ------------------------------------------------------------------------

    def ingest(
        self,
        documents: Sequence[Document | Unread],
        embeddings: Embeddings,
        rebuild: bool = False,
        progress: Progress = SILENT,
        record: Record | None = None,
        held_in: str | None = None,
    ) -> IngestReport:
        """Make the index hold exactly `documents`, doing as little work as possible (an
        `Unread` one must be held already: `Stale` says it is not; `held_in` names a version
        known to hold every one, as the record they come from was kept for it). With `rebuild`,
        start from scratch: an unreadable pointer or a broken local store is replaced. Each
        stage of the work is reported to `progress`. `record` (what the documents were read
        from) is kept with the version, for `earlier()`."""
        with writer_lock(self.root):
            if rebuild:
                self._reopen_local_store()
            self.store.collections()  # a store that cannot be reached fails before any embedding
            report = _Ingest(self, embeddings, progress).run(documents, rebuild, held_in)
            if record is not None:  # only now that the version is published
                self._record(report.version, record)
            return report

    def _record(self, version: str | None, record: Record) -> None:
        """Keep `record` for `version` (not written again when it is already so): in a file of
        RECORDS of its own, then named in SOURCES; the record before is kept for readers that
        are on their way to it, older ones go. Not forced to disk: a record lost or unreadable
        after a power cut only means that the next ingest reads every file (`earlier()` is
        None)."""
        try:
            now = self._sources_now()
            if now.version == version and now.record == record:
                return
            before = now.file
        except (OSError, ValueError, KeyError, TypeError):
            before = None
        name = f"{new_name()}.json"
        records = self.root / RECORDS
        records.mkdir(exist_ok=True)
        (records / name).write_text(record.to_json(), encoding="utf-8")
        write_json(self.root / SOURCES, {"version": version, "record": name}, durable=False)
        self._sources = (_file_id(self.root / SOURCES), _Sources(version, name, record))
        for path in records.iterdir():
            if path.name not in (name, before):
                path.unlink(missing_ok=True)

    def _reopen_local_store(self) -> None:
        """Open the local store afresh (its folder may have been replaced since this process
        opened it); a store that cannot be opened or listed is removed, to be built again."""
        if self.settings.chroma_url or self.client is not None:
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

    def chunk(self, doc: Document) -> list[Chunk]:
        s = self.settings
        if s.chunker == "recursive":
            return recursive_chunks(doc, s.chunk_max_chars, s.chunk_overlap)
        return chunk_document(doc, s.chunk_max_chars, s.chunk_min_chars)

    def collection(self, pack: str) -> str:
        return f"rag-{self.fingerprint}-{pack}"


@dataclass(frozen=True)
class _Sources:
    """SOURCES as read or written: the version, the file in RECORDS it names, and the record
    there (None when it is not one this code writes)."""

    version: str | None
    file: str | None
    record: Record | None


def _record_name(value: Any) -> str | None:
    """`value` when it names a file of RECORDS as this code writes it; None otherwise (an older
    SOURCES held the record itself)."""
    return value if isinstance(value, str) and Path(value).name == value else None


@dataclass
class _Old:
    """The version an ingest starts from: its manifest and its packs' catalogues."""

    version: str
    manifest: Manifest
    catalogues: dict[str, Catalogue]

    def content_hash(self, doc_id: str) -> str | None:
        """The programme's content hash, as the pack holding it says; None when none holds it."""
        pack = self.manifest.holder.get(doc_id)
        return None if pack is None else self.catalogues[pack].content_hash.get(doc_id)

    def chunk_count(self, doc_id: str) -> int:
        return len(self.catalogues[self.manifest.holder[doc_id]].chunks[doc_id])


class _Ingest:
    """One ingest, under the writer lock."""

    def __init__(self, index: Index, embeddings: Embeddings, progress: Progress) -> None:
        self.index, self.embeddings, self.progress = index, embeddings, progress
        self.root, self.store = index.root, index.store

    def run(
        self, documents: Sequence[Document | Unread], rebuild: bool, held_in: str | None
    ) -> IngestReport:
        old = None if rebuild else self._old()
        report = IngestReport(rebuilt=old is None and (self.root / POINTER).exists())
        ids = [d.doc_id for d in documents]
        changed = self._plan(documents, ids, old, held_in, report)
        packs = self._recounted(old, report)
        report.chunks = sum(p.live for p in packs)
        if old is not None and not report.changed:
            report.version = old.version
            return report
        where = dict(old.manifest.holder) if old else {}
        if changed:
            before = self.embeddings.passages_embedded
            packs.append(self._new_pack(changed, old))
            report.embedded = self.embeddings.passages_embedded - before
            report.chunks += packs[-1].rows
            where.update({d.doc_id: packs[-1].name for d in changed})
        holder = {d: where[d] for d in ids}
        manifest = Manifest(tuple(self._merged(packs, holder)), holder)
        report.version = self._publish(manifest, report.chunks)
        self._prune({report.version: manifest, **({old.version: old.manifest} if old else {})})
        return report

    def _old(self) -> _Old | None:
        """The current version, when it was built with today's settings and can be read."""
        index = self.index
        ptr = index.pointer() if (self.root / POINTER).exists() else None
        if not index.is_current(ptr):
            return None
        assert ptr is not None
        try:
            manifest = index.manifest(ptr.version)
            catalogues = index.catalogues(manifest)
        except (IndexUnavailable, OSError, ValueError, KeyError):
            return None
        return _Old(ptr.version, manifest, catalogues)

    def _plan(
        self,
        documents: Sequence[Document | Unread],
        ids: list[str],
        old: _Old | None,
        held_in: str | None,
        report: IngestReport,
    ) -> list[Document]:
        """Sort programmes (`ids`: theirs) into unchanged, added and updated; return those to
        write. Each `Unread` one must be held with its content hash (`Stale` if not); starting
        from the version `held_in`, which holds them so, they are not looked at one by one."""
        if old is None or old.version != held_in:
            for doc in documents:
                if isinstance(doc, Unread) and _content_hash(old, doc.doc_id) != doc.content_hash:
                    raise Stale(doc.doc_id)
        read = [d for d in documents if not isinstance(d, Unread)]
        changed = [d for d in read if _content_hash(old, d.doc_id) != d.content_hash]
        for doc in changed:
            held = _content_hash(old, doc.doc_id) is not None
            (report.updated if held else report.added).append(doc.doc_id)
        written = {d.doc_id for d in changed}
        report.unchanged = [d for d in ids if d not in written]
        report.removed = sorted(old.manifest.holder.keys() - set(ids)) if old else []
        return changed

    def _new_pack(self, documents: list[Document], old: _Old | None) -> PackRef:
        """A pack of these programmes, chunked, with vectors reused from `old` by text."""
        name = begin_pack(self.root)
        chunks = [c for doc in documents for c in self.index.chunk(doc)]
        vectors = self._vectors(chunks, {d.doc_id: d for d in documents}, old)
        return self._write(name, documents, chunks, vectors)

    def _write(
        self,
        name: str,
        documents: list[Document],
        chunks: list[Chunk],
        vectors: np.ndarray,
        terms: Columns | None = None,
    ) -> PackRef:
        """Write a pack: its vectors first, then its files (moved into place in one rename)."""
        collection = self.index.collection(name)
        by_id = {d.doc_id: d for d in documents}
        with self.progress.stage("store vectors", len(chunks), "chunks") as advance:
            self.store.write(
                collection,
                [c.chunk_id for c in chunks],
                vectors,
                [_metadata(by_id[c.doc_id], c) for c in chunks],
                on_batch=advance,
            )
        if terms is None:
            with self.progress.stage("lexical index", len(chunks), "chunks") as advance:
                terms = chunk_terms(documents, chunks, self.index.settings.lexical_ngram)
                advance(len(chunks))
        write_pack(self.root, name, PackContents(documents, chunks, terms), vectors)
        return PackRef(name, collection, len(chunks), len(chunks))

    def _vectors(
        self, chunks: list[Chunk], by_id: dict[str, Document], old: _Old | None
    ) -> np.ndarray:
        """Vectors for every chunk: copied where `old` has the same text, else new (embedded
        a slice at a time, each reported to progress)."""
        stored = self._stored_by_text({c.text_hash for c in chunks}, old)
        todo = [c for c in chunks if c.text_hash not in stored]
        texts = [indexed_text(by_id[c.doc_id].municipality, c.heading, c.text) for c in todo]
        parts = []
        with self.progress.stage("embed", len(texts), "chunks") as advance:
            for i in range(0, len(texts), EMBED_SLICE):
                parts.append(self.embeddings.embed_passages(texts[i : i + EMBED_SLICE]))
                advance(len(parts[-1]))
        fresh = dict(zip((c.text_hash for c in todo), (v for p in parts for v in p), strict=True))
        if not chunks:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack(
            [stored[c.text_hash] if c.text_hash in stored else fresh[c.text_hash] for c in chunks]
        )

    def _stored_by_text(self, hashes: set[str], old: _Old | None) -> dict[str, np.ndarray]:
        """Vectors `old` already holds for chunk texts with these hashes (read from the packs'
        own copies of their vectors, not from Chroma: a few rows, not a whole collection)."""
        if old is None:
            return {}
        out: dict[str, np.ndarray] = {}
        for pack in old.manifest.packs:
            row_of = old.catalogues[pack.name].row_of_text
            rows = {h: row_of[h] for h in hashes if h in row_of and h not in out}
            if rows:
                wanted = sorted(rows.values())
                vectors = pack_vectors(self.root, pack.name, wanted)
                at = {row: i for i, row in enumerate(wanted)}
                out.update({h: vectors[at[row]] for h, row in rows.items()})
        return out

    def _recounted(self, old: _Old | None, report: IngestReport) -> list[PackRef]:
        """The packs of `old` with the chunks of the programmes that leave them (removed or
        updated) no longer counted live; packs left with none go. Only the programmes that
        leave are counted, not the corpus."""
        if old is None:
            return []
        live = {p.name: p.live for p in old.manifest.packs}
        for doc_id in [*report.removed, *report.updated]:
            live[old.manifest.holder[doc_id]] -= old.chunk_count(doc_id)
        return [replace(p, live=live[p.name]) for p in old.manifest.packs if live[p.name]]

    def _merged(self, packs: list[PackRef], holder: dict[str, str]) -> list[PackRef]:
        """The packs after merging the newest ones as `merge_from` says (updates `holder`)."""
        i = merge_from(packs)
        tail = packs[i:]
        if not tail or (len(tail) == 1 and tail[0].dead <= tail[0].live):
            return packs  # one pack, not worn: a deletion from it costs no rewrite
        merged = self._merge(tail, holder)
        names = {p.name for p in tail}
        holder.update({d: merged.name for d, p in holder.items() if p in names})
        return [*packs[:i], merged]

    def _merge(self, tail: list[PackRef], holder: dict[str, str]) -> PackRef:
        """One pack with the live programmes of `tail`: files and vectors copied, none embedded."""
        name = begin_pack(self.root)
        documents: list[Document] = []
        chunks: list[Chunk] = []
        terms: list[TermCounts] = []
        vectors: list[np.ndarray] = []
        with self.progress.stage("merge packs", sum(p.live for p in tail), "chunks") as advance:
            for p in tail:
                contents = read_pack(self.root, p.name)
                documents += [d for d in contents.documents if holder.get(d.doc_id) == p.name]
                rows = [i for i, c in enumerate(contents.chunks) if holder.get(c.doc_id) == p.name]
                kept = [contents.chunks[i] for i in rows]
                vectors.append(pack_vectors(self.root, p.name, rows))
                chunks += kept
                ids = [c.chunk_id for c in contents.chunks]
                terms.append(TermCounts.of_columns(ids, contents.terms).rows(rows))
                advance(len(kept))
        vectors_all = np.concatenate(vectors)
        return self._write(name, documents, chunks, vectors_all, TermCounts.merge(terms).columns())

    def _publish(self, manifest: Manifest, chunks: int) -> str:
        """Write the version's manifest, then point `CURRENT.json` at it; returns the version."""
        version = new_name()
        (self.root / VERSIONS).mkdir(parents=True, exist_ok=True)
        write_json(self.root / VERSIONS / f"{version}.json", manifest.to_json())
        s = self.index.settings
        pointer = Pointer(
            version=version,
            fingerprint=self.index.fingerprint,
            embedding_model=s.embedding_model,
            chunk_max_chars=s.chunk_max_chars,
            chunk_min_chars=s.chunk_min_chars,
            documents=len(manifest.holder),
            chunks=chunks,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        write_json(self.root / POINTER, asdict(pointer))
        self.index._manifest = (version, manifest)
        return version

    def _prune(self, keep: dict[str, Manifest]) -> None:
        """Remove versions other than `keep` (the current and the one before it, which queries
        that started earlier may still be reading), the packs and collections only they used,
        and whatever an interrupted ingest left (under the writer lock, none is running)."""
        packs = {p.name for manifest in keep.values() for p in manifest.packs}
        for path in (self.root / VERSIONS).glob("*"):
            if not (path.suffix == ".json" and path.stem in keep):
                path.unlink(missing_ok=True)
        remove_packs_except(self.root, packs)
        shutil.rmtree(self.root / "snapshots", ignore_errors=True)  # an older index layout
        collections = {self.index.collection(p) for p in packs}
        for name in self.store.collections():
            if name.startswith("rag-") and name not in collections:
                self.store.delete(name)


def _content_hash(old: _Old | None, doc_id: str) -> str | None:
    return old.content_hash(doc_id) if old is not None else None


def _file_id(path: Path) -> tuple[int, int, int]:
    """A file's inode, size and modification time: another write changes at least one."""
    st = os.stat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns


def _metadata(doc: Document, chunk: Chunk) -> dict[str, str]:
    return {"doc_id": chunk.doc_id, "municipality": doc.municipality, "party": doc.party}
