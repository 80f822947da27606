"""Structured answers: verdicts and evidence become an `Answer` whose text cites with [n].

Who-questions name every programme whose verdict answers the question (the proposers, or the
opposers or all that mention it when that is what is asked) and list those saying no apart;
what-questions quote the best sentences. `refusal_for` is the one place that decides to refuse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rag.citations import cite
from rag.judge import MOST_QUOTED, NAMED_STANCES, Evidence, answering, set_aside, verdicts
from rag.query import QueryPlan
from rag.snapshot import Snapshot
from rag.types import Answer, Citation, Document, Passage, Verdict
from rag.wording import genitive, join_names, quoted_names, text

MAX_WHAT_QUOTES = MOST_QUOTED
MAX_LISTED = 12  # more named programmes than this are summarised by party
BROAD_SET_ASIDE = 2  # a who-answer that sets aside this many of the question's words …
BROAD_NAMED = 6  # … and names this many programmes, more than a quarter of them, is too broad


@dataclass(frozen=True)
class Refusal:
    """Why a question is not answered, with the text's fields."""

    reason: str
    fields: tuple[tuple[str, str], ...] = ()


def refusal_for(
    plan: QueryPlan,
    evidence: Sequence[Evidence],
    scope: Sequence[Document],
    set_aside: Sequence[str] = (),
) -> Refusal | None:
    """The one decision to refuse: a party or place the corpus lacks, no topic (or only
    instructions), no evidence, a who-question no programme answers, or one answered too
    broadly: when known words decided and the question's words `set_aside` (see
    `judge.set_aside`) only ranked, an answer naming many programmes names them for what is
    left of the question ("social services", of "social services … reachable around the
    clock"). None: answer."""
    lang = plan.language
    if plan.unknown_parties:
        return Refusal("other_party", (("parties", join_names(plan.unknown_parties, lang)),))
    if plan.unknown_municipalities and not plan.municipalities:
        places = join_names(plan.unknown_municipalities, lang)
        return Refusal("other_place", (("places", places),))
    if not plan.concepts:
        return Refusal("injected" if plan.injected else "no_topic")
    if plan.out_of_scope or not answering(plan, evidence) or not scope:
        if plan.municipalities:
            # a party named too: its programmes there, "Malmö (Vänsterpartiet)"
            # (two programmes of one party in one place are named once, as "programmen")
            labels = [_label(d, True) for d in scope] if plan.parties and scope else []
            names = list(dict.fromkeys(labels)) or list(plan.municipalities)
            key = "nothing_in" if len(labels or names) == 1 else "nothing_in_many"
            return Refusal(key, (("places", join_names(names, lang)),))
        return Refusal("nothing")
    if plan.kind == "who" and len(set_aside) >= BROAD_SET_ASIDE:
        named = {ev.doc.doc_id for ev in evidence if ev.stance in NAMED_STANCES[plan.relation]}
        if len(named) >= BROAD_NAMED and 4 * len(named) > len(scope):
            return Refusal("set_aside", (("words", quoted_names(set_aside, lang)),))
    return None


def coverage_note(snapshot: Snapshot, language: str) -> str:
    docs = snapshot.documents.values()
    parties = sorted({d.party for d in docs})
    places = sorted({d.municipality for d in docs})
    party_names = [genitive(p) for p in parties] if language == "sv" else parties
    return text(
        language,
        "coverage",
        parties=join_names(party_names, language),
        places=join_names(places, language),
    )


def refusal(plan: QueryPlan, snapshot: Snapshot, why: Refusal) -> Answer:
    """A plain 'the corpus does not say', in the question's language, with what it covers."""
    body = text(plan.language, why.reason, **dict(why.fields))
    return Answer(
        question=plan.question,
        text=body + " " + coverage_note(snapshot, plan.language),
        answerable=False,
        language=plan.language,
    )


def _label(doc: Document, multi_party: bool) -> str:
    return f"{doc.municipality} ({doc.party})" if multi_party else doc.municipality


def _bullet(n: int, ev: Evidence, multi_party: bool) -> str:
    section = f", {ev.heading}" if ev.heading and ev.heading != ev.doc.title else ""
    return f"- **{_label(ev.doc, multi_party)}**{section}: ”{ev.quote}” [{n}]"


class _Citations:
    """Numbers citations in the order they are made."""

    def __init__(self) -> None:
        self.items: list[Citation] = []

    def add(self, ev: Evidence) -> int:
        n = len(self.items) + 1
        self.items.append(cite(n, ev.doc, ev.heading, ev.start, ev.end))
        return n


def compose_who(
    plan: QueryPlan, evidence: Sequence[Evidence], scope: Sequence[Document], multi_party: bool
) -> Answer:
    """Name every programme in scope whose verdict answers the question, each with its quote;
    list those saying no apart; summarise by party when there are many."""
    lang = plan.language
    best = verdicts(evidence)
    wanted = NAMED_STANCES[plan.relation]
    by_place = sorted(best.values(), key=lambda ev: (ev.doc.municipality, ev.doc.party))
    named = [ev for ev in by_place if ev.stance in wanted]
    against = [ev for ev in by_place if ev.stance == "opposes" and "opposes" not in wanted]
    cites = _Citations()
    lines: list[str] = []
    if named and plan.names:  # found by the name the programmes give what was described
        lines.append(text(lang, "called", names=quoted_names(plan.names, lang)))
    if named:
        head_key = {"proposes": "who", "opposes": "opposes", "mentions": "mentions"}[plan.relation]
        by_party = len(named) > MAX_LISTED
        if by_party:  # cited in the order listed, so the numbers stand as they are
            named.sort(key=lambda ev: (ev.doc.party, ev.doc.municipality))
        numbers = [cites.add(ev) for ev in named]
        if by_party:
            lines.append(text(lang, "by_party", n=len(named), total=len(scope)))
            places: dict[str, list[str]] = {}  # by party, in the order named (sorted by party)
            for n, ev in zip(numbers, named, strict=True):
                places.setdefault(ev.doc.party, []).append(f"{ev.doc.municipality} [{n}]")
            lines += [f"- **{p}** ({len(ps)}): " + ", ".join(ps) for p, ps in places.items()]
        else:
            key = f"{head_key}_{'one' if len(named) == 1 else 'many'}"
            if all(ev.found == "meaning" for ev in named):
                key = f"meaning_{'one' if len(named) == 1 else 'many'}"
            markers = [
                f"{_label(ev.doc, multi_party)} [{n}]" for n, ev in zip(numbers, named, strict=True)
            ]
            joined = join_names(markers, lang)
            lines.append(text(lang, key, names=joined, n=len(named), total=len(scope)) + "\n")
            lines += [_bullet(n, ev, multi_party) for n, ev in zip(numbers, named, strict=True)]
    else:
        lines.append(text(lang, "none_propose"))
    if against:
        names = [f"{_label(ev.doc, multi_party)} [{cites.add(ev)}]" for ev in against]
        lines.append("\n" + text(lang, "opposers", names=join_names(names, lang)))
    chosen = {ev.doc.doc_id: ev for ev in named}
    return Answer(
        question=plan.question,
        text="\n".join(lines).strip(),
        answerable=True,
        language=lang,
        citations=cites.items,
        verdicts=_verdicts(scope, best, chosen),
    )


def _verdicts(
    scope: Sequence[Document], best: dict[str, Evidence], named: dict[str, Evidence]
) -> list[Verdict]:
    """One verdict per programme in scope (silent ones without a citation)."""
    out = []
    for doc in sorted(scope, key=lambda d: (d.municipality, d.party)):
        ev = best.get(doc.doc_id)
        citation = cite(0, doc, ev.heading, ev.start, ev.end) if ev else None
        stance = ev.stance if ev else "silent"
        out.append(
            Verdict(
                doc.doc_id,
                doc.municipality,
                doc.party,
                doc.title,
                stance,
                citation,
                doc.doc_id in named,
            )
        )
    return out


def compose_what(
    plan: QueryPlan, evidence: Sequence[Evidence], multi_party: bool, each: bool = False
) -> Answer:
    """Quote the best sentences: up to three, at most two per programme (three when the
    question is about one programme). `each`: the question is about a few programmes ("Varför
    vill de det?"), so each of them with evidence gets its best sentence, and may get two."""
    best: dict[str, Evidence] = {}
    for ev in evidence:  # best first
        best.setdefault(ev.doc.doc_id, ev)
    per_doc_max = MAX_WHAT_QUOTES if len(best) == 1 else 2
    most = max(MAX_WHAT_QUOTES, per_doc_max * len(best)) if each else MAX_WHAT_QUOTES
    chosen: list[Evidence] = []
    per_doc: Counter[str] = Counter()
    for ev in [*(best.values() if each else ()), *evidence]:
        if len(chosen) < most and per_doc[ev.doc.doc_id] < per_doc_max and ev not in chosen:
            per_doc[ev.doc.doc_id] += 1
            chosen.append(ev)
    chosen.sort(key=lambda ev: (ev.doc.municipality, ev.doc.party, ev.start))
    cites = _Citations()
    lines = [_bullet(cites.add(ev), ev, multi_party) for ev in chosen]
    names = list(dict.fromkeys(_label(ev.doc, multi_party) for ev in chosen))
    key = "what" if len(names) == 1 else "what_many"
    key = "what_part" if any(ev.found == "part" for ev in evidence) else key  # `judge.on_part`
    head = text(plan.language, key, names=join_names(names, plan.language))
    return Answer(
        question=plan.question,
        text=head + "\n\n" + "\n".join(lines),
        answerable=True,
        language=plan.language,
        citations=cites.items,
    )


def compose(
    plan: QueryPlan,
    evidence: Sequence[Evidence],
    scope: Sequence[Document],
    snapshot: Snapshot,
    scoped: bool = False,
) -> Answer:
    """The answer for a question's evidence, or a plain refusal. `scoped`: the question is
    about the programmes of `scope` (by place, party or the answer before), not the corpus."""
    why = refusal_for(plan, evidence, scope, set_aside(plan, snapshot))
    if why is not None:
        return refusal(plan, snapshot, why)
    multi_party = len({d.party for d in snapshot.documents.values()}) > 1
    if plan.kind == "who":
        return compose_who(plan, evidence, scope, multi_party)
    few = scoped and len(scope) <= MAX_LISTED
    return compose_what(plan, evidence, multi_party, each=few)


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


def compare_verdicts(evidence: Sequence[Evidence], scope: Sequence[Document]) -> list[Verdict]:
    """Per programme in scope: its verdict on the topic with the sentence it rests on."""
    return _verdicts(scope, verdicts(evidence), {})
