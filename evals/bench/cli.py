"""`rag bench` and its per-size worker (`python -m evals.bench --worker SIZE`): each size is
measured in a fresh process of its own, so that the peak memory is that size's.

Every `rag` command loads this module (to list its commands), so the measuring code is imported
only when a benchmark runs."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPORTS_DIR = Path(__file__).parents[1] / "reports" / "bench"
DEFAULT_SIZES = "seed,10k,100k"
MEMO_ABOVE = 20_000
"""Sizes with more chunks than this embed through the memo embedder (see the package doc)."""


def worker_args(
    args: argparse.Namespace, size: str, work: Path, result: Path, compare_chunks: int = 0
) -> list[str]:
    """The command line of the worker that measures `size` (and the updates at a corpus of
    `compare_chunks` chunks beside it, if not 0)."""
    from evals.bench.measure import parse_size

    argv = [sys.executable, "-m", "evals.bench", "--worker", size]
    argv += ["--work", str(work), "--result", str(result), "--seed", str(args.seed)]
    argv += ["--repeats", str(args.repeats), "--cold-runs", str(args.cold_runs)]
    argv += ["--questions", str(args.questions), "--ingest-rounds", str(args.ingest_rounds)]
    argv += ["--update-rounds", str(args.update_rounds), "--compare-chunks", str(compare_chunks)]
    if parse_size(size) > args.memo_above:
        argv.append("--memo")
    for setting in args.set or []:
        argv += ["--set", setting]
    return argv


def parse_overrides(pairs: Sequence[str] | None) -> dict[str, str]:
    """`--set NAME=VALUE` pairs as settings."""
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--set wants NAME=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def seed_questions() -> list[Any]:
    """The dev questions over the seed corpus, the one the benchmark indexes and grows."""
    from evals.golden import load_golden

    return [q for q in load_golden() if q.corpus == "seeds"]


def run_backends(args: argparse.Namespace) -> int:
    """`rag bench --backends`: compare embedding backends, print and save the table."""
    from evals.bench.backends import BACKENDS, compare_backends
    from evals.bench.report import backends_table

    names = args.backend or list(BACKENDS)
    unknown = [n for n in names if n not in BACKENDS]
    if unknown:
        known = ", ".join(BACKENDS)
        print(f"error: unknown backend(s) {', '.join(unknown)}; known: {known}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        result = compare_backends(names, seed_questions(), Path(tmp), rounds=args.repeats)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "backends.json").write_text(json.dumps(result, indent=2) + "\n")
    print(backends_table(result))
    return 0


def run_sizes(args: argparse.Namespace, sizes: Sequence[str], base: Path) -> int:
    """One worker per size, in turn; the reports are rewritten after each. The largest
    generated size also times its updates against a corpus `GROWTH` times smaller."""
    from evals.bench.coldstart import same_code_env
    from evals.bench.measure import parse_size
    from evals.bench.report import table, targets_table, write_reports
    from evals.bench.updates import GROWTH

    env = same_code_env(dict(os.environ))
    largest = max(sizes, key=parse_size)
    results = []
    for size in sizes:
        work = base / size
        work.mkdir(parents=True, exist_ok=True)
        result_path = work / "result.json"
        compare = parse_size(size) // GROWTH if size == largest else 0
        print(f"bench {size} ...", file=sys.stderr, flush=True)
        done = subprocess.run(worker_args(args, size, work, result_path, compare), env=env)
        if done.returncode != 0:
            print(f"error: bench {size} failed ({done.returncode})", file=sys.stderr)
            return 1
        results.append(json.loads(result_path.read_text()))
        write_reports(results, args.out)  # partial reports survive a later failure
    print(table(results))
    print()
    print(targets_table(results))
    print(f"\nreports in {args.out}/ (bench.json, bench.md, bench.png)")
    return 0


def bench(args: argparse.Namespace) -> int:
    """`rag bench`."""
    if args.backends:
        return run_backends(args)
    from evals.bench.measure import parse_size, size_label

    try:
        sizes = [size_label(parse_size(s)) for s in args.sizes.split(",") if s.strip()]
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if not sizes:
        print("error: --sizes names no size", file=sys.stderr)
        return 2
    if args.work:
        return run_sizes(args, sizes, Path(args.work))
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        return run_sizes(args, sizes, Path(tmp))


def add_options(p: argparse.ArgumentParser) -> None:
    """The options `rag bench` passes on to each size's worker."""
    p.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpora")
    p.add_argument("--repeats", type=int, default=3, help="timed passes over the questions")
    p.add_argument("--cold-runs", type=int, default=3, help="cold starts per size (median)")
    p.add_argument(
        "--questions",
        type=int,
        default=0,
        help="use N golden questions, taken in turn from each kind (default: all)",
    )
    p.add_argument(
        "--ingest-rounds",
        type=int,
        default=3,
        help="ingest/bare-embed rounds at the seed size (larger sizes ingest once)",
    )
    p.add_argument(
        "--update-rounds",
        type=int,
        default=3,
        help="times each update (one programme changed, one deleted) is timed (median)",
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
    p.add_argument(
        "--sizes",
        default=DEFAULT_SIZES,
        help=f"comma-separated: seed, or chunks as 10k, 2.5k, 500 (default: {DEFAULT_SIZES})",
    )
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
        "--backend", action="append", metavar="NAME", help="a backend to compare (repeatable)"
    )
    add_options(p)
    p.set_defaults(func=bench)


def worker(argv: Sequence[str] | None = None) -> int:
    """Measure one size and write its result as JSON (`python -m evals.bench`)."""
    from evals.bench.measure import SizeRun, parse_size, run_size

    p = argparse.ArgumentParser(prog="python -m evals.bench")
    p.add_argument("--worker", required=True, metavar="SIZE")
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--result", type=Path, required=True)
    p.add_argument("--memo", action="store_true")
    p.add_argument("--compare-chunks", type=int, default=0)
    add_options(p)
    args = p.parse_args(argv)
    chunks = parse_size(args.worker)
    run = SizeRun(
        size=args.worker,
        target_chunks=chunks,
        work=args.work,
        seed=args.seed,
        memo=args.memo,
        repeats=args.repeats,
        cold_runs=args.cold_runs,
        ingest_rounds=args.ingest_rounds if chunks == 0 else 1,
        max_questions=args.questions,
        update_rounds=args.update_rounds,
        compare_chunks=args.compare_chunks,
        overrides=parse_overrides(args.set),
    )
    result = run_size(run, seed_questions())
    args.result.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0
