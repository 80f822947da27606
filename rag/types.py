"""Plain records passed between the stages of the pipeline. Imports nothing else from rag."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """A cleaned programme: `text` is what every offset in the system points into."""

    doc_id: str
    text: str
    party: str
    municipality: str
    title: str
    source: str
    content_hash: str
    year: int | None = None

    def metadata(self) -> dict[str, Any]:
        """Metadata without the text, e.g. for listings and JSON output."""
        return {
            "doc_id": self.doc_id,
            "party": self.party,
            "municipality": self.municipality,
            "title": self.title,
            "year": self.year,
            "source": self.source,
            "content_hash": self.content_hash,
        }


@dataclass(frozen=True)
class Unread:
    """A programme whose file was not read again: unchanged since the index took it. Its id and
    content hash say which one; its text is in the index."""

    doc_id: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class Chunk:
    """A span of a document. `source` is the document's text itself (held, not copied), and
    `text` is cut from it when read: `document.text[start:end] == text`."""

    chunk_id: str
    doc_id: str
    start: int
    end: int
    heading: str
    text_hash: str
    source: str = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.source[self.start : self.end]


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the document metadata needed to cite it, and its scores."""

    chunk: Chunk
    municipality: str
    party: str
    title: str
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """A verbatim quote: `document.text[start:end] == quote`. `n` is its [n] marker."""

    n: int
    doc_id: str
    municipality: str
    party: str
    title: str
    heading: str
    quote: str
    start: int
    end: int


STANCES = ("proposes", "opposes", "mentions", "silent")


@dataclass(frozen=True)
class Verdict:
    """One programme's position on a question's topic, judged from its best evidence sentence:
    `proposes` (wants it), `opposes` (argues against it), `mentions` (only names or describes
    it) or `silent`. `citation` is that sentence, or None when the programme is silent."""

    doc_id: str
    municipality: str
    party: str
    title: str
    stance: str
    citation: Citation | None = None
    named: bool = False  # the answer names this programme as answering the question

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "municipality": self.municipality,
            "party": self.party,
            "title": self.title,
            "stance": self.stance,
            "citation": self.citation.__dict__ if self.citation else None,
            "named": self.named,
        }


@dataclass
class Answer:
    """What the assistant says, with the citations its [n] markers refer to."""

    question: str
    text: str
    answerable: bool
    language: str
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"
    notice: str | None = None
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def programmes(self) -> list[tuple[str, str]]:
        """(municipality, party) of the programmes the answer gives as its answer: for a
        who-question those whose verdict it names (not, say, the opposers it lists apart),
        otherwise those it cites, in order of first citation."""
        if self.verdicts:
            return [(v.municipality, v.party) for v in self.verdicts if v.named]
        return list(dict.fromkeys((c.municipality, c.party) for c in self.citations))

    @property
    def municipalities(self) -> list[str]:
        """The municipalities of `programmes`, each once."""
        return list(dict.fromkeys(m for m, _ in self.programmes))

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "text": self.text,
            "answerable": self.answerable,
            "language": self.language,
            "mode": self.mode,
            "notice": self.notice,
            "municipalities": self.municipalities,
            "programmes": [{"municipality": m, "party": p} for m, p in self.programmes],
            "citations": [c.__dict__ for c in self.citations],
            "verdicts": [v.to_dict() for v in self.verdicts],
        }
