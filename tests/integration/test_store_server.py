"""Server mode against a real `chroma run` on loopback: ingest, answer, outage, recovery."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant, IndexUnavailable, get_settings

from ..helpers import CORPUS, free_port

pytestmark = pytest.mark.server


class ChromaServer:
    """`chroma run` in a subprocess, data in a temporary folder."""

    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        self.proc = subprocess.Popen(
            [
                chroma,
                "run",
                "--path",
                str(self.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/api/v2/heartbeat", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("chroma run did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    srv = ChromaServer(tmp_path / "chroma-data", free_port())
    srv.start()
    yield srv
    srv.stop()


def test_ingest_and_answer_through_a_chroma_server(
    server: ChromaServer,
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    settings = get_settings(corpus_dir=CORPUS, index_dir=tmp_path / "idx", chroma_url=server.url)
    a = Assistant(settings, embeddings=embeddings)
    report = a.ingest()
    assert report.embedded == report.chunks > 0
    assert not (tmp_path / "idx" / "chroma").exists()  # vectors live on the server
    answer = a.ask("Vem föreslår sprutbyte?")
    assert set(answer.municipalities) == {"Örebro", "Eskilstuna"}

    server.stop()
    started = time.monotonic()
    with pytest.raises(IndexUnavailable, match="Chroma server"):
        a.ask("Vilka vill ha Bostad först?")
    assert time.monotonic() - started < 30  # a bounded retry, not a hang

    server.start()
    answer = a.ask("Vilka vill ha Bostad först?")
    assert set(answer.municipalities) == {"Upplands Väsby", "Stockholm"}
    assert a.ingest().embedded == 0  # the server kept the vectors
