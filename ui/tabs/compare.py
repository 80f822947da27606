"""The compare tab: every programme's stance on a topic in a table, with its quote, to download
as CSV or Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from rag import Assistant, Verdict
from ui.errors import friendly_error
from ui.export import compare_csv, compare_markdown, file_stem, write_export
from ui.render import compare_table, error_message
from ui.tabs.common import PRIVATE, label, relabel_on, text
from ui.texts import t

COMPARE_EXAMPLES = ["hemlöshet", "hedersförtryck", "sprutbyte"]


@dataclass
class CompareTab:
    """The compare tab's components, for its events."""

    tab: gr.Tab
    intro: gr.Markdown
    topic: gr.Textbox
    run: gr.Button
    examples: list[gr.Button]
    table: gr.HTML
    csv: gr.DownloadButton
    markdown: gr.DownloadButton


def build_compare_tab(assistant: Assistant, language: gr.Radio) -> CompareTab:
    """The compare tab, with its events."""
    with gr.Tab(t("sv", "tab_compare"), id="compare") as tab:
        intro = gr.Markdown(t("sv", "compare_intro"))
        with gr.Row(equal_height=True):
            topic = gr.Textbox(
                label=t("sv", "compare_topic"),
                placeholder=t("sv", "compare_placeholder"),
                scale=5,
                elem_id="topic",
            )
            run = gr.Button(t("sv", "compare_run"), variant="primary", scale=1)
        with gr.Row():
            examples = [gr.Button(x, size="sm") for x in COMPARE_EXAMPLES]
        table = gr.HTML(elem_id="comparison")
        with gr.Row():
            csv = gr.DownloadButton(
                t("sv", "compare_csv"), size="sm", visible=False, elem_id="compare-csv"
            )
            markdown = gr.DownloadButton(
                t("sv", "compare_md"), size="sm", visible=False, elem_id="compare-md"
            )
    compare = CompareTab(
        tab=tab, intro=intro, topic=topic, run=run, examples=examples, table=table, csv=csv,
        markdown=markdown,
    )  # fmt: skip
    wire_compare(assistant, compare, language)
    relabel_on(
        language,
        {
            tab: label("tab_compare"),
            intro: text("compare_intro"),
            topic: label("compare_topic", placeholder="compare_placeholder"),
            run: text("compare_run"),
            csv: text("compare_csv"),
            markdown: text("compare_md"),
        },
    )
    return compare


def compare_exports(topic: str, verdicts: list[Verdict]) -> tuple[Path, Path]:
    """The compare table as a CSV and a Markdown file named after the topic."""
    stem = file_stem(topic, "jamforelse")
    return (
        write_export(f"{stem}.csv", compare_csv(verdicts)),
        write_export(f"{stem}.md", compare_markdown(topic, verdicts)),
    )


def wire_compare(assistant: Assistant, compare: CompareTab, language: gr.Radio) -> None:
    """A topic, typed or an example, fills the table and offers its downloads."""

    def run(topic: str, lang: str) -> dict[Any, Any]:
        try:
            verdicts = assistant.compare(topic)
            csv_path, md_path = compare_exports(topic, verdicts)
        except Exception as e:
            hidden = gr.update(visible=False)
            shown = error_message(friendly_error(e, lang))
            return {compare.table: shown, compare.csv: hidden, compare.markdown: hidden}
        return {
            compare.table: compare_table(verdicts, lang),
            compare.csv: gr.update(value=str(csv_path), visible=True),
            compare.markdown: gr.update(value=str(md_path), visible=True),
        }

    def run_example(topic: str, lang: str) -> dict[Any, Any]:
        return {compare.topic: topic, **run(topic, lang)}

    results = [compare.table, compare.csv, compare.markdown]
    triggers = [compare.topic.submit, compare.run.click]
    gr.on(triggers, run, inputs=[compare.topic, language], outputs=results, **PRIVATE)
    for button in compare.examples:
        button.click(
            run_example, inputs=[button, language], outputs=[compare.topic, *results], **PRIVATE
        )
