"""Structure-aware chunking: paragraphs under their heading, with offsets into the document.

Invariant: `doc.text[chunk.start:chunk.end] == chunk.text` for every chunk.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

from rag.types import Chunk, Document

_HEADING = re.compile(r"^(#{1,6}) +(.+?)\s*$", re.M)
_BLOCK_SEP = re.compile(r"\n\s*\n")
# A sentence ends at . ! ? or … followed by space and a capital, digit, quote or bullet.
_LEADING = re.compile(r"[\s#*•-]*")  # spaces and bullet marks before a sentence
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[A-ZÅÄÖÉ0-9\"”“'(-])")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (and bullet-line) spans of `text[start:end]`, trimmed of spaces and bullets.

    >>> sentence_spans("Ett. Två!")
    [(0, 4), (5, 9)]
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        base = start + line.start()
        piece = line.group()
        cut = 0
        for m in _SENTENCE_END.finditer(piece):
            spans.append((base + cut, base + m.start() + len(m.group().rstrip())))
            cut = m.end()
        spans.append((base + cut, base + len(piece)))
    out = []
    for s, e in spans:
        s = _LEADING.match(text, s, e).end()  # type: ignore[union-attr]  # always matches
        e = s + len(text[s:e].rstrip())
        if e > s:
            out.append((s, e))
    return out


def sections(doc: Document) -> Iterator[tuple[str, int, int]]:
    """(heading, start, end) of the body under each heading; text before any heading is
    filed under the document title."""
    heading = doc.title
    pos = 0
    for m in _HEADING.finditer(doc.text):
        if m.start() > pos:
            yield heading, pos, m.start()
        heading = m.group(2)
        pos = m.end()
    if pos < len(doc.text):
        yield heading, pos, len(doc.text)


def _units(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Paragraphs of a section; a paragraph over `max_chars` splits into lines, then sentences."""
    pos = start
    for m in [*_BLOCK_SEP.finditer(text, start, end), None]:
        block_end = m.start() if m else end
        s, e = pos, block_end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            if e - s <= max_chars:
                yield s, e
            else:
                yield from sentence_spans(text, s, e)
        pos = m.end() if m else end


def chunk_document(doc: Document, max_chars: int = 700, min_chars: int = 250) -> list[Chunk]:
    """Pack consecutive paragraphs of one section into chunks of at most `max_chars`
    (a single longer sentence stays whole); a short remainder joins the chunk before it."""
    chunks: list[Chunk] = []
    for heading, sec_start, sec_end in sections(doc):
        spans: list[tuple[int, int]] = []
        for s, e in _units(doc.text, sec_start, sec_end, max_chars):
            if spans and e - spans[-1][0] <= max_chars:
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
        if len(spans) > 1 and spans[-1][1] - spans[-1][0] < min_chars:
            last = spans.pop()
            spans[-1] = (spans[-1][0], last[1])
        for s, e in spans:
            chunks.append(_chunk(doc, len(chunks), heading, s, e))
    return chunks


def recursive_chunks(doc: Document, max_chars: int, overlap: int) -> list[Chunk]:
    """LangChain's RecursiveCharacterTextSplitter, with offsets found by its start index."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=max_chars, chunk_overlap=min(overlap, max_chars // 2), add_start_index=True
    )
    heading_at = list(sections(doc))
    chunks: list[Chunk] = []
    for piece in splitter.create_documents([doc.text]):
        start = int(piece.metadata["start_index"])
        end = start + len(piece.page_content)
        heading = next((h for h, s, e in heading_at if s <= start < e), doc.title)
        chunks.append(_chunk(doc, len(chunks), heading, start, end))
    return chunks


def _chunk(doc: Document, n: int, heading: str, start: int, end: int) -> Chunk:
    """Chunk number `n` of `doc`: `doc.text[start:end]` under `heading`."""
    text = doc.text[start:end]
    return Chunk(
        chunk_id=f"{doc.doc_id}#{n}",
        doc_id=doc.doc_id,
        start=start,
        end=end,
        heading=heading,
        text_hash=text_hash(indexed_text(doc.municipality, heading, text)),
        source=doc.text,
    )


def chunk_sentences(chunks: Iterable[Chunk]) -> list[str]:
    """Every sentence of these chunks, as evidence is read from them."""
    return [c.source[s:e] for c in chunks for s, e in sentence_spans(c.source, c.start, c.end)]


def indexed_text(municipality: str, heading: str, text: str) -> str:
    """What the embedder and the lexical index see: place and heading give a chunk context."""
    return f"{municipality}. {heading}.\n{text}"
