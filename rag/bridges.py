"""English → Swedish term bridges drawn from the corpus's own words with a multilingual model.

At ingest, every word of the corpus (four letters or more) gets a multilingual-e5 vector; vectors
are cached by word under `$XDG_CACHE_HOME/rag/words`, so a new programme costs only its new
words. At question time an English word that neither the glossary nor the corpus knows is
embedded, and its nearest Swedish corpus words are taken, but only when they stand out from the
rest of the vocabulary (the model's cosines are compressed, so a z-score, not a fixed cosine,
decides). A hand-written glossary cannot cover what users ask or what new programmes say; this
covers the words the corpus actually has.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

MIN_Z = 4.5  # how far above the vocabulary's mean a bridged word's similarity must stand
MIN_SIMILARITY = 0.88  # and its own similarity, as a second guard (e5's cosines sit high)
MARGIN = 0.005  # words this close to the best one are bridged too
MAX_BRIDGES = 3
MIN_LETTERS = 4


class Multilingual(Protocol):
    """What bridging needs of a multilingual embedder."""

    name: str

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...


def load_bridges(name: str, vocabulary: Iterable[str]) -> Bridges | None:
    """Bridges over `vocabulary` with the embedder registered as `name`; None when bridging is
    off or that embedder is not installed (the glossary then works alone)."""
    if not name:
        return None
    from rag.embedders import embedder_class
    from rag.errors import EmbeddingError

    try:
        model = embedder_class(name)()
    except EmbeddingError:
        return None
    return Bridges.build(vocabulary, model)


def bridgeable(vocabulary: Iterable[str]) -> list[str]:
    """The corpus words worth bridging to: alphabetic, four letters or more, sorted.

    >>> bridgeable(["och", "sprutbyte", "2022", "hemlösa"])
    ['hemlösa', 'sprutbyte']
    """
    return sorted(w for w in set(vocabulary) if len(w) >= MIN_LETTERS and w.isalpha())


def cache_path(model: str, cache: Path | None = None) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return (cache or base / "rag" / "words") / f"{model}.npz"


def _load(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            return dict(zip(data["words"].tolist(), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        return {}  # missing or damaged: recomputed


def word_vectors(
    words: Sequence[str], model: Multilingual, cache: Path | None = None
) -> np.ndarray:
    """Vectors of `words` (documents side), computed only for words the cache lacks."""
    path = cache_path(model.name, cache)
    known = _load(path)
    missing = [w for w in words if w not in known]
    if missing:
        fresh = model.embed_documents(missing).astype(np.float16)
        known.update(zip(missing, fresh, strict=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.npz")
        np.savez(tmp, words=np.array(list(known)), vectors=np.stack(list(known.values())))
        os.replace(tmp, path)
    if not words:
        return np.zeros((0, 1), dtype=np.float32)
    return np.stack([known[w] for w in words]).astype(np.float32)


class Bridges:
    """Nearest Swedish corpus words for an English word, when they clearly stand out."""

    def __init__(self, words: Sequence[str], vectors: np.ndarray, model: Multilingual) -> None:
        self.words = list(words)
        self.vectors = vectors
        self.model = model

    @classmethod
    def build(
        cls, vocabulary: Iterable[str], model: Multilingual, cache: Path | None = None
    ) -> Bridges:
        words = bridgeable(vocabulary)
        return cls(words, word_vectors(words, model, cache), model)

    def bridge(self, word: str) -> tuple[str, ...]:
        """Swedish words for `word`, best first, or () when none stands out."""
        if len(self.words) < 2:
            return ()
        similarity = self.vectors @ self.model.embed_queries([word])[0]
        order = np.argsort(-similarity)[:MAX_BRIDGES]
        best = float(similarity[order[0]])
        spread = float(similarity.std()) or 1.0
        if (best - float(similarity.mean())) / spread < MIN_Z or best <= MIN_SIMILARITY:
            return ()
        return tuple(self.words[i] for i in order if similarity[i] >= best - MARGIN)
