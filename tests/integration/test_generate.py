"""A chat model through `Assistant`: it writes the answers of every way of asking, and the real
LangChain adapters fall back when their server is down. (How generated answers are checked is
tested in tests/unit/test_generate.py.)

No real LLM is reachable here, so LangChain's fake chat model stands in for a hosted one; the
index, the embedding model and the evidence are real."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import (
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage

from rag import Answer, Assistant

from ..helpers import free_port


def with_model(assistant: Assistant, model: Any) -> Assistant:
    return Assistant(assistant.settings, embeddings=assistant.embeddings, chat_model=model)


def test_the_assistant_s_chat_model_writes_asked_and_streamed_answers(
    assistant: Assistant,
) -> None:
    """`Assistant` hands its chat model to every way of asking."""
    text = "Eskilstuna stöder sprutbyte [1]."
    model = GenericFakeChatModel(messages=iter([AIMessage(content=text)] * 2))
    a = with_model(assistant, model)
    asked = a.ask("Vem föreslår sprutbyte?")
    streamed = list(a.stream("Vem föreslår sprutbyte?"))[-1]
    assert isinstance(streamed, Answer)
    assert asked.mode == streamed.mode == "llm" and asked.text == streamed.text == text


@pytest.mark.parametrize("provider", ["openai", "ollama"])
def test_real_provider_with_its_server_down_falls_back(assistant: Assistant, provider: str) -> None:
    """The real LangChain adapters (langchain-openai, langchain-ollama) against a loopback port
    where no server listens: the answer falls back to the programmes, with a notice."""
    suffix = "/v1" if provider == "openai" else ""
    settings = assistant.settings.model_copy(
        update={
            "llm_provider": provider,
            "llm_model": "some-model",
            "llm_base_url": f"http://127.0.0.1:{free_port()}{suffix}",
        }
    )
    answer = Assistant(settings, embeddings=assistant.embeddings).ask("Vem föreslår sprutbyte?")
    assert answer.mode == "extractive" and answer.notice
    assert set(answer.municipalities) == {"Örebro", "Eskilstuna"}
