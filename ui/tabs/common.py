"""What every tab uses: its events are private (not API endpoints), and each component says how
it reads in a language, so that changing the language relabels it. `language` is the language
choice (a component); `lang` is its value, a code such as "sv"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from ui.render import shows_placeholder, viewer_placeholder
from ui.texts import t

PRIVATE: dict[str, Any] = {"api_visibility": "private"}
"""For every event of the web chat: only `ask` is an API endpoint."""

Updates = dict[Any, Callable[[str], Any]]
"""Components, each with its update for a language code (new labels, refreshed lists)."""


def updates_in(updates: Updates, lang: str) -> dict[Any, Any]:
    """Each component's update in `lang`, as named outputs for an event."""
    return {component: update(lang) for component, update in updates.items()}


def relabel_on(language: gr.Radio, labels: Updates) -> None:
    """When the language changes, give each component in `labels` its new text."""
    language.change(
        lambda lang: updates_in(labels, lang), inputs=language, outputs=list(labels), **PRIVATE
    )


def label(key: str, **texts: str) -> Callable[[str], Any]:
    """A component's label, and other texts such as `info` or `placeholder`, by their keys in
    `ui.texts`: `label("question", placeholder="placeholder")`."""

    def update(lang: str) -> Any:
        words: dict[str, Any] = {name: t(lang, other) for name, other in texts.items()}
        return gr.update(label=t(lang, key), **words)

    return update


def text(key: str) -> Callable[[str], Any]:
    """The value of a button or a piece of Markdown: `text("send")`."""
    return lambda lang: gr.update(value=t(lang, key))


def bold(key: str) -> Callable[[str], str]:
    """A Markdown heading in bold: `bold("examples")`."""
    return lambda lang: f"**{t(lang, key)}**"


def relabel_placeholder_on(language: gr.Radio, viewer: gr.HTML) -> None:
    """When the language changes, a viewer that shows no programme yet says so in the new
    language; a programme it shows stays."""

    def relabel(lang: str, html: str | None) -> Any:
        return viewer_placeholder(lang) if shows_placeholder(html) else gr.update()

    language.change(relabel, inputs=[language, viewer], outputs=viewer, **PRIVATE)
