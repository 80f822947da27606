"""Multilingual vectors of the corpus's texts, its words and its sentences, kept by content, so
that a text is embedded once whichever programme or index it comes from.

The store is one folder per model, `$XDG_CACHE_HOME/rag/vectors/<model>/`. A generation is two
files: `<generation>.keys.npy` (the texts' 64-bit keys, sorted) and `<generation>.vectors.npy`
(float16, row i belongs to key i); `CURRENT.json` names the generation in use. Readers map the
files into memory and read only the rows they look up. Adding texts writes a new generation and
only then the pointer, so a reader never pairs keys with vectors of another generation. A
missing or damaged store reads as empty: its texts are embedded again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from rag.lexical import feature_key
from rag.packs import new_name, read_json, write_json

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
        self._last_question: tuple[str, np.ndarray] | None = None
        self._held: tuple[Any, tuple[np.ndarray, np.ndarray]] | None = None

    def _generation(self) -> tuple[np.ndarray, np.ndarray]:
        """The keys and (memory-mapped) vectors in use, read again only when the pointer
        changed; empty when there are none."""
        try:
            st = (self.folder / POINTER).stat()
            mark = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            mark = None
        if self._held is None or self._held[0] != mark:
            self._held = (mark, self._read_generation())
        return self._held[1]

    def _read_generation(self) -> tuple[np.ndarray, np.ndarray]:
        try:
            name = read_json(self.folder / POINTER)["generation"]
            keys = np.load(self.folder / f"{name}.keys.npy")
            vectors = np.load(self.folder / f"{name}.vectors.npy", mmap_mode="r")
            if keys.ndim == 1 and vectors.ndim == 2 and len(keys) == len(vectors):
                return keys, vectors
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or damaged: an empty store, refilled as texts are added
        return np.zeros(0, np.int64), np.zeros((0, 0), np.float16)

    def lookup(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The stored vectors of `texts` (float32, zero rows where a text is not stored) and
        which of them were stored."""
        keys, vectors = self._generation()
        wanted = text_keys(texts)
        at = np.searchsorted(keys, wanted).clip(0, max(len(keys) - 1, 0))
        found = keys[at] == wanted if len(keys) else np.zeros(len(texts), bool)
        out = np.zeros((len(texts), vectors.shape[1] if len(keys) else 0), np.float32)
        if found.any():
            out[found] = vectors[at[found]]
        return out, found

    def add(self, texts: Sequence[str]) -> int:
        """Embed the texts not stored yet and store them; how many were embedded."""
        keys, vectors = self._generation()
        fresh = list(dict.fromkeys(texts))
        fresh_keys = text_keys(fresh)
        new = ~np.isin(fresh_keys, keys)
        missing = [t for t, n in zip(fresh, new, strict=True) if n]
        if not missing:
            return 0
        embedded = self.model.embed_documents(missing).astype(np.float16)
        all_keys = np.concatenate([keys, fresh_keys[new]])
        order = np.argsort(all_keys, kind="stable")
        rows = np.concatenate([vectors, embedded]) if len(keys) else embedded
        self._write(all_keys[order], rows[order])
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

    def _question_vector(self, question: str) -> np.ndarray:
        """The question's vector; the last one is kept, as one answer may rank twice."""
        last = self._last_question
        if last is None or last[0] != question:
            last = (question, self.model.embed_queries([question])[0].astype(np.float32))
            self._last_question = last
        return last[1]

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
        """A new generation, then the pointer to it; older generations but the last removed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        previous = self._current_name()
        name = new_name()
        for part, data in (("keys", keys), ("vectors", vectors)):
            tmp = self.folder / f".{name}.{part}.npy"
            np.save(tmp, data)
            os.replace(tmp, self.folder / f"{name}.{part}.npy")
        write_json(self.folder / POINTER, {"generation": name})
        for path in self.folder.glob("*.npy"):
            if not path.name.startswith((name, f"{previous}.")):
                path.unlink(missing_ok=True)

    def _current_name(self) -> str:
        try:
            return str(read_json(self.folder / POINTER)["generation"])
        except (OSError, ValueError, KeyError, TypeError):
            return ""
