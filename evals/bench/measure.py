"""Every measurement of one corpus size, run in a process of its own (so that its peak memory
is that size's): ingest against the bare model, warm questions, cold start, index updates
(evals/bench/updates.py), memory and disk. `run_size` puts them together; see the package doc
for what each means."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from evals.bench.coldstart import chat_start, cold_start
from evals.bench.harness import (
    BARE_SAMPLE,
    Harness,
    IngestWork,
    open_harness,
    timed,
    timed_ingest,
    write_bench_corpus,
)
from evals.bench.updates import measure_updates, smaller_side, update_growth
from evals.golden import GoldenQuestion
from evals.metrics import percentile
from rag import IngestReport, Progress, RagError


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
    max_questions: int = 0  # 0: all golden questions (see `pick_questions`)
    update_rounds: int = 3
    compare_chunks: int = 0  # also time the updates at a corpus of this many chunks (0: no)
    overrides: dict[str, Any] = field(default_factory=dict)


def size_label(chunks: int) -> str:
    """How a size is written on the command line and in the reports.

    >>> [size_label(n) for n in (0, 500, 2_500, 25_000)]
    ['seed', '500', '2.5k', '25k']
    """
    if not chunks:
        return "seed"
    return f"{chunks / 1000:g}k" if chunks >= 1000 else str(chunks)


def parse_size(label: str) -> int:
    """The number of chunks a size names: "seed" (the seed corpus: 0 generated), "10k", "2.5k"
    or a plain number. A ValueError for anything else.

    >>> [parse_size(s) for s in ("seed", "10k", "2.5k", "500")]
    [0, 10000, 2500, 500]
    """
    text = label.strip().lower()
    if text == "seed":
        return 0
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(k?)", text)
    number = float(match[1]) * (1000 if match[2] else 1) if match else -1.0
    if number < 0 or number != int(number):
        raise ValueError(f"not a size: {label!r} (seed, 10k, 2.5k or a number of chunks)")
    return int(number)


def ms(values: Sequence[float], q: float) -> float:
    """The q-th percentile of `values` (seconds) in milliseconds."""
    return round(1000 * percentile(values, q), 2)


def dir_mib(path: Path) -> float:
    """The size of the files under `path`, in MiB (0 when it does not exist)."""
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 2)


# --- ingest ----------------------------------------------------------------------------------


def measure_ingest(
    h: Harness, rounds: int, progress: Progress
) -> tuple[dict[str, Any], IngestReport]:
    """Ingest, and the bare model on the same chunk texts, `rounds` times (each later round a
    rebuild; once with the memo embedder), in alternating order: Chroma keeps indexing in the
    background for a while after a write, and a noisy neighbour comes and goes."""
    works: list[IngestWork] = []
    bares: list[float] = []
    sample: list[str] = []
    for i in range(rounds if not h.memo else 1):
        if i % 2 == 1:
            bares.append(timed(partial(h.model.embed_documents, sample)))
        works.append(timed_ingest(h, progress, rebuild=i > 0))
        texts = works[-1].texts
        sample = texts[:: max(1, len(texts) // BARE_SAMPLE)][:BARE_SAMPLE] if h.memo else texts
        if i % 2 == 0:
            bares.append(timed(partial(h.model.embed_documents, sample)))
    return ingest_summary(works, bares, len(sample), h.memo), works[-1].report


def ingest_summary(
    works: Sequence[IngestWork], bares: Sequence[float], sampled: int, memo: bool
) -> dict[str, Any]:
    """Medians of the ingest rounds against the bare model. With the memo embedder, the model's
    share is extrapolated from the bare sample."""
    ingests = [w.seconds for w in works]
    embedded = len(works[-1].texts)
    ingest_s = statistics.median(ingests)
    non_embedding_s = statistics.median(w.seconds - w.embed_s for w in works)
    bare_rate = sampled / statistics.median(bares)
    bare_full_s = embedded / bare_rate
    pipeline_s = non_embedding_s + bare_full_s if memo else ingest_s
    return {
        "seconds": round(ingest_s, 2),
        "rounds": len(works),
        "rounds_ingest_s": [round(x, 2) for x in ingests],
        "rounds_bare_s": [round(x, 2) for x in bares],
        "embed_seconds_inside": round(statistics.median(w.embed_s for w in works), 2),
        "non_embedding_seconds": round(non_embedding_s, 2),
        "bare_embed_seconds": round(bare_full_s, 2),
        "bare_embed_extrapolated": memo,
        "bare_sample": sampled,
        "pipeline_seconds": round(pipeline_s, 2),
        "chunks_per_s": round(embedded / pipeline_s, 2) if pipeline_s else None,
        "bare_chunks_per_s": round(bare_rate, 2),
        "ratio_pipeline_to_bare": round(pipeline_s / bare_full_s, 3),
        "ratio_overhead_only": round((bare_full_s + non_embedding_s) / bare_full_s, 3),
        "embedded": embedded,
    }


# --- questions -------------------------------------------------------------------------------

QUESTION_GROUPS = {"who": ("who", "opposes", "mentions"), "what": ("single", "fact")}
"""Golden kinds by the answer speed they are held to: a who-question ("Vem föreslår X?") looks
at every programme, a what-question at the one it names."""


def pick_questions(questions: Sequence[GoldenQuestion], n: int) -> list[GoldenQuestion]:
    """`n` questions taken in turn from each kind, in the order the kinds first appear (so that
    a short run still has who- and what-questions); all of them when `n` is 0."""
    if not n:
        return list(questions)
    by_kind: dict[str, list[GoldenQuestion]] = {}
    for q in questions:
        by_kind.setdefault(q.kind, []).append(q)
    turns = itertools.zip_longest(*by_kind.values())
    return [q for turn in turns for q in turn if q is not None][:n]


def question_steps(h: Harness) -> dict[str, Callable[[GoldenQuestion], Any]]:
    """What is timed per question: the bare model embedding it, retrieval, the full answer."""
    assistant = h.assistant
    return {
        "embed": lambda q: h.model.embed_queries([q.retrieval_query()]),
        "retrieve": lambda q: assistant.retrieve(q.retrieval_query(), filters=q.filter_dict()),
        "ask": lambda q: assistant.ask(
            q.question, history=q.history_messages() or None, filters=q.filter_dict()
        ),
    }


def time_questions(
    steps: dict[str, Callable[[GoldenQuestion], Any]],
    asked: Sequence[GoldenQuestion],
    repeats: int,
    progress: Progress,
) -> dict[str, list[tuple[str, float]]]:
    """`repeats` timed passes over `asked`: per step, (question kind, seconds) of each run."""
    latencies: dict[str, list[tuple[str, float]]] = {name: [] for name in steps}
    with progress.stage("timed questions", repeats * len(asked), "questions") as advance:
        for _ in range(repeats):
            for q in asked:
                for name, step in steps.items():
                    with contextlib.suppress(RagError):
                        latencies[name].append((q.kind, timed(partial(step, q))))
                advance(1)
    return latencies


def latency_summary(latencies: dict[str, list[tuple[str, float]]]) -> dict[str, Any]:
    """p50 and p95 in ms of each step, of the full answer by question group, and the ratios
    of retrieval and of the full answer to the bare question embedding (p50s)."""
    out: dict[str, Any] = {}
    for name, runs in latencies.items():
        out[f"{name}_p50_ms"] = ms([s for _, s in runs], 50)
        out[f"{name}_p95_ms"] = ms([s for _, s in runs], 95)
    for group, kinds in QUESTION_GROUPS.items():
        seconds = [s for kind, s in latencies["ask"] if kind in kinds]
        out[f"ask_p50_{group}_ms"] = ms(seconds, 50) if seconds else None
        out[f"ask_p95_{group}_ms"] = ms(seconds, 95) if seconds else None
    embed = out["embed_p50_ms"]
    for name in ("retrieve", "ask"):
        out[f"ratio_{name}_to_embed_p50"] = (
            round(out[f"{name}_p50_ms"] / embed, 2) if embed else None
        )
    return out


def measure_questions(
    h: Harness, asked: Sequence[GoldenQuestion], repeats: int, progress: Progress
) -> dict[str, Any]:
    """Warm latencies: the first retrieval timed alone (it loads the snapshot), `prepare` as the
    web chat does, each question once untimed (fills caches), then `repeats` timed passes over
    every step of `question_steps`."""
    steps = question_steps(h)
    first_retrieve_s = timed(partial(steps["retrieve"], asked[0]))
    h.assistant.prepare()
    errors = 0
    for q in progress.iterate("first questions", asked, len(asked), "questions"):
        try:
            steps["retrieve"](q)
            steps["ask"](q)
        except RagError:
            errors += 1
    latencies = time_questions(steps, asked, repeats, progress)
    return {
        "questions": len(asked),
        **{
            f"{g}_questions": sum(q.kind in kinds for q in asked)
            for g, kinds in QUESTION_GROUPS.items()
        },
        "repeats": repeats,
        "errors": errors,
        "first_retrieve_s": round(first_retrieve_s, 3),
        **latency_summary(latencies),
    }


# --- one size --------------------------------------------------------------------------------


def run_updates(run: SizeRun, h: Harness, chunks: int, progress: Progress) -> dict[str, Any]:
    """The update measurements of this size, with their growth from a smaller corpus when
    `run.compare_chunks` asks for one."""
    if not run.compare_chunks:
        return {"updates": measure_updates([h], run.update_rounds, progress)[0]}
    small, small_chunks = smaller_side(
        h, run.work / "smaller", run.compare_chunks, run.seed, progress
    )
    large_updates, small_updates = measure_updates([h, small], run.update_rounds, progress)
    label = size_label(run.compare_chunks)
    growth = update_growth(large_updates, small_updates, (small_chunks, chunks), label)
    return {"updates": large_updates, "update_growth": growth}


def run_size(run: SizeRun, questions: Sequence[GoldenQuestion]) -> dict[str, Any]:
    """Every measurement for one corpus size; see the package doc."""
    started = time.perf_counter()
    progress = Progress()
    note = write_bench_corpus(run.work / "corpus", run.target_chunks, run.seed, progress)
    h = open_harness(run.work, run.overrides, run.memo)
    # Opening Chroma (its first client in a process) is a start-up cost, like loading the
    # model: reported apart, so that the ingest ratios compare per-corpus work only.
    store_open_s = timed(lambda: h.assistant.index.store.collections())
    ingest, report = measure_ingest(h, run.ingest_rounds, progress)
    asked = pick_questions(questions, run.max_questions)
    query = measure_questions(h, asked, run.repeats, progress)
    cold = cold_start(h.values, asked[0].question, run.cold_runs, progress)
    chat = chat_start(h.values, asked[0].question, run.cold_runs, progress)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the updates
    updates = run_updates(run, h, report.chunks, progress)
    settings = h.assistant.settings
    return {
        "size": run.size,
        "corpus": note,
        "documents": len(report.added + report.updated + report.unchanged),
        "chunks": report.chunks,
        "embedding": {
            "model": settings.embedding_model,
            "backend": settings.embedding_backend,
            "path": "memo (distinct chunk bodies embedded once)" if run.memo else "model",
            "load_s": round(h.load_s, 2),
        },
        "ingest": {**ingest, "store_open_s": round(store_open_s, 2)},
        "query": query,
        **updates,
        "cold_start": cold.summary(settings.embedding_backend),
        "chat_start": chat.summary(),
        "memory": {
            "peak_rss_mib": round(peak_mib, 1),
            "peak_rss_cold_start_mib": round(cold.peak_mib, 1),
        },
        "disk": {"index_mib": dir_mib(h.index), "chroma_mib": dir_mib(h.index / "chroma")},
        "load_average": list(os.getloadavg()),
        "seconds": round(time.perf_counter() - started, 1),
    }
