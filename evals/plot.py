"""The report as a picture: the main metrics per configuration, and results per question kind."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from evals.golden import KINDS
from evals.metrics import ANSWER_METRICS
from evals.runner import LABELS, Report


def plot_report(report: Report, path: str | Path) -> Path:
    """Write a two-panel PNG: grouped bars of every answer metric by configuration (top), and
    municipality recall (bars) with refusal accuracy (diamonds) by question kind (bottom)."""
    names = [c["name"] for c in report.configs]
    width = 0.8 / len(names)
    fig = Figure(figsize=(13, 9), layout="constrained")
    FigureCanvasAgg(fig)  # the Agg canvas: renders to files, needs no display or pyplot state
    top, bottom = fig.subplots(2, 1)

    for i, name in enumerate(names):
        overall = report.overall(name)
        xs = [m + (i - (len(names) - 1) / 2) * width for m in range(len(ANSWER_METRICS))]
        values = [overall[m] or 0.0 for m in ANSWER_METRICS]
        top.bar(xs, values, width, label=name, color=f"C{i % 10}")
    top.set_xticks(range(len(ANSWER_METRICS)), [LABELS[m] for m in ANSWER_METRICS])
    top.set_ylim(0, 1.05)
    top.set_ylabel("score (mean over questions)")
    top.set_title(f"Main metrics by configuration ({report.questions} golden questions)")
    top.legend(ncols=len(names), loc="lower center", bbox_to_anchor=(0.5, -0.22), frameon=False)
    top.grid(axis="y", alpha=0.3)

    for i, name in enumerate(names):
        groups = report.aggregates[name]
        xs = [k + (i - (len(names) - 1) / 2) * width for k in range(len(KINDS))]
        kinds = [groups.get(f"kind:{kind}", {}) for kind in KINDS]
        recall = [g.get("municipality_recall") for g in kinds]
        refusal = [g.get("refusal_accuracy") for g in kinds]
        color = f"C{i % 10}"  # the default colour cycle
        bar_xs = [x for x, r in zip(xs, recall, strict=True) if r is not None]
        bottom.bar(bar_xs, [r for r in recall if r is not None], width, color=color, label=name)
        marks = [(x, r) for x, r in zip(xs, refusal, strict=True) if r is not None]
        bottom.scatter(
            [x for x, _ in marks],
            [r for _, r in marks],
            marker="D",
            s=28,
            color="black",
            edgecolors="white",
            zorder=3,
            label="refusal accuracy" if i == 0 else None,
        )
    counts = {
        kind: sum(r.kind == kind for r in report.rows if r.config == names[0]) for kind in KINDS
    }
    bottom.set_xticks(range(len(KINDS)), [f"{kind} (n={counts[kind]})" for kind in KINDS])
    bottom.set_ylim(0, 1.05)
    bottom.set_ylabel("score (mean over questions)")
    bottom.set_title(
        "By question kind: municipality recall (bars) and refusal accuracy (◆); "
        "unanswerable questions have no recall"
    )
    bottom.legend(
        ncols=len(names) + 1, loc="lower center", bbox_to_anchor=(0.5, -0.22), frameon=False
    )
    bottom.grid(axis="y", alpha=0.3)

    path = Path(path)
    fig.savefig(path, dpi=110)
    return path
