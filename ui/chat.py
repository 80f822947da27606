"""The conversation in the ask tab: the session each browser keeps, one question's turn with its
streamed answer and citation cards, and the latest answer to take away as Markdown."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

import gradio as gr

from rag import Answer, Assistant
from ui.errors import friendly_error
from ui.export import answer_markdown, file_stem, write_export
from ui.render import answer_message, error_message
from ui.texts import LANGUAGES


def new_session() -> dict[str, Any]:
    """Per-browser-session state: what the assistant hears as history (questions and the
    `Answer`s themselves), what the chat shows, and the answer behind each shown message (for
    feedback)."""
    return {"history": [], "messages": [], "answers": {}}


def chat_turn(
    assistant: Assistant,
    question: str,
    session: dict[str, Any],
    municipalities: list[str] | None = None,
    lang: str = "sv",
) -> Iterator[tuple[list[dict[str, str]], dict[str, Any]]]:
    """One question in the chat: yields the messages to show as the answer streams in, ending
    with its text and citation cards (or a friendly error), and the session to keep."""
    session = {**session, "messages": list(session["messages"])}
    messages = session["messages"]
    if (question or "").strip():
        messages.append({"role": "user", "content": escape(question)})
    messages.append({"role": "assistant", "content": "…"})
    yield messages, session
    filters = {"municipality": list(municipalities)} if municipalities else None
    streamed = ""
    answer: Answer | None = None
    try:
        for piece in assistant.stream(question, history=session["history"], filters=filters):
            if isinstance(piece, Answer):
                answer = piece
            else:
                streamed += piece
                messages[-1] = {"role": "assistant", "content": escape(streamed)}
                yield messages, session
        if answer is None:
            raise RuntimeError("the answer stream ended without an answer")
        texts = {d: assistant.document(d).text for d in {c.doc_id for c in answer.citations}}
        card_lang = answer.language if answer.language in LANGUAGES else lang
        messages[-1] = {"role": "assistant", "content": answer_message(answer, texts, card_lang)}
    except Exception as e:
        shown = error_message(friendly_error(e, lang, question or ""))
        messages[-1] = {"role": "assistant", "content": shown}
        yield messages, session
        return
    session["history"] = [  # the answer itself: a follow-up reads whom it named from it
        *session["history"],
        {"role": "user", "content": question},
        answer,
    ]
    session["answers"] = {
        **session["answers"],
        len(messages) - 1: {
            "question": question,
            "answer": answer.to_dict(),
            "markdown": answer_markdown(answer),
        },
    }
    yield messages, session


def latest_answer_export(session: dict[str, Any], lang: str) -> tuple[Any, Any]:
    """The newest answer of the session as Markdown, for the copy box and its download."""
    if not session["answers"]:
        return gr.update(value=""), gr.update(visible=False)
    shown = session["answers"][max(session["answers"])]
    name = f"{file_stem(shown['question'], 'svar' if lang == 'sv' else 'answer')}.md"
    path = write_export(name, shown["markdown"])
    return gr.update(value=shown["markdown"]), gr.update(value=str(path), visible=True)
