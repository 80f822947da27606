"""The web chat: ask with streamed, cited answers; read the programmes; compare them by topic;
take answers and comparisons away as Markdown or CSV; add programmes (when uploads are enabled).

`rag chat` calls `launch`; `build_app` gives the `gr.Blocks` for tests and embedding. The app also
serves one API endpoint, `ask`, for `gradio_client`. Each tab is built in its own module under
`ui/tabs/`; this one puts them together and wires what crosses between them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported

import gradio as gr  # noqa: E402

from rag import Assistant, RagError, Settings, get_settings  # noqa: E402
from ui.access import served_host, upload_available  # noqa: E402
from ui.errors import friendly_error  # noqa: E402
from ui.frontend import CSS, theme  # noqa: E402
from ui.render import document_view, error_message, status_line  # noqa: E402
from ui.settings import ChatSettings, get_chat_settings  # noqa: E402
from ui.tabs.ask import AskTab, build_ask_tab  # noqa: E402
from ui.tabs.common import PRIVATE, label, relabel_on  # noqa: E402
from ui.tabs.compare import build_compare_tab  # noqa: E402
from ui.tabs.programmes import ProgrammesTab, build_programmes_tab  # noqa: E402
from ui.tabs.upload import build_upload_tab  # noqa: E402
from ui.texts import t  # noqa: E402

# Measured with 20 concurrent API users on 2 cores (tests/reliability/test_load.py): 2 answers
# at a time gave the best p95; more only contend for the cores. At most 64 wait in line.
QUEUE_CONCURRENCY = 2
QUEUE_MAX_SIZE = 64

UPLOAD_MAX_SIZE = "50mb"


def launch_options(
    settings: ChatSettings, host: str | None = None, port: int | None = None
) -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch`; refuses what `served_host` refuses."""
    host = served_host(settings, host)
    user, password = settings.auth_user, settings.auth_password.get_secret_value()
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


def launch(
    host: str | None = None, port: int | None = None, assistant: Assistant | None = None
) -> None:
    """Start the web chat (blocking) for `assistant`. Defaults come from `get_settings()` and
    `get_chat_settings()`."""
    chat = get_chat_settings()
    options = launch_options(chat, host, port)  # refuse before loading anything
    assistant = assistant or Assistant(get_settings())
    build_app(assistant, options["server_name"], chat).launch(**options)


def build_app(
    assistant: Assistant | None = None,
    host: str | None = None,
    settings: ChatSettings | None = None,
) -> gr.Blocks:
    """The web chat for `assistant` (by default one built from `get_settings()`), with the web
    chat's `settings` (by default `get_chat_settings()`), to be served on `host` (by default the
    settings' host), which decides whether it offers uploads."""
    assistant = assistant or Assistant(get_settings())
    settings = settings or get_chat_settings()
    assistant.prepare()  # so that the first question is fast
    with gr.Blocks(title="Socialpolitiska program", analytics_enabled=False) as app:
        language = build_header(assistant.settings)
        with gr.Tabs() as tabs:
            ask = build_ask_tab(assistant, language, settings.feedback_path)
            programmes = build_programmes_tab(assistant, language)
            build_compare_tab(assistant, language)
            if upload_available(settings, host or settings.host):
                lists = {**ask.lists(assistant), **programmes.lists(assistant)}
                build_upload_tab(assistant, settings, language, lists)
        wire_passage_links(assistant, ask, programmes, tabs, language)
        gr.api(ask_endpoint(assistant), api_name="ask")
    app.queue(default_concurrency_limit=QUEUE_CONCURRENCY, max_size=QUEUE_MAX_SIZE)
    return app


def heading(lang: str) -> str:
    """The title and subtitle as Markdown."""
    return f"# {t(lang, 'title')}\n{t(lang, 'subtitle')}"


def build_header(settings: Settings) -> gr.Radio:
    """The title, the status line and the language choice, which every tab follows."""
    with gr.Row(equal_height=True):
        with gr.Column(scale=4):
            title = gr.Markdown(heading("sv"), elem_classes="app-header")
            status = gr.HTML(status_line(settings))
        language = gr.Radio(
            [("Svenska", "sv"), ("English", "en")],
            value="sv",
            label=t("sv", "language"),
            elem_id="language",
            scale=1,
            min_width=220,
        )
    relabel_on(
        language,
        {
            title: heading,
            language: label("language"),
            status: lambda lang: status_line(settings, lang),
        },
    )
    return language


def wire_passage_links(
    assistant: Assistant,
    ask: AskTab,
    programmes: ProgrammesTab,
    tabs: gr.Tabs,
    language: gr.Radio,
) -> None:
    """A clicked citation link opens its programme, marked and scrolled to the passage: in the
    chat's viewer, or (from the compare tab) in the programmes tab. The chat's viewer hears
    every such click on the page as its `select` event."""

    def open_passage(lang: str, event: gr.EventData) -> dict[Any, Any]:
        try:
            doc = assistant.document(str(event.doc))
            view = document_view(doc, int(event.start), int(event.end))
        except (RagError, ValueError, AttributeError) as e:
            doc, view = None, error_message(friendly_error(e, lang))
        if getattr(event, "where", None) != "reader":
            return {ask.viewer: view}
        return {
            programmes.reader: view,
            programmes.programme: gr.update(value=doc.doc_id if doc else None),
            tabs: gr.Tabs(selected="programmes"),
        }

    opened = [ask.viewer, programmes.reader, programmes.programme, tabs]
    ask.viewer.select(open_passage, inputs=[language], outputs=opened, **PRIVATE)


def ask_endpoint(assistant: Assistant) -> Callable[[str], dict[str, Any]]:
    """The `ask` API endpoint: the answer as `Answer.to_dict()`, or a friendly error."""

    def ask(question: str) -> dict[str, Any]:
        """Answer a question about the programmes: the answer text, whether it could be
        answered, and its verified citations (doc_id, municipality, party, title, heading,
        quote, start, end)."""
        try:
            return assistant.ask(question).to_dict()
        except Exception as e:
            raise gr.Error(friendly_error(e, "sv", question)) from e

    return ask
