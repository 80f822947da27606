"""Hybrid retrieval: dense (Chroma) and lexical ranks fused, filtered, optionally one programme
at a time. `rag.retriever.HybridRetriever` is a LangChain `BaseRetriever` over the same
function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rag.config import Settings
from rag.embedders import Embeddings
from rag.errors import QuestionError
from rag.snapshot import Snapshot
from rag.store import VectorStore
from rag.types import Document, Passage

FILTER_KEYS = ("municipality", "party")


@dataclass(frozen=True)
class Filters:
    """Allowed values per metadata field; empty means no restriction. `programme`, the
    (municipality, party) of each programme allowed, is set by a follow-up about those the
    previous answer named, `other_than` by one about others (in Chroma's `where` only through
    the two fields)."""

    municipality: tuple[str, ...] = ()
    party: tuple[str, ...] = ()
    programme: tuple[tuple[str, str], ...] = ()
    other_than: tuple[tuple[str, str], ...] = ()  # a follow-up about others: those left out

    def __bool__(self) -> bool:
        return bool(self.municipality or self.party or self.programme or self.other_than)

    def allows(self, doc: Document) -> bool:
        at = (doc.municipality, doc.party)
        return (
            (not self.municipality or doc.municipality in self.municipality)
            and (not self.party or doc.party in self.party)
            and (not self.programme or at in self.programme)
            and at not in self.other_than
        )

    def where(self) -> dict[str, Any] | None:
        """The Chroma `where` clause."""
        clauses: list[dict[str, Any]] = [
            {key: {"$in": list(values)}} for key, values in self.items() if values
        ]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        return [("municipality", self.municipality), ("party", self.party)]


def parse_filters(raw: Mapping[str, Any] | Filters | None, snapshot: Snapshot) -> Filters:
    """Validate `{"municipality": "Stockholm" | [...], "party": ...}` against the corpus.

    Values match case-insensitively and come back spelled as in the corpus; an unknown key or
    value is a QuestionError that lists what is known.
    """
    if raw is None:
        return Filters()
    if isinstance(raw, Filters):
        raw = dict(raw.items())
    if not isinstance(raw, Mapping):
        raise QuestionError("filters must be a mapping like {'municipality': ['Stockholm']}")
    unknown = set(raw) - set(FILTER_KEYS)
    if unknown:
        raise QuestionError(
            f"unknown filter(s): {', '.join(sorted(map(str, unknown)))}",
            f"use {' or '.join(FILTER_KEYS)}",
        )
    out: dict[str, tuple[str, ...]] = {}
    for key in FILTER_KEYS:
        value = raw.get(key)
        if value is None or value == "" or value == []:
            continue
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, Sequence) or not all(isinstance(v, str) for v in values):
            raise QuestionError(f"filter {key} must be a name or a list of names")
        known = {getattr(d, key).casefold(): getattr(d, key) for d in snapshot.documents.values()}
        resolved = []
        for v in values:
            if v.strip().casefold() not in known:
                raise QuestionError(
                    f"unknown {key} {v!r}",
                    f"the corpus has: {', '.join(sorted(known.values()))}",
                )
            resolved.append(known[v.strip().casefold()])
        out[key] = tuple(dict.fromkeys(resolved))
    return Filters(municipality=out.get("municipality", ()), party=out.get("party", ()))


def fuse(rankings: Sequence[tuple[np.ndarray, float]], rrf_k: int) -> tuple[np.ndarray, ...]:
    """Reciprocal-rank fusion of ranked row arrays with weights: the rows best first (equal
    scores in order of first appearance), their scores, and their rank in each ranking (0:
    not in it).

    >>> rows, scores, ranks = fuse([(np.array([3, 5]), 1.0), (np.array([5]), 1.0)], 60)
    >>> rows.tolist(), ranks.tolist()
    ([5, 3], [[2, 1], [1, 0]])
    """
    every = np.concatenate([np.zeros(0, np.int64), *(np.asarray(r, np.int64) for r, _ in rankings)])
    distinct, first = np.unique(every, return_index=True)
    scores = np.zeros(len(distinct))
    ranks = np.zeros((len(distinct), len(rankings)), np.int64)
    for which, (rows, weight) in enumerate(rankings):
        at = np.searchsorted(distinct, rows)
        scores[at] += weight / (rrf_k + np.arange(1, len(rows) + 1))
        ranks[at, which] = np.arange(1, len(rows) + 1)
    appearance = np.argsort(first, kind="stable")
    order = appearance[np.argsort(-scores[appearance], kind="stable")]
    return distinct[order], scores[order], ranks[order]


def first_per_group(groups: np.ndarray, most: int) -> np.ndarray:
    """Where each element is among the first `most` of its group (in array order).

    >>> first_per_group(np.array([7, 7, 8, 7]), 2).tolist()
    [True, True, True, False]
    """
    by_group = np.argsort(groups, kind="stable")
    sorted_groups = groups[by_group]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    sizes = np.diff(np.r_[starts, len(groups)])
    position = np.empty(len(groups), np.int64)
    position[by_group] = np.arange(len(groups)) - np.repeat(starts, sizes)
    return position < most


def retrieve_passages(
    snapshot: Snapshot,
    store: VectorStore,
    embeddings: Embeddings,
    settings: Settings,
    query: str,
    k: int,
    filters: Filters = Filters(),
    per_document: int = 0,
    mode: str | None = None,
    lexical_query: str | None = None,
) -> list[Passage]:
    """The best `k` passages for `query`; with `per_document` > 0, at most that many from each
    programme, so a question about who says X sees every programme that does.
    `lexical_query` replaces the query on the lexical side (e.g. only its topic words)."""
    mode = mode or settings.retrieval_mode
    n = max(settings.candidates, k)
    rankings: list[tuple[np.ndarray, float]] = []
    dense_at = lexical_at = None  # where each side's ranking is, if it ranked
    if mode in ("hybrid", "dense") and snapshot.chunks:
        # The dense side ranks; it need not reach every programme (the lexical side does).
        want = min(n, 4 * settings.candidates, len(snapshot.chunks))
        dense_ids = dense_ranking(snapshot, store, embeddings.embed_query(query), want, filters)
        dense_rows = np.array([snapshot.row_of[cid] for cid in dense_ids], np.int64)
        dense_at = len(rankings)
        rankings.append((dense_rows, settings.dense_weight))
    if mode in ("hybrid", "lexical"):
        allowed = None
        if filters:  # per programme, then spread over its chunks: no loop over chunks
            keep = np.fromiter(
                (_allowed(snapshot, doc_id, filters) for doc_id in snapshot.documents),
                dtype=bool,
                count=len(snapshot.documents),
            )
            allowed = keep[snapshot.chunk_documents]
        rows = snapshot.lexical.top_rows(lexical_query or query, n, allowed)
        lexical_at = len(rankings)
        rankings.append((rows, settings.lexical_weight))
    rows, scores, ranks = fuse(rankings, settings.rrf_k)
    if per_document:
        taken = first_per_group(snapshot.chunk_documents[rows], per_document)
        rows, scores, ranks = rows[taken], scores[taken], ranks[taken]
    rows, scores, ranks = rows[:k], scores[:k], ranks[:k]
    dense, lexical = _ranks(ranks, dense_at), _ranks(ranks, lexical_at)
    chunks, documents = snapshot.chunks, snapshot.documents
    passages = []
    for row, score, d, lex in zip(rows.tolist(), scores.tolist(), dense, lexical, strict=True):
        chunk = chunks[row]
        doc = documents[chunk.doc_id]
        passages.append(Passage(chunk, doc.municipality, doc.party, doc.title, score, d, lex))
    return passages


def _ranks(ranks: np.ndarray, which: int | None) -> list[int | None]:
    """Column `which` of `fuse`'s ranks (None where not ranked there, or for every row)."""
    if which is None:
        return [None] * len(ranks)
    return [rank or None for rank in ranks[:, which].tolist()]


def dense_ranking(
    snapshot: Snapshot, store: VectorStore, vector: Sequence[float], n: int, filters: Filters
) -> list[str]:
    """The `n` chunk ids nearest to `vector`, over every pack of the snapshot. A pack may also
    hold older texts of programmes a newer pack holds now; those are asked for on top (up to
    `n` more) and left out."""
    hits: list[tuple[float, str]] = []
    for pack in snapshot.packs:
        k = min(n + min(pack.dead, n), pack.rows)
        for cid, similarity in store.query(pack.collection, vector, k, filters.where()):
            # Chroma's `where` holds the fields; only a follow-up's programmes are checked here
            programme = not (filters.programme or filters.other_than) or _allowed(
                snapshot, snapshot.doc_id_of(cid), filters
            )
            if snapshot.live(pack.name, cid) and programme:
                hits.append((similarity, cid))
    hits.sort(key=lambda hit: -hit[0])
    return [cid for _, cid in hits[:n]]


def _allowed(snapshot: Snapshot, doc_id: str, filters: Filters) -> bool:
    return filters.allows(snapshot.documents[doc_id])
