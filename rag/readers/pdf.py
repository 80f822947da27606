"""PDF with its layout, read with pdfplumber: every character's position, size and font.

From that layout: running headers, footers and page numbers are dropped (lines repeated in the
page margins across pages, "Sida 2 av 4", bare numbers); two-column pages are read column by
column; headings are lines set larger or bold; paragraphs end where the line spacing widens;
list items are found by their bullet (a glyph or a drawn dot); words hyphenated at a line end
are joined again.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pdfplumber

from rag.errors import CorpusError
from rag.readers.cleaning import PAGE_NUMBER, clean_text, join_wrapped, vocabulary

MARGIN = 0.15  # running headers and footers live in the top and bottom 15% of a page
_BULLET_GLYPH = re.compile(r"^[•·▪●◦■□➢►–-]\s+")
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_FILE_TITLE = re.compile(r"(?:^microsoft \w+ - |\.(?:docx?|odt|pdf|indd|pages)$)", re.I)


@dataclass
class Line:
    """One line of one column: its text, box and style."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    bold: bool
    column: int = 0  # 0 left or only, 1 right, -1 across both
    bullet: bool = False


# --- characters to lines ----------------------------------------------------------------------


def _visible_chars(page: Any) -> list[dict[str, Any]]:
    """The page's characters without invisible spaces (a soft hyphen that did not break is
    drawn as a space of no width, overlapping the next letter)."""
    chars = page.chars
    keep = []
    for i, c in enumerate(chars):
        nxt = chars[i + 1] if i + 1 < len(chars) else None
        if (
            c["text"] == " "
            and nxt is not None
            and nxt["x0"] < c["x1"] - 0.5
            and abs(nxt["top"] - c["top"]) < 1
        ):
            continue
        keep.append(c)
    return keep


def _rows(chars: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Characters grouped into rows of one baseline, each row sorted left to right."""
    row: list[dict[str, Any]] = []
    for c in sorted(chars, key=lambda c: (round(c["bottom"]), c["x0"])):
        if row and abs(c["bottom"] - row[0]["bottom"]) > 0.4 * row[0]["size"]:
            yield sorted(row, key=lambda c: c["x0"])
            row = []
        row.append(c)
    if row:
        yield sorted(row, key=lambda c: c["x0"])


def _segments(row: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """A row split where the gap is wider than a space: the columns of the row."""
    start = 0
    for i in range(1, len(row)):
        if row[i]["x0"] - row[i - 1]["x1"] > 1.2 * row[i]["size"]:
            yield row[start:i]
            start = i
    yield row[start:]


def _text(chars: list[dict[str, Any]]) -> str:
    out = ""
    for i, c in enumerate(chars):
        if i and c["x0"] - chars[i - 1]["x1"] > 0.15 * c["size"] and not out.endswith(" "):
            out += " "
        out += c["text"]
    return " ".join(out.translate(_LIGATURES).split())


def _line(page: int, chars: list[dict[str, Any]]) -> Line | None:
    text = _text(chars)
    if not text:
        return None
    letters = [c for c in chars if not c["text"].isspace()]
    glyph = _BULLET_GLYPH.match(text)
    if glyph and len(letters) > 1:  # the item's text starts after its bullet
        text, letters = text[glyph.end() :], letters[1:]
    sizes = Counter(round(c["size"] * 2) / 2 for c in letters)
    return Line(
        page=page,
        x0=min(c["x0"] for c in letters),
        x1=max(c["x1"] for c in letters),
        top=min(c["top"] for c in letters),
        bottom=max(c["bottom"] for c in letters),
        text=text,
        size=sizes.most_common(1)[0][0],
        bold=all(re.search(r"bold|black|heavy|semibold", c["fontname"], re.I) for c in letters),
        bullet=bool(glyph) and len(letters) > 0,
    )


def _dots(page: Any) -> list[tuple[float, float, float, float]]:
    """Small drawn shapes: the bullets of lists that draw them rather than print a glyph."""
    shapes = [*page.curves, *page.rects]
    return [
        (s["x0"], s["x1"], s["top"], s["bottom"])
        for s in shapes
        if 0 < s["x1"] - s["x0"] <= 8 and 0 < s["bottom"] - s["top"] <= 8
    ]


def page_lines(page: Any, number: int) -> list[Line]:
    """The lines of one page, top to bottom; a row across two columns gives two lines."""
    lines = [
        line
        for row in _rows(_visible_chars(page))
        for seg in _segments(row)
        if (line := _line(number, seg)) is not None
    ]
    for _x0, x1, top, bottom in _dots(page):
        for line in lines:
            if line.top - 1 <= (top + bottom) / 2 <= line.bottom + 1 and (
                line.x0 - 2.5 * line.size <= x1 <= line.x0
            ):
                line.bullet = True
    _assign_columns(lines, float(page.width))
    return lines


def _assign_columns(lines: list[Line], width: float) -> None:
    """Left column, right column, or across: by which side of the page's middle a line is."""
    mid = width / 2
    right = [ln for ln in lines if ln.x0 >= mid - 2]
    for line in lines:
        if not right or line.x1 <= mid + 2:
            line.column = 0
        elif line.x0 >= mid - 2:
            line.column = 1
        else:
            line.column = -1


# --- pages to a flow of lines -----------------------------------------------------------------


def _running_key(line: Line) -> tuple[str, float]:
    """A line's text (digits aside) and size: the title set large on page one is not the
    running header that repeats it in small print."""
    return re.sub(r"\d+", "#", line.text.lower()), line.size


def drop_running(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Pages without their running headers and footers: lines in the top or bottom margin that
    recur (digits aside) on at least half the pages, and page numbers there."""

    def in_margin(line: Line) -> bool:
        height = heights[line.page]
        return line.top < MARGIN * height or line.bottom > (1 - MARGIN) * height

    seen = Counter(
        key for page in pages for key in {_running_key(ln) for ln in page if in_margin(ln)}
    )
    need = max(2, (len(pages) + 1) // 2)

    def running(line: Line) -> bool:
        return in_margin(line) and (
            bool(PAGE_NUMBER.fullmatch(line.text)) or seen[_running_key(line)] >= need
        )

    return [[ln for ln in page if not running(ln)] for page in pages]


def reading_order(lines: list[Line]) -> list[Line]:
    """One page's lines in reading order: a line across the columns ends a band; within a
    band the left column is read before the right."""
    out: list[Line] = []
    band: list[Line] = []
    for line in sorted(lines, key=lambda ln: ln.top):
        if line.column == -1:
            out += sorted(band, key=lambda ln: (ln.column, ln.top))
            band = []
            out.append(line)
        else:
            band.append(line)
    return out + sorted(band, key=lambda ln: (ln.column, ln.top))


# --- lines to blocks --------------------------------------------------------------------------


@dataclass
class Styles:
    """The body size, the heading sizes (largest first) and the usual line pitch."""

    body: float
    heading_sizes: list[float]
    bold_headings: bool
    pitch: float

    def level(self, line: Line) -> int:
        """1–3 for a heading line, 0 for body text."""
        if line.size >= 1.15 * self.body:
            return min(3, self.heading_sizes.index(line.size) + 1)
        if self.bold_headings and line.bold and not line.bullet and line.size >= 0.95 * self.body:
            return min(3, len(self.heading_sizes) + 1)
        return 0

    @property
    def plain(self) -> bool:
        """No typographic headings at all: structure must come from the text itself."""
        return not self.heading_sizes and not self.bold_headings


def styles(flow: list[Line]) -> Styles:
    weight = Counter[float]()
    for line in flow:
        weight[line.size] += len(line.text)
    body = weight.most_common(1)[0][0]
    sizes = sorted({ln.size for ln in flow if ln.size >= 1.15 * body}, reverse=True)
    bold = any(
        ln.bold and ln.size < 1.15 * body and len(ln.text) <= 90 and ln.text[-1] not in ".,;"
        for ln in flow
    )
    steps = [
        b.top - a.top
        for a, b in zip(flow, flow[1:], strict=False)
        if (a.page, a.column) == (b.page, b.column)
        and a.size == b.size == body
        and 0 < b.top - a.top < 3 * body
    ]
    return Styles(body, sizes, bold, statistics.median(steps) if steps else 1.2 * body)


def _same_column(a: Line, b: Line) -> bool:
    return (a.page, a.column) == (b.page, b.column) and b.top > a.top


def _starts_block(a: Line, b: Line, st: Styles, width: float) -> bool:
    """Whether `b` starts a new heading, paragraph or item after `a`."""
    if st.level(a) != st.level(b) or b.bullet:
        return True
    if st.level(b):  # a heading continues on a tight next line
        return not (_same_column(a, b) and b.top - a.bottom < 0.6 * b.size)
    if not _same_column(a, b):  # a column or page break: continue an unfinished sentence
        return a.text[-1] in ".!?:" and not b.text[:1].islower()
    if b.top - a.top > 1.3 * st.pitch or b.x0 > a.x0 + st.body:
        return True
    if a.bullet or b.x0 < a.x0 - 2:  # an item's next line is indented like its text
        return b.x0 < a.x0 - 2
    if not st.plain or a.x1 - a.x0 >= 0.7 * width:
        return False
    # No typography to go by: a short line ends a paragraph when it ends a sentence, and is a
    # heading when it is capitalised, unpunctuated and followed by a capital.
    return a.text[-1] in ".!?" or (
        a.text[-1] not in ".,;:!?…" and a.text[0].isupper() and b.text[:1].isupper()
    )


def blocks(flow: list[Line], st: Styles) -> list[list[Line]]:
    """The flow cut into headings, paragraphs and list items."""
    width = max((ln.x1 - ln.x0 for ln in flow), default=1.0)
    out: list[list[Line]] = []
    for line in flow:
        if out and not _starts_block(out[-1][-1], line, st, width):
            out[-1].append(line)
        else:
            out.append([line])
    return out


# --- blocks to Markdown -----------------------------------------------------------------------


def to_markdown(flow: list[Line]) -> str:
    """Light Markdown from the flow of lines."""
    st = styles(flow)
    words = vocabulary(" ".join(ln.text for ln in flow))
    out: list[str] = []
    for block in blocks(flow, st):
        text = functools.reduce(lambda a, b: join_wrapped(a, b, words), (ln.text for ln in block))
        level = st.level(block[0])
        if level and (len(text) > 150 or text[-1] in ".!?"):
            level = 0  # a bold paragraph, not a heading
        if level:
            out.append("#" * level + " " + text)
        elif block[0].bullet and out and out[-1].startswith("- "):
            out[-1] += "\n- " + text  # one list
        elif block[0].bullet:
            out.append("- " + text)
        else:
            out.append(text)
    text = "\n\n".join(out)
    return clean_text(text, detect_headings=st.plain)


def read_pdf(data: bytes) -> tuple[dict[str, Any], str]:
    """The PDF's title (when it is a title, not a file name) and its text as light Markdown."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # a damaged file is reported below
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page_lines(page, i) for i, page in enumerate(pdf.pages)]
            heights = [float(page.height) for page in pdf.pages]
            title = str((pdf.metadata or {}).get("Title") or "").strip()
    except Exception as e:  # a malformed PDF makes pdfminer raise many kinds of error
        raise CorpusError(f"cannot read PDF: {e}", "check the file opens in a PDF viewer") from e
    flow = [ln for page in drop_running(pages, heights) for ln in reading_order(page)]
    if not flow:
        raise CorpusError(
            "PDF has no extractable text (a scan?)", "run OCR on it first, then ingest the result"
        )
    meta = {"title": title} if title and not _FILE_TITLE.search(title) else {}
    return meta, to_markdown(flow)
