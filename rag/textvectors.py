"""Multilingual vectors of the corpus's texts, its words and its sentences, kept by content, so
that a text is embedded once whichever programme or index it comes from.

The store is one folder per model, `$XDG_CACHE_HOME/rag/vectors/<model>/`, of segments. A
segment is two files: `<segment>.keys.npy` (its texts' 64-bit keys, sorted) and
`<segment>.vectors.npy` (float16, row i belongs to key i); `CURRENT.json` names the segments in
use, oldest first. Readers map the files into memory and read only the rows they look up.
Adding texts writes a segment of just those texts and only then the pointer, so a reader never
pairs keys with vectors of another segment, and an addition costs what it adds: the newest
segments are merged into one when together they hold a quarter of the rows of the one before
(as index packs are), so there are few and merging stays amortised. A missing or damaged segment
reads as empty: its texts are embedded again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from rag.files import new_name, read_json, write_json
from rag.lexical import feature_key
from rag.packs import merge_start

POINTER = "CURRENT.json"


class Multilingual(Protocol):
    """What the store needs of a multilingual embedder (the e5 models embed a question and a
    passage differently)."""

    name: str

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...


def load_multilingual(name: str) -> Multilingual | None:
    """The embedder registered as `name`; None when `name` is empty or it is not installed
    (what needs it then does without)."""
    if not name:
        return None
    from rag.embedders import embedder_class
    from rag.errors import EmbeddingError

    try:
        return embedder_class(name)()
    except EmbeddingError:
        return None


def store_folder(model: str, cache: Path | None = None) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rag" / "vectors"
    return (cache or base) / model


def text_keys(texts: Sequence[str]) -> np.ndarray:
    return np.fromiter((feature_key(t) for t in texts), dtype=np.int64, count=len(texts))


class TextVectors:
    """Document-side vectors of texts under one model, embedded once and kept on disk."""

    def __init__(self, model: Multilingual, cache: Path | None = None) -> None:
        self.model = model
        self.folder = store_folder(model.name, cache)
        self._last_question: tuple[str, Future[np.ndarray]] | None = None
        self._worker: ThreadPoolExecutor | None = None
        self._held: tuple[Any, list[tuple[str, np.ndarray, np.ndarray]]] | None = None

    def _segments(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """The segments in use (name, keys, memory-mapped vectors), read again only when the
        pointer changed."""
        try:
            st = (self.folder / POINTER).stat()
            mark = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            mark = None
        if self._held is None or self._held[0] != mark:
            self._held = (mark, [seg for name in self._names() for seg in self._read(name)])
        return self._held[1]

    def _names(self) -> list[str]:
        try:
            pointer = read_json(self.folder / POINTER)
            names = pointer.get("segments") or [pointer["generation"]]  # or an older layout
            return [str(n) for n in names]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return []

    def _read(self, name: str) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """A segment as a list of one, or none when it is missing or damaged."""
        try:
            keys = np.load(self.folder / f"{name}.keys.npy")
            vectors = np.load(self.folder / f"{name}.vectors.npy", mmap_mode="r")
            if keys.ndim == 1 and vectors.ndim == 2 and len(keys) == len(vectors):
                return [(name, keys, vectors)]
        except (OSError, ValueError):
            pass
        return []

    def lookup(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The stored vectors of `texts` (float32, zero rows where a text is not stored) and
        which of them were stored."""
        wanted = text_keys(texts)
        found = np.zeros(len(texts), dtype=bool)
        out: np.ndarray | None = None
        for _, keys, vectors in self._segments():
            if not len(keys):
                continue
            at = np.searchsorted(keys, wanted).clip(0, len(keys) - 1)
            here = (keys[at] == wanted) & ~found
            if out is None:
                out = np.zeros((len(texts), vectors.shape[1]), np.float32)
            if here.any():
                out[here] = vectors[at[here]]
                found |= here
        return (out if out is not None else np.zeros((len(texts), 0), np.float32)), found

    def add(self, texts: Sequence[str]) -> int:
        """Embed the texts not stored yet and store them; how many were embedded."""
        fresh = list(dict.fromkeys(texts))
        missing = [t for t, f in zip(fresh, self.lookup(fresh)[1], strict=True) if not f]
        if not missing:
            return 0
        self._write(text_keys(missing), self.model.embed_documents(missing).astype(np.float16))
        return len(missing)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of `texts` (float32), embedding and storing those not stored yet."""
        self.add(texts)
        return self._complete(texts)

    def similarity(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """Cosine of each text to the question (texts not stored are embedded, not stored:
        a question never writes)."""
        if not texts:
            return np.zeros(0, np.float32)
        return self._complete(texts) @ self._question_vector(question)

    def prefetch(self, question: str) -> None:
        """Start embedding the question in a thread of its own, for an answer that will rank
        by meaning: the model runs outside Python's lock, beside the steps before it."""
        if self._worker is None:
            self._worker = ThreadPoolExecutor(1, thread_name_prefix="rag-question")
        self._last_question = (question, self._worker.submit(self._embed_question, question))

    def _question_vector(self, question: str) -> np.ndarray:
        """The question's vector; the last one is kept, as one answer may rank twice."""
        last = self._last_question
        if last is None or last[0] != question:
            done: Future[np.ndarray] = Future()
            done.set_result(self._embed_question(question))
            last = self._last_question = (question, done)
        return last[1].result()

    def _embed_question(self, question: str) -> np.ndarray:
        return self.model.embed_queries([question])[0].astype(np.float32)

    def _complete(self, texts: Sequence[str]) -> np.ndarray:
        """The stored vectors of `texts`, those not stored embedded here."""
        rows, found = self.lookup(texts)
        if found.all():
            return rows
        fresh = self.model.embed_documents([t for t, f in zip(texts, found, strict=True) if not f])
        if not found.any():
            return np.asarray(fresh, np.float32)
        rows[~found] = fresh
        return rows

    def _write(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        """A segment of new texts (merged with the newest ones, see the module doc), then the
        pointer to the segments; files that neither it nor the pointer before it names go."""
        self.folder.mkdir(parents=True, exist_ok=True)
        held = self._segments()
        segments = [(name, k, v) for name, k, v in held if len(k)]
        start = merge_start([len(k) for _, k, _ in segments] + [len(keys)])
        keys = np.concatenate([*(k for _, k, _ in segments[start:]), keys])
        vectors = np.concatenate([*(v for _, _, v in segments[start:]), vectors])
        order = np.argsort(keys, kind="stable")
        keys, vectors = keys[order], vectors[order]
        name = new_name()
        for part, data in (("keys", keys), ("vectors", vectors)):
            tmp = self.folder / f".{name}.{part}.npy"
            np.save(tmp, data)
            os.replace(tmp, self.folder / f"{name}.{part}.npy")
        write_json(
            self.folder / POINTER, {"segments": [n for n, _, _ in segments[:start]] + [name]}
        )
        keep = {name, *(n for n, _, _ in held)}  # readers may still be on the segments before
        for path in self.folder.glob("*.npy"):
            if path.name.split(".")[0] not in keep:
                path.unlink(missing_ok=True)
