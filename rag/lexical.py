"""Swedish-aware lexical retrieval: Snowball stems plus character n-grams, scored with BM25.

Stems handle inflection ("hemlösa" ~ "hemlös"); n-grams of each word handle compounds, which
stemming cannot ("sprutbyte" ~ "sprutbytesprogram" ~ "sprututbyte"). Scores are a sparse
matrix product, so a search never loops over chunks in Python.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
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


class LexicalIndex:
    """BM25 over stem and n-gram features; rows are chunk ids."""

    def __init__(
        self, ids: list[str], vocab: dict[str, int], weights: sparse.csc_matrix, n: int
    ) -> None:
        self.ids = ids
        self.vocab = vocab
        self.weights = weights  # rows: chunks, columns: features, values: BM25 term weights
        self.n = n

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], n: int = 4) -> LexicalIndex:
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            feats = features(text, n)
            lengths[row] = sum(feats.values())
            for feat, count in feats.items():
                rows.append(row)
                cols.append(vocab.setdefault(feat, len(vocab)))
                vals.append(count)
        tf = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(texts), len(vocab))
        )
        df = np.bincount(tf.indices, minlength=len(vocab)).astype(np.float32)
        idf = np.log1p((len(texts) - df + 0.5) / (df + 0.5))
        avg = float(lengths.mean()) if len(texts) else 1.0
        norm = K1 * (1 - B + B * lengths / max(avg, 1e-9))
        data = tf.data.copy()
        row_of = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
        data = data * (K1 + 1) / (data + norm[row_of]) * idf[tf.indices]
        weights = sparse.csr_matrix((data, tf.indices, tf.indptr), shape=tf.shape).tocsc()
        return cls(list(ids), vocab, weights, n)

    def stem_frequency(self, word: str) -> int:
        """In how many chunks the word's stem occurs."""
        col = self.vocab.get("s:" + stem(word))
        if col is None:
            return 0
        return int(self.weights.indptr[col + 1] - self.weights.indptr[col])

    def query_vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Columns and weights of a question's known features."""
        feats = features(text, self.n)
        cols, vals = [], []
        for feat, count in feats.items():
            col = self.vocab.get(feat)
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

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        sparse.save_npz(folder / "lexical.npz", self.weights.tocsr())
        (folder / "lexical.json").write_text(
            json.dumps({"n": self.n, "ids": self.ids, "vocab": self.vocab}, ensure_ascii=False)
        )

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        meta = json.loads((folder / "lexical.json").read_text())
        weights = sparse.load_npz(folder / "lexical.npz").tocsc()
        return cls(meta["ids"], meta["vocab"], weights, int(meta["n"]))
