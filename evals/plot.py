"""The report as a picture: the main metrics per configuration and split, and the fully-right
rate and refusal accuracy per question kind."""

from __future__ import annotations

from pathlib import Path

from matplotlib.axes import Axes

from evals.figures import new_figure
from evals.golden import KINDS
from evals.metrics import ANSWER_METRICS
from evals.runner import LABELS, Report

HATCHES = {"dev": "", "test": "//"}
LEGEND_COLUMNS = 1


def plot_report(report: Report, path: str | Path) -> Path:
    """Write a two-panel PNG: grouped bars of every answer metric by configuration and split
    (top; test bars hatched), and the fully-right rate (bars) with refusal accuracy (diamonds)
    by question kind (bottom)."""
    fig = new_figure(14, 9)
    top, bottom = fig.subplots(2, 1)
    draw_metrics(top, report)
    draw_kinds(bottom, report)
    path = Path(path)
    fig.savefig(path, dpi=110)
    return path


def _series(report: Report) -> tuple[list[str], list[tuple[str, str]], float]:
    """The configuration names, the (configuration, split) bar series and one bar's width."""
    names = [c["name"] for c in report.configs]
    series = [(n, s) for n in names for s in report.splits]
    return names, series, 0.8 / len(series)


def draw_metrics(ax: Axes, report: Report) -> None:
    """Grouped bars of every answer metric by configuration and split."""
    names, series, width = _series(report)
    for i, (name, split) in enumerate(series):
        overall = report.overall(name, split)
        xs = [m + (i - (len(series) - 1) / 2) * width for m in range(len(ANSWER_METRICS))]
        values = [overall[m] or 0.0 for m in ANSWER_METRICS]
        color = f"C{names.index(name) % 10}"
        ax.bar(xs, values, width, label=f"{name} {split}", color=color, hatch=HATCHES[split])
    ax.set_xticks(range(len(ANSWER_METRICS)), [LABELS[m] for m in ANSWER_METRICS])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (mean over questions)")
    sizes = ", ".join(f"{report.questions[s]} {s}" for s in report.splits)
    ax.set_title(f"Main metrics by configuration and split ({sizes} questions)")
    ax.legend(ncols=min(len(series), LEGEND_COLUMNS), loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(axis="y", alpha=0.3)


def draw_kinds(ax: Axes, report: Report) -> None:
    """The fully-right rate (bars) and refusal accuracy (diamonds) by question kind."""
    names, series, width = _series(report)
    for i, (name, split) in enumerate(series):
        groups = report.aggregates[name][split]
        xs = [k + (i - (len(series) - 1) / 2) * width for k in range(len(KINDS))]
        kinds = [groups.get(f"kind:{kind}", {}) for kind in KINDS]
        right = [g.get("fully_right") for g in kinds]
        refusal = [g.get("refusal_accuracy") for g in kinds]
        color = f"C{names.index(name) % 10}"
        bar_xs = [x for x, r in zip(xs, right, strict=True) if r is not None]
        ax.bar(
            bar_xs,
            [r for r in right if r is not None],
            width,
            color=color,
            hatch=HATCHES[split],
            label=f"{name} {split}",
        )
        marks = [(x, r) for x, r in zip(xs, refusal, strict=True) if r is not None]
        ax.scatter(
            [x for x, _ in marks],
            [r for _, r in marks],
            marker="D",
            s=24,
            color="black",
            edgecolors="white",
            zorder=3,
            label="refusal accuracy" if i == 0 else None,
        )
    counts = {
        kind: sum(r.kind == kind for r in report.rows if r.config == names[0]) for kind in KINDS
    }
    ax.set_xticks(range(len(KINDS)), [f"{kind} (n={counts[kind]})" for kind in KINDS])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (mean over questions)")
    ax.set_title("By question kind: fully right (bars) and refusal accuracy (◆)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(axis="y", alpha=0.3)
