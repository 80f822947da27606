"""Progress of long work: one plain line per stage when the stream is not a terminal, a bar on a
terminal, nothing when quiet (the Python API's default). `rag ingest` on a real pseudo-terminal
is tested in tests/integration/test_progress.py."""

from __future__ import annotations

import io

from rag import Progress
from rag.progress import SILENT


def test_a_stage_is_one_line_with_count_time_and_rate() -> None:
    out = io.StringIO()
    progress = Progress(out, bar=False)
    with progress.stage("embed", 10, "chunks") as advance:
        advance(4)
        advance(6)
    assert list(progress.iterate("read", ["a", "b"], 2, "files")) == ["a", "b"]
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("embed: 10 chunks in ") and "chunks/s" in lines[0]
    assert lines[1].startswith("read: 2 files in ")


def test_quiet_progress_prints_nothing() -> None:
    out = io.StringIO()
    with Progress(out, quiet=True).stage("embed", 3, "chunks") as advance:
        advance(3)
    assert out.getvalue() == ""


def test_on_a_terminal_a_stage_is_a_bar_redrawn_in_place() -> None:
    out = io.StringIO()
    with Progress(out, bar=True).stage("embed", 4, "chunks") as advance:
        advance(4)
    assert "embed: 100%|" in out.getvalue() and "4/4" in out.getvalue()
    assert "\r" in out.getvalue()


def test_a_stream_that_is_not_a_terminal_gets_lines() -> None:
    assert Progress(io.StringIO()).bar is False
    closed = io.StringIO()
    closed.close()
    assert Progress(closed).bar is False  # asking a closed stream is not an error


def test_the_python_api_reports_nothing_by_default() -> None:
    assert SILENT.quiet
    with SILENT.stage("embed", 2, "chunks") as advance:
        advance(2)
    assert list(SILENT.iterate("read", [1, 2], 2, "files")) == [1, 2]
