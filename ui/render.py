"""HTML for answers, citation cards, programmes and comparisons.

Every piece of corpus text, quote and question goes through `html.escape`, so markup in a
programme (even `<script>`) is shown as text, never run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html import escape
from urllib.parse import quote

from rag import Answer, Citation, Document, Settings, Verdict
from ui.texts import t

_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_HEADING = re.compile(r"#{1,6}\s+")
_MARKER = re.compile(r"\[(\d+)\]")
CONTEXT_CHARS = 160  # longest context shown on each side of a quote in a card
PASSAGE_ID = "passage"


def blocks(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of the blank-line-separated blocks of `text`: `list(blocks("a\\n\\nb")) ==
    [(0, 1), (3, 4)]`."""
    start = 0
    for sep in _BLANK_LINES.finditer(text):
        if sep.start() > start:
            yield start, sep.start()
        start = sep.end()
    if start < len(text):
        yield start, len(text)


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The blank-line-separated block(s) around `text[start:end]`:
    `paragraph_bounds("a\\n\\nbc d\\n\\ne", 3, 5) == (3, 7)`."""
    spans = [(s, e) for s, e in blocks(text) if s < max(end, start + 1) and e > start]
    if not spans:
        return start, end
    return min(spans[0][0], start), max(spans[-1][1], end)


def highlight(text: str, start: int, end: int, mark_id: str | None = None) -> str:
    """`text` escaped, with `text[start:end]` inside a <mark>:
    `highlight("a<b", 1, 2) == "a<mark>&lt;</mark>b"`."""
    attr = f' id="{escape(mark_id)}"' if mark_id else ""
    return f"{escape(text[:start])}<mark{attr}>{escape(text[start:end])}</mark>{escape(text[end:])}"


def _trim(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Shorten a long paragraph to CONTEXT_CHARS around the quote, cutting at spaces."""
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    if left > 0:
        left = text.find(" ", left, start) + 1 or left
    if right < len(text):
        cut = text.rfind(" ", end, right)
        right = cut if cut > end else right
    prefix = "… " if left > 0 else ""
    suffix = " …" if right < len(text) else ""
    snippet = prefix + text[left:right] + suffix
    shift = len(prefix) - left
    return snippet, start + shift, end + shift


def open_link(doc_id: str, start: int, end: int, label: str, target: str = "chat") -> str:
    """A link the page script turns into 'show this passage in the `target` viewer'. The
    reference lives in the href because the chat's HTML sanitizer drops data-* attributes:
    `#open/chat/orebro/10/20`."""
    href = f"#open/{quote(target)}/{quote(doc_id)}/{start}/{end}"
    return f'<a class="open-passage" href="{escape(href)}">{escape(label)} →</a>'


def section(c: Citation) -> str:
    """The cited section, unless it only repeats the programme's title."""
    return c.heading if c.heading and c.heading != c.title else ""


def citation_card(citation: Citation, document_text: str, lang: str = "sv") -> str:
    """One source: where the quote comes from, and the quote marked inside its paragraph."""
    c = citation
    p_start, p_end = paragraph_bounds(document_text, c.start, c.end)
    paragraph, q_start, q_end = _trim(
        document_text[p_start:p_end], c.start - p_start, c.end - p_start
    )
    body = highlight(paragraph, q_start, q_end).replace("\n", "<br>")
    heading = f'<span class="cite-heading">§ {escape(section(c))}</span>' if section(c) else ""
    return (
        '<div class="cite-card">'
        f'<div class="cite-meta"><span class="cite-n">{c.n}</span>'
        f"<strong>{escape(c.municipality)}</strong> · {escape(c.party)} · "
        f"<em>{escape(c.title)}</em> {heading}</div>"
        f'<div class="cite-text">{body}</div>'
        f'<div class="cite-open">{open_link(c.doc_id, c.start, c.end, t(lang, "open"))}</div>'
        "</div>"
    )


def citation_cards(citations: Sequence[tuple[Citation, str]], lang: str = "sv") -> str:
    """The cards for an answer's citations, each paired with its document's text."""
    if not citations:
        return ""
    cards = "".join(citation_card(c, text, lang) for c, text in citations)
    return (
        f'<div class="cite-cards"><div class="cite-title">{escape(t(lang, "sources"))}</div>'
        f"{cards}</div>"
    )


def answer_message(answer: Answer, document_texts: dict[str, str], lang: str = "sv") -> str:
    """An answer as a chat message: its text (Markdown, escaped) then its citation cards.

    The cards are one line of HTML so Markdown leaves them alone."""
    ns = {str(c.n) for c in answer.citations}
    text = _MARKER.sub(
        lambda m: f'<sup class="cite-ref">{m[0]}</sup>' if m[1] in ns else m[0],
        escape(answer.text),
    )
    parts = [text]
    if answer.notice:
        parts.append(f"_{escape(answer.notice)}_")
    cards = citation_cards([(c, document_texts[c.doc_id]) for c in answer.citations], lang)
    if cards:
        parts.append(cards)
    return "\n\n".join(parts)


def error_message(text: str) -> str:
    """A friendly error for the chat, escaped."""
    return f'<div class="chat-error">⚠️ {escape(text)}</div>'


def success_message(text: str) -> str:
    """A confirmation, escaped."""
    return f'<div class="upload-ok">✓ {escape(text)}</div>'


VIEWER_EMPTY = '<div class="viewer-empty"'


def viewer_placeholder(lang: str) -> str:
    """What a programme viewer shows before a programme is opened."""
    return f"{VIEWER_EMPTY}>{escape(t(lang, 'viewer_empty'))}</div>"


def shows_placeholder(viewer_html: str | None) -> bool:
    """Whether a viewer shows no programme yet: `shows_placeholder(viewer_placeholder("sv"))`."""
    return (viewer_html or VIEWER_EMPTY).startswith(VIEWER_EMPTY)


def document_view(doc: Document, start: int | None = None, end: int | None = None) -> str:
    """A whole programme as HTML; `doc.text[start:end]` is marked with id="passage" so the page
    can scroll to it."""
    meta = " · ".join(
        escape(str(v)) for v in (doc.municipality, doc.party, doc.year, doc.source) if v
    )
    out = [
        '<div class="doc-view">',
        f'<div class="doc-head"><div class="doc-title">{escape(doc.title)}</div>'
        f'<div class="doc-meta">{meta}</div></div>',
        '<div class="doc-body">',
    ]
    marked = False
    for b_start, b_end in blocks(doc.text):
        block = doc.text[b_start:b_end]
        if start is not None and end is not None and b_start < end and b_end > start:
            lo, hi = max(start, b_start) - b_start, min(end, b_end) - b_start
            body = highlight(block, lo, hi, None if marked else PASSAGE_ID)
            marked = True
            out.append(f'<p class="doc-p has-passage">{body}</p>')
        elif heading := _HEADING.match(block):
            out.append(f'<h4 class="doc-h">{escape(block[heading.end() :])}</h4>')
        else:
            out.append(f'<p class="doc-p">{escape(block)}</p>')
    out.append("</div></div>")
    return "".join(out)


def compare_table(rows: Sequence[Verdict], lang: str = "sv") -> str:
    """Programme × its verdict on a topic, with the verbatim quote it rests on and its section,
    or 'not mentioned'."""
    head = "".join(
        f"<th>{escape(t(lang, k))}</th>"
        for k in ("col_municipality", "col_party", "col_verdict", "col_says")
    )
    body = []
    for v in rows:
        c = v.citation
        if c is None:
            says = f'<span class="not-mentioned">{escape(t(lang, "not_mentioned"))}</span>'
        else:
            heading = f" · § {escape(section(c))}" if section(c) else ""
            link = open_link(c.doc_id, c.start, c.end, t(lang, "open"), target="reader")
            says = (
                f'<div class="cmp-quote">”<mark>{escape(c.quote)}</mark>”</div>'
                f'<div class="cmp-source"><em>{escape(c.title)}</em>{heading} · {link}</div>'
            )
        verdict = escape(t(lang, "stance_" + v.stance))
        body.append(
            f"<tr><td><strong>{escape(v.municipality)}</strong></td>"
            f'<td>{escape(v.party)}</td><td class="cmp-verdict">{verdict}</td><td>{says}</td></tr>'
        )
    return (
        f'<table class="cmp-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def status_line(settings: Settings, lang: str = "sv") -> str:
    """Which embedding model and answer mode are in use, for the header."""
    parts = [
        f"{escape(t(lang, 'model'))}: <code>{escape(settings.embedding_model)}</code>",
        f"{escape(t(lang, 'mode'))}: <code>{escape(settings.answer_mode)}</code>",
    ]
    if settings.llm_provider:
        model = f" / {settings.llm_model}" if settings.llm_model else ""
        parts.append(
            f"{escape(t(lang, 'provider'))}: <code>{escape(settings.llm_provider + model)}</code>"
        )
    return f'<div class="status-line">{" · ".join(parts)}</div>'
