"""Swedish-aware lexical retrieval: Snowball stems plus character n-grams, scored with BM25.

Stems handle inflection ("hemlösa" ~ "hemlös"); n-grams of each word handle compounds, which
stemming cannot ("sprutbyte" ~ "sprutbytesprogram" ~ "sprututbyte"). A search adds up, per
feature of the question, the weights of the chunks it occurs in: it never loops over chunks in
Python.

Features are stored as 64-bit keys (a hash of the feature), so the term counts of separately
written parts of the index share one column space: merging them is a sort, never a Python loop
over a vocabulary. A question's BM25 weights are computed from the counts of its own features.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import snowballstemmer

if TYPE_CHECKING:  # scipy is imported where counts are built or merged: never to answer
    from scipy import sparse

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    """
    och i att det som en på är av för med till den har de inte om ett han men var jag sig
    från vi så kan man när år säger hon under också efter eller nu sin där vid mot ska
    skall bör kommer vill får blir ha hade sina sitt denna detta dessa dem deras dess oss
    vår våra vårt hur vad vem vilka vilken vilket varför vart sådan sådana även samt alla
    allt mer mest än bara redan ut upp in ner här då sedan genom utan inom över efter åt
    hos vara varit bli the a an and or of to in on for with by is are was were be been
    what who which how why do does did their they them this that these those it its as at
    from about any some
    """.split()
)
K1, B = 1.2, 0.75
STEM_WEIGHT = 3.0


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("swedish")


def words(text: str) -> list[str]:
    """Lower-cased words without stopwords.

    >>> words("Vem föreslår sprutbyte?")
    ['föreslår', 'sprutbyte']
    """
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Swedish stem: `stem("hemlösa") == "hemlös"`."""
    return str(_stemmer().stemWord(word))


def ngrams(word: str, n: int = 4) -> list[str]:
    """Character n-grams of a word padded with < and >."""
    padded = f"<{word}>"
    return [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]


@lru_cache(maxsize=200_000)
def _word_features(word: str, n: int) -> tuple[str, ...]:
    feats = ["s:" + stem(word)]
    if len(word) >= n:
        feats.extend("g:" + g for g in ngrams(word, n))
    return tuple(feats)


def features(text: str, n: int = 4) -> Counter[str]:
    """Stem and n-gram features of a text, with counts."""
    out: Counter[str] = Counter()
    for word in words(text):
        out.update(_word_features(word, n))
    return out


def feature_key(feature: str) -> int:
    """A stable signed 64-bit key for a feature (the same in every process)."""
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


@lru_cache(maxsize=200_000)
def _word_keys(word: str, n: int) -> tuple[int, ...]:
    return tuple(feature_key(f) for f in _word_features(word, n))


def feature_keys(text: str, n: int = 4) -> Counter[int]:
    """`features`, keyed by `feature_key`."""
    out: Counter[int] = Counter()
    for word in words(text):
        out.update(_word_keys(word, n))
    return out


COLUMN_ARRAYS = ("keys", "indptr", "rows", "counts", "lengths")
_NO_ROWS, _NO_COUNTS = np.zeros(0, np.int32), np.zeros(0, np.float32)


@dataclass(frozen=True)
class Columns:
    """Raw feature counts by column: feature `keys[j]` (sorted) occurs in rows
    `rows[indptr[j]:indptr[j + 1]]`, with the counts at the same places; `lengths[row]` is the
    row's total count. Opened from a pack's files, the arrays are memory-mapped, so a question
    reads the columns of its own features and nothing else."""

    keys: np.ndarray
    indptr: np.ndarray
    rows: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray

    def postings(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        """The rows where feature `key` occurs, and its counts there."""
        j = int(np.searchsorted(self.keys, key))
        if j == len(self.keys) or int(self.keys[j]) != key:
            return _NO_ROWS, _NO_COUNTS
        start, end = int(self.indptr[j]), int(self.indptr[j + 1])
        return self.rows[start:end], self.counts[start:end]

    def save(self, folder: Path) -> None:
        """One `terms.<array>.npy` file per array, in `folder`."""
        for name in COLUMN_ARRAYS:
            np.save(folder / f"terms.{name}.npy", getattr(self, name))

    @classmethod
    def open(cls, folder: Path) -> Columns:
        # plain arrays over the mapped files: slicing a `memmap` makes a `memmap` each time
        return cls(
            *(
                np.load(folder / f"terms.{name}.npy", mmap_mode="r").view(np.ndarray)
                for name in COLUMN_ARRAYS
            )
        )


@dataclass(frozen=True)
class TermCounts:
    """Raw feature counts of some chunks, as they are built and merged: row i is chunk
    `ids[i]`, column j is feature key `keys[j]` (sorted, unique)."""

    ids: list[str]
    keys: np.ndarray
    counts: sparse.csr_matrix

    @classmethod
    def of_texts(cls, ids: Sequence[str], texts: Sequence[str], n: int = 4) -> TermCounts:
        from scipy import sparse

        per_text = [feature_keys(text, n) for text in texts]
        keys = np.unique(np.fromiter((k for c in per_text for k in c), dtype=np.int64))
        rows = np.repeat(np.arange(len(texts)), [len(c) for c in per_text])
        cols = np.searchsorted(keys, np.fromiter((k for c in per_text for k in c), np.int64))
        vals = np.fromiter((v for c in per_text for v in c.values()), dtype=np.float32)
        counts = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(keys)))
        return cls(list(ids), keys, counts)

    @classmethod
    def of_columns(cls, ids: Sequence[str], columns: Columns) -> TermCounts:
        from scipy import sparse

        shape = (len(ids), len(columns.keys))
        by_column = sparse.csc_matrix(
            (np.array(columns.counts), np.array(columns.rows), np.array(columns.indptr)), shape
        )
        return cls(list(ids), np.array(columns.keys), by_column.tocsr())

    def columns(self) -> Columns:
        by_column = self.counts.tocsc()
        by_column.sort_indices()
        return Columns(
            self.keys,
            by_column.indptr.astype(np.int64),
            by_column.indices.astype(np.int32),
            by_column.data.astype(np.float32),
            np.asarray(self.counts.sum(axis=1), dtype=np.float32).ravel(),
        )

    def rows(self, positions: Sequence[int] | np.ndarray) -> TermCounts:
        """Only these rows, in this order."""
        positions = np.asarray(positions, dtype=np.intp)
        if np.array_equal(positions, np.arange(len(self.ids))):
            return self
        return TermCounts([self.ids[i] for i in positions], self.keys, self.counts[positions])

    @staticmethod
    def merge(parts: Sequence[TermCounts]) -> TermCounts:
        """The rows of every part, one after the other, over the union of their features."""
        from scipy import sparse

        if len(parts) == 1:
            return parts[0]
        keys = (
            np.unique(np.concatenate([p.keys for p in parts])) if parts else np.zeros(0, np.int64)
        )
        indptr = [np.zeros(1, dtype=np.int64)]
        for p in parts:  # each part's columns, renumbered (in the same order: keys are sorted)
            indptr.append(p.counts.indptr[1:].astype(np.int64) + indptr[-1][-1])
        counts = sparse.csr_matrix(
            (
                np.concatenate([p.counts.data for p in parts] or [np.zeros(0, np.float32)]),
                np.concatenate(
                    [
                        np.searchsorted(keys, p.keys).astype(np.int32)[p.counts.indices]
                        for p in parts
                    ]
                    or [np.zeros(0, np.int32)]
                ),
                _compact(np.concatenate(indptr)),
            ),
            shape=(sum(len(p.ids) for p in parts), len(keys)),
        )
        return TermCounts([i for p in parts for i in p.ids], keys, counts)


def _compact(indptr: np.ndarray) -> np.ndarray:
    """Row pointers as int32 when they fit, so that scipy keeps int32 column indices too."""
    return indptr.astype(np.int32) if indptr[-1] < np.iinfo(np.int32).max else indptr


class LexicalIndex:
    """BM25 over stem and n-gram features; rows are chunk ids. The counts stay in their parts
    (a pack's columns each), and a question's BM25 weights are computed for its own features
    only, so the index costs no memory beyond its row lengths.

    Each part is its columns and, per row of them, the index row it is (-1: a row that is not
    part of this index, e.g. a programme replaced since its pack was written)."""

    def __init__(
        self, ids: list[str], parts: Sequence[tuple[Columns, np.ndarray]], n: int = 4
    ) -> None:
        self.ids = ids
        self.parts = list(parts)
        self.n = n
        lengths = np.zeros(len(ids), dtype=np.float32)
        for columns, at in self.parts:
            live = at >= 0
            lengths[at[live]] = columns.lengths[live]
        avg = float(lengths.mean()) if len(ids) else 1.0
        self.norm = (K1 * (1 - B + B * lengths / max(avg, 1e-9))).astype(np.float32)

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], n: int = 4) -> LexicalIndex:
        columns = TermCounts.of_texts(ids, texts, n).columns()
        return cls(list(ids), [(columns, np.arange(len(ids)))], n)

    def postings(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        """The index rows where feature `key` occurs, and its counts there."""
        found = []
        for columns, at in self.parts:
            rows, counts = columns.postings(key)
            if len(rows):
                mapped = at[rows]
                live = mapped >= 0
                found.append((mapped[live], counts[live]))
        if len(found) == 1:
            return found[0]
        if not found:
            return _NO_ROWS, _NO_COUNTS
        return np.concatenate([r for r, _ in found]), np.concatenate([c for _, c in found])

    def stem_frequency(self, word: str) -> int:
        """In how many chunks the word's stem occurs."""
        return len(self.postings(feature_key("s:" + stem(word)))[0])

    def scores(self, text: str) -> np.ndarray:
        """BM25 score of every chunk for the text (stems weigh `STEM_WEIGHT` n-grams)."""
        scores = np.zeros(len(self.ids), dtype=np.float32)
        total = len(self.ids)
        for feature, count in features(text, self.n).items():
            rows, tf = self.postings(feature_key(feature))
            if not len(rows):
                continue
            idf = math.log1p((total - len(rows) + 0.5) / (len(rows) + 0.5))
            weight = count * (STEM_WEIGHT if feature.startswith("s:") else 1.0) * idf
            scores[rows] += weight * (K1 + 1) * tf / (tf + self.norm[rows])
        return scores

    def search(
        self, text: str, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best `k` rows with a positive score and their scores, optionally only where
        `allowed` is True."""
        scores = self.scores(text)
        return [(int(i), float(scores[i])) for i in self._best(scores, k, allowed)]

    def top_rows(self, text: str, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
        """The rows `search` finds, best first."""
        return self._best(self.scores(text), k, allowed)

    @staticmethod
    def _best(scores: np.ndarray, k: int, allowed: np.ndarray | None) -> np.ndarray:
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, int((scores > 0).sum()))
        if k <= 0:
            return np.zeros(0, np.int64)
        top = np.argpartition(-scores, k - 1)[:k]
        return top[np.argsort(-scores[top], kind="stable")]
