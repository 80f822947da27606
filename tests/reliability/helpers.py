"""Shared pieces of the reliability tests: the `rag` command as a subprocess, corpus copies,
and the checks every answer must pass."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from rag import Answer, Document

from ..conftest import CORPUS, REPO

T = TypeVar("T")
SPRUTBYTE = "Vem föreslår sprutbyte?"
SPRUTBYTE_MUNICIPALITIES = {"Eskilstuna", "Örebro"}


def rag(
    *args: str | bytes, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run `rag ARGS` as a user would, in a fresh process, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args],
        capture_output=True,
        text=True,
        errors="replace",
        env={**os.environ, **(env or {})},
        cwd=REPO,
        timeout=timeout,
    )


def assert_clean_exit(result: subprocess.CompletedProcess[str], code: int, message: str) -> None:
    """The command exited with `code`, said `message` on stderr, and showed no traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def copy_corpus(target: Path, names: Iterable[str] | None = None) -> Path:
    """A writable copy of the seed corpus (or of the files whose names start with `names`)."""
    target.mkdir(parents=True, exist_ok=True)
    for f in sorted(CORPUS.glob("*.md")):
        if names is None or any(f.name.startswith(n) for n in names):
            (target / f.name).write_bytes(f.read_bytes())
    return target


def variant(path: Path, copy: int, marker: str) -> str:
    """A programme file's text under a new id and municipality ("Örebro 2"), every paragraph
    prefixed with `marker` so that its chunks are new text (and must be embedded)."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    head = re.sub(r"^id: (.+)$", rf"id: \1-{copy}", head, flags=re.M)
    head = re.sub(r"^municipality: (.+)$", rf"municipality: \1 {copy}", head, flags=re.M)
    paragraphs = [
        p if p.startswith("#") or not p.strip() else f"{marker} {p}" for p in body.split("\n\n")
    ]
    return head + "\n---\n" + "\n\n".join(paragraphs)


def programme(municipality: str, body: str, doc_id: str | None = None) -> str:
    """A programme file with front matter."""
    doc_id = doc_id or re.sub(r"[^a-z0-9]+", "-", municipality.lower()).strip("-")
    return (
        f"---\nid: {doc_id}\nparty: Liberalerna\nmunicipality: {municipality}\n---\n\n"
        f"# Program för {municipality}\n\n{body}\n"
    )


def assert_verbatim(answer: Answer, documents: Mapping[str, Document]) -> None:
    """Every citation is the exact text of its document at its offsets, and refusals cite
    nothing."""
    for c in answer.citations:
        doc = documents[c.doc_id]
        assert doc.text[c.start : c.end] == c.quote, c
        assert (doc.municipality, doc.party) == (c.municipality, c.party)
    if not answer.answerable:
        assert answer.citations == []


def wait_for(probe: Callable[[], T], timeout: float, interval: float = 0.02) -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := probe():
            return result
        time.sleep(interval)
    raise AssertionError(f"nothing after {timeout} s")


def env_for(corpus: Path, index: Path, **extra: Any) -> dict[str, str]:
    """RAG_* variables for a subprocess working on this corpus and index."""
    return {
        "RAG_CORPUS_DIR": str(corpus),
        "RAG_INDEX_DIR": str(index),
        **{f"RAG_{k.upper()}": str(v) for k, v in extra.items()},
    }
