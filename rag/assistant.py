"""`Assistant`: the one object users hold. It owns the settings, the index and the chain."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

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
from rag.corpus import corpus_files, load_documents, read_document, sidecar_path
from rag.embedders import Embeddings, load_embeddings
from rag.errors import CorpusError, IndexError_
from rag.generate import generate_answer, load_chat_model, stream_generated
from rag.index import Index, IngestReport, Snapshot
from rag.progress import SILENT, Progress
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
        progress: Progress = SILENT,
    ) -> IngestReport:
        """Bring the index in line with the corpus folder. `paths` are new programme files to
        add to the corpus first (copied in, with `metadata` written beside them if given).
        Questions asked meanwhile are answered from the version in use until it finishes.
        `progress` is told of each stage (files read, chunks embedded, ...)."""
        for path in paths or []:
            self.add_to_corpus(Path(path), metadata)
        files = corpus_files(self.settings.corpus_dir)
        docs, problems = load_documents(progress.iterate("read", files, len(files), "files"))
        # The first use of a model exports it (a minute or so): a stage of its own.
        with progress.stage("load embedding model", 1, "models") as advance:
            embeddings = self.embeddings
            advance(1)
        report = self.index.ingest(docs, embeddings, rebuild=rebuild, progress=progress)
        report.problems = problems
        with self._lock:
            self._snapshot = None
        return report

    def add_to_corpus(self, path: Path, metadata: Mapping[str, Any] | None = None) -> Path:
        """Copy a programme file into the corpus folder; never overwrites a different file."""
        if not path.is_file():
            raise CorpusError(f"no such file: {path}")
        corpus = Path(self.settings.corpus_dir)
        corpus_files(corpus)  # raises a clear error if the folder is missing
        meta = {k: v for k, v in (metadata or {}).items() if v is not None}
        read_document(path, meta)  # fail before copying anything if it cannot be used
        target = corpus / path.name
        if target.resolve() != path.resolve():
            if target.exists() and target.read_bytes() != path.read_bytes():
                raise CorpusError(
                    f"{target} already exists with other content",
                    "rename the file, or replace the old one by hand",
                )
            shutil.copyfile(path, target)
        if meta:
            import yaml  # deferred: only adding a file writes YAML

            sidecar_path(target).write_text(
                yaml.safe_dump(meta, allow_unicode=True, sort_keys=True), encoding="utf-8"
            )
        return target

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
