"""Optional generated answers from a LangChain chat model (Ollama or an OpenAI-compatible
endpoint). The model only ever sees verified evidence quotes, numbered by us; what it writes
is checked: unknown [n] markers are removed and sentences without a valid marker are dropped.
If the model cannot be reached, the extractive answer is shown with a notice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from pydantic import SecretStr

from rag.chunking import sentence_spans
from rag.citations import MARKER
from rag.config import Settings
from rag.errors import AnswerError
from rag.query import QueryPlan
from rag.types import Answer

SYSTEM = {
    "sv": "Du svarar på frågor om kommunala socialpolitiska program. Använd bara de numrerade "
    "citaten. Avsluta varje mening med källan i hakparentes, t.ex. [1]. Hitta inte på något. "
    "Svara kort, på svenska.",
    "en": "You answer questions about municipal social-policy programmes. Use only the numbered "
    "quotes (they are in Swedish). End every sentence with its source in brackets, e.g. [1]. "
    "Invent nothing. Answer briefly, in English.",
}
NOTICE = {
    "sv": "Språkmodellen gick inte att nå; svaret är sammanställt direkt ur programmen.",
    "en": "The language model could not be reached; the answer is compiled from the programmes.",
}


def load_chat_model(settings: Settings) -> Any | None:
    """The configured chat model, or None for extractive answers."""
    if not settings.llm_provider:
        return None
    try:
        if settings.llm_provider == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(
                model=settings.llm_model, base_url=settings.llm_base_url or None, temperature=0
            )
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url or None,
            api_key=settings.llm_api_key or SecretStr("none"),  # local servers need no key
            temperature=0,
        )
    except ImportError as e:
        raise AnswerError(
            f"the {settings.llm_provider} chat model is not installed",
            "pip install -e '.[llm]'",
        ) from e


def prompt(plan: QueryPlan, evidence: Answer) -> list[tuple[str, str]]:
    """Chat messages: the rules, then the numbered quotes and the question."""
    quotes = "\n".join(
        f"[{c.n}] {c.municipality} ({c.party}), {c.heading}: {c.quote}" for c in evidence.citations
    )
    return [("system", SYSTEM[plan.language]), ("human", f"{quotes}\n\n{plan.question}")]


def keep_cited(text: str, valid: set[int]) -> str:
    """Remove unknown markers, then drop every sentence left without a valid one.

    >>> keep_cited("Ja [1]. Nej [9]. Kanske.", {1})
    'Ja [1].'
    """
    text = MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "", text)
    kept = [
        text[s:e]
        for s, e in sentence_spans(text)
        if MARKER.search(text[s:e]) or re.fullmatch(r"\W*", text[s:e])
    ]
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(k for k in kept if k.strip())).strip()


def stream_generated(model: Any, plan: QueryPlan, evidence: Answer) -> Iterator[str | Answer]:
    """Yield the model's text as it arrives, then the checked `Answer` (or the extractive
    one with a notice if the model fails or cites nothing valid)."""
    if not evidence.answerable or not evidence.citations:
        yield evidence  # no generation without evidence
        return
    parts: list[str] = []
    try:
        for chunk in model.stream(prompt(plan, evidence)):
            piece = chunk.content if isinstance(chunk.content, str) else ""
            parts.append(piece)
            yield piece
    except Exception:  # any failure to reach or run the model falls back, never crashes
        yield replace(evidence, notice=NOTICE[plan.language])
        return
    text = keep_cited("".join(parts), {c.n for c in evidence.citations})
    if not text:
        yield replace(evidence, notice=NOTICE[plan.language])
        return
    yield replace(evidence, text=text, mode="llm")


def generate_answer(model: Any, plan: QueryPlan, evidence: Answer) -> Answer:
    """The final answer of `stream_generated`."""
    result = evidence
    for item in stream_generated(model, plan, evidence):
        if isinstance(item, Answer):
            result = item
    return result
