"""One consistent version of the index, as a query reads it: assembled from its packs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from rag.lexical import Columns, LexicalIndex
from rag.matching import Lexicon
from rag.packs import PackContents, PackRef, chunk_terms, pair_key, words_and_pairs
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
    vocabulary: frozenset[str] = frozenset()  # every word of the indexed text, lower-cased
    pairs: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # sorted pair keys
    row_of: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.row_of = {c.chunk_id: i for i, c in enumerate(self.chunks)}

    def doc_id_of(self, chunk_id: str) -> str:
        """The programme a live chunk is of."""
        return self.chunks[self.row_of[chunk_id]].doc_id

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
    def lexicon(self) -> Lexicon:
        """The vocabulary, indexed for finding the words a query word matches."""
        return Lexicon(self.vocabulary)

    def is_pair(self, first: str, second: str) -> bool:
        """True when `first second` stand next to each other somewhere in the indexed text."""
        key = pair_key(first, second)
        at = int(np.searchsorted(self.pairs, key))
        return at < len(self.pairs) and int(self.pairs[at]) == key


def assemble(
    version: str,
    packs: Sequence[PackRef],
    holder: Mapping[str, str],
    contents: Mapping[str, PackContents],
    ngram: int,
) -> Snapshot:
    """The snapshot of `holder`'s programmes (in its order), each taken from its pack. Chunks
    come pack by pack (oldest first), in each pack in the order written; the lexical index reads
    each pack's term counts where they are, skipping the rows of programmes replaced since."""
    documents: dict[str, Document] = {}
    chunks: list[Chunk] = []
    parts: list[tuple[Columns, np.ndarray]] = []
    for pack in packs:
        held = contents[pack.name]
        documents.update((d.doc_id, d) for d in held.documents if holder.get(d.doc_id) == pack.name)
        live = [i for i, c in enumerate(held.chunks) if holder.get(c.doc_id) == pack.name]
        at = np.full(len(held.chunks), -1, dtype=np.int64)
        at[live] = np.arange(len(chunks), len(chunks) + len(live))
        chunks += [held.chunks[i] for i in live]
        parts.append((held.terms, at))
    documents = {d: documents[d] for d in holder}
    lexical = LexicalIndex([c.chunk_id for c in chunks], parts, ngram)
    owner = [(doc_id, contents[pack]) for doc_id, pack in holder.items()]
    vocabulary = frozenset(w for doc_id, c in owner for w in c.words.get(doc_id, "").split())
    pairs = [c.pairs[doc_id] for doc_id, c in owner if doc_id in c.pairs]
    return Snapshot(
        version,
        documents,
        chunks,
        lexical,
        tuple(packs),
        dict(holder),
        vocabulary,
        np.unique(np.concatenate(pairs)) if pairs else np.zeros(0, np.int64),
    )


def in_memory(
    version: str, documents: Sequence[Document], chunks: Sequence[Chunk], ngram: int = 4
) -> Snapshot:
    """A snapshot of these programmes and chunks without files or vectors (lexical only), as if
    they were one pack: for pure tests and small in-process uses."""
    terms = chunk_terms(documents, chunks, ngram)
    contents = PackContents(list(documents), list(chunks), terms, *words_and_pairs(chunks))
    pack = PackRef("memory", "", len(chunks), len(chunks))
    holder = {d.doc_id: "memory" for d in documents}
    snapshot = assemble(version, [pack], holder, {"memory": contents}, ngram)
    return replace(snapshot, packs=())  # no vectors anywhere: the dense side finds nothing
