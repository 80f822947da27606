"""Generated answers are checked after generation.

No real LLM is reachable here, so LangChain's fake chat models stand in for a hosted one; the
index, the embedding model and the evidence are real."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage

from rag import Answer, Assistant, RagError
from rag.generate import keep_cited

from ..helpers import free_port


class UnreachableChatModel(FakeListChatModel):
    """A fake chat model whose server is down."""

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        raise ConnectionError("connection refused")


class CountingChatModel(GenericFakeChatModel):
    """A fake chat model that counts its calls."""

    calls: int = 0

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        self.calls += 1
        return super()._stream(*args, **kwargs)


def with_model(assistant: Assistant, model: Any) -> Assistant:
    return Assistant(assistant.settings, embeddings=assistant.embeddings, chat_model=model)


def test_markers_are_checked_and_uncited_sentences_dropped(assistant: Assistant) -> None:
    model = GenericFakeChatModel(
        messages=iter(
            [
                AIMessage(
                    content=(
                        "Örebro vill ha sprutbyte [2]. Eskilstuna stöder ett program [1]. "
                        "Malmö håller med [7]. Det är billigt."
                    )
                )
            ]
        )
    )
    answer = with_model(assistant, model).ask("Vem föreslår sprutbyte?")
    assert answer.mode == "llm" and answer.answerable
    assert "Malmö" not in answer.text and "billigt" not in answer.text
    assert "[7]" not in answer.text
    assert {c.municipality for c in answer.citations} == {"Örebro", "Eskilstuna"}
    for c in answer.citations:
        assert assistant.document(c.doc_id).text[c.start : c.end] == c.quote
    assert answer.text.startswith("Örebro vill ha sprutbyte [1].")  # renumbered by first use


def test_streaming_then_a_checked_answer(assistant: Assistant) -> None:
    model = GenericFakeChatModel(
        messages=iter([AIMessage(content="Eskilstuna stöder sprutbyte [1]. Påhitt [5].")])
    )
    items = list(with_model(assistant, model).stream("Vem föreslår sprutbyte?"))
    pieces = [i for i in items if isinstance(i, str)]
    assert len(pieces) > 1  # streamed token by token
    final = items[-1]
    assert isinstance(final, Answer) and final.text == "Eskilstuna stöder sprutbyte [1]."


def test_unreachable_model_falls_back_with_a_notice(assistant: Assistant) -> None:
    answer = with_model(assistant, UnreachableChatModel(responses=["x"])).ask(
        "Vem föreslår sprutbyte?"
    )
    assert answer.mode == "extractive" and answer.notice
    assert set(answer.municipalities) == {"Örebro", "Eskilstuna"}


def test_no_generation_without_evidence(assistant: Assistant) -> None:
    model = CountingChatModel(messages=iter([AIMessage(content="Kärnkraft är bra [1].")]))
    answer = with_model(assistant, model).ask("Vad tycker Liberalerna om kärnkraft?")
    assert not answer.answerable and model.calls == 0


def test_model_citing_nothing_valid_falls_back(assistant: Assistant) -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="Alla vill det [9].")]))
    answer = with_model(assistant, model).ask("Vem föreslår sprutbyte?")
    assert answer.mode == "extractive" and answer.notice and answer.citations


def test_keep_cited() -> None:
    assert keep_cited("A [1]. B [3]. C.", {1, 2}) == "A [1]."
    assert keep_cited("Inget.", {1}) == ""


def test_missing_provider_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "langchain_ollama", None)
    with pytest.raises(RagError, match="not installed"):
        Assistant(llm_provider="ollama", llm_model="llama3")


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
