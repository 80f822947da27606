"""The web chat: ask with streamed, cited answers; read the programmes; compare them by topic;
take answers and comparisons away as Markdown or CSV; add programmes (when uploads are enabled).

`rag chat` calls `launch`; `build_app` gives the `gr.Blocks` for tests and embedding. The app also
serves one API endpoint, `ask`, for `gradio_client`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported

import gradio as gr  # noqa: E402

from rag import (  # noqa: E402
    Assistant,
    ConfigError,
    RagError,
    Verdict,
    get_settings,
)
from ui.access import is_loopback, upload_available, upload_permitted  # noqa: E402
from ui.chat import chat_turn, latest_answer_export, new_session  # noqa: E402
from ui.errors import friendly_error  # noqa: E402
from ui.export import compare_csv, compare_markdown, file_stem, write_export  # noqa: E402
from ui.feedback import append_feedback, feedback_record  # noqa: E402
from ui.frontend import CSS, OPEN_LINKS_JS, SCROLL_JS, theme  # noqa: E402
from ui.render import (  # noqa: E402
    compare_table,
    document_view,
    error_message,
    status_line,
    viewer_placeholder,
)
from ui.settings import ChatSettings, get_chat_settings  # noqa: E402
from ui.texts import EXAMPLES, t  # noqa: E402
from ui.upload import add_programme  # noqa: E402

# Measured with 20 concurrent API users on 2 cores (tests/reliability/test_load.py): 2 answers
# at a time gave the best p95; more only contend for the cores. At most 64 wait in line.
QUEUE_CONCURRENCY = 2
QUEUE_MAX_SIZE = 64

UPLOAD_MAX_SIZE = "50mb"

COMPARE_EXAMPLES = ["hemlöshet", "hedersförtryck", "sprutbyte"]


def launch_options(
    settings: ChatSettings, host: str | None = None, port: int | None = None
) -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch`; refuses a non-loopback address without a login."""
    host = host or settings.host
    user, password = settings.auth_user, settings.auth_password.get_secret_value()
    if bool(user) != bool(password):
        raise ConfigError(
            "the web chat login needs both a user and a password",
            "set both RAG_AUTH_USER and RAG_AUTH_PASSWORD, or neither",
        )
    if not user and not is_loopback(host):
        raise ConfigError(
            f"refusing to serve the web chat on {host} without a login",
            "set RAG_AUTH_USER and RAG_AUTH_PASSWORD, or use --host 127.0.0.1",
        )
    return {
        "server_name": host,
        "server_port": port or settings.port,
        "auth": (user, password) if user else None,
        "share": False,
        # Uploads over the corpus limit (20 MB) are refused with its reason; far larger ones
        # never reach the disk.
        "max_file_size": UPLOAD_MAX_SIZE,
        "theme": theme(),
        "css": CSS,
        "footer_links": ["api"],
    }


def launch(host: str | None = None, port: int | None = None) -> None:
    """Start the web chat (blocking). Defaults come from `get_settings()` and
    `get_chat_settings()`."""
    settings, chat = get_settings(), get_chat_settings()
    options = launch_options(chat, host, port)  # refuse before loading anything
    build_app(Assistant(settings), options["server_name"], chat).launch(**options)


def compare_exports(topic: str, verdicts: list[Verdict]) -> tuple[Path, Path]:
    """The compare table as a CSV and a Markdown file named after the topic."""
    stem = file_stem(topic, "jamforelse")
    return (
        write_export(f"{stem}.csv", compare_csv(verdicts)),
        write_export(f"{stem}.md", compare_markdown(topic, verdicts)),
    )


@dataclass
class UploadTab:
    """The parts of the upload tab that events and relabelling need."""

    tab: gr.Tab
    intro: gr.Markdown
    file: gr.File
    party: gr.Dropdown
    municipality: gr.Dropdown
    title: gr.Textbox
    year: gr.Number
    button: gr.Button
    status: gr.HTML

    def inputs(self) -> list[Any]:
        return [self.file, self.party, self.municipality, self.title, self.year]

    def relabel(self, lang: str) -> list[Any]:
        """New labels in `lang`, in the order of `relabelled`."""
        choice = t(lang, "upload_choice_info")
        return [
            gr.update(label=t(lang, "tab_upload")),
            t(lang, "upload_intro"),
            gr.update(label=t(lang, "upload_file")),
            gr.update(label=t(lang, "upload_party"), info=choice),
            gr.update(label=t(lang, "upload_municipality"), info=choice),
            gr.update(label=t(lang, "upload_title"), info=t(lang, "upload_title_info")),
            gr.update(label=t(lang, "upload_year")),
            gr.update(value=t(lang, "upload_run")),
        ]

    def relabelled(self) -> list[Any]:
        return [self.tab, self.intro, self.file, self.party, self.municipality, self.title,
                self.year, self.button]  # fmt: skip


def upload_tab(parties: list[str], municipalities: list[str]) -> UploadTab:
    """The tab to add a programme: a file, its party and municipality (the covered ones offered,
    new ones allowed), an optional title and year."""
    with gr.Tab(t("sv", "tab_upload"), id="upload") as tab:
        intro = gr.Markdown(t("sv", "upload_intro"))
        file = gr.File(
            label=t("sv", "upload_file"), type="filepath", height=150, elem_id="upload-file"
        )
        with gr.Row():
            party = gr.Dropdown(
                parties,
                value=None,
                allow_custom_value=True,
                label=t("sv", "upload_party"),
                info=t("sv", "upload_choice_info"),
                elem_id="upload-party",
            )
            municipality = gr.Dropdown(
                municipalities,
                value=None,
                allow_custom_value=True,
                label=t("sv", "upload_municipality"),
                info=t("sv", "upload_choice_info"),
                elem_id="upload-municipality",
            )
        with gr.Row():
            title = gr.Textbox(
                label=t("sv", "upload_title"),
                info=t("sv", "upload_title_info"),
                elem_id="upload-title",
            )
            year = gr.Number(
                label=t("sv", "upload_year"),
                precision=0,
                minimum=1900,
                maximum=2100,
                elem_id="upload-year",
            )
        button = gr.Button(t("sv", "upload_run"), variant="primary", elem_id="upload-run")
        status = gr.HTML(elem_id="upload-status")
    return UploadTab(tab, intro, file, party, municipality, title, year, button, status)


def build_app(
    assistant: Assistant | None = None,
    host: str | None = None,
    settings: ChatSettings | None = None,
) -> gr.Blocks:
    """The web chat for `assistant` (by default one built from `get_settings()`), with the web
    chat's `settings` (by default `get_chat_settings()`), to be served on `host` (by default the
    settings' host), which decides whether it offers uploads."""
    assistant = assistant or Assistant(get_settings())
    chat = settings or get_chat_settings()
    assistant.documents()  # warms the index so the first question is fast
    assistant.retrieve("sprutbyte", k=1)  # and loads the embedding model
    upload = upload_available(chat, host or chat.host)

    def covered(field: str) -> list[str]:
        return sorted({getattr(d, field) for d in assistant.documents()})

    def programme_choices() -> list[tuple[str, str]]:
        return [
            (f"{d.municipality} – {d.title} ({d.party})", d.doc_id) for d in assistant.documents()
        ]

    def programme_rows(lang: str) -> dict[str, Any]:
        keys = ["col_municipality", "col_party", "col_title", "col_year", "col_source"]
        return {
            "headers": [t(lang, k) for k in [*keys, "col_doc_id"]],
            "data": [
                [d.municipality, d.party, d.title, d.year or "", d.source, d.doc_id]
                for d in assistant.documents()
            ],
        }

    def respond(
        question: str, session: dict[str, Any], chosen: list[str] | None, lang: str
    ) -> Iterator[tuple[str, list[dict[str, str]], dict[str, Any]]]:
        for messages, new in chat_turn(assistant, question, session, chosen, lang):
            yield "", messages, new

    def clear() -> tuple[list[dict[str, str]], dict[str, Any], str, Any, Any, Any]:
        hidden = gr.update(visible=False)
        return [], new_session(), "", hidden, gr.update(value=""), hidden

    def open_passage(lang: str, event: gr.EventData) -> tuple[Any, Any, Any, Any]:
        """A clicked citation: its programme, marked and scrolled to the passage, in the chat's
        viewer or (from the Compare tab) in the Programmes tab."""
        try:
            doc = assistant.document(str(event.doc))
            view = document_view(doc, int(event.start), int(event.end))
        except (RagError, ValueError, AttributeError) as e:
            doc, view = None, error_message(friendly_error(e, lang))
        if getattr(event, "where", None) != "reader":
            return view, gr.update(), gr.update(), gr.update()
        doc_id = doc.doc_id if doc else None
        return gr.update(), view, gr.update(value=doc_id), gr.Tabs(selected="programmes")

    def open_programme(doc_id: str | None, lang: str) -> str:
        if not doc_id:
            return viewer_placeholder(lang)
        try:
            return document_view(assistant.document(doc_id))
        except RagError as e:
            return error_message(friendly_error(e, lang))

    def select_row(lang: str, event: gr.SelectData) -> tuple[str, str]:
        doc_id = str(event.row_value[-1])
        return open_programme(doc_id, lang), doc_id

    def compare(topic: str, lang: str) -> tuple[str, Any, Any]:
        """The compare table, and its CSV and Markdown downloads."""
        try:
            verdicts = assistant.compare(topic)
            csv_path, md_path = compare_exports(topic, verdicts)
        except Exception as e:
            hidden = gr.update(visible=False)
            return error_message(friendly_error(e, lang)), hidden, hidden
        return (
            compare_table(verdicts, lang),
            gr.update(value=str(csv_path), visible=True),
            gr.update(value=str(md_path), visible=True),
        )

    def add(
        path: str | None,
        party: str | None,
        municipality: str | None,
        title: str | None,
        year: float | None,
        lang: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio's way to report progress)
    ) -> tuple[Any, ...]:
        """The upload tab: add the programme, then refresh every list of programmes."""
        client = request.client.host if request.client else None
        if not upload_permitted(chat, request.username, client):
            return (error_message(t(lang, "upload_not_allowed")), *[gr.update()] * 6)
        ok, message = add_programme(
            assistant, path, party, municipality, title, year, lang,
            lambda fraction, desc: progress(fraction, desc=desc),
        )  # fmt: skip
        if not ok:
            return (message, *[gr.update()] * 6)
        return (
            message,
            gr.update(value=programme_rows(lang)),
            gr.update(choices=programme_choices()),
            gr.update(choices=covered("municipality")),
            gr.update(choices=covered("party")),
            gr.update(choices=covered("municipality")),
            gr.update(value=None),
        )

    def rate(session: dict[str, Any], lang: str, event: gr.LikeData) -> tuple[Any, Any, Any]:
        """A thumb on an answer opens the comment form for it."""
        index = event.index if isinstance(event.index, int) else event.index[0]
        if index not in session["answers"] or event.liked not in (True, False):
            return gr.update(visible=False), None, gr.update()
        pending = {"index": index, "rating": "up" if event.liked else "down"}
        title = t(lang, "feedback_up" if event.liked else "feedback_down")
        title = f"**{title}** – {t(lang, 'feedback_title')}"
        return gr.update(visible=True), pending, gr.update(value=title)

    def send_feedback(
        session: dict[str, Any], pending: dict[str, Any] | None, comment: str, lang: str
    ) -> tuple[Any, None, str]:
        """Append the rating, with the question, answer and citations, to the feedback log."""
        if pending and pending["index"] in session["answers"]:
            shown = session["answers"][pending["index"]]
            record = feedback_record(shown["question"], shown["answer"], pending["rating"], comment)
            try:
                append_feedback(chat.feedback_path, record)
                gr.Info(t(lang, "feedback_saved"))
            except OSError as e:
                gr.Warning(f"{t(lang, 'feedback_failed')}: {e.strerror}")
        return gr.update(visible=False), None, ""

    with gr.Blocks(title="Socialpolitiska program", analytics_enabled=False) as app:
        session = gr.State(new_session())
        pending = gr.State(None)
        with gr.Row(equal_height=True):
            with gr.Column(scale=4):
                header = gr.Markdown(
                    f"# {t('sv', 'title')}\n{t('sv', 'subtitle')}", elem_classes="app-header"
                )
                status = gr.HTML(status_line(assistant.settings))
            lang = gr.Radio(
                [("Svenska", "sv"), ("English", "en")],
                value="sv",
                label=t("sv", "language"),
                elem_id="language",
                scale=1,
                min_width=220,
            )
        with gr.Tabs() as tabs:
            with gr.Tab(t("sv", "tab_chat"), id="chat") as tab_chat, gr.Row():
                with gr.Column(scale=3):
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
                    with gr.Group(visible=False) as feedback_box:
                        feedback_title = gr.Markdown()
                        comment = gr.Textbox(label=t("sv", "comment"), lines=2)
                        feedback_send = gr.Button(t("sv", "feedback_send"), size="sm")
                    examples_title = gr.Markdown(f"**{t('sv', 'examples')}**")
                    with gr.Row():
                        example_buttons = [
                            gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES
                        ]
                    clear_button = gr.Button(t("sv", "clear"), size="sm", variant="stop")
                    with gr.Accordion(t("sv", "answer_export"), open=False) as answer_export:
                        answer_md = gr.Textbox(
                            label=t("sv", "answer_export"),
                            info=t("sv", "answer_export_info"),
                            lines=6,
                            max_lines=16,
                            interactive=False,
                            buttons=["copy"],
                            elem_id="answer-markdown",
                        )
                        answer_download = gr.DownloadButton(
                            t("sv", "answer_download"),
                            size="sm",
                            visible=False,
                            elem_id="answer-download",
                        )
                with gr.Column(scale=2, min_width=320):
                    chosen = gr.Dropdown(
                        covered("municipality"),
                        multiselect=True,
                        label=t("sv", "municipalities"),
                        info=t("sv", "municipalities_info"),
                        elem_id="municipalities",
                    )
                    viewer_title = gr.Markdown(f"**{t('sv', 'viewer')}**")
                    viewer = gr.HTML(
                        viewer_placeholder("sv"),
                        js_on_load=OPEN_LINKS_JS,
                        elem_id="chat-viewer",
                    )
            with gr.Tab(t("sv", "tab_programmes"), id="programmes") as tab_programmes:
                table = gr.Dataframe(
                    value=programme_rows("sv"), interactive=False, elem_id="programmes"
                )
                programme = gr.Dropdown(
                    programme_choices(), label=t("sv", "programme"), elem_id="programme"
                )
                reader = gr.HTML(
                    viewer_placeholder("sv"),
                    js_on_load=SCROLL_JS,
                    elem_id="reader",
                )
            with gr.Tab(t("sv", "tab_compare"), id="compare") as tab_compare:
                compare_intro = gr.Markdown(t("sv", "compare_intro"))
                with gr.Row(equal_height=True):
                    topic = gr.Textbox(
                        label=t("sv", "compare_topic"),
                        placeholder=t("sv", "compare_placeholder"),
                        scale=5,
                        elem_id="topic",
                    )
                    compare_button = gr.Button(t("sv", "compare_run"), variant="primary", scale=1)
                with gr.Row():
                    topic_buttons = [gr.Button(x, size="sm") for x in COMPARE_EXAMPLES]
                comparison = gr.HTML(elem_id="comparison")
                with gr.Row():
                    compare_csv_button = gr.DownloadButton(
                        t("sv", "compare_csv"), size="sm", visible=False, elem_id="compare-csv"
                    )
                    compare_md_button = gr.DownloadButton(
                        t("sv", "compare_md"), size="sm", visible=False, elem_id="compare-md"
                    )
            uploads = upload_tab(covered("party"), covered("municipality")) if upload else None

        private: dict[str, Any] = {"api_visibility": "private"}
        answer_io: dict[str, Any] = {
            "outputs": [question, chatbot, session],
            "show_progress": "minimal",
            **private,
        }
        export_io: dict[str, Any] = {
            "inputs": [session, lang],
            "outputs": [answer_md, answer_download],
            "show_progress": "hidden",
            **private,
        }
        gr.on(
            [question.submit, send.click],
            respond,
            inputs=[question, session, chosen, lang],
            **answer_io,
        ).then(latest_answer_export, **export_io)
        for button in example_buttons:
            button.click(respond, inputs=[button, session, chosen, lang], **answer_io).then(
                latest_answer_export, **export_io
            )
        reset = [chatbot, session, question, feedback_box, answer_md, answer_download]
        gr.on([clear_button.click, chatbot.clear], clear, outputs=reset, **private)
        chatbot.like(
            rate, inputs=[session, lang], outputs=[feedback_box, pending, feedback_title], **private
        )
        feedback_send.click(
            send_feedback,
            inputs=[session, pending, comment, lang],
            outputs=[feedback_box, pending, comment],
            **private,
        )

        viewer.select(
            open_passage, inputs=[lang], outputs=[viewer, reader, programme, tabs], **private
        )
        programme.input(open_programme, inputs=[programme, lang], outputs=reader, **private)
        table.select(select_row, inputs=[lang], outputs=[reader, programme], **private)

        compared = [comparison, compare_csv_button, compare_md_button]
        gr.on(
            [topic.submit, compare_button.click],
            compare,
            inputs=[topic, lang],
            outputs=compared,
            **private,
        )
        for button in topic_buttons:
            button.click(
                lambda x, lang: (x, *compare(x, lang)),
                inputs=[button, lang],
                outputs=[topic, *compared],
                **private,
            )
        if uploads:
            uploads.button.click(
                add,
                inputs=[*uploads.inputs(), lang],
                outputs=[uploads.status, table, programme, chosen, uploads.party,
                         uploads.municipality, uploads.file],
                **private,
            )  # fmt: skip

        def relabel(lang: str, viewer_html: str, reader_html: str) -> list[Any]:
            """Every label in the chosen language; answers follow the question's language."""
            empty = '<div class="viewer-empty"'
            return [
                f"# {t(lang, 'title')}\n{t(lang, 'subtitle')}",
                gr.update(label=t(lang, "language")),
                status_line(assistant.settings, lang),
                gr.update(label=t(lang, "tab_chat")),
                gr.update(label=t(lang, "tab_programmes")),
                gr.update(label=t(lang, "tab_compare")),
                gr.update(label=t(lang, "chatbot"), placeholder=t(lang, "placeholder")),
                gr.update(label=t(lang, "question"), placeholder=t(lang, "placeholder")),
                gr.update(value=t(lang, "send")),
                gr.update(value=t(lang, "clear")),
                f"**{t(lang, 'examples')}**",
                gr.update(label=t(lang, "municipalities"), info=t(lang, "municipalities_info")),
                f"**{t(lang, 'viewer')}**",
                viewer_placeholder(lang)
                if (viewer_html or empty).startswith(empty)
                else gr.update(),
                gr.update(label=t(lang, "comment")),
                gr.update(value=t(lang, "feedback_send")),
                gr.update(value=programme_rows(lang)),
                gr.update(label=t(lang, "programme")),
                viewer_placeholder(lang)
                if (reader_html or empty).startswith(empty)
                else gr.update(),
                t(lang, "compare_intro"),
                gr.update(
                    label=t(lang, "compare_topic"), placeholder=t(lang, "compare_placeholder")
                ),
                gr.update(value=t(lang, "compare_run")),
                gr.update(label=t(lang, "answer_export")),
                gr.update(label=t(lang, "answer_export"), info=t(lang, "answer_export_info")),
                gr.update(value=t(lang, "answer_download")),
                gr.update(value=t(lang, "compare_csv")),
                gr.update(value=t(lang, "compare_md")),
                *(uploads.relabel(lang) if uploads else []),
            ]

        relabelled = [
            header, lang, status, tab_chat, tab_programmes, tab_compare, chatbot, question, send,
            clear_button, examples_title, chosen, viewer_title, viewer, comment, feedback_send,
            table, programme, reader, compare_intro, topic, compare_button, answer_export,
            answer_md, answer_download, compare_csv_button, compare_md_button,
            *(uploads.relabelled() if uploads else []),
        ]  # fmt: skip
        lang.change(relabel, inputs=[lang, viewer, reader], outputs=relabelled, **private)

        def ask(question: str) -> dict[str, Any]:
            """Answer a question about the programmes: the answer text, whether it could be
            answered, and its verified citations (doc_id, municipality, party, title, heading,
            quote, start, end)."""
            try:
                return assistant.ask(question).to_dict()
            except Exception as e:
                raise gr.Error(friendly_error(e, "sv", question)) from e

        gr.api(ask, api_name="ask")
    app.queue(default_concurrency_limit=QUEUE_CONCURRENCY, max_size=QUEUE_MAX_SIZE)
    return app
