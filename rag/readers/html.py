"""Web pages by their main content: trafilatura finds the article, so menus, asides, cookie
banners, sign-up blocks, share buttons and footers never become programme text. Headings
(`h1` → `#`, `h2` → `##`, deeper → `###`), paragraphs and list items are kept."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from typing import Any

import trafilatura
from trafilatura.metadata import extract_metadata

from rag.errors import CorpusError
from rag.readers.cleaning import clean_text
from rag.readers.files import decode

_LEVEL = {"h1": "# ", "h2": "## "}


def _markdown(root: ET.Element) -> str:
    """Our light Markdown from trafilatura's XML (`head`, `p`, `list/item`, `quote`, `table`)."""
    blocks: list[str] = []
    main = root.find("main")
    for el in main if main is not None else root:
        text = " ".join("".join(el.itertext()).split())
        if el.tag == "list":
            items = [" ".join("".join(i.itertext()).split()) for i in el.iter("item")]
            blocks.append("\n".join(f"- {i}" for i in items if i))
        elif not text:
            continue
        elif el.tag == "head":
            blocks.append(_LEVEL.get(el.get("rend", ""), "### ") + text)
        elif el.tag == "table":
            rows = [" | ".join("".join(c.itertext()).strip() for c in r) for r in el.iter("row")]
            blocks.append("\n\n".join(r for r in rows if r.strip(" |")))
        else:
            blocks.append(text)
    return "\n\n".join(b for b in blocks if b)


def main_content(html: str) -> str:
    """The page's main content as light Markdown ("" when there is none). A title the
    extractor took out of the text (the page's `h1`) is put back as its `#` heading."""
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # "empty page" is ours to say
    xml = trafilatura.extract(
        html,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    if not xml:
        return ""
    try:
        text = _markdown(ET.fromstring(xml))
    except ET.ParseError as e:  # trafilatura's own output: not expected, but say so clearly
        raise CorpusError(f"cannot read the page's main content: {e}") from e
    if text and not text.startswith("# ") and "\n# " not in text:
        title = extract_metadata(html).title
        if title:
            text = f"# {title}\n\n{text}"
    return text


def read_html(data: bytes) -> tuple[dict[str, Any], str]:
    """No metadata of its own; the cleaned main content."""
    text = main_content(decode(data))
    if not text.strip():
        raise CorpusError(
            "no main content found in the page",
            "save the page with its article text, or copy the text into a .txt file",
        )
    return {}, clean_text(text)
