"""One consistent version of the index, as a query reads it: assembled from its packs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from rag.lexical import LexicalIndex, TermCounts, words
from rag.packs import PackContents, PackRef
from rag.types import Chunk, Document


@dataclass
class Snapshot:
    """Documents in corpus order, their chunks grouped the same way, the lexical index over
    those chunks (row i is `chunks[i]`), and the packs whose collections hold the vectors."""

    version: str
    documents: dict[str, Document]
    chunks: list[Chunk]
    lexical: LexicalIndex
    packs: tuple[PackRef, ...] = ()
    holder: dict[str, str] = field(default_factory=dict)  # doc_id -> name of the pack with it
    row_of: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.row_of = {c.chunk_id: i for i, c in enumerate(self.chunks)}

    def live(self, pack: str, chunk_id: str) -> bool:
        """True when `chunk_id`, found in `pack`'s vectors, is part of this version (and not an
        older text of a programme that a newer pack holds now)."""
        row = self.row_of.get(chunk_id)
        return row is not None and self.holder.get(self.chunks[row].doc_id) == pack

    @cached_property
    def chunk_documents(self) -> np.ndarray:
        """Per chunk row, the position of its document in `documents` (for vectorised filters)."""
        position = {doc_id: i for i, doc_id in enumerate(self.documents)}
        return np.fromiter(
            (position[c.doc_id] for c in self.chunks), dtype=np.intp, count=len(self.chunks)
        )

    @cached_property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        """Pairs of words that stand next to each other somewhere in the indexed text."""
        out: set[tuple[str, str]] = set()
        for c in self.chunks:
            ws = words(f"{c.heading}\n{c.text}")
            out.update(zip(ws, ws[1:], strict=False))
        return frozenset(out)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of the indexed text, lower-cased (computed on first use)."""
        return frozenset(w for c in self.chunks for w in words(f"{c.heading} {c.text}"))


def assemble(
    version: str,
    packs: Sequence[PackRef],
    holder: Mapping[str, str],
    contents: Mapping[str, PackContents],
    ngram: int,
) -> Snapshot:
    """The snapshot of `holder`'s programmes (in its order), each taken from its pack."""
    documents: dict[str, Document] = {}
    for pack in packs:
        for doc in contents[pack.name].documents:
            if holder.get(doc.doc_id) == pack.name:
                documents[doc.doc_id] = doc
    documents = {d: documents[d] for d in holder}
    merged = TermCounts.merge([contents[p.name].terms for p in packs])
    chunks_of: dict[str, list[tuple[int, Chunk]]] = {d: [] for d in holder}
    offset = 0
    for pack in packs:
        for i, chunk in enumerate(contents[pack.name].chunks):
            if holder.get(chunk.doc_id) == pack.name:
                chunks_of[chunk.doc_id].append((offset + i, chunk))
        offset += len(contents[pack.name].chunks)
    order = [row for rows in chunks_of.values() for row, _ in rows]
    chunks = [chunk for rows in chunks_of.values() for _, chunk in rows]
    lexical = LexicalIndex.of_counts(merged.rows(order), ngram)
    return Snapshot(version, documents, chunks, lexical, tuple(packs), dict(holder))
