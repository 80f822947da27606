"""Markdown and plain text: front matter, then the body cleaned into light Markdown."""

from __future__ import annotations

from typing import Any

from rag.readers.cleaning import clean_text
from rag.readers.files import decode
from rag.readers.metadata import split_front_matter


def read_text(data: bytes, plain: bool) -> tuple[dict[str, Any], str]:
    """Front matter and cleaned text. Plain text (`plain`) has no `#` marks, so its short
    unpunctuated lines are taken as headings."""
    meta, body = split_front_matter(decode(data))
    return meta, clean_text(body, detect_headings=plain)
