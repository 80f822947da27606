"""Swedish-aware lexical retrieval: Snowball stems plus character n-grams, scored with BM25.

Stems handle inflection ("hemlösa" ~ "hemlös"); n-grams of each word handle compounds, which
stemming cannot ("sprutbyte" ~ "sprutbytesprogram" ~ "sprututbyte"). Scores are a sparse
matrix product, so a search never loops over chunks in Python.

Features are stored as 64-bit keys (a hash of the feature), so the term counts of separately
written parts of the index share one column space: merging them is a sort, never a Python loop
over a vocabulary. The BM25 weights are computed from the merged counts when an index is loaded.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import snowballstemmer
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


@dataclass(frozen=True)
class TermCounts:
    """Raw feature counts of some chunks: row i is chunk `ids[i]`, column j is feature key
    `keys[j]` (sorted, unique)."""

    ids: list[str]
    keys: np.ndarray
    counts: sparse.csr_matrix

    @classmethod
    def of_texts(cls, ids: Sequence[str], texts: Sequence[str], n: int = 4) -> TermCounts:
        per_text = [feature_keys(text, n) for text in texts]
        keys = np.unique(np.fromiter((k for c in per_text for k in c), dtype=np.int64))
        rows = np.repeat(np.arange(len(texts)), [len(c) for c in per_text])
        cols = np.searchsorted(keys, np.fromiter((k for c in per_text for k in c), np.int64))
        vals = np.fromiter((v for c in per_text for v in c.values()), dtype=np.float32)
        counts = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(keys)))
        return cls(list(ids), keys, counts)

    def rows(self, positions: Sequence[int] | np.ndarray) -> TermCounts:
        """Only these rows, in this order."""
        positions = np.asarray(positions, dtype=np.intp)
        if np.array_equal(positions, np.arange(len(self.ids))):
            return self
        return TermCounts([self.ids[i] for i in positions], self.keys, self.counts[positions])

    @staticmethod
    def merge(parts: Sequence[TermCounts]) -> TermCounts:
        """The rows of every part, one after the other, over the union of their features."""
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

    def save(self, path: Path) -> None:
        """One `.npz` file (ids as a string array)."""
        c = self.counts
        with open(path, "wb") as f:
            np.savez(
                f,
                ids=np.asarray(self.ids, dtype=str),
                keys=self.keys,
                data=c.data,
                indices=c.indices,
                indptr=c.indptr,
                shape=np.asarray(c.shape),
            )

    @classmethod
    def load(cls, path: Path) -> TermCounts:
        with np.load(path) as z:
            shape = tuple(int(x) for x in z["shape"])
            counts = sparse.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=shape)
            return cls(z["ids"].tolist(), z["keys"], counts)


def _compact(indptr: np.ndarray) -> np.ndarray:
    """Row pointers as int32 when they fit, so that scipy keeps int32 column indices too."""
    return indptr.astype(np.int32) if indptr[-1] < np.iinfo(np.int32).max else indptr


class LexicalIndex:
    """BM25 over stem and n-gram features; rows are chunk ids."""

    def __init__(
        self, ids: list[str], keys: np.ndarray, weights: sparse.csc_matrix, n: int
    ) -> None:
        self.ids = ids
        self.keys = keys  # sorted feature keys: column j is feature key keys[j]
        self.weights = weights  # rows: chunks, columns: features, values: BM25 term weights
        self.n = n

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], n: int = 4) -> LexicalIndex:
        return cls.of_counts(TermCounts.of_texts(ids, texts, n), n)

    @classmethod
    def of_counts(cls, terms: TermCounts, n: int = 4, in_place: bool = False) -> LexicalIndex:
        """BM25 weights from raw counts; `in_place` turns the counts themselves into weights
        (for counts no one else holds: it saves a copy at the peak of loading)."""
        tf = terms.counts
        rows = tf.shape[0]
        lengths = np.asarray(tf.sum(axis=1), dtype=np.float32).ravel()
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        idf = np.log1p((rows - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if rows else 1.0
        norm = (K1 * (1 - B + B * lengths / max(avg, 1e-9))).astype(np.float32)
        data = tf.data if in_place else tf.data.astype(np.float32)
        denominator = np.repeat(norm, np.diff(tf.indptr))
        denominator += data
        data *= K1 + 1
        data /= denominator
        del denominator
        data *= idf[tf.indices]
        weights = sparse.csr_matrix((data, tf.indices, tf.indptr), shape=tf.shape).tocsc()
        return cls(list(terms.ids), terms.keys, weights, n)

    def _column(self, key: int) -> int | None:
        col = int(np.searchsorted(self.keys, key))
        return col if col < len(self.keys) and self.keys[col] == key else None

    def stem_frequency(self, word: str) -> int:
        """In how many chunks the word's stem occurs."""
        col = self._column(feature_key("s:" + stem(word)))
        if col is None:
            return 0
        return int(self.weights.indptr[col + 1] - self.weights.indptr[col])

    def query_vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Columns and weights of a question's known features."""
        cols, vals = [], []
        for feat, count in features(text, self.n).items():
            col = self._column(feature_key(feat))
            if col is not None:
                cols.append(col)
                vals.append(count * (STEM_WEIGHT if feat.startswith("s:") else 1.0))
        return np.asarray(cols, dtype=np.int64), np.asarray(vals, dtype=np.float32)

    def scores(self, text: str) -> np.ndarray:
        """BM25 score of every chunk for the text."""
        cols, vals = self.query_vector(text)
        if len(cols) == 0:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.weights[:, cols] @ vals).ravel()

    def search(
        self, text: str, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best `k` rows with a positive score, optionally only where `allowed` is True."""
        scores = self.scores(text)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, int((scores > 0).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]
