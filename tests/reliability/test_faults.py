"""Faults: an ingest killed halfway, an index deleted or corrupted under a running app, a
Chroma server that cannot be reached, and ingests running while questions are answered (in
threads of one process, and from other processes). Real processes, real Chroma on disk."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from rag import Answer, Assistant, Document, IndexUnavailable, get_settings
from rag.chunking import indexed_text
from rag.index import POINTER, writer_lock
from rag.readers import load_corpus
from rag.retrieval import Filters, dense_ranking

from ..helpers import (
    CORPUS,
    REPO,
    SPRUTBYTE,
    SPRUTBYTE_MUNICIPALITIES,
    assert_clean_exit,
    copy_corpus,
    env_for,
    programme,
    rag,
    variant,
    wait_for,
)

SMALL = ("orebro", "eskilstuna")  # a two-programme corpus, quick to rebuild
THREE = ("orebro", "eskilstuna", "stockholm")


def make(corpus: Path, index: Path, embeddings, **overrides: Any) -> Assistant:  # type: ignore[no-untyped-def]
    return Assistant(
        get_settings(corpus_dir=corpus, index_dir=index, **overrides), embeddings=embeddings
    )


def same_answer(a: Answer, b: Answer) -> bool:
    return a.to_dict() == b.to_dict()


def pointer(index: Path) -> dict[str, Any]:
    return dict(json.loads((index / POINTER).read_text(encoding="utf-8")))


def assert_tidy(index: Path, assistant: Assistant) -> None:
    """No staging left behind; the current version and at most the one before it remain, with
    exactly the packs and collections they use."""
    versions = sorted(p.stem for p in (index / "versions").iterdir())
    assert pointer(index)["version"] in versions and len(versions) <= 2
    used = {p for v in versions for p in assistant.index.manifest(v).packs}
    folders = {p.name for p in (index / "packs").iterdir()}
    assert folders == {p.name for p in used}, folders
    collections = {c for c in assistant.index.store.collections() if c.startswith("rag-")}
    assert collections == {p.collection for p in used}


# --- an ingest killed halfway -------------------------------------------------------------


def test_ingest_killed_midway_leaves_the_previous_index_answering(
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    corpus, index = copy_corpus(tmp_path / "corpus", THREE), tmp_path / "index"
    a = make(corpus, index, embeddings)
    first = a.ingest()
    before = a.ask(SPRUTBYTE)
    # A bigger corpus: every programme again under a new id, with new text to embed.
    for path in sorted(corpus.glob("*.md")):
        (corpus / f"copy2-{path.name}").write_text(variant(path, 2, "Kopia 2:"), "utf-8")

    writer = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "ingest"],
        env={**os.environ, **env_for(corpus, index)},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        staging = wait_for(lambda: list((index / "packs").glob(".staging-*")), timeout=120)
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    # It died while embedding: nothing of the new version was written, the pointer is intact.
    assert not (staging[0] / "documents.json").exists()
    assert pointer(index)["version"] == first.version

    # The previous index still answers: the running assistant, and a fresh one reading disk.
    assert same_answer(a.ask(SPRUTBYTE), before)
    fresh = make(corpus, index, embeddings)
    assert same_answer(fresh.ask(SPRUTBYTE), before)
    assert len(fresh.documents()) == 3

    # The next ingest completes (the dead writer's lock is gone) and cleans up after it.
    result = rag("ingest", env=env_for(corpus, index), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "3 added, 0 updated, 0 removed, 3 unchanged" in result.stdout
    assert pointer(index)["version"] != first.version
    grown = a.ask(SPRUTBYTE)
    assert set(grown.municipalities) == {"Eskilstuna", "Örebro", "Eskilstuna 2", "Örebro 2"}
    assert_tidy(index, a)


# --- an index deleted or corrupted under a running app --------------------------------------


def delete_index(index: Path) -> None:
    shutil.rmtree(index)


def garble_pointer(index: Path) -> None:
    (index / POINTER).write_text("{not json", encoding="utf-8")


def garble_chroma(index: Path) -> None:
    with open(index / "chroma" / "chroma.sqlite3", "r+b") as f:  # in place, as a bad disk would
        f.write(b"garbage!" * 4096)


@pytest.mark.parametrize(
    ("damage", "running_app_says", "cli_ask_says"),
    [
        (delete_index, "the index in", None),
        (garble_pointer, "index pointer", "index pointer"),
        (garble_chroma, "file is not a database", "file is not a database"),
    ],
)
def test_a_damaged_index_is_a_clear_error_and_rebuild_recovers(
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
    damage,  # type: ignore[no-untyped-def]
    running_app_says: str,
    cli_ask_says: str | None,
) -> None:
    corpus, index = copy_corpus(tmp_path / "corpus", SMALL), tmp_path / "index"
    env = env_for(corpus, index)
    app = make(corpus, index, embeddings)  # stands for the running web chat
    app.ingest()
    before = app.ask(SPRUTBYTE)

    damage(index)
    with pytest.raises(IndexUnavailable) as raised:
        app.ask(SPRUTBYTE)
    assert running_app_says in str(raised.value)
    assert "run `rag ingest --rebuild`" in str(raised.value)
    if cli_ask_says is not None:
        result = rag("ask", SPRUTBYTE, env=env)
        assert_clean_exit(result, 1, cli_ask_says)
        assert "run `rag ingest --rebuild`" in result.stderr

    rebuilt = rag("ingest", "--rebuild", env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "2 added" in rebuilt.stdout and "Traceback" not in rebuilt.stderr
    # The running app recovers without a restart: it reads the new version's files.
    assert same_answer(app.ask(SPRUTBYTE), before)
    assert_tidy(index, app)


# --- Chroma server mode: what tests/integration/test_store_server.py does not cover ----------


def test_an_unreachable_chroma_server_fails_before_any_embedding(
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    corpus = copy_corpus(tmp_path / "corpus", SMALL)
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens on loopback
    a = make(corpus, tmp_path / "index", embeddings, chroma_url=closed)
    before = embeddings.passages_embedded
    started = time.monotonic()
    with pytest.raises(IndexUnavailable, match="is the Chroma server running"):
        a.ask(SPRUTBYTE)
    assert embeddings.passages_embedded == before
    assert time.monotonic() - started < 60  # bounded, no endless retry

    result = rag("ask", SPRUTBYTE, env=env_for(corpus, tmp_path / "index2", chroma_url=closed))
    assert_clean_exit(result, 1, "error: cannot open the Chroma store at http://127.0.0.1:9")


# --- the writer lock ----------------------------------------------------------------------


def test_writers_take_turns_and_a_held_lock_is_a_clear_error(tmp_path: Path) -> None:
    release, held = threading.Event(), threading.Event()

    def holder() -> None:
        with writer_lock(tmp_path):
            held.set()
            release.wait(30)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        held.wait(10)
        busy = pytest.raises(IndexUnavailable, match="another ingest into .* is still running")
        with busy, writer_lock(tmp_path, wait=0.3):
            pass
    finally:
        release.set()
        thread.join()
    with writer_lock(tmp_path, wait=5):  # free again once the holder is done
        pass


# --- ingests while questions are answered ---------------------------------------------------


@dataclass
class Versions:
    """The corpus variants an index can hold: A (the programmes as they are) and B_k (Örebro
    with a paragraph inserted at the top, so every offset moves, and an extra programme)."""

    corpus: Path
    texts: list[dict[str, Document]] = field(default_factory=list)

    def write(self, k: int) -> None:
        orebro = self.corpus / "orebro-liberalerna-socialpolitik.md"
        original = (CORPUS / orebro.name).read_text(encoding="utf-8")
        extra = self.corpus / "extra.md"
        if k % 2:
            shifted = original.replace(
                "# Socialpolitik\n", f"# Socialpolitik\n\nVersion {k} flyttar alla stycken.\n", 1
            )
            orebro.write_text(shifted, encoding="utf-8")
            paragraphs = "\n\n".join(
                f"Stycke {i} i version {k}: kommunen vill ha sprutbyte och fler "
                f"fältarbetare i område {i}, och varje år en utvärdering nummer {i * k}."
                for i in range(150)
            )
            extra.write_text(programme("Extra", paragraphs), encoding="utf-8")
        else:
            orebro.write_text(original, encoding="utf-8")
            extra.unlink(missing_ok=True)
        docs, problems = load_corpus(self.corpus)
        assert problems == []
        self.texts.append({d.doc_id: d for d in docs})

    def explains(self, answer: Answer) -> bool:
        """Whether one single variant gives exactly this answer's municipalities and quotes."""
        for docs in self.texts:
            expected = SPRUTBYTE_MUNICIPALITIES | ({"Extra"} if "extra" in docs else set())
            if set(answer.municipalities) == expected and all(
                c.doc_id in docs and docs[c.doc_id].text[c.start : c.end] == c.quote
                for c in answer.citations
            ):
                return True
        return False


@dataclass
class Askers:
    """Threads asking the same question over and over until stopped."""

    assistant: Assistant
    threads: int = 2
    pause: float = 0.2  # leaves the other processes some of the machine's two cores
    answers: list[tuple[float, float, Answer]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    versions: set[str] = field(default_factory=set)
    incomplete: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def ask_until_stopped(self) -> None:
        while not self._stop.is_set():
            try:
                started = time.monotonic()
                answer = self.assistant.ask(SPRUTBYTE)
                self.answers.append((started, time.monotonic(), answer))
                time.sleep(self.pause)
                snap = self.assistant.snapshot()
                if snap.version not in self.versions:
                    self.versions.add(snap.version)
                    # Every vector of a version another process wrote is visible here.
                    store = self.assistant.index.store
                    stored = sum(store.count(p.collection) for p in snap.packs)
                    if stored != sum(p.rows for p in snap.packs):
                        self.incomplete.append(f"{snap.version}: {stored} vectors")
                    extra = [c for c in snap.chunks if c.doc_id == "extra"]
                    if extra:  # and a new chunk's own vector finds that chunk first
                        text = indexed_text("Extra", extra[-1].heading, extra[-1].text)
                        vector = self.assistant.embeddings.embed_passages([text])[0]
                        top = dense_ranking(snap, store, vector, 1, Filters())
                        if top != [extra[-1].chunk_id]:
                            self.incomplete.append(f"{snap.version}: nearest is {top}")
            except Exception as e:  # collected: the test asserts there are none
                self.errors.append(f"{type(e).__name__}: {e}")

    def __enter__(self) -> Askers:
        self._workers = [
            threading.Thread(target=self.ask_until_stopped) for _ in range(self.threads)
        ]
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=120)


@pytest.fixture
def versions(tmp_path: Path) -> Iterator[Versions]:
    corpus = copy_corpus(tmp_path / "corpus", THREE)
    v = Versions(corpus)
    v.write(0)
    yield v


def test_ingests_in_one_process_while_its_threads_answer(
    tmp_path: Path,
    versions: Versions,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    a = make(versions.corpus, tmp_path / "index", embeddings)
    a.ingest()
    ingesting: list[tuple[float, float]] = []
    with Askers(a) as askers:
        for k in range(1, 5):
            time.sleep(0.3)
            versions.write(k)
            started = time.monotonic()
            report = a.ingest()
            ingesting.append((started, time.monotonic()))
            assert report.changed
        time.sleep(0.3)
    assert askers.errors == [] and askers.incomplete == []
    assert len(askers.answers) > 20
    unexplained = [a.to_dict() for _, _, a in askers.answers if not versions.explains(a)]
    assert unexplained == []
    assert len({frozenset(a.municipalities) for _, _, a in askers.answers}) == 2  # A and B
    # Questions did not wait for the ingests: some were asked and answered while one ran.
    during = [
        answer
        for asked, answered, answer in askers.answers
        for began, ended in ingesting
        if began + 0.2 < asked < answered < ended
    ]
    assert during
    assert_tidy(tmp_path / "index", a)


def test_ingests_from_other_processes_while_this_one_answers(
    tmp_path: Path,
    versions: Versions,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    """Two `rag ingest` processes start at once: they take turns on the writer lock, one does
    the work, the other finds nothing left to do; this process answers throughout."""
    index = tmp_path / "index"
    env = {**os.environ, **env_for(versions.corpus, index)}
    a = make(versions.corpus, index, embeddings)
    a.ingest()

    def rag_ingest() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "ingest"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    with Askers(a) as askers:
        versions.write(1)
        both = [rag_ingest(), rag_ingest()]
        outputs = [p.communicate(timeout=300) for p in both]
        version_b = pointer(index)["version"]
        wait_for(lambda: version_b in askers.versions, timeout=60)

    assert [p.returncode for p in both] == [0, 0], outputs
    worked = [out for out, _ in outputs if "1 added, 1 updated, 0 removed" in out]
    idle = [out for out, _ in outputs if "0 added, 0 updated, 0 removed, 4 unchanged" in out]
    assert len(worked) == len(idle) == 1, outputs
    assert " 0 embedded" not in worked[0] and " 0 embedded" in idle[0]
    assert askers.errors == []
    assert askers.incomplete == []
    unexplained = [a.to_dict() for _, _, a in askers.answers if not versions.explains(a)]
    assert unexplained == []
    assert len({frozenset(a.municipalities) for _, _, a in askers.answers}) == 2
    assert_tidy(index, a)
