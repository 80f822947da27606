"""The programmes tab: every programme in a table, and a reader that shows the one picked in
the table or the dropdown (or opened from a link in the compare tab)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag import Assistant, RagError
from ui.errors import friendly_error
from ui.frontend import SCROLL_JS
from ui.listing import programme_choices, programme_rows
from ui.render import document_view, error_message, viewer_placeholder
from ui.tabs.common import PRIVATE, Updates, label, relabel_on, relabel_placeholder_on
from ui.texts import t


@dataclass
class ProgrammesTab:
    """The programmes tab's components, for its own events and for those that cross tabs."""

    tab: gr.Tab
    table: gr.Dataframe
    programme: gr.Dropdown
    reader: gr.HTML

    def lists(self, assistant: Assistant) -> Updates:
        """The tab's lists of programmes, refreshed after one is added."""
        return {
            self.table: lambda lang: gr.update(value=programme_rows(assistant, lang)),
            self.programme: lambda lang: gr.update(choices=programme_choices(assistant)),
        }


def build_programmes_tab(assistant: Assistant, language: gr.Radio) -> ProgrammesTab:
    """The programmes tab, with its events."""
    with gr.Tab(t("sv", "tab_programmes"), id="programmes") as tab:
        table = gr.Dataframe(
            value=programme_rows(assistant, "sv"), interactive=False, elem_id="programmes"
        )
        programme = gr.Dropdown(
            programme_choices(assistant), label=t("sv", "programme"), elem_id="programme"
        )
        reader = gr.HTML(viewer_placeholder("sv"), js_on_load=SCROLL_JS, elem_id="reader")
    programmes = ProgrammesTab(tab=tab, table=table, programme=programme, reader=reader)
    wire_reading(assistant, programmes, language)
    relabel_on(
        language,
        {
            tab: label("tab_programmes"),
            table: lambda lang: gr.update(value=programme_rows(assistant, lang)),  # headers
            programme: label("programme"),
        },
    )
    relabel_placeholder_on(language, reader)
    return programmes


def open_programme(assistant: Assistant, doc_id: str | None, lang: str) -> str:
    """The programme `doc_id` for the reader; the placeholder when none is picked."""
    if not doc_id:
        return viewer_placeholder(lang)
    try:
        return document_view(assistant.document(doc_id))
    except RagError as e:
        return error_message(friendly_error(e, lang))


def wire_reading(assistant: Assistant, programmes: ProgrammesTab, language: gr.Radio) -> None:
    """Picking a programme in the dropdown or a row of the table opens it in the reader."""

    def pick(doc_id: str | None, lang: str) -> str:
        return open_programme(assistant, doc_id, lang)

    def select_row(lang: str, event: gr.SelectData) -> dict[Any, Any]:
        doc_id = str(event.row_value[-1])
        return {programmes.reader: pick(doc_id, lang), programmes.programme: doc_id}

    programmes.programme.input(
        pick, inputs=[programmes.programme, language], outputs=programmes.reader, **PRIVATE
    )
    programmes.table.select(
        select_row,
        inputs=[language],
        outputs=[programmes.reader, programmes.programme],
        **PRIVATE,
    )
