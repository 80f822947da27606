"""`bench.png`: how each measurement grows with the number of chunks (log scales)."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes

from evals.figures import new_figure

Series = tuple[str, str, str]
"""A line of a panel: (legend label, result group, key)."""
PANELS: tuple[tuple[str, bool, tuple[Series, ...]], ...] = (
    (
        "ingest, chunks/s",
        False,
        (("pipeline", "ingest", "chunks_per_s"), ("bare embed", "ingest", "bare_chunks_per_s")),
    ),
    (
        "warm query, ms",
        False,
        (
            ("retrieve p50", "query", "retrieve_p50_ms"),
            ("retrieve p95", "query", "retrieve_p95_ms"),
            ("ask p50", "query", "ask_p50_ms"),
            ("ask p95", "query", "ask_p95_ms"),
            ("ask p50, what-questions", "query", "ask_p50_what_ms"),
            ("ask p50, who-questions", "query", "ask_p50_who_ms"),
            ("embed question p50", "query", "embed_p50_ms"),
        ),
    ),
    (
        "seconds",
        True,  # from milliseconds to minutes
        (
            ("cold start", "cold_start", "median_s"),
            ("re-ingest unchanged", "updates", "unchanged_s"),
            ("re-ingest, one programme changed", "updates", "changed_s"),
            ("… its own embedding", "updates", "own_embed_s"),
            ("re-ingest, one programme deleted", "updates", "deleted_s"),
        ),
    ),
    (
        "MiB",
        True,  # from MiB to GiB
        (
            ("peak RSS, bench process", "memory", "peak_rss_mib"),
            ("peak RSS, cold `rag ask`", "memory", "peak_rss_cold_start_mib"),
            ("index on disk", "disk", "index_mib"),
        ),
    ),
)
"""Each panel: its title, whether its y axis is logarithmic, and its lines."""


def points(results: Sequence[dict[str, Any]], group: str, key: str) -> list[tuple[int, float]]:
    """(chunks, value) of each size that has the value; the updates also at the smaller corpus
    the largest size compared them with."""
    out = []
    for r in results:
        growth = r.get("update_growth") if group == "updates" else None
        if growth and growth["small"].get(key) is not None:
            out.append((growth["small_chunks"], growth["small"][key]))
        if r.get(group, {}).get(key) is not None:
            out.append((max(1, r["chunks"]), r[group][key]))
    return sorted(out)


def draw_panel(
    ax: Axes, title: str, log_y: bool, series: Sequence[Series], results: Sequence[dict[str, Any]]
) -> None:
    """One panel: each series against the number of chunks, skipping sizes that lack it."""
    for label, group, key in series:
        if found := points(results, group, key):
            ax.plot(*zip(*found, strict=True), marker="o", label=label)
    ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.set_xlabel("chunks")
    ax.grid(True, alpha=0.3)
    if ax.lines:
        ax.legend(fontsize=8)


def plot_sizes(results: Sequence[dict[str, Any]], path: Path) -> Path:
    """Write the growth plot of `results` (one per size) to `path`."""
    fig = new_figure(11, 8)
    for ax, (title, log_y, series) in zip(fig.subplots(2, 2).flat, PANELS, strict=True):
        draw_panel(ax, title, log_y, series, results)
    fig.suptitle(f"rag bench on {platform.node()} ({os.cpu_count()} cores)")
    fig.savefig(path, dpi=100)
    return path
