"""`Assistant`: the one object users hold. It owns the settings, the index and the chain."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from rag.answer import compare_table, extractive_answer
from rag.chain import (
    Context,
    build_chain,
    check_question,
    checked,
    gather,
    plan_question,
    retrieve_for,
    search,
)
from rag.citations import is_verbatim
from rag.config import Settings, get_settings
from rag.embedding import Embeddings, load_embeddings
from rag.errors import CorpusError, IndexError_
from rag.generate import generate_answer, load_chat_model, stream_generated
from rag.index import Index, IngestReport, Snapshot
from rag.readers import (
    SUFFIXES,
    TABLE_NAME,
    Problem,
    corpus_files,
    read_corpus,
    read_document,
    read_sidecar,
    read_table,
    sidecar_path,
    writable_table,
    write_rows,
)
from rag.types import Answer, Citation, Document, Passage


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
        **overrides: Any,
    ) -> None:
        self.settings = settings or get_settings(**overrides)
        self.index = Index(self.settings)
        self._embeddings = embeddings
        self._snapshot: Snapshot | None = None
        self._lock = threading.RLock()
        self.chat_model = chat_model or load_chat_model(self.settings)
        generate = (
            partial(generate_answer, self.chat_model) if self.chat_model is not None else None
        )
        self.chain = build_chain(self._context, generate)

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
    ) -> IngestReport:
        """Bring the index in line with the corpus folder. `paths` are new programme files, or
        folders of them, to add to the corpus first (copied in, with `metadata` recorded for
        them if given). Questions asked meanwhile are answered from the version in use until
        it finishes."""
        refused: list[Problem] = []
        for path in map(Path, paths or []):
            if path.is_dir():
                refused += self.add_folder_to_corpus(path, metadata)
            else:
                self.add_to_corpus(path, metadata)
        loaded = read_corpus(self.settings.corpus_dir)
        report = self.index.ingest(loaded.documents, self.embeddings, rebuild=rebuild)
        report.problems = refused + loaded.problems
        report.warnings = loaded.warnings
        with self._lock:
            self._snapshot = None
        return report

    def add_to_corpus(self, path: Path, metadata: Mapping[str, Any] | None = None) -> Path:
        """Copy a programme file into the corpus folder, with `metadata` in a sidecar beside
        it (over the labels of a sidecar it came with); never overwrites a different file."""
        meta = {k: v for k, v in (metadata or {}).items() if v is not None}
        target = self._copy_in(path, meta)
        if meta:
            labels = {**read_sidecar(path), **meta}
            sidecar_path(target).write_text(
                yaml.safe_dump(labels, allow_unicode=True, sort_keys=True), encoding="utf-8"
            )
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

    def snapshot(self) -> Snapshot:
        """The current index version, built on first use and reloaded when it changes. An index
        removed after it was loaded is an error, not rebuilt on a question's time."""
        with self._lock:
            pointer = self.index.pointer()
            if not self.index.is_current(pointer):
                if self._snapshot is not None and pointer is None:
                    raise IndexError_(
                        f"the index in {self.index.root} has been removed",
                        "run `rag ingest --rebuild`",
                    )
                self.ingest()
                pointer = self.index.pointer()
            if self._snapshot is None or self._snapshot.version != (pointer or {}).get("version"):
                self._snapshot = self.index.load()
            return self._snapshot

    def _context(self) -> Context:
        return Context(self.snapshot(), self.index.store, self.embeddings, self.settings)

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
        ctx = self._context()
        plan, scope = plan_question(ctx, check_question(question), None, filters)
        if per_document is None:
            per_document = self.settings.per_document
        return search(ctx, plan, scope, k or self.settings.top_k, per_document, mode)

    def ask(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> Answer:
        """A short answer with verified citations, or a plain refusal."""
        return self.chain.invoke({"question": question, "history": history, "filters": filters})

    def stream(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is produced, then the final `Answer`."""
        if self.chat_model is None or self.settings.answer_mode == "passages":
            answer = self.ask(question, history, filters)
            yield from answer.text.splitlines(keepends=True)
            yield answer
            return
        ctx = self._context()
        plan, passages = gather(ctx, check_question(question), history, filters)
        evidence = checked(extractive_answer(plan, passages, ctx.snapshot), plan, ctx.snapshot)
        for item in stream_generated(self.chat_model, plan, evidence):
            yield checked(item, plan, ctx.snapshot) if isinstance(item, Answer) else item

    def compare(
        self, topic: str, filters: Mapping[str, Any] | None = None
    ) -> list[tuple[Document, Citation | None]]:
        """For each programme in scope: its best verbatim quote on the topic, or None when it
        does not mention it."""
        ctx = self._context()
        plan, scope = plan_question(ctx, check_question(topic), None, filters)
        plan = replace(plan, kind="who")
        passages = retrieve_for(ctx, plan, scope) if plan.concepts else []
        rows = compare_table(plan, passages, ctx.snapshot)
        return [
            (doc, c if c is not None and is_verbatim(c, ctx.snapshot.documents) else None)
            for doc, c in rows
        ]

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
