"""Answers and comparisons as files to take away: the compare table as CSV or Markdown, an answer
as Markdown with its numbered citations. Pure functions of the records; no Gradio here."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from rag import Answer, Citation, Verdict

COMPARE_COLUMNS = ("municipality", "party", "verdict", "quote", "section", "start", "end")
_SPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Whitespace runs (newlines too) as one space, so a quote stays inside its Markdown line:
    `one_line("a\\n\\n b") == "a b"`."""
    return _SPACE.sub(" ", text).strip()


def compare_rows(verdicts: Sequence[Verdict]) -> list[list[str]]:
    """One row per programme in COMPARE_COLUMNS order; a programme that is silent has an empty
    quote, section and offsets."""
    rows = []
    for v in verdicts:
        c = v.citation
        cited = [c.quote, c.heading, str(c.start), str(c.end)] if c else ["", "", "", ""]
        rows.append([v.municipality, v.party, v.stance, *cited])
    return rows


def compare_csv(verdicts: Sequence[Verdict]) -> str:
    """The compare table as CSV with a header row; quotes are kept verbatim (commas, quotes and
    newlines are quoted by the csv module)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COMPARE_COLUMNS)
    writer.writerows(compare_rows(verdicts))
    return out.getvalue()


def _cell(text: str) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return one_line(text).replace("\\", "\\\\").replace("|", "\\|")


def compare_markdown(topic: str, verdicts: Sequence[Verdict]) -> str:
    """The compare table as a Markdown table under a heading that names the topic."""
    lines = [
        f"# {one_line(topic)}",
        "",
        "| " + " | ".join(COMPARE_COLUMNS) + " |",
        "|" + "---|" * len(COMPARE_COLUMNS),
    ]
    for row in compare_rows(verdicts):
        quote = f"”{row[3]}”" if row[3] else ""
        cells = [*row[:3], quote, *row[4:]]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def citation_line(c: Citation) -> str:
    """`[n] municipality (party), section: ”quote”`; without a section, `[n] municipality
    (party): ”quote”`."""
    section = f", {one_line(c.heading)}" if c.heading else ""
    return f"[{c.n}] {c.municipality} ({c.party}){section}: ”{one_line(c.quote)}”"


def answer_markdown(answer: Answer) -> str:
    """The answer's text followed by its citations, one numbered line each."""
    parts = [answer.text.strip()]
    if answer.notice:
        parts.append(f"_{answer.notice}_")
    if answer.citations:
        parts.append("\n".join(citation_line(c) for c in answer.citations))
    return "\n\n".join(parts) + "\n"


def file_stem(text: str, fallback: str = "export") -> str:
    """A safe file name part from free text: `file_stem("Hemlöshet / Bostad") ==
    "hemloshet-bostad"`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return stem or fallback


@cache
def _exports() -> tempfile.TemporaryDirectory[str]:
    """This process's folder of exports, removed when the process ends."""
    return tempfile.TemporaryDirectory(prefix="rag-export-")


def write_export(name: str, content: str) -> Path:
    """`content` as `name` in a new folder inside this process's folder of exports, for a
    download button to serve. CSV gets a byte-order mark so that spreadsheet programs read å, ä
    and ö right."""
    path = Path(tempfile.mkdtemp(dir=_exports().name)) / name
    path.write_text(content, encoding="utf-8-sig" if name.endswith(".csv") else "utf-8")
    return path
