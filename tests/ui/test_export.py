"""Exports: the compare table as CSV and Markdown, an answer as Markdown with its citations."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from rag import Answer, Assistant, Citation, Verdict
from ui.export import (
    COMPARE_COLUMNS,
    answer_markdown,
    citation_line,
    compare_csv,
    compare_markdown,
    file_stem,
    one_line,
    write_export,
)

AWKWARD = 'Vi vill, som "första" parti,\ninföra sprutbyte | nu; och ”fler” platser.\r\nSlut.'


def citation(n: int = 1, quote: str = AWKWARD, heading: str = "Missbruk, vård") -> Citation:
    return Citation(n, "orebro", "Örebro", "Liberalerna", "Socialpolitik", heading, quote, 10,
                    10 + len(quote))  # fmt: skip


def verdicts() -> list[Verdict]:
    return [
        Verdict("orebro", "Örebro", "Liberalerna", "Socialpolitik", "proposes", citation()),
        Verdict("botkyrka", "Botkyrka", "Liberalerna", "Trygghet", "silent"),
    ]


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_compare_csv_parses_back_with_quotes_verbatim() -> None:
    rows = parse_csv(compare_csv(verdicts()))
    assert list(rows[0]) == list(COMPARE_COLUMNS)
    assert rows[0] == {
        "municipality": "Örebro",
        "party": "Liberalerna",
        "verdict": "proposes",
        "quote": AWKWARD,
        "section": "Missbruk, vård",
        "start": "10",
        "end": str(10 + len(AWKWARD)),
    }
    assert rows[1]["verdict"] == "silent"
    assert rows[1]["quote"] == rows[1]["start"] == rows[1]["section"] == ""


def test_compare_csv_file_opens_in_spreadsheets_and_parses_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_export("hemloshet.csv", compare_csv(verdicts()))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert [r["quote"] for r in csv.DictReader(f)] == [AWKWARD, ""]


def test_exports_are_removed_when_the_process_ends() -> None:
    code = (
        "from ui.export import write_export; "
        "a = write_export('x.md', 'a'); b = write_export('x.md', 'b'); "
        "print(a.read_text() + b.read_text()); print(a.parent.parent)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    both, folder = done.stdout.split()
    assert both == "ab"  # two exports of one name do not overwrite each other
    assert not Path(folder).exists()


def test_compare_markdown_is_one_table_row_per_programme() -> None:
    text = compare_markdown("sprutbyte\n", verdicts())
    lines = text.splitlines()
    assert lines[0] == "# sprutbyte"
    assert lines[2] == "| municipality | party | verdict | quote | section | start | end |"
    assert len(lines) == 4 + 2  # heading, blank, header, rule, one row per programme
    orebro = lines[4]
    assert orebro.startswith("| Örebro | Liberalerna | proposes | ”Vi vill, som")
    assert "sprutbyte \\| nu" in orebro  # a pipe in a quote does not split the cell
    assert orebro.count(" | ") == len(COMPARE_COLUMNS) - 1
    assert lines[5] == "| Botkyrka | Liberalerna | silent |  |  |  |  |"


def test_answer_markdown_lists_numbered_citations() -> None:
    second = citation(2, "Bostad först.", heading="")
    answer = Answer("Vem?", "Örebro [1] och Stockholm [2].", True, "sv", [citation(), second])
    text = answer_markdown(answer)
    assert text.startswith("Örebro [1] och Stockholm [2].\n\n[1] Örebro (Liberalerna), ")
    assert text.splitlines()[-2:] == [
        f"[1] Örebro (Liberalerna), Missbruk, vård: ”{one_line(AWKWARD)}”",
        "[2] Örebro (Liberalerna): ”Bostad först.”",
    ]
    refusal = Answer("Vem?", "Programmen säger inget om det.", False, "sv")
    assert answer_markdown(refusal) == "Programmen säger inget om det.\n"


def test_real_compare_and_answer_export_verbatim_quotes(assistant: Assistant) -> None:
    compared = assistant.compare("hedersförtryck")
    rows = parse_csv(compare_csv(compared))
    assert [r["municipality"] for r in rows] == [v.municipality for v in compared]
    quoted = [r for r in rows if r["quote"]]
    assert quoted
    for r in quoted:
        doc = next(d for d in assistant.documents() if d.municipality == r["municipality"])
        assert doc.text[int(r["start"]) : int(r["end"])] == r["quote"]

    answer = assistant.ask("Vem föreslår sprutbyte?")
    text = answer_markdown(answer)
    assert text.startswith(answer.text.strip())
    for c in answer.citations:
        assert citation_line(c) in text
        assert f"[{c.n}] {c.municipality} ({c.party})" in text


def test_file_stem() -> None:
    assert file_stem("Hemlöshet / Bostad") == "hemloshet-bostad"
    assert file_stem("???") == "export"
