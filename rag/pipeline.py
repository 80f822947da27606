"""One answer pipeline: plan → retrieve → judge → compose → verify, with one typed state.

`ask`, `stream`, `compare`, `retrieve` and the LangChain runnable (rag/chain.py) all run these
steps; what differs between them is a step's parameter, never a second route.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rag.citations import is_verbatim, verify
from rag.compose import Refusal, compare_verdicts, compose, passages_answer, refusal
from rag.config import Settings
from rag.embedders import Embeddings
from rag.errors import QuestionError
from rag.judge import (
    MEANING_MIN_SENTENCES,
    Evidence,
    Similarity,
    answering,
    by_meaning,
    defined_names,
    find_evidence,
    on_part,
    supplemented,
)
from rag.query import QueryPlan, analyze, by_name, find_names, municipality_aliases
from rag.retrieval import Filters, parse_filters, retrieve_passages
from rag.snapshot import Snapshot
from rag.store import VectorStore
from rag.types import Answer, Document, Passage, Verdict

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_TURNS = 8  # a follow-up is read against at most this many earlier questions
WHO_PASSAGES_PER_PROGRAMME = 3
# Control characters that are not whitespace, and lone surrogates (which no encoder accepts).
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")

Generate = Callable[[QueryPlan, Answer], Answer]


@dataclass(frozen=True)
class Context:
    """Everything a question is answered from: one consistent index version."""

    snapshot: Snapshot
    store: VectorStore
    embeddings: Embeddings
    settings: Settings
    bridge: Callable[[str], tuple[str, ...]] = lambda word: ()
    similarity: Similarity | None = None  # a multilingual model's sentence ranking, if any
    prefetch: Callable[[str], None] = lambda question: None  # starts embedding a question

    def covered(self) -> tuple[list[str], list[str]]:
        docs = self.snapshot.documents.values()
        return sorted({d.municipality for d in docs}), sorted({d.party for d in docs})


@dataclass
class State:
    """What the steps hand on: the plan and its scope, then passages, evidence, answer."""

    ctx: Context
    plan: QueryPlan
    filters: Filters
    passages: list[Passage] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    answer: Answer | None = None

    @property
    def scope(self) -> list[Document]:
        """The programmes the question is about."""
        return [d for d in self.ctx.snapshot.documents.values() if self.filters.allows(d)]


# --- the question --------------------------------------------------------------------------


def tidy_question(question: str) -> str:
    """Control characters removed and whitespace collapsed: `tidy_question(" a\x00b\n c")`
    is `"ab c"`."""
    return " ".join(_UNPRINTABLE.sub("", question).split())


def check_question(question: Any) -> str:
    """The question, trimmed, control characters removed; empty or non-text questions are a
    QuestionError."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    question = tidy_question(question)
    if not question:
        raise QuestionError(
            "the question is empty", "type a question, e.g. 'Vem föreslår sprutbyte?'"
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(question)} characters long",
            f"keep it under {MAX_QUESTION_CHARS} characters",
        )
    return question


def user_turns(history: Sequence[Any] | None) -> list[str]:
    """The latest earlier user questions (at most MAX_HISTORY_TURNS) from a history of strings,
    (user, bot) pairs or role dicts, cleaned like questions."""
    turns: list[str] = []
    for item in history or []:
        if isinstance(item, str):
            turns.append(item)
        elif isinstance(item, Mapping) and item.get("role") == "user":
            content = item.get("content")
            if isinstance(content, str):
                turns.append(content)
        elif isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
            turns.append(item[0])
    cleaned = (tidy_question(t)[:MAX_QUESTION_CHARS] for t in turns)
    return [t for t in cleaned if t][-MAX_HISTORY_TURNS:]


def previous_answer(history: Sequence[Any] | None) -> Answer | str | None:
    """The assistant's last turn in the history: an `Answer`, or its text."""
    for item in reversed(list(history or [])):
        if isinstance(item, Answer):
            return item
        if isinstance(item, Mapping) and item.get("role") == "assistant":
            content = item.get("content")
            return content if isinstance(content, str) else None
        if isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[1], str):
            return item[1]
    return None


_BY_PARTY = re.compile(r"^- \*\*(.+?)\*\* \(\d+\): (.*)$", re.M)
Named = tuple[tuple[str, ...], tuple[tuple[str, str], ...]]
"""The municipalities an answer gave as its answer, and its programmes where it says which."""


def named_before(previous: Answer | str, covered: Sequence[str], parties: Sequence[str]) -> Named:
    """Whom the previous answer gave as its answer: from an `Answer` itself, or from the first
    paragraph of its text, where the answer names them; by programme when every place named
    there carries its party ("Malmö (Vänsterpartiet) [1]")."""
    if isinstance(previous, Answer):
        return tuple(previous.municipalities), tuple(previous.programmes)
    first = previous.strip().split("\n\n")[0]
    aliases = municipality_aliases(covered)
    places = tuple(sorted(find_names(first, covered, aliases), key=lambda m: first.find(m)))
    labelled = [(m, p) for m in places for p in parties if f"{m} ({p})" in first]
    for party, listed in _BY_PARTY.findall(first):  # a long answer: "- **Party** (n): places"
        if party in parties:
            listed_here = sorted(find_names(listed, covered, aliases), key=listed.find)
            labelled += [(m, party) for m in listed_here]
    whole = {m for m, _ in labelled} == set(places)
    return places, tuple(dict.fromkeys(labelled)) if whole else ()


# --- the steps ---------------------------------------------------------------------------


def plan_step(ctx: Context, question: str, history: Sequence[Any] | None, filters: Any) -> State:
    """Analyse the question; scope it by the places it names, the filters, and for a
    follow-up that points back ("Vilka av dem…"), the programmes the previous answer named."""
    places, parties = ctx.covered()
    snapshot = ctx.snapshot
    plan = analyze(
        question,
        places,
        parties,
        user_turns(history),
        bridge=ctx.bridge,
        is_phrase=snapshot.is_pair,
        known_word=lambda w: w in snapshot.vocabulary,
    )
    user = parse_filters(filters, ctx.snapshot)
    programmes: tuple[tuple[str, str], ...] = ()  # "which of them": those named before
    others: tuple[tuple[str, str], ...] = ()  # "who else": those named before are left out
    if plan.others:  # by programme, or all of a place when the answer named only places
        before, others = _earlier_answer(ctx, history, filters, places, parties)
        docs = snapshot.documents.values()
        others = others or tuple(
            (d.municipality, d.party) for d in docs if d.municipality in before
        )
    elif plan.refers_back and not plan.municipalities:
        earlier, programmes = _earlier_answer(ctx, history, filters, places, parties)
        plan = replace(plan, municipalities=earlier)
    named, chosen = plan.municipalities, user.municipality
    if named and chosen:
        # Both the question and the filter name places: answer only where they agree.
        scope = tuple(m for m in named if m in chosen)
        plan = replace(plan, out_of_scope=not scope)
    else:
        scope = named or chosen
    party = plan.parties or user.party
    return State(ctx, plan, Filters(scope, party, programmes, others))


def _earlier_answer(
    ctx: Context,
    history: Sequence[Any] | None,
    filters: Any,
    places: Sequence[str],
    parties: Sequence[str],
) -> Named:
    """Whom the previous answer named: read from it when the history carries it, else (a
    history of questions only) found by answering the previous question again."""
    previous = previous_answer(history)
    if previous is None:
        earlier = user_turns(history)
        if not earlier:
            return (), ()
        previous = ask(ctx, earlier[-1], earlier[:-1], filters)
    return named_before(previous, places, parties)


def retrieve_step(state: State, k: int | None = None, per_document: int | None = None) -> State:
    """Passages for the plan. Who-questions take the best passages of every programme in
    scope, so no programme is missed at any corpus size; others take the best overall."""
    ctx, plan = state.ctx, state.plan
    settings = ctx.settings
    if settings.answer_mode == "passages":  # the textbook baseline: the question as asked
        state.passages = _search(state, plan.question, settings.top_k, settings.per_document)
        return state
    if _blocked(plan):
        return state
    if k is None and plan.kind == "who" and settings.diversify:
        per = WHO_PASSAGES_PER_PROGRAMME
        k = per * max(1, len(state.scope))
    else:
        per = settings.per_document if per_document is None else per_document
        k = k or max(8, settings.top_k)
    state.passages = _search(state, plan.search_text, k, per, lexical_query=plan.topic or None)
    return state


def _blocked(plan: QueryPlan) -> bool:
    return bool(
        plan.out_of_scope
        or plan.unknown_parties
        or (plan.unknown_municipalities and not plan.municipalities)
        or not plan.concepts
    )


def _search(
    state: State,
    query: str,
    k: int,
    per_document: int,
    mode: str | None = None,
    lexical_query: str | None = None,
) -> list[Passage]:
    ctx = state.ctx
    return retrieve_passages(
        ctx.snapshot,
        ctx.store,
        ctx.embeddings,
        ctx.settings,
        query,
        k,
        state.filters,
        per_document,
        mode,
        lexical_query=lexical_query,
    )


def judge_step(state: State) -> State:
    """Evidence sentences with their stances; for a who-question, the sentences that stand out
    by meaning in the programmes the words answer for not (`by_meaning`); for a question about
    one programme that says nothing on the whole topic, its sentences on part of it
    (`on_part`); for a who-question that describes what the programmes have a name for, first
    the evidence on that name (`_by_name`)."""
    ctx, plan, passages = state.ctx, state.plan, state.passages
    evidence = find_evidence(plan, passages, ctx.snapshot, ctx.similarity)
    answered = {ev.doc.doc_id for ev in answering(plan, evidence)}
    if not (answered and state.filters):  # beside an answer, among all programmes only
        found = by_meaning(plan, _meaning_pool(state), ctx.snapshot, ctx.similarity, answered)
        evidence = evidence + [ev for ev in found if state.filters.allows(ev.doc)]
    if not answered and len(state.scope) == 1:  # a question about one programme
        evidence = evidence + on_part(plan, passages, ctx.snapshot, ctx.similarity)
    evidence = _by_name(state) + evidence  # evidence on the name first: it is what was asked
    state.evidence = supplemented(plan, evidence, passages, ctx.snapshot, ctx.similarity)
    return state


def _by_name(state: State) -> list[Evidence]:
    """For a who-question that describes a measure the programmes have a name for (see
    `judge.defined_names`), the evidence on that name; the plan then carries the names, so
    that the answer says them. Not for who mentions it: a name is not the words asked for."""
    plan = state.plan
    if plan.kind != "who" or plan.relation == "mentions":
        return []
    names = defined_names(plan, state.passages, state.ctx.snapshot)
    if not names:
        return []
    named = by_name(plan, names)
    state.plan = replace(plan, names=named.names)
    found = retrieve_step(State(state.ctx, named, state.filters)).passages
    return find_evidence(named, found, state.ctx.snapshot, state.ctx.similarity)


def _meaning_pool(state: State) -> list[Passage]:
    """The passages among which a sentence must stand out by meaning: those of every
    programme, also when the question is about some of them ("Vilka av dem …", a filter), so
    that a handful of programmes' sentences do not set the bar."""
    if not state.filters or state.plan.kind != "who":
        return state.passages
    return retrieve_step(State(state.ctx, state.plan, Filters())).passages


def compose_step(state: State, generate: Generate | None = None) -> State:
    """The answer as data, then text; a chat model, if any, rewrites verified evidence only."""
    ctx, plan = state.ctx, state.plan
    if ctx.settings.answer_mode == "passages":
        state.answer = passages_answer(plan, state.passages, ctx.snapshot)
        return state
    state.answer = compose(plan, state.evidence, state.scope, ctx.snapshot, bool(state.filters))
    if generate is not None and state.answer.answerable:
        state.answer = generate(plan, verified(state.answer, plan, ctx.snapshot))
    return state


def verify_step(state: State) -> Answer:
    assert state.answer is not None
    return verified(state.answer, state.plan, state.ctx.snapshot)


def verified(result: Answer, plan: QueryPlan, snapshot: Snapshot) -> Answer:
    """The answer with only verbatim citations, renumbered, and verdicts whose quotes are
    verbatim; an answer left without evidence becomes a refusal."""
    text, citations = verify(result.text, result.citations, snapshot.documents)
    if result.answerable and not citations:
        return refusal(plan, snapshot, Refusal("nothing"))
    return replace(
        result,
        text=text,
        citations=citations,
        verdicts=[checked_verdict(v, snapshot) for v in result.verdicts],
    )


def checked_verdict(v: Verdict, snapshot: Snapshot) -> Verdict:
    """A verdict whose quote is not verbatim loses it, and with it any stance."""
    if v.citation is None or is_verbatim(v.citation, snapshot.documents):
        return v
    return replace(v, stance="silent", citation=None, named=False)


# --- the ways of asking -------------------------------------------------------------------


def answer_state(ctx: Context, question: str, history: Sequence[Any] | None, filters: Any) -> State:
    """Plan, retrieve and judge a question (what every way of asking shares)."""
    state = plan_step(ctx, check_question(question), history, filters)
    if _ranks_by_meaning(state):
        ctx.prefetch(state.plan.question)
    return judge_step(retrieve_step(state))


def _ranks_by_meaning(state: State) -> bool:
    """Whether `judge.by_meaning` will rank this question's sentences by the multilingual model:
    a who-question, among the passages of every programme, once they can hold the sentences it
    needs (each programme gives WHO_PASSAGES_PER_PROGRAMME, each of a sentence or more)."""
    programmes = len(state.ctx.snapshot.documents)
    return (
        state.plan.kind == "who"
        and not _blocked(state.plan)
        and programmes * WHO_PASSAGES_PER_PROGRAMME >= MEANING_MIN_SENTENCES
    )


def ask(
    ctx: Context,
    question: str,
    history: Sequence[Any] | None = None,
    filters: Any = None,
    generate: Generate | None = None,
) -> Answer:
    """All five steps: a verified answer or a plain refusal."""
    return verify_step(compose_step(answer_state(ctx, question, history, filters), generate))


def stream(
    ctx: Context,
    question: str,
    history: Sequence[Any] | None,
    filters: Any,
    generate_stream: Callable[[QueryPlan, Answer], Iterator[str | Answer]] | None,
) -> Iterator[str | Answer]:
    """The answer's text as it is produced, then the final verified `Answer`. The answer is
    worked out here, at once; only a chat model's rewording is produced as it is read."""
    state = compose_step(answer_state(ctx, question, history, filters))
    answer = verify_step(state)
    if generate_stream is None or ctx.settings.answer_mode == "passages" or not answer.answerable:
        return iter([*answer.text.splitlines(keepends=True), answer])
    return _generated(ctx, state.plan, answer, generate_stream)


def _generated(
    ctx: Context,
    plan: QueryPlan,
    answer: Answer,
    generate_stream: Callable[[QueryPlan, Answer], Iterator[str | Answer]],
) -> Iterator[str | Answer]:
    for item in generate_stream(plan, answer):
        yield verified(item, plan, ctx.snapshot) if isinstance(item, Answer) else item


def compare(ctx: Context, topic: str, filters: Any = None) -> list[Verdict]:
    """One verified verdict per programme in scope on a topic."""
    state = plan_step(ctx, check_question(topic), None, filters)
    state.plan = replace(state.plan, kind="who", relation="mentions")
    state = judge_step(retrieve_step(state))
    rows = compare_verdicts(state.evidence, state.scope)
    return [checked_verdict(v, ctx.snapshot) for v in rows]


def retrieve(
    ctx: Context,
    question: str,
    k: int,
    filters: Any = None,
    per_document: int = 0,
    mode: str | None = None,
) -> list[Passage]:
    """The best passages for a question, planned like `ask` (glossary terms, named places)."""
    state = plan_step(ctx, check_question(question), None, filters)
    return _search(state, state.plan.search_text, k, per_document, mode, state.plan.topic or None)
