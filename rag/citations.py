"""Citations are exact slices of documents. Anything that cannot be verified is dropped.

>>> doc_text = "Ett. Två."
>>> doc_text[5:9]
'Två.'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from rag.types import Citation, Document

MARKER = re.compile(r"\[(\d+)\]")


def cite(n: int, doc: Document, heading: str, start: int, end: int) -> Citation:
    """A citation of `doc.text[start:end]`, numbered `n`."""
    return Citation(
        n=n,
        doc_id=doc.doc_id,
        municipality=doc.municipality,
        party=doc.party,
        title=doc.title,
        heading=heading,
        quote=doc.text[start:end],
        start=start,
        end=end,
    )


def is_verbatim(c: Citation, documents: Mapping[str, Document]) -> bool:
    """True when the quote is exactly the cited document's text at the stated offsets."""
    doc = documents.get(c.doc_id)
    return (
        doc is not None
        and 0 <= c.start < c.end <= len(doc.text)
        and doc.text[c.start : c.end] == c.quote
        and bool(c.quote.strip())
        and doc.municipality == c.municipality
        and doc.party == c.party
    )


def verify(
    text: str, citations: Sequence[Citation], documents: Mapping[str, Document]
) -> tuple[str, list[Citation]]:
    """Keep verbatim citations that the text refers to, number them 1..n in order of first
    mention, and rewrite the text's markers to match; markers of anything else are removed."""
    valid = {c.n: c for c in citations if is_verbatim(c, documents)}
    mentioned = (int(m.group(1)) for m in MARKER.finditer(text))
    order = list(dict.fromkeys(n for n in mentioned if n in valid))  # first mentions, in order
    new_n = {old: i + 1 for i, old in enumerate(order)}

    def renumber(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f"[{new_n[n]}]" if n in new_n else ""

    text = MARKER.sub(renumber, text)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text))
    kept = [valid[old] if old == new_n[old] else replace(valid[old], n=new_n[old]) for old in order]
    return text.strip(), kept
