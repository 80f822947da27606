"""Extractive answers: evidence sentences from retrieved passages, composed into a short
answer in the question's language with [n] markers. Deterministic, offline, no model.

A sentence is evidence when it (with its section heading) covers enough of the question's
concepts, weighted by rarity, and at least one concept occurs in the sentence itself. For "who"
questions every programme with evidence is named, each with its own citation, and programmes
without evidence are not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rag.chunking import sentence_spans
from rag.citations import cite
from rag.index import Snapshot
from rag.lexical import ngrams, stem, words
from rag.query import QueryPlan
from rag.types import Answer, Citation, Document, Passage

SUPPORT_THRESHOLD = 0.66  # "who" questions: a programme is named only on strong evidence
WHAT_THRESHOLD = 0.5  # other questions quote the best sentences of what was retrieved
ABSENT_WEIGHT = 0.25
MAX_WHAT_QUOTES = 3


@dataclass(frozen=True)
class Evidence:
    doc: Document
    heading: str
    start: int
    end: int
    coverage: float
    rank: int  # position of its passage in the retrieval results

    @property
    def quote(self) -> str:
        return self.doc.text[self.start : self.end]


@lru_cache(maxsize=100_000)
def word_match(term: str, word: str) -> bool:
    """Whether a text word expresses a query word: the same word or stem, the word beginning
    with it, the query word inside a compound (by character 4-grams), or the text word as the
    first part of a query compound.

    >>> word_match("sprutbyte", "sprutbytesprogram"), word_match("sprutbyte", "sprututbyte")
    (True, True)
    >>> word_match("fältassistenter", "assistenter"), word_match("kvinnojourer", "kvinnor")
    (False, False)
    """
    if term == word or (len(term) >= 4 and word.startswith(term)):
        return True
    if len(term) >= 3 and stem(term) == stem(word):
        return True
    if len(term) >= 6 and len(word) >= 6:
        t = set(ngrams(term))
        if len(t & set(ngrams(word))) / len(t) >= 0.75:
            return True
        root = stem(word)
        if len(root) >= 6 and term.startswith(root):
            return True
    return False


def term_in(term: str, text_words: Sequence[str]) -> bool:
    """A (possibly multi-word) term occurs: every content word of it matches some word."""
    parts = words(term) or [term.lower()]
    return all(any(word_match(p, w) for w in text_words) for p in parts)


class ConceptMatcher:
    """Which of the question's concepts a text expresses, and their rarity weights."""

    def __init__(self, concepts: Sequence[tuple[str, ...]], snapshot: Snapshot) -> None:
        self.concepts = list(concepts)
        n = max(1, len(snapshot.chunks))
        self.weights = []
        for alternatives in self.concepts:
            df = min(
                (snapshot.lexical.stem_frequency(w) for t in alternatives for w in words(t)),
                default=0,
            )
            self.weights.append(math.log(1 + n / (1 + df)))

    def hits(self, text: str) -> frozenset[int]:
        text_words = words(text)
        return frozenset(
            i
            for i, alternatives in enumerate(self.concepts)
            if any(term_in(t, text_words) for t in alternatives)
        )


def find_evidence(
    plan: QueryPlan, passages: Sequence[Passage], snapshot: Snapshot
) -> list[Evidence]:
    """Supporting sentences, best first (coverage, then retrieval rank).

    Coverage is the rarity-weighted share of concepts found in the sentence or its heading.
    A concept that no retrieved sentence expresses (often a paraphrase word such as "höja"
    where the text says "högre") weighs only ABSENT_WEIGHT of its share; if no concept is
    expressed anywhere, there is no evidence.
    """
    if not plan.concepts:
        return []
    matcher = ConceptMatcher(plan.concepts, snapshot)
    candidates = []
    seen: set[tuple[str, int]] = set()
    for rank, p in enumerate(passages):
        doc = snapshot.documents[p.chunk.doc_id]
        heading_hits = matcher.hits(p.chunk.heading)
        for s, e in sentence_spans(doc.text, p.chunk.start, p.chunk.end):
            if (doc.doc_id, s) in seen:
                continue
            seen.add((doc.doc_id, s))
            own = matcher.hits(doc.text[s:e])
            if own:
                candidates.append((doc, p.chunk.heading, s, e, own | heading_hits, rank))
    present = frozenset().union(*(c[4] for c in candidates)) if candidates else frozenset()
    weights = [w if i in present else w * ABSENT_WEIGHT for i, w in enumerate(matcher.weights)]
    total = sum(weights) or 1.0
    threshold = SUPPORT_THRESHOLD if plan.kind == "who" else WHAT_THRESHOLD
    found = []
    for doc, heading, s, e, covered, rank in candidates:
        coverage = sum(weights[i] for i in covered) / total
        if coverage >= threshold:
            found.append(Evidence(doc, heading, s, e, coverage, rank))
    return sorted(found, key=lambda ev: (-ev.coverage, ev.rank, ev.start))


# --- wording --------------------------------------------------------------------------------

TEXTS = {
    "sv": {
        "and": "och",
        "who_many": "Programmen för {names} tar upp det här ({n} av {total} program):",
        "who_one": "Bara programmet för {names} tar upp det här ({n} av {total} program):",
        "what": "Så här står det i programmet för {names}:",
        "what_many": "Så här står det i programmen för {names}:",
        "coverage": "Underlaget omfattar {parties} program för {places}.",
        "nothing": "Jag hittar inget i programmen som svarar på det.",
        "nothing_in": "Jag hittar inget om det i programmet för {places}.",
        "no_topic": "Frågan saknar ett ämne att söka på. Fråga till exempel: "
        "”Vem föreslår sprutbyte?”",
        "other_party": "Underlaget innehåller inga program från {parties}, så jag kan inte "
        "svara för dem.",
        "other_place": "Underlaget har inget program för {places}.",
    },
    "en": {
        "and": "and",
        "who_many": "The programmes for {names} address this ({n} of {total} programmes):",
        "who_one": "Only the programme for {names} addresses this ({n} of {total} programmes):",
        "what": "This is what the programme for {names} says (quoted in Swedish):",
        "what_many": "This is what the programmes for {names} say (quoted in Swedish):",
        "coverage": "The corpus holds {parties} programmes for {places}.",
        "nothing": "I find nothing in the programmes that answers this.",
        "nothing_in": "I find nothing about this in the programme for {places}.",
        "no_topic": "The question has no topic to search for. Try, for example: "
        "“Who proposes needle exchange?”",
        "other_party": "The corpus holds no programmes from {parties}, so I cannot answer for "
        "them.",
        "other_place": "The corpus has no programme for {places}.",
    },
}


def join_names(names: Sequence[str], language: str) -> str:
    """`join_names(["A", "B", "C"], "sv") == "A, B och C"`."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {TEXTS[language]['and']} " + names[-1]


def _label(doc: Document, multi_party: bool) -> str:
    return f"{doc.municipality} ({doc.party})" if multi_party else doc.municipality


def _bullet(n: int, ev: Evidence, multi_party: bool) -> str:
    where = _label(ev.doc, multi_party)
    section = f", {ev.heading}" if ev.heading and ev.heading != ev.doc.title else ""
    return f"- **{where}**{section}: ”{ev.quote}” [{n}]"


def coverage_note(snapshot: Snapshot, language: str) -> str:
    docs = snapshot.documents.values()
    parties = sorted({d.party for d in docs})
    places = sorted({d.municipality for d in docs})
    parties_text = join_names(parties, language)
    if language == "sv":
        parties_text = join_names([p + ("s" if not p.endswith("s") else "") for p in parties], "sv")
    return TEXTS[language]["coverage"].format(
        parties=parties_text, places=join_names(places, language)
    )


def refusal(plan: QueryPlan, snapshot: Snapshot, reason: str, **fmt: str) -> Answer:
    """A plain 'the corpus does not say', in the question's language, with what it covers."""
    t = TEXTS[plan.language]
    text = t[reason].format(**fmt) + " " + coverage_note(snapshot, plan.language)
    return Answer(question=plan.question, text=text, answerable=False, language=plan.language)


def compose(plan: QueryPlan, evidence: Sequence[Evidence], snapshot: Snapshot) -> Answer:
    """The answer text with [n] markers and its citations."""
    t = TEXTS[plan.language]
    multi_party = len({d.party for d in snapshot.documents.values()}) > 1
    if plan.kind == "who":
        best: dict[str, Evidence] = {}
        for ev in evidence:
            best.setdefault(ev.doc.doc_id, ev)
        chosen = sorted(best.values(), key=lambda ev: ev.doc.municipality)
    else:
        per_doc: dict[str, int] = {}
        chosen = []
        for ev in evidence:
            if per_doc.get(ev.doc.doc_id, 0) < 2 and len(chosen) < MAX_WHAT_QUOTES:
                per_doc[ev.doc.doc_id] = per_doc.get(ev.doc.doc_id, 0) + 1
                chosen.append(ev)
    citations: list[Citation] = []
    lines: list[str] = []
    marker_of: dict[str, list[int]] = {}
    for ev in chosen:
        n = len(citations) + 1
        citations.append(cite(n, ev.doc, ev.heading, ev.start, ev.end))
        marker_of.setdefault(_label(ev.doc, multi_party), []).append(n)
        lines.append(_bullet(n, ev, multi_party))
    names = [f"{name} " + "".join(f"[{n}]" for n in ns) for name, ns in marker_of.items()]
    if plan.kind == "who":
        key = "who_one" if len(names) == 1 else "who_many"
        total = len(_scope(plan, snapshot))
        head = t[key].format(names=join_names(names, plan.language), n=len(names), total=total)
    else:
        key = "what" if len(marker_of) == 1 else "what_many"
        head = t[key].format(names=join_names(list(marker_of), plan.language))
    return Answer(
        question=plan.question,
        text=head + "\n\n" + "\n".join(lines),
        answerable=True,
        language=plan.language,
        citations=citations,
    )


def _scope(plan: QueryPlan, snapshot: Snapshot) -> list[Document]:
    """The programmes the question is about (all, unless it names municipalities/parties)."""
    return [
        d
        for d in snapshot.documents.values()
        if (not plan.municipalities or d.municipality in plan.municipalities)
        and (not plan.parties or d.party in plan.parties)
    ]


def compare_table(
    plan: QueryPlan, passages: Sequence[Passage], snapshot: Snapshot
) -> list[tuple[Document, Citation | None]]:
    """Per programme in scope: the best evidence sentence for the topic, or None."""
    best: dict[str, Evidence] = {}
    for ev in find_evidence(plan, passages, snapshot):
        best.setdefault(ev.doc.doc_id, ev)
    rows: list[tuple[Document, Citation | None]] = []
    for doc in sorted(_scope(plan, snapshot), key=lambda d: (d.municipality, d.party)):
        found = best.get(doc.doc_id)
        rows.append(
            (
                doc,
                cite(len(rows) + 1, doc, found.heading, found.start, found.end) if found else None,
            )
        )
    return rows


def passages_answer(plan: QueryPlan, passages: Sequence[Passage], snapshot: Snapshot) -> Answer:
    """The textbook answer: the retrieved passages, quoted whole and numbered."""
    citations = []
    lines = []
    for i, p in enumerate(passages, 1):
        doc = snapshot.documents[p.chunk.doc_id]
        citations.append(cite(i, doc, p.chunk.heading, p.chunk.start, p.chunk.end))
        lines.append(f"- **{doc.municipality}**: ”{p.chunk.text}” [{i}]")
    return Answer(
        question=plan.question,
        text="\n".join(lines),
        answerable=bool(citations),
        language=plan.language,
        citations=citations,
        mode="passages",
    )


def extractive_answer(plan: QueryPlan, passages: Sequence[Passage], snapshot: Snapshot) -> Answer:
    """Answer from evidence sentences, or refuse plainly."""
    if plan.unknown_parties:
        return refusal(
            plan, snapshot, "other_party", parties=join_names(plan.unknown_parties, plan.language)
        )
    if plan.unknown_municipalities and not plan.municipalities:
        return refusal(
            plan,
            snapshot,
            "other_place",
            places=join_names(plan.unknown_municipalities, plan.language),
        )
    if not plan.concepts:
        return refusal(plan, snapshot, "no_topic")
    evidence = find_evidence(plan, passages, snapshot)
    if not evidence:
        if plan.municipalities:
            return refusal(
                plan,
                snapshot,
                "nothing_in",
                places=join_names(plan.municipalities, plan.language),
            )
        return refusal(plan, snapshot, "nothing")
    return compose(plan, evidence, snapshot)
