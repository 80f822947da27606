"""Generated answers are checked after generation: unknown markers go, sentences without a valid
marker go, citations are renumbered; no evidence, no generation; a model that fails or cites
nothing valid gives the extractive answer with a notice.

No real LLM is reachable here, so LangChain's fake chat models stand in for a hosted one; the
evidence comes from the seed programmes in memory."""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import partial
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from rag import Answer, RagError, get_settings
from rag.generate import generate_answer, keep_cited, load_chat_model, prompt, stream_generated
from rag.pipeline import Context, ask, plan_step, stream

from ..fakes import CountingChatModel, UnreachableChatModel
from ..helpers import SPRUTBYTE, SPRUTBYTE_MUNICIPALITIES


def saying(text: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=text)]))


def ask_with(ctx: Context, model: Any, question: str = SPRUTBYTE) -> Answer:
    return ask(ctx, question, generate=partial(generate_answer, model))


def test_markers_are_checked_and_uncited_sentences_dropped(seed_context: Context) -> None:
    model = saying(
        "Örebro vill ha sprutbyte [2]. Eskilstuna stöder ett program [1]. "
        "Malmö håller med [7]. Det är billigt."
    )
    answer = ask_with(seed_context, model)
    assert answer.mode == "llm" and answer.answerable
    assert "Malmö" not in answer.text and "billigt" not in answer.text
    assert "[7]" not in answer.text
    assert {c.municipality for c in answer.citations} == SPRUTBYTE_MUNICIPALITIES
    for c in answer.citations:
        assert seed_context.snapshot.documents[c.doc_id].text[c.start : c.end] == c.quote
    assert answer.text.startswith("Örebro vill ha sprutbyte [1].")  # renumbered by first use


def test_the_text_streams_then_the_checked_answer(seed_context: Context) -> None:
    model = saying("Eskilstuna stöder sprutbyte [1]. Påhitt [5].")
    items = list(stream(seed_context, SPRUTBYTE, None, None, partial(stream_generated, model)))
    pieces = [i for i in items if isinstance(i, str)]
    assert len(pieces) > 1  # token by token
    final = items[-1]
    assert isinstance(final, Answer) and final.text == "Eskilstuna stöder sprutbyte [1]."


def test_an_unreachable_model_falls_back_with_a_notice(seed_context: Context) -> None:
    answer = ask_with(seed_context, UnreachableChatModel(responses=["x"]))
    assert answer.mode == "extractive" and answer.notice
    assert set(answer.municipalities) == SPRUTBYTE_MUNICIPALITIES


def test_no_generation_without_evidence(seed_context: Context) -> None:
    model = CountingChatModel(messages=iter([AIMessage(content="Kärnkraft är bra [1].")]))
    answer = ask_with(seed_context, model, "Vad tycker Liberalerna om kärnkraft?")
    assert not answer.answerable and model.calls == 0


def test_evidence_without_citations_is_never_sent_to_the_model(seed_context: Context) -> None:
    """The generator's own guard, whatever the pipeline before it does."""
    plan = plan_step(seed_context, SPRUTBYTE, None, None).plan
    evidence = ask(seed_context, SPRUTBYTE)
    model = CountingChatModel(messages=iter([AIMessage(content="Påhitt [1].")] * 2))
    uncited = replace(evidence, citations=[])
    assert generate_answer(model, plan, uncited) is uncited
    refusal = replace(evidence, answerable=False)
    assert list(stream_generated(model, plan, refusal)) == [refusal]
    assert model.calls == 0


def test_a_model_citing_nothing_valid_falls_back(seed_context: Context) -> None:
    answer = ask_with(seed_context, saying("Alla vill det [9]."))
    assert answer.mode == "extractive" and answer.notice and answer.citations


def test_the_model_sees_the_numbered_quotes_and_the_question(seed_context: Context) -> None:
    plan = plan_step(seed_context, "Who proposes needle exchange?", None, None).plan
    evidence = ask(seed_context, "Who proposes needle exchange?")
    (system, rules), (human, text) = prompt(plan, evidence)
    assert (system, human) == ("system", "human") and "in English" in rules
    for c in evidence.citations:
        assert f"[{c.n}] {c.municipality} ({c.party}), {c.heading}: {c.quote}" in text
    assert text.endswith("\n\nWho proposes needle exchange?")


def test_keep_cited() -> None:
    assert keep_cited("A [1]. B [3]. C.", {1, 2}) == "A [1]."
    assert keep_cited("Inget.", {1}) == ""


def test_no_provider_means_no_chat_model() -> None:
    assert load_chat_model(get_settings()) is None


def test_missing_provider_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_ollama", None)
    with pytest.raises(RagError, match="not installed"):
        load_chat_model(get_settings(llm_provider="ollama", llm_model="llama3"))
