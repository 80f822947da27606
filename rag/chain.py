"""The LangChain runnable: retrieve → answer → verify. Each step is a named RunnableLambda,
so the chain can be traced, streamed and composed like any other LangChain runnable."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from rag.answer import extractive_answer, passages_answer, refusal
from rag.citations import verify
from rag.config import Settings
from rag.embedders import Embeddings
from rag.errors import QuestionError
from rag.index import Snapshot
from rag.query import QueryPlan, analyze
from rag.retrieval import Filters, parse_filters, retrieve_passages
from rag.store import VectorStore
from rag.types import Answer, Passage

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_TURNS = 8  # a follow-up is read against at most this many earlier questions
# Control characters that are not whitespace, and lone surrogates (which no encoder accepts).
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class Context:
    """Everything a question is answered from: one consistent index version."""

    snapshot: Snapshot
    store: VectorStore
    embeddings: Embeddings
    settings: Settings

    def known_word(self, word: str) -> bool:
        return word in self.snapshot.vocabulary


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


def plan_question(
    ctx: Context, question: str, history: Sequence[Any] | None, filters: Any
) -> tuple[QueryPlan, Filters]:
    docs = list(ctx.snapshot.documents.values())
    plan = analyze(
        question,
        sorted({d.municipality for d in docs}),
        sorted({d.party for d in docs}),
        user_turns(history),
        ctx.known_word,
    )
    user = parse_filters(filters, ctx.snapshot)
    named, chosen = plan.municipalities, user.municipality
    if named and chosen:
        # Both the question and the filter name places: answer only where they agree.
        scope = tuple(m for m in named if m in chosen)
        plan = replace(plan, out_of_scope=not scope)
    else:
        scope = named or chosen
    return plan, Filters(municipality=scope, party=plan.parties or user.party)


def retrieve_for(ctx: Context, plan: QueryPlan, filters: Filters) -> list[Passage]:
    """'Who' questions look at every programme; others take the best passages overall."""
    if ctx.settings.answer_mode == "passages":  # the textbook baseline: the question as asked
        return retrieve_passages(
            ctx.snapshot,
            ctx.store,
            ctx.embeddings,
            ctx.settings,
            plan.question,
            ctx.settings.top_k,
            filters,
            ctx.settings.per_document,
        )
    if plan.kind == "who" and ctx.settings.diversify:
        k, per_document = min(2 * len(ctx.snapshot.documents), 200), 2
    else:
        k, per_document = max(8, ctx.settings.top_k), ctx.settings.per_document
    return search(ctx, plan, filters, k, per_document)


def search(
    ctx: Context,
    plan: QueryPlan,
    filters: Filters,
    k: int,
    per_document: int,
    mode: str | None = None,
) -> list[Passage]:
    """Passages for an analysed question: the question with its glossary terms for the dense
    side, its topic words alone for the lexical side."""
    return retrieve_passages(
        ctx.snapshot,
        ctx.store,
        ctx.embeddings,
        ctx.settings,
        plan.search_text,
        k,
        filters,
        per_document,
        mode,
        lexical_query=plan.topic or None,
    )


def gather(
    ctx: Context, question: str, history: Sequence[Any] | None, filters: Any
) -> tuple[QueryPlan, list[Passage]]:
    """Analyse the question and retrieve its passages (none when it must be refused).

    A follow-up that points back ("de", "they", "which of them") is scoped to the
    municipalities the previous answer named.
    """
    plan, scope = plan_question(ctx, question, history, filters)
    if plan.refers_back and not plan.municipalities:
        earlier = user_turns(history)
        prev_plan, prev_passages = gather(ctx, earlier[-1], earlier[:-1], filters)
        named = extractive_answer(prev_plan, prev_passages, ctx.snapshot).municipalities
        if named:
            plan = replace(plan, municipalities=tuple(named))
            scope = replace(scope, municipality=tuple(named))
    if ctx.settings.answer_mode == "passages":
        return plan, retrieve_for(ctx, plan, scope)
    blocked = (
        plan.out_of_scope
        or plan.unknown_parties
        or (plan.unknown_municipalities and not plan.municipalities)
        or not plan.concepts
    )
    return plan, [] if blocked else retrieve_for(ctx, plan, scope)


def checked(result: Answer, plan: QueryPlan, snapshot: Snapshot) -> Answer:
    """The answer with only verbatim citations, renumbered; an answer left without evidence
    becomes a refusal."""
    text, citations = verify(result.text, result.citations, snapshot.documents)
    if result.answerable and not citations:
        return refusal(plan, snapshot, "nothing")
    return replace(result, text=text, citations=citations)


def build_chain(
    get_context: Callable[[], Context],
    generate: Callable[[QueryPlan, Answer], Answer] | None = None,
) -> Runnable[dict[str, Any], Answer]:
    """Input `{"question", "history"?, "filters"?}`; output a verified `Answer`."""

    def retrieve(inp: dict[str, Any]) -> dict[str, Any]:
        question = check_question(inp.get("question"))
        ctx = get_context()
        plan, passages = gather(ctx, question, inp.get("history"), inp.get("filters"))
        return {"ctx": ctx, "plan": plan, "passages": passages}

    def answer(state: dict[str, Any]) -> dict[str, Any]:
        ctx, plan, passages = state["ctx"], state["plan"], state["passages"]
        if ctx.settings.answer_mode == "passages":
            return {**state, "answer": passages_answer(plan, passages, ctx.snapshot)}
        result = extractive_answer(plan, passages, ctx.snapshot)
        if generate is not None and result.answerable:
            result = generate(plan, checked(result, plan, ctx.snapshot))  # verified quotes only
        return {**state, "answer": result}

    def check(state: dict[str, Any]) -> Answer:
        return checked(state["answer"], state["plan"], state["ctx"].snapshot)

    return (
        RunnableLambda(retrieve, name="retrieve")
        | RunnableLambda(answer, name="answer")
        | RunnableLambda(check, name="verify")
    )
