"""The LangChain runnable: the pipeline's five steps as named runnables, reading the context
afresh on every call and giving what `pipeline.ask` gives."""

from __future__ import annotations

from dataclasses import replace

import pytest
from langchain_core.runnables import Runnable

from rag import Answer, QuestionError
from rag.chain import build_chain
from rag.pipeline import Context, ask
from rag.query import QueryPlan

from ..helpers import SPRUTBYTE


def test_the_steps_are_named_runnables(seed_context: Context) -> None:
    chain = build_chain(lambda: seed_context)
    assert isinstance(chain, Runnable)
    assert [step.name for step in chain.steps] == [  # type: ignore[attr-defined]
        "plan",
        "retrieve",
        "judge",
        "compose",
        "verify",
    ]


def test_it_answers_as_the_pipeline_does_with_history_and_filters(seed_context: Context) -> None:
    chain = build_chain(lambda: seed_context)
    assert chain.invoke({"question": SPRUTBYTE}).to_dict() == ask(seed_context, SPRUTBYTE).to_dict()
    only = chain.invoke({"question": SPRUTBYTE, "filters": {"municipality": "eskilstuna"}})
    assert only.municipalities == ["Eskilstuna"]
    follow_up = chain.invoke({"question": "Och i Örebro?", "history": [SPRUTBYTE]})
    assert follow_up.municipalities == ["Örebro"]


def test_the_context_is_read_on_every_call(seed_context: Context) -> None:
    reads: list[Context] = []

    def context() -> Context:
        reads.append(seed_context)
        return seed_context

    chain = build_chain(context)
    assert reads == []  # building the chain reads nothing
    chain.invoke({"question": SPRUTBYTE})
    chain.invoke({"question": SPRUTBYTE})
    assert len(reads) == 2


@pytest.mark.parametrize("question", [None, "", " \x00 "])
def test_an_unusable_question_stops_at_the_plan(seed_context: Context, question: object) -> None:
    with pytest.raises(QuestionError):
        build_chain(lambda: seed_context).invoke({"question": question})


def test_a_generator_rewrites_only_answers_with_evidence(seed_context: Context) -> None:
    seen: list[str] = []

    def generate(plan: QueryPlan, answer: Answer) -> Answer:
        seen.append(plan.question)
        return replace(answer, text=answer.text.replace("föreslår", "vill ha"), mode="llm")

    chain = build_chain(lambda: seed_context, generate)
    answer = chain.invoke({"question": SPRUTBYTE})
    assert answer.mode == "llm" and "vill ha det här" in answer.text and answer.citations
    refused = chain.invoke({"question": "Vad tycker Liberalerna om kärnkraft?"})
    assert not refused.answerable and seen == [SPRUTBYTE]
