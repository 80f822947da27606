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
from rag.types import Passage

FILTER_KEYS = ("municipality", "party")


@dataclass(frozen=True)
class Filters:
    """Allowed values per metadata field; empty means no restriction."""

    municipality: tuple[str, ...] = ()
    party: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.municipality or self.party)

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
    return Filters(**out)


def fuse(
    rankings: Sequence[tuple[Sequence[str], float]], rrf_k: int
) -> list[tuple[str, float, list[int | None]]]:
    """Reciprocal-rank fusion of ranked id lists with weights.

    >>> [i for i, _, _ in fuse([(["a", "b"], 1.0), (["b"], 1.0)], 60)]
    ['b', 'a']
    """
    scores: dict[str, float] = {}
    ranks: dict[str, list[int | None]] = {}
    for which, (ids, weight) in enumerate(rankings):
        for rank, cid in enumerate(ids):
            scores[cid] = scores.get(cid, 0.0) + weight / (rrf_k + rank + 1)
            ranks.setdefault(cid, [None] * len(rankings))[which] = rank + 1
    order = sorted(scores, key=lambda c: -scores[c])
    return [(cid, scores[cid], ranks[cid]) for cid in order]


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
    rankings: list[tuple[Sequence[str], float]] = []
    dense_ids: list[str] = []
    lexical_ids: list[str] = []
    if mode in ("hybrid", "dense") and snapshot.chunks:
        # The dense side ranks; it need not reach every programme (the lexical side does).
        want = min(n, 4 * settings.candidates, len(snapshot.chunks))
        dense_ids = dense_ranking(snapshot, store, embeddings.embed_query(query), want, filters)
        rankings.append((dense_ids, settings.dense_weight))
    if mode in ("hybrid", "lexical"):
        allowed = None
        if filters:  # per programme, then spread over its chunks: no loop over chunks
            keep = np.fromiter(
                (_allowed(snapshot, doc_id, filters) for doc_id in snapshot.documents),
                dtype=bool,
                count=len(snapshot.documents),
            )
            allowed = keep[snapshot.chunk_documents]
        hits_lex = snapshot.lexical.search(lexical_query or query, n, allowed)
        lexical_ids = [snapshot.lexical.ids[row] for row, _ in hits_lex]
        rankings.append((lexical_ids, settings.lexical_weight))

    passages: list[Passage] = []
    taken: dict[str, int] = {}
    for cid, score, ranks in fuse(rankings, settings.rrf_k):
        chunk = snapshot.chunks[snapshot.row_of[cid]]
        if per_document and taken.get(chunk.doc_id, 0) >= per_document:
            continue
        taken[chunk.doc_id] = taken.get(chunk.doc_id, 0) + 1
        doc = snapshot.documents[chunk.doc_id]
        dense_rank = ranks[0] if mode in ("hybrid", "dense") else None
        lexical_rank = ranks[-1] if mode in ("hybrid", "lexical") else None
        passages.append(
            Passage(chunk, doc.municipality, doc.party, doc.title, score, dense_rank, lexical_rank)
        )
        if len(passages) >= k:
            break
    return passages


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
            if snapshot.live(pack.name, cid):
                hits.append((similarity, cid))
    hits.sort(key=lambda hit: -hit[0])
    return [cid for _, cid in hits[:n]]


def _allowed(snapshot: Snapshot, doc_id: str, filters: Filters) -> bool:
    doc = snapshot.documents[doc_id]
    return (not filters.municipality or doc.municipality in filters.municipality) and (
        not filters.party or doc.party in filters.party
    )
