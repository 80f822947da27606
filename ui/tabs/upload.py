"""The upload tab, offered only where uploads are allowed: a programme file with its party,
municipality and optional title and year is added to the corpus and indexed at once; every
list of programmes in the other tabs follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag import Assistant
from ui.access import upload_permitted
from ui.listing import covered
from ui.render import error_message
from ui.settings import ChatSettings
from ui.tabs.common import PRIVATE, Updates, label, relabel_on, text, updates_in
from ui.texts import t
from ui.upload import add_programme


@dataclass
class UploadTab:
    """The upload tab's components, for its events."""

    tab: gr.Tab
    intro: gr.Markdown
    file: gr.File
    party: gr.Dropdown
    municipality: gr.Dropdown
    title: gr.Textbox
    year: gr.Number
    button: gr.Button
    status: gr.HTML


def build_upload_tab(
    assistant: Assistant, settings: ChatSettings, language: gr.Radio, other_lists: Updates
) -> UploadTab:
    """The upload tab, with its events; adding a programme also refreshes `other_lists`."""
    upload = upload_tab(covered(assistant, "party"), covered(assistant, "municipality"))
    wire_upload(assistant, settings, upload, language, other_lists)
    relabel_on(language, labels(upload))
    return upload


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
    return UploadTab(
        tab=tab, intro=intro, file=file, party=party, municipality=municipality, title=title,
        year=year, button=button, status=status,
    )  # fmt: skip


def wire_upload(
    assistant: Assistant,
    settings: ChatSettings,
    upload: UploadTab,
    language: gr.Radio,
    other_lists: Updates,
) -> None:
    """The button adds the programme, if this request may, then refreshes every list of
    programmes and empties the file field."""
    after_adding: Updates = {
        upload.party: lambda lang: gr.update(choices=covered(assistant, "party")),
        upload.municipality: lambda lang: gr.update(choices=covered(assistant, "municipality")),
        upload.file: lambda lang: gr.update(value=None),
        **other_lists,
    }

    def add(
        path: str | None,
        party: str | None,
        municipality: str | None,
        title: str | None,
        year: float | None,
        lang: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio's way to report progress)
    ) -> dict[Any, Any]:
        client = request.client.host if request.client else None
        if not upload_permitted(settings, request.username, client):
            return {upload.status: error_message(t(lang, "upload_not_allowed"))}
        ok, message = add_programme(
            assistant, path, party, municipality, title, year, lang,
            lambda fraction, desc: progress(fraction, desc=desc),
        )  # fmt: skip
        return {upload.status: message, **(updates_in(after_adding, lang) if ok else {})}

    fields = [upload.file, upload.party, upload.municipality, upload.title, upload.year]
    outputs = [upload.status, *after_adding]
    upload.button.click(add, inputs=[*fields, language], outputs=outputs, **PRIVATE)


def labels(upload: UploadTab) -> Updates:
    """How each text of the tab reads in each language."""
    choice = "upload_choice_info"
    return {
        upload.tab: label("tab_upload"),
        upload.intro: text("upload_intro"),
        upload.file: label("upload_file"),
        upload.party: label("upload_party", info=choice),
        upload.municipality: label("upload_municipality", info=choice),
        upload.title: label("upload_title", info="upload_title_info"),
        upload.year: label("upload_year"),
        upload.button: text("upload_run"),
    }
