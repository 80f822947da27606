"""English → Swedish term bridges drawn from the corpus's own words with a multilingual model.

At ingest, every word of the corpus (four letters or more) gets a multilingual-e5 vector, kept
in the text-vector store (`rag.textvectors`), so a new programme costs only its new words. At
question time an English word that neither the glossary nor the corpus knows is embedded, and
its nearest Swedish corpus words are taken, but only when they stand out from the rest of the
vocabulary (the model's cosines are compressed, so a z-score, not a fixed cosine, decides). A
hand-written glossary cannot cover what users ask or what new programmes say; this covers the
words the corpus actually has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from rag.textvectors import Multilingual, TextVectors

MIN_Z = 4.5  # how far above the vocabulary's mean a bridged word's similarity must stand
MIN_SIMILARITY = 0.88  # and its own similarity, as a second guard (e5's cosines sit high)
MARGIN = 0.005  # words this close to the best one are bridged too
MAX_BRIDGES = 3
MIN_LETTERS = 4
KEPT_WORDS = 4096  # bridges of this many words asked about are kept (words recur in questions)


def bridgeable(vocabulary: Iterable[str]) -> list[str]:
    """The corpus words worth bridging to: alphabetic, four letters or more, sorted.

    >>> bridgeable(["och", "sprutbyte", "2022", "hemlösa"])
    ['hemlösa', 'sprutbyte']
    """
    return sorted(w for w in set(vocabulary) if len(w) >= MIN_LETTERS and w.isalpha())


class Bridges:
    """Nearest Swedish corpus words for an English word, when they clearly stand out."""

    def __init__(self, words: Sequence[str], vectors: np.ndarray, model: Multilingual) -> None:
        self.words = list(words)
        self.vectors = vectors
        self.model = model
        self._known: dict[str, tuple[str, ...]] = {}

    @classmethod
    def build(
        cls, vocabulary: Iterable[str], model: Multilingual, cache: Path | None = None
    ) -> Bridges:
        words = bridgeable(vocabulary)
        return cls(words, TextVectors(model, cache).vectors(words), model)

    def bridge(self, word: str) -> tuple[str, ...]:
        """Swedish words for `word`, best first, or () when none stands out (worked out once
        per word: the model is the slowest part of a question)."""
        known = self._known.get(word)
        if known is None:
            if len(self._known) >= KEPT_WORDS:
                self._known.clear()
            known = self._known[word] = self._bridge(word)
        return known

    def _bridge(self, word: str) -> tuple[str, ...]:
        if len(self.words) < 2:
            return ()
        similarity = self.vectors @ self.model.embed_queries([word])[0]
        order = np.argsort(-similarity)[:MAX_BRIDGES]
        best = float(similarity[order[0]])
        spread = float(similarity.std()) or 1.0
        if (best - float(similarity.mean())) / spread < MIN_Z or best <= MIN_SIMILARITY:
            return ()
        return tuple(self.words[i] for i in order if similarity[i] >= best - MARGIN)
