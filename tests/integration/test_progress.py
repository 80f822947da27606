"""Progress of `rag ingest` and of an evaluation: one plain line per stage when stderr is not a
terminal, a bar on a terminal (a real pseudo-terminal). (Progress itself is tested in
tests/unit/test_progress.py.)"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from evals import evaluate
from evals.golden import load_golden
from rag import Progress

from ..helpers import REPO, copy_corpus, env_for, rag

STAGES = (
    "read: 5 files in ",
    "load embedding model: 1 models in ",
    "embed: 56 chunks in ",
    "store vectors: 56 chunks in ",
    "lexical index: 56 chunks in ",
)


def test_ingest_without_a_terminal_prints_one_line_per_stage(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path / "corpus")
    result = rag("ingest", env=env_for(corpus, tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for stage in STAGES:
        assert sum(line.startswith(stage) for line in lines) == 1, (stage, result.stderr)
    assert "\r" not in result.stderr and "%|" not in result.stderr
    assert result.stdout.startswith("index: 5 added")  # the summary stays on stdout


def test_ingest_on_a_terminal_shows_bars(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path / "corpus")
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "ingest"],
        stdout=subprocess.PIPE,
        stderr=secondary,
        env={**os.environ, **env_for(corpus, tmp_path / "index")},
        cwd=REPO,
    )
    os.close(secondary)
    screen = _read_until_exit(proc, primary)
    assert proc.wait() == 0, screen
    assert "embed: 100%|" in screen and "56/56" in screen, screen
    assert "read: 100%|" in screen and "5/5" in screen
    assert " chunks/s]" in screen and "\r" in screen  # rate, and one line redrawn in place


def test_evaluation_reports_indexing_and_answers(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    evaluate(["hybrid"], load_golden()[:3], tmp_path, progress=Progress(out, bar=False))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("index: 1 indexes in ")
    assert lines[-1].startswith("questions: 3 answers in ")


def _read_until_exit(proc: subprocess.Popen[bytes], fd: int, timeout: float = 300) -> str:
    """Everything written to the pseudo-terminal until the process exits."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the other end closed
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")
