"""Shared pieces of the tests: where the repository and the seed corpus are, the `rag` command as
a subprocess, corpus copies, a served web chat, and the checks every answer must pass. A plain
module: conftest.py and the tests import from it, never the other way round."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from rag import Answer, Assistant, Document, Passage, Settings
from rag.chunking import chunk_document
from rag.embedders import Embeddings
from rag.judge import Similarity
from rag.pipeline import Context
from rag.readers import load_corpus
from rag.snapshot import Snapshot, in_memory
from ui.settings import ChatSettings

from .fakes import HashingEmbedder, NoVectors

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

T = TypeVar("T")
SPRUTBYTE = "Vem föreslår sprutbyte?"
SPRUTBYTE_MUNICIPALITIES = {"Eskilstuna", "Örebro"}


@lru_cache(maxsize=1)
def seed_documents() -> tuple[Document, ...]:
    """The seed programmes of corpus/, read once."""
    documents, problems = load_corpus(CORPUS)
    assert problems == [], problems
    return tuple(documents)


def lexical_snapshot(documents: Iterable[Document], settings: Settings) -> Snapshot:
    """An index version held in memory: the documents' chunks and their lexical index, built as
    an ingest builds them, but no vectors (so questions over it are retrieved lexically)."""
    documents = list(documents)
    chunks = [
        c
        for d in documents
        for c in chunk_document(d, settings.chunk_max_chars, settings.chunk_min_chars)
    ]
    return in_memory("in-memory", documents, chunks, settings.lexical_ngram)


def lexical_context(documents: Iterable[Document] | None = None, **overrides: Any) -> Context:
    """What the answer pipeline reads, over `documents` (default: the seed programmes) in
    memory: real chunks and lexical retrieval, no model and no Chroma."""
    settings = Settings(**{"retrieval_mode": "lexical", **overrides})
    snapshot = lexical_snapshot(seed_documents() if documents is None else documents, settings)
    return Context(snapshot, NoVectors(), Embeddings(HashingEmbedder()), settings)  # type: ignore[arg-type]


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


def assert_verbatim(answer: Answer, assistant: Assistant) -> None:
    """Every citation is the exact text of its document at its offsets, carries that
    programme's labels and a marker in the text, numbered 1, 2, …; refusals cite nothing."""
    for c in answer.citations:
        doc = assistant.document(c.doc_id)
        assert doc.text[c.start : c.end] == c.quote, c
        assert (c.municipality, c.party, c.title) == (doc.municipality, doc.party, doc.title)
        assert f"[{c.n}]" in answer.text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
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


def free_port() -> int:
    """A loopback port where nothing listens (yet)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    assistant: Assistant, settings: ChatSettings | None = None
) -> Iterator[tuple[str, Any]]:
    """The web chat over `assistant` on a free loopback port, launched with the app's own queue
    limits and the web chat's `settings` (by default: no login, no uploads); yields its URL and
    the app."""
    from ui.app import build_app, launch_options

    settings = settings or ChatSettings()
    app = build_app(assistant, settings=settings)
    options = launch_options(settings, "127.0.0.1", free_port())
    _, url, _ = app.launch(prevent_thread_lock=True, quiet=True, **options)
    try:
        yield url, app
    finally:
        app.close()


# --- a corpus for evidence by meaning: up to forty programmes, a stand-in for the model ----------

REACTOR = "Vi vill bygga en reaktor som ger el till hela staden."
TOWNS = [f"By{i}" for i in range(40)]


def town(i: int, last: str = "") -> Document:
    """A programme of five proposals on everyday matters (and `last`, if given)."""
    lines = [f"Kommunen ska rusta upp parken nummer {i}{j} i centrum." for j in range(5)]
    text = "# Program\n\n" + " ".join([*lines, last]).strip() + "\n"
    return Document(f"by{i}", text, "Liberalerna", TOWNS[i], "Program", f"by{i}.md", f"h{i}")


def spread(stand_out: dict[str, float]) -> Similarity:
    """A stand-in for the multilingual model: cosines compressed near 0.8 (spread by the
    sentence), those in `stand_out` as given."""
    return lambda question, sentences: [
        stand_out.get(s, 0.80 + (sum(map(ord, s)) % 13) / 1000) for s in sentences
    ]


def every_passage(snapshot: Snapshot) -> list[Passage]:
    """Every chunk of the snapshot as a retrieved passage."""
    docs = snapshot.documents
    return [
        Passage(c, docs[c.doc_id].municipality, docs[c.doc_id].party, docs[c.doc_id].title, 1.0)
        for c in snapshot.chunks
    ]
