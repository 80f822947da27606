"""Cold start: a `rag ask` subprocess from its start to its exit with the answer printed, its
own peak memory, and, run in turn with it, `python -c "import chromadb"` (the floor any answer
from Chroma pays), so that their ratio is measured under the same load.

The web chat's cold start likewise: a `rag chat` subprocess from its start to its first answer
through the API, set against a bare Gradio app's start to its first page (the web server's own
start) and `import chromadb`, run in turn."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import rag
from rag import Progress

SOURCE_ROOT = Path(rag.__file__).resolve().parents[1]
"""The folder this `rag` (and these `evals`) are imported from."""


@dataclass
class ColdStart:
    """Seconds of each cold `rag ask`, of each `import chromadb` run after it, and the largest
    peak memory (MiB) of the `rag ask` processes."""

    seconds: list[float]
    import_chromadb: list[float]
    peak_mib: float

    def summary(self, backend: str) -> dict[str, Any]:
        pairs = zip(self.seconds, self.import_chromadb, strict=True)
        return {
            "runs": len(self.seconds),
            "median_s": round(statistics.median(self.seconds), 2),
            "all_s": [round(c, 2) for c in self.seconds],
            "embedding_backend": backend,
            "import_chromadb_median_s": round(statistics.median(self.import_chromadb), 2),
            "ratio_to_import_chromadb": round(statistics.median(c / f for c, f in pairs), 2),
        }


def rag_command() -> list[str]:
    """The `rag` command of this Python environment."""
    script = Path(sys.executable).parent / "rag"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rag.cli"]


def same_code_env(env: dict[str, str]) -> dict[str, str]:
    """`env` with this process's source folder first on PYTHONPATH, so that a subprocess runs
    the code being measured (the `rag` script alone would import the installed checkout)."""
    paths = [str(SOURCE_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    return {**env, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def settings_env(settings: dict[str, Any]) -> dict[str, str]:
    """This process's environment without its RAG_* variables, plus `settings` as RAG_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update({f"RAG_{k.upper()}": str(v) for k, v in settings.items()})
    return same_code_env(env)


def peak_rss_mib(pid: int) -> float | None:
    """The process's own peak resident memory so far (VmHWM), in MiB; None once it is gone.
    (getrusage's RUSAGE_CHILDREN would report the forking parent's peak for a smaller child.)"""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def run_measured(argv: list[str], env: dict[str, str]) -> tuple[float, float, str, str, int]:
    """Run `argv` to its exit: seconds, its own peak memory (MiB), stdout, stderr, exit code."""
    peak = 0.0
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        while proc.poll() is None:
            peak = max(peak, peak_rss_mib(proc.pid) or 0.0)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return seconds, peak, out.read(), err.read(), proc.returncode


def cold_start(
    settings: dict[str, Any], question: str, runs: int, progress: Progress | None = None
) -> ColdStart:
    """`runs` cold `rag ask QUESTION` with `settings`, each followed by `import chromadb`."""
    result = ColdStart([], [], 0.0)
    env = settings_env(settings)
    for _ in (progress or Progress(quiet=True)).iterate("cold starts", range(runs), runs, "runs"):
        seconds, rss, answer, problem, code = run_measured([*rag_command(), "ask", question], env)
        if code != 0 or not answer.strip():
            raise RuntimeError(f"rag ask failed ({code}): {problem.strip()[-500:]}")
        result.seconds.append(seconds)
        result.peak_mib = max(result.peak_mib, rss)
        floor = run_measured([sys.executable, "-c", "import chromadb"], env)[0]
        result.import_chromadb.append(floor)
    return result


BARE_GRADIO = (
    "import os\n"
    "os.environ['GRADIO_ANALYTICS_ENABLED'] = 'False'\n"
    "import gradio as gr\n"
    "with gr.Blocks(analytics_enabled=False) as app:\n"
    "    gr.Markdown('-')\n"
    "app.launch(server_name='127.0.0.1', server_port={port})\n"
)
"""A Gradio app with nothing in it: the web server's own start."""
SERVER_WAIT_S = 600.0


@dataclass
class ChatStart:
    """Seconds of each cold web chat to its first answer, of each bare Gradio app to its first
    page, and of each `import chromadb`, run in turn."""

    first_answer: list[float]
    bare_server: list[float]
    import_chromadb: list[float]

    def summary(self) -> dict[str, Any]:
        beyond = [c - g for c, g in zip(self.first_answer, self.bare_server, strict=True)]
        pairs = zip(beyond, self.import_chromadb, strict=True)
        return {
            "runs": len(self.first_answer),
            "first_answer_median_s": round(statistics.median(self.first_answer), 2),
            "bare_server_median_s": round(statistics.median(self.bare_server), 2),
            "beyond_server_median_s": round(statistics.median(beyond), 2),
            "import_chromadb_median_s": round(statistics.median(self.import_chromadb), 2),
            "ratio_beyond_server_to_import_chromadb": round(
                statistics.median(b / f for b, f in pairs), 2
            ),
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def served_in(
    argv: Callable[[int], list[str]], env: dict[str, str], ready: Callable[[str], bool]
) -> float:
    """Start the server `argv(port)` on a free port and poll `ready(url)` until it holds: the
    seconds from the start. The server is stopped then."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv(port), env=env, stdout=subprocess.DEVNULL, stderr=err)
        try:
            while not ready(url):
                if proc.poll() is not None or time.perf_counter() - started > SERVER_WAIT_S:
                    err.seek(0)
                    raise RuntimeError(f"{argv(port)} did not serve: {err.read()[-500:]}")
                time.sleep(0.05)
            return time.perf_counter() - started
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def page_served(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def answered(url: str, question: str) -> bool:
    """True once the web chat at `url` answers `question` through its API."""
    from gradio_client import Client

    if not page_served(url):
        return False
    answer = Client(url, verbose=False, analytics_enabled=False).predict(question, api_name="/ask")
    return bool(answer["text"])


def chat_start(
    settings: dict[str, Any], question: str, runs: int, progress: Progress | None = None
) -> ChatStart:
    """`runs` cold `rag chat` to their first answer to `question`, each followed by a bare
    Gradio app to its first page and by `import chromadb`."""
    result = ChatStart([], [], [])
    env = settings_env(settings)
    chat = partial(answered, question=question)
    for _ in (progress or Progress(quiet=True)).iterate("chat starts", range(runs), runs, "runs"):
        result.first_answer.append(served_in(chat_command, env, chat))
        result.bare_server.append(served_in(bare_gradio_command, env, page_served))
        floor = run_measured([sys.executable, "-c", "import chromadb"], env)[0]
        result.import_chromadb.append(floor)
    return result


def chat_command(port: int) -> list[str]:
    return [*rag_command(), "chat", "--port", str(port)]


def bare_gradio_command(port: int) -> list[str]:
    return [sys.executable, "-c", BARE_GRADIO.format(port=port)]
