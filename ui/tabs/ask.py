"""The ask tab: the chat with example questions, thumbs and comments on answers and the latest
answer as Markdown; beside it the municipality filter and the viewer that opens a cited
passage in its programme."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from rag import Assistant
from ui.chat import chat_turn, latest_answer_export, new_session
from ui.feedback import append_feedback, feedback_record
from ui.frontend import OPEN_LINKS_JS
from ui.listing import covered
from ui.render import viewer_placeholder
from ui.tabs.common import PRIVATE, Updates, bold, label, relabel_on, relabel_placeholder_on, text
from ui.texts import EXAMPLES, t


@dataclass
class FeedbackForm:
    """The comment form a thumb on an answer opens; `pending` holds the rating until it is sent."""

    box: gr.Group
    title: gr.Markdown
    comment: gr.Textbox
    send: gr.Button
    pending: gr.State


@dataclass
class AnswerExport:
    """The latest answer as Markdown, to copy or download."""

    box: gr.Accordion
    markdown: gr.Textbox
    download: gr.DownloadButton


@dataclass
class AskTab:
    """The ask tab's components, for its own events and for those that cross tabs."""

    tab: gr.Tab
    session: gr.State
    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    feedback: FeedbackForm
    examples_title: gr.Markdown
    examples: list[gr.Button]
    clear: gr.Button
    export: AnswerExport
    municipalities: gr.Dropdown
    viewer_title: gr.Markdown
    viewer: gr.HTML

    def lists(self, assistant: Assistant) -> Updates:
        """The tab's list of programmes, refreshed after one is added."""
        return {
            self.municipalities: lambda lang: gr.update(choices=covered(assistant, "municipality"))
        }


def build_ask_tab(assistant: Assistant, language: gr.Radio, feedback_path: Path) -> AskTab:
    """The ask tab, with its events; ratings go to the feedback log at `feedback_path`."""
    with gr.Tab(t("sv", "tab_chat"), id="chat") as tab, gr.Row():
        with gr.Column(scale=3):
            session = gr.State(new_session())
            chatbot, question, send = chat_box()
            feedback = feedback_form()
            examples_title = gr.Markdown(f"**{t('sv', 'examples')}**")
            with gr.Row():
                examples = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES]
            clear = gr.Button(t("sv", "clear"), size="sm", variant="stop")
            export = answer_export()
        with gr.Column(scale=2, min_width=320):
            municipalities, viewer_title, viewer = side_panel(covered(assistant, "municipality"))
    ask = AskTab(
        tab=tab, session=session, chatbot=chatbot, question=question, send=send,
        feedback=feedback, examples_title=examples_title, examples=examples, clear=clear,
        export=export, municipalities=municipalities, viewer_title=viewer_title, viewer=viewer,
    )  # fmt: skip
    wire_questions(assistant, ask, language)
    wire_feedback(ask, language, feedback_path)
    relabel_on(language, labels(ask))
    relabel_placeholder_on(language, viewer)
    return ask


def chat_box() -> tuple[gr.Chatbot, gr.Textbox, gr.Button]:
    """The messages, and below them the question and its send button."""
    chatbot = gr.Chatbot(
        label=t("sv", "chatbot"),
        height=660,
        elem_id="chat",
        show_label=False,
        buttons=["copy", "copy_all"],
        placeholder=t("sv", "placeholder"),
    )
    with gr.Row(equal_height=True):
        question = gr.Textbox(
            label=t("sv", "question"),
            placeholder=t("sv", "placeholder"),
            show_label=False,
            scale=5,
            elem_id="question",
            autofocus=True,
        )
        send = gr.Button(t("sv", "send"), variant="primary", scale=1)
    return chatbot, question, send


def feedback_form() -> FeedbackForm:
    """The comment form, hidden until a thumb is given."""
    with gr.Group(visible=False) as box:
        title = gr.Markdown()
        comment = gr.Textbox(label=t("sv", "comment"), lines=2)
        send = gr.Button(t("sv", "feedback_send"), size="sm")
    return FeedbackForm(box=box, title=title, comment=comment, send=send, pending=gr.State(None))


def answer_export() -> AnswerExport:
    """A closed accordion with the latest answer as Markdown and its download."""
    with gr.Accordion(t("sv", "answer_export"), open=False) as box:
        markdown = gr.Textbox(
            label=t("sv", "answer_export"),
            info=t("sv", "answer_export_info"),
            lines=6,
            max_lines=16,
            interactive=False,
            buttons=["copy"],
            elem_id="answer-markdown",
        )
        download = gr.DownloadButton(
            t("sv", "answer_download"), size="sm", visible=False, elem_id="answer-download"
        )
    return AnswerExport(box=box, markdown=markdown, download=download)


def side_panel(municipalities: list[str]) -> tuple[gr.Dropdown, gr.Markdown, gr.HTML]:
    """The municipality filter and the viewer, which also catches clicks on "show in programme"
    links anywhere on the page."""
    chosen = gr.Dropdown(
        municipalities,
        multiselect=True,
        label=t("sv", "municipalities"),
        info=t("sv", "municipalities_info"),
        elem_id="municipalities",
    )
    title = gr.Markdown(f"**{t('sv', 'viewer')}**")
    viewer = gr.HTML(viewer_placeholder("sv"), js_on_load=OPEN_LINKS_JS, elem_id="chat-viewer")
    return chosen, title, viewer


def wire_questions(assistant: Assistant, ask: AskTab, language: gr.Radio) -> None:
    """A question, typed or an example, streams its answer into the chat, which then is ready
    to take away as Markdown; clearing starts a new conversation."""

    def respond(
        question: str, session: dict[str, Any], chosen: list[str] | None, lang: str
    ) -> Iterator[dict[Any, Any]]:
        for messages, new in chat_turn(assistant, question, session, chosen, lang):
            yield {ask.question: "", ask.chatbot: messages, ask.session: new}

    def clear() -> dict[Any, Any]:
        hidden = gr.update(visible=False)
        return {
            ask.chatbot: [], ask.session: new_session(), ask.question: "",
            ask.feedback.box: hidden, ask.export.markdown: gr.update(value=""),
            ask.export.download: hidden,
        }  # fmt: skip

    answered = [ask.question, ask.chatbot, ask.session]
    answer_io: dict[str, Any] = {"outputs": answered, "show_progress": "minimal", **PRIVATE}
    exported = [ask.export.markdown, ask.export.download]
    export_io: dict[str, Any] = {
        "inputs": [ask.session, language], "outputs": exported, "show_progress": "hidden",
        **PRIVATE,
    }  # fmt: skip
    asking = [ask.session, ask.municipalities, language]
    gr.on(
        [ask.question.submit, ask.send.click], respond, inputs=[ask.question, *asking], **answer_io
    ).then(latest_answer_export, **export_io)
    for button in ask.examples:
        button.click(respond, inputs=[button, *asking], **answer_io).then(
            latest_answer_export, **export_io
        )
    cleared = [ask.chatbot, ask.session, ask.question, ask.feedback.box, *exported]
    gr.on([ask.clear.click, ask.chatbot.clear], clear, outputs=cleared, **PRIVATE)


def wire_feedback(ask: AskTab, language: gr.Radio, feedback_path: Path) -> None:
    """A thumb on an answer opens the comment form for it; sending appends the rating, with the
    question, answer and citations, to the feedback log."""
    form = ask.feedback

    def rate(session: dict[str, Any], lang: str, event: gr.LikeData) -> dict[Any, Any]:
        index = event.index if isinstance(event.index, int) else event.index[0]
        if index not in session["answers"] or event.liked not in (True, False):
            return {form.box: gr.update(visible=False), form.pending: None}
        title = t(lang, "feedback_up" if event.liked else "feedback_down")
        return {
            form.box: gr.update(visible=True),
            form.pending: {"index": index, "rating": "up" if event.liked else "down"},
            form.title: gr.update(value=f"**{title}** – {t(lang, 'feedback_title')}"),
        }

    def send(
        session: dict[str, Any], pending: dict[str, Any] | None, comment: str, lang: str
    ) -> dict[Any, Any]:
        if pending and pending["index"] in session["answers"]:
            shown = session["answers"][pending["index"]]
            record = feedback_record(shown["question"], shown["answer"], pending["rating"], comment)
            try:
                append_feedback(feedback_path, record)
                gr.Info(t(lang, "feedback_saved"))
            except OSError as e:
                gr.Warning(f"{t(lang, 'feedback_failed')}: {e.strerror}")
        return {form.box: gr.update(visible=False), form.pending: None, form.comment: ""}

    rated = [form.box, form.pending, form.title]
    ask.chatbot.like(rate, inputs=[ask.session, language], outputs=rated, **PRIVATE)
    inputs = [ask.session, form.pending, form.comment, language]
    sent = [form.box, form.pending, form.comment]
    form.send.click(send, inputs=inputs, outputs=sent, **PRIVATE)


def labels(ask: AskTab) -> Updates:
    """How each text of the tab reads in each language."""
    return {
        ask.tab: label("tab_chat"),
        ask.chatbot: label("chatbot", placeholder="placeholder"),
        ask.question: label("question", placeholder="placeholder"),
        ask.send: text("send"),
        ask.clear: text("clear"),
        ask.examples_title: bold("examples"),
        ask.municipalities: label("municipalities", info="municipalities_info"),
        ask.viewer_title: bold("viewer"),
        ask.feedback.comment: label("comment"),
        ask.feedback.send: text("feedback_send"),
        ask.export.box: label("answer_export"),
        ask.export.markdown: label("answer_export", info="answer_export_info"),
        ask.export.download: text("answer_download"),
    }
