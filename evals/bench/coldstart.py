"""Cold start: a `rag ask` subprocess from its start to its exit with the answer printed, its
own peak memory, and, run in turn with it, `python -c "import chromadb"` (the floor any answer
from Chroma pays), so that their ratio is measured under the same load."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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
