"""What every measurement runs on: a corpus of a given size, and an assistant whose embedder is
wrapped so that the time spent embedding passages, and the passages themselves, are recorded,
with the bare model kept beside it for reference timings."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from evals.synth import SEED_CORPUS, write_corpus
from rag import Assistant, IngestReport, Progress, get_settings

BARE_SAMPLE = 2_000
"""At most this many passages are embedded bare to time the model; more are extrapolated."""


class TimedEmbedder:
    """Wraps an embedder: records every passage it embeds and the seconds spent embedding."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.seconds = 0.0
        self.texts: list[str] = []

    def reset(self) -> None:
        self.seconds, self.texts = 0.0, []

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.embed_queries(texts)
        self.seconds += time.perf_counter() - started
        return np.asarray(vectors)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.embed_documents(texts)
        self.seconds += time.perf_counter() - started
        self.texts.extend(texts)
        return np.asarray(vectors)


class MemoEmbedder:
    """Embeds each distinct chunk body ("<municipality>. <heading>.\\n<text>" minus its
    municipality) once; questions go to the model every time."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.cache: dict[str, np.ndarray] = {}

    @staticmethod
    def body(text: str) -> str:
        first, _, _ = text.partition("\n")
        return text.partition(". ")[2] if "\n" in text and ". " in first else text

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.inner.embed_queries(texts))

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        keys = [self.body(t) for t in texts]
        todo = sorted({k for k in keys if k not in self.cache})
        if todo:
            self.cache.update(zip(todo, self.inner.embed_documents(todo), strict=True))
        return np.stack([self.cache[k] for k in keys])


@dataclass
class Harness:
    """An assistant wired for measuring, over `corpus` with its index in `index`."""

    assistant: Assistant
    model: Any  # the bare embedder, for reference timings
    timed: TimedEmbedder  # what the index embeds through (the memo embedder inside, if `memo`)
    values: dict[str, Any]  # the settings, for the `rag ask` subprocesses
    memo: bool
    load_s: float  # loading the model (0 when it was shared from another harness)

    @property
    def corpus(self) -> Path:
        return Path(self.values["corpus_dir"])

    @property
    def index(self) -> Path:
        return Path(self.values["index_dir"])


@dataclass
class IngestWork:
    """One timed ingest: its wall time, the part spent inside the embedder, the passages it
    embedded and the index's own account of the work."""

    seconds: float
    embed_s: float
    texts: list[str]
    report: IngestReport

    def counts(self) -> dict[str, int]:
        r = self.report
        return {
            "added": len(r.added),
            "updated": len(r.updated),
            "removed": len(r.removed),
            "embedded": r.embedded,
        }


def timed(fn: Callable[[], Any]) -> float:
    """Seconds `fn()` takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bare_seconds(model: Any, texts: Sequence[str], limit: int = BARE_SAMPLE) -> float:
    """Seconds the bare model takes to embed `texts`, extrapolated from an even sample of
    `limit` of them when there are more."""
    if not texts:
        return 0.0
    sample = list(texts[:: max(1, len(texts) // limit)][:limit])
    return timed(lambda: model.embed_documents(sample)) * len(texts) / len(sample)


AGE_S = 3600.0
"""How far back a synthetic corpus's files are dated."""


def write_bench_corpus(corpus: Path, target_chunks: int, seed: int, progress: Progress) -> str:
    """The seed corpus, or a synthetic one of about `target_chunks` chunks, written to
    `corpus`; returns a note saying which. Its files are dated an hour back, as a corpus not
    written just now: a file changed within seconds of an ingest is read again by the next
    (see `rag.readers.stamps`), which would make the first re-ingest read every file."""
    if not target_chunks:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.copytree(SEED_CORPUS, corpus)
        return "seed corpus (corpus/*.md)"
    with progress.stage("synthetic corpus", target_chunks, "chunks") as advance:
        summary = write_corpus(corpus, target_chunks, seed)
        advance(target_chunks)
    aged = time.time() - AGE_S
    for path in corpus.iterdir():
        os.utime(path, (aged, aged))
    return f"synthetic, seed {seed}: {summary.synthetic_documents} generated + seed"


def open_harness(
    work: Path, overrides: dict[str, Any], memo: bool, share: Harness | None = None
) -> Harness:
    """An assistant over `work`/corpus with a fresh index in `work`/index. With `share`, it
    embeds through that harness's (already loaded) model and recorder."""
    index = work / "index"
    shutil.rmtree(index, ignore_errors=True)
    values = {"corpus_dir": work / "corpus", "index_dir": index, **overrides}
    settings = get_settings(**values)
    if share is not None:
        assistant = Assistant(settings, embeddings=share.assistant.embeddings)
        return Harness(assistant, share.model, share.timed, values, share.memo, 0.0)
    assistant = Assistant(settings)
    load_s = timed(lambda: assistant.embeddings)
    model = assistant.embeddings.embedder
    recorder = TimedEmbedder(MemoEmbedder(model) if memo else model)
    assistant.embeddings.embedder = recorder
    model.embed_documents(["Uppvärmning av modellen.", "Warm-up."])  # first-call costs land nowhere
    return Harness(assistant, model, recorder, values, memo, load_s)


def timed_ingest(h: Harness, progress: Progress, rebuild: bool = False) -> IngestWork:
    """Ingest the corpus as it now is, timed."""
    h.timed.reset()
    started = time.perf_counter()
    report = h.assistant.ingest(rebuild=rebuild, progress=progress)
    seconds = time.perf_counter() - started
    return IngestWork(seconds, h.timed.seconds, list(h.timed.texts), report)
