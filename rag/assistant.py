"""`Assistant`: the one object users hold. It owns the settings, the index and the chain."""

from __future__ import annotations

import gc
import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag import pipeline
from rag.bridges import Bridges, bridgeable
from rag.chunking import chunk_sentences
from rag.config import Settings, get_settings
from rag.embedders import Embeddings, load_embeddings
from rag.errors import CorpusError, IndexUnavailable, RagError
from rag.generate import generate_answer, load_chat_model, stream_generated
from rag.index import Index, IngestReport, Stale
from rag.lexical import words
from rag.progress import SILENT, Progress
from rag.readers import (
    SUFFIXES,
    TABLE_NAME,
    Earlier,
    Loaded,
    Problem,
    corpus_files,
    read_corpus,
    read_document,
    read_sidecar,
    read_table,
    sidecar_path,
    writable_table,
    write_rows,
    write_sidecar,
)
from rag.snapshot import Snapshot
from rag.textvectors import TextVectors, load_multilingual
from rag.types import Answer, Document, Passage, Verdict

if TYPE_CHECKING:  # LangChain's runnables and retrievers are imported when first asked for
    from langchain_core.runnables import Runnable

    from rag.retriever import HybridRetriever


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: an ingest, and a question among thousands of
    programmes, make many small records that hold no reference cycles, and the collections they
    set off would walk them again and again for nothing. Reference counting still frees what is
    dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Assistant:
    """Question answering over the programmes in `settings.corpus_dir`.

    >>> assistant = Assistant()                                  # doctest: +SKIP
    >>> assistant.ask("Vem föreslår sprutbyte?").municipalities   # doctest: +SKIP
    ['Eskilstuna', 'Örebro']
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embeddings: Embeddings | None = None,
        chat_model: Any | None = None,
        chroma_client: Any | None = None,
        **overrides: Any,
    ) -> None:
        """`embeddings`, `chat_model` and `chroma_client` replace what the settings would
        build: e.g. `chroma_client=chromadb.HttpClient(...)` keeps the vectors there."""
        self.settings = settings or get_settings(**overrides)
        self.index = Index(self.settings, chroma_client)
        self._embeddings = embeddings
        self._snapshot: Snapshot | None = None
        self._bridges: tuple[str, Bridges | None] | None = None
        self._texts: tuple[TextVectors | None] | None = None
        self._lock = threading.RLock()
        self.chat_model = chat_model or load_chat_model(self.settings)
        self._generate = (
            partial(generate_answer, self.chat_model) if self.chat_model is not None else None
        )
        self._chain: Runnable[dict[str, Any], Answer] | None = None

    # --- the index --------------------------------------------------------------------------

    @property
    def embeddings(self) -> Embeddings:
        with self._lock:
            if self._embeddings is None:
                self._embeddings = load_embeddings(self.settings)
            return self._embeddings

    def ingest(
        self,
        paths: Sequence[str | Path] | None = None,
        rebuild: bool = False,
        metadata: Mapping[str, Any] | None = None,
        progress: Progress = SILENT,
    ) -> IngestReport:
        """Bring the index in line with the corpus folder. `paths` are new programme files, or
        folders of them, to add to the corpus first (copied in, with `metadata` recorded for
        them if given). Questions asked meanwhile are answered from the version in use until
        it finishes. `progress` is told of each stage (files read, chunks embedded, ...)."""
        with collector_paused():
            return self._ingest(paths, rebuild, metadata, progress)

    def _ingest(
        self,
        paths: Sequence[str | Path] | None,
        rebuild: bool,
        metadata: Mapping[str, Any] | None,
        progress: Progress,
    ) -> IngestReport:
        refused: list[Problem] = []
        for path in map(Path, paths or []):
            if path.is_dir():
                refused += self.add_folder_to_corpus(path, metadata)
            else:
                self.add_to_corpus(path, metadata)
        # Files unchanged since the last ingest are not read again (not with `rebuild`).
        loaded = self._read_corpus(progress, None if rebuild else self.index.earlier())
        # The first use of a model exports it (a minute or so): a stage of its own.
        with progress.stage("load embedding model", 1, "models") as advance:
            embeddings = self.embeddings
            advance(1)
        index = partial(
            self.index.ingest, embeddings=embeddings, rebuild=rebuild, progress=progress
        )
        try:
            report = index(loaded.documents, record=loaded.record, held_in=loaded.held_in)
        except Stale:  # another ingest changed the index since: read every file
            loaded = self._read_corpus(progress, None)
            report = index(loaded.documents, record=loaded.record)
        report.problems = refused + loaded.problems
        report.warnings = loaded.warnings
        with self._lock:
            self._snapshot = None
        self._store_texts(set(report.added) | set(report.updated), progress)
        return report

    def _read_corpus(self, progress: Progress, earlier: Earlier | None) -> Loaded:
        """The corpus, each file read shown to `progress`; those `earlier` recorded unchanged
        are not read."""
        return read_corpus(
            self.settings.corpus_dir,
            lambda files: progress.iterate("read", files, len(files), "files"),
            earlier,
        )

    def _store_texts(self, doc_ids: set[str], progress: Progress) -> None:
        """The multilingual vectors of these programmes' words (for bridging) and sentences (for
        ranking evidence), made now rather than on a question's time; the other programmes'
        are stored already."""
        texts = self.text_vectors()
        if texts is None or not doc_ids:
            return
        chunks = self.index.chunks_of(doc_ids)
        new = {w for c in chunks for w in words(f"{c.heading}\n{c.text}")}
        wanted = bridgeable(new) + chunk_sentences(chunks)
        with progress.stage("embed words and sentences", len(wanted), "texts") as advance:
            texts.add(wanted)
            advance(len(wanted))

    def add_to_corpus(self, path: Path, metadata: Mapping[str, Any] | None = None) -> Path:
        """Copy a programme file into the corpus folder, with `metadata` in a sidecar beside
        it (over the labels of a sidecar it came with); never overwrites a different file."""
        meta = {k: v for k, v in (metadata or {}).items() if v is not None}
        target = self._copy_in(path, meta)
        if meta:
            write_sidecar(target, {**read_sidecar(path), **meta})
        return target

    def add_folder_to_corpus(
        self, folder: Path, metadata: Mapping[str, Any] | None = None
    ) -> list[Problem]:
        """Copy every programme file in `folder` into the corpus folder. Their labels — the
        folder's own metadata.csv rows, overridden by `metadata` — become rows of the corpus
        folder's table. A file that cannot be used is returned as a Problem; the rest are added."""
        meta = {k: v for k, v in (metadata or {}).items() if v is not None}
        own = read_table(folder / TABLE_NAME) if (folder / TABLE_NAME).exists() else None
        table = Path(self.settings.corpus_dir) / TABLE_NAME
        writable_table(table)  # a table that cannot take the rows fails before any copy
        rows: dict[str, dict[str, Any]] = {}
        refused = []
        for path in (p for p in corpus_files(folder) if p.suffix.lower() in SUFFIXES):
            try:
                labels = {**(own.row(path.name) if own else {}), **meta}
                rows[self._copy_in(path, labels).name] = labels
            except CorpusError as e:
                refused.append(Problem(path, str(e)))
        if any(rows.values()):
            write_rows(table, {name: labels for name, labels in rows.items() if labels})
        return refused

    def _copy_in(self, path: Path, meta: Mapping[str, Any]) -> Path:
        """Check a file can be used with `meta`, then copy it, and its sidecar if it has one,
        into the corpus folder."""
        if not path.is_file():
            raise CorpusError(f"no such file: {path}")
        corpus = Path(self.settings.corpus_dir)
        corpus_files(corpus)  # raises a clear error if the folder is missing
        read_document(path, meta)  # fail before copying anything if it cannot be used
        pairs = [(path, corpus / path.name)]
        if sidecar_path(path).exists():
            pairs.append((sidecar_path(path), sidecar_path(corpus / path.name)))
        for source, target in pairs:
            if target.exists() and target.read_bytes() != source.read_bytes():
                raise CorpusError(
                    f"{target} already exists with other content",
                    "rename the file, or replace the old one by hand",
                )
        for source, target in pairs:
            if target.resolve() != source.resolve():
                shutil.copyfile(source, target)
        return corpus / path.name

    @property
    def chain(self) -> Runnable[dict[str, Any], Answer]:
        """The LangChain runnable of the pipeline's steps (input `{"question", "history"?,
        "filters"?}`): what `ask` does, for composing with other LangChain parts."""
        with self._lock:
            if self._chain is None:
                from rag.chain import build_chain

                self._chain = build_chain(self._context, self._generate)
            return self._chain

    def as_retriever(self, **kwargs: Any) -> HybridRetriever:
        """A LangChain `BaseRetriever` over this assistant's index (hybrid retrieval, without
        the question analysis of `retrieve`). Keyword arguments set its fields: `k` (default
        `settings.top_k`), `filters` and `per_document`, each also accepted per call:
        `assistant.as_retriever(k=3).invoke("hemlöshet", filters={"party": "Liberalerna"})`."""
        from rag.retriever import HybridRetriever

        defaults = {"k": self.settings.top_k, "per_document": self.settings.per_document}
        return HybridRetriever(
            snapshot=self.snapshot,
            store=self.index.store,
            embeddings=self.embeddings,
            settings=self.settings,
            **{**defaults, **kwargs},
        )

    def snapshot(self) -> Snapshot:
        """The current index version, built on first use and reloaded when it changes. An index
        removed after it was loaded is an error, not rebuilt on a question's time."""
        with self._lock:
            pointer = self.index.pointer()
            if not self.index.is_current(pointer):
                if self._snapshot is not None and pointer is None:
                    raise IndexUnavailable(
                        f"the index in {self.index.root} has been removed",
                        "run `rag ingest --rebuild`",
                    )
                self.ingest()
                pointer = self.index.pointer()
            if (
                self._snapshot is None
                or pointer is None
                or self._snapshot.version != pointer.version
            ):
                self._snapshot = self.index.load()
                gc.freeze()  # it lives long: the collector need not rescan it on every question
            return self._snapshot

    def text_vectors(self) -> TextVectors | None:
        """The multilingual model's stored vectors of corpus texts (None when the model is
        turned off or not installed)."""
        with self._lock:
            if self._texts is None:
                model = load_multilingual(self.settings.bridge_model)
                self._texts = (TextVectors(model) if model is not None else None,)
            return self._texts[0]

    def bridges(self) -> Bridges | None:
        """English → Swedish word bridges over the current version's vocabulary (None when
        bridging is off or its model is not installed)."""
        with self._lock:
            snapshot = self.snapshot()
            if self._bridges is None or self._bridges[0] != snapshot.version:
                texts = self.text_vectors()
                bridges = Bridges.build(snapshot.vocabulary, texts.model) if texts else None
                self._bridges = (snapshot.version, bridges)
            return self._bridges[1]

    def _bridge(self, word: str) -> tuple[str, ...]:
        bridges = self.bridges()
        return bridges.bridge(word) if bridges is not None else ()

    def _context(self) -> pipeline.Context:
        texts = self.text_vectors()
        return pipeline.Context(
            self.snapshot(),
            self.index.store,
            self.embeddings,
            self.settings,
            self._bridge,
            texts.similarity if texts is not None else None,
            texts.prefetch if texts is not None else lambda question: None,
        )

    # --- questions --------------------------------------------------------------------------

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        filters: Mapping[str, Any] | None = None,
        per_document: int | None = None,
        mode: str | None = None,
    ) -> list[Passage]:
        """The best passages for a question (with the same question analysis as `ask`: glossary
        terms, a named municipality), without composing an answer."""
        if per_document is None:
            per_document = self.settings.per_document
        with collector_paused():
            return pipeline.retrieve(
                self._context(), question, k or self.settings.top_k, filters, per_document, mode
            )

    def ask(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> Answer:
        """A short answer with verified citations, or a plain refusal. `history` may hold
        earlier questions and answers (strings, role dicts, or the `Answer`s themselves)."""
        with collector_paused():
            return pipeline.ask(self._context(), question, history, filters, self._generate)

    def stream(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is produced, then the final `Answer`."""
        generate = (
            partial(stream_generated, self.chat_model) if self.chat_model is not None else None
        )
        with collector_paused():  # the answer is worked out before its first piece
            pieces = pipeline.stream(self._context(), question, history, filters, generate)
        yield from pieces

    def compare(self, topic: str, filters: Mapping[str, Any] | None = None) -> list[Verdict]:
        """One verdict per programme in scope: its stance on the topic with its best verbatim
        quote, or `silent` (no citation) when it does not mention it."""
        with collector_paused():
            return pipeline.compare(self._context(), topic, filters)

    def prepare_in_background(self) -> threading.Thread:
        """Start `prepare` in a thread of its own, so that a web framework loads meanwhile; what
        it raises is raised again by the next `prepare` or question."""
        thread = threading.Thread(target=self._prepare_quietly, name="rag-prepare", daemon=True)
        thread.start()
        return thread

    def _prepare_quietly(self) -> None:
        with suppress(RagError):
            self.prepare()

    def prepare(self) -> None:
        """Load what the first question needs (the index's current version and its lexicon,
        the embedding model), so that it is answered without that wait, and keep what they
        loaded out of the collector's rescans (`gc.freeze`). Raises what a question would."""
        self.snapshot().lexicon  # noqa: B018  # built now, not on the first question's time
        self.retrieve("socialtjänst", k=1)
        gc.freeze()

    # --- documents --------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        """The indexed programmes, sorted by municipality."""
        return sorted(self.snapshot().documents.values(), key=lambda d: (d.municipality, d.party))

    def document(self, doc_id: str) -> Document:
        try:
            return self.snapshot().documents[doc_id]
        except KeyError:
            raise CorpusError(
                f"no document {doc_id!r}", "see `rag documents` for the ids"
            ) from None
