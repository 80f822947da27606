"""The programmes as the tabs list them: the covered municipalities and parties, the choices of
the programme dropdown and the rows of the programmes table."""

from __future__ import annotations

from typing import Any

from rag import Assistant
from ui.texts import t


def covered(assistant: Assistant, field: str) -> list[str]:
    """The values of `field` ("municipality", "party") in the corpus, sorted, once each."""
    return sorted({getattr(d, field) for d in assistant.documents()})


def programme_choices(assistant: Assistant) -> list[tuple[str, str]]:
    """(label, doc_id) for each programme, for a dropdown."""
    return [(f"{d.municipality} – {d.title} ({d.party})", d.doc_id) for d in assistant.documents()]


def programme_rows(assistant: Assistant, lang: str) -> dict[str, Any]:
    """The programmes table with its headers in `lang`; the doc_id comes last."""
    keys = ["col_municipality", "col_party", "col_title", "col_year", "col_source", "col_doc_id"]
    return {
        "headers": [t(lang, k) for k in keys],
        "data": [
            [d.municipality, d.party, d.title, d.year or "", d.source, d.doc_id]
            for d in assistant.documents()
        ],
    }
