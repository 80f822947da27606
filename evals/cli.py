"""`rag eval`: run the evaluation suite and write report.json, report.md and report.png."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from evals.configs import BY_NAME
from evals.golden import SPLITS, GoldenError, load_golden, load_splits
from rag import Progress, RagError

REPORTS_DIR = Path(__file__).with_name("reports")
SPLIT_CHOICES = (*SPLITS, "all")


def _eval(args: argparse.Namespace) -> int:
    from evals.plot import plot_report  # matplotlib only when the command runs
    from evals.runner import evaluate

    splits = SPLITS if args.split == "all" else (args.split,)
    try:
        questions = load_golden(args.questions) if args.questions else load_splits(splits)
        report = evaluate(configs=args.config, questions=questions, progress=Progress())
    except (GoldenError, ValueError, RagError) as e:  # a bad label, metadata row or corpus
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(report.to_json() + "\n", encoding="utf-8")
    (out / "report.md").write_text(report.to_markdown(), encoding="utf-8")
    plot_report(report, out / "report.png")
    print(report.summary())
    print()
    if "dev" in report.splits:
        for name in (c["name"] for c in report.configs):
            print(f"{name}: {len(report.failures(name, 'dev'))} dev questions not fully right")
    total = sum(report.questions.values())
    print(f"{total} questions in {report.seconds['total']:.0f} s; reports in {out}/")
    return 0


def register(sub: Any) -> None:
    """Add `rag eval` to the `rag` command's subparsers."""
    p = sub.add_parser(
        "eval",
        help="evaluate configurations on the golden questions",
        description="Run every configuration (or those given) on the golden questions of the "
        "dev and frozen test splits and write report.json, report.md and report.png.",
    )
    p.add_argument(
        "--config",
        action="append",
        choices=list(BY_NAME),
        metavar="NAME",
        help=f"a configuration to run (repeatable; default: all of {', '.join(BY_NAME)})",
    )
    p.add_argument(
        "--split",
        choices=SPLIT_CHOICES,
        default="all",
        help="which golden split(s) to run: dev, test or all (default: all, reported apart)",
    )
    p.add_argument(
        "--questions",
        type=Path,
        metavar="FILE",
        help="other golden questions as JSONL (v2 schema) instead of the splits",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=REPORTS_DIR,
        metavar="DIR",
        help="folder for the reports (default: evals/reports)",
    )
    p.set_defaults(func=_eval)
