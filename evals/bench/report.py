"""The benchmark's results as Markdown tables, and the files `rag bench` writes: bench.json
(every number), bench.md (the table) and bench.png (the growth plot)."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.bench.plot import plot_sizes
from evals.bench.targets import TARGETS, check, value_at

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
    ("ask p50 / embed p50", "query", "ratio_ask_to_embed_p50"),
    ("what-question ask p50 ms", "query", "ask_p50_what_ms"),
    ("who-question ask p50 ms", "query", "ask_p50_who_ms"),
    ("first retrieve s", "query", "first_retrieve_s"),
    ("re-ingest unchanged s", "updates", "unchanged_s"),
    ("one changed: re-ingest s", "updates", "changed_s"),
    ("one changed: its own embedding s", "updates", "own_embed_s"),
    ("one changed: overhead s (re-ingest − own embedding)", "updates", "changed_overhead_s"),
    ("one changed: non-embedding s", "updates", "changed_non_embedding_s"),
    ("one changed: added / updated / removed / embedded", "updates", "changed_work"),
    ("one deleted: re-ingest s", "updates", "deleted_s"),
    ("one deleted: added / updated / removed / embedded", "updates", "deleted_work"),
    ("updates at 1/4 the chunks: size", "update_growth", "small_size"),
    ("… one changed: re-ingest s", "update_growth", "small.changed_s"),
    ("… one deleted: re-ingest s", "update_growth", "small.deleted_s"),
    ("one changed: growth of re-ingest s, chunks ×4", "update_growth", "changed_ratio"),
    ("one deleted: growth of re-ingest s, chunks ×4", "update_growth", "deleted_ratio"),
    ("cold start s (median)", "cold_start", "median_s"),
    ("cold start / `import chromadb`", "cold_start", "ratio_to_import_chromadb"),
    ("web chat, cold, to its first answer s", "chat_start", "first_answer_median_s"),
    ("bare Gradio app, cold, to its first page s", "chat_start", "bare_server_median_s"),
    (
        "web chat beyond the bare app / `import chromadb`",
        "chat_start",
        "ratio_beyond_server_to_import_chromadb",
    ),
    ("peak RSS MiB", "memory", "peak_rss_mib"),
    ("peak RSS cold start MiB", "memory", "peak_rss_cold_start_mib"),
    ("index on disk MiB", "disk", "index_mib"),
)
"""The size table: (label, result group or "" for the top level, key; a dotted key reaches
further in)."""


def cell(result: dict[str, Any], group: str, key: str) -> str:
    value = value_at(result, group, key)
    if isinstance(value, dict):  # the work an ingest did: its counts in order
        return " / ".join(str(v) for v in value.values())
    return "–" if value is None else str(value)


def table(results: Sequence[dict[str, Any]]) -> str:
    """One row per measurement, one column per size, as Markdown."""
    lines = [
        "| measurement | " + " | ".join(r["size"] for r in results) + " |",
        "| --- |" + " --- |" * len(results),
    ]
    for label, group, key in ROWS:
        lines.append(f"| {label} | " + " | ".join(cell(r, group, key) for r in results) + " |")
    return "\n".join(lines)


def targets_table(results: Sequence[dict[str, Any]]) -> str:
    """Each target, where it was measured, the value and whether it holds, as Markdown."""
    lines = ["| target | measured at | value | holds |", "| --- | --- | --- | --- |"]
    for target in TARGETS:
        where, value, verdict = check(target, results)
        lines.append(f"| {target.label} {target.bound} | {where} | {value} | {verdict} |")
    return "\n".join(lines)


def backends_table(result: dict[str, Any]) -> str:
    """`rag bench --backends` as Markdown: one row per backend."""
    header = "| backend | passages/s | × torch | query p50 ms | recall@5 dense | recall@5 hybrid |"
    lines = [header, "|" + " --- |" * 6]
    for name, row in result["backends"].items():
        lines.append(
            f"| {name} | {row['passages_per_s']} | {row.get('speed_vs_torch', '–')} | "
            f"{row['query_p50_ms']} | {row['recall@5']['dense']} | {row['recall@5']['hybrid']} |"
        )
    return "\n".join(lines)


def write_reports(results: Sequence[dict[str, Any]], out: Path) -> None:
    """bench.json, bench.md and bench.png in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "sizes": list(results),
    }
    (out / "bench.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    markdown = f"# rag bench\n\n{table(results)}\n\n## Targets\n\n{targets_table(results)}\n"
    (out / "bench.md").write_text(markdown, encoding="utf-8")
    plot_sizes(results, out / "bench.png")
