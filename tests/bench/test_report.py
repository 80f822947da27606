"""The bench's tables and targets, on hand-made results: a miss is shown as a miss, a target
measured at another size than the one it is stated for says so, one not measured says that."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path
from typing import Any

import pytest

from evals.bench.measure import parse_size, size_label
from evals.bench.plot import plot_sizes
from evals.bench.report import table, targets_table
from evals.bench.targets import TARGETS, check


def result(size: str, chunks: int, **groups: dict[str, Any]) -> dict[str, Any]:
    return {"size": size, "chunks": chunks, **groups}


SEED = result(
    "seed",
    56,
    query={"ratio_ask_to_embed_p50": 3.4, "ask_p50_what_ms": 30.0, "ask_p50_who_ms": 40.0},
    updates={"changed_s": 0.2, "changed_overhead_s": -1.0, "changed_work": {"updated": 1}},
)
LARGE = result(
    "100k",
    99_000,
    query={"ratio_ask_to_embed_p50": 5.0, "ask_p50_what_ms": 149.0, "ask_p50_who_ms": 300.0},
    updates={"changed_s": 12.0, "own_embed_s": 1.5, "changed_overhead_s": 10.5},
    update_growth={
        "small_size": "25k",
        "small_chunks": 25_000,
        "chunks_ratio": 3.96,
        "changed_ratio": 1.4,
        "deleted_ratio": 1.6,
        "small": {"changed_s": 8.6},
    },
)


def verdicts(results: list[dict[str, Any]]) -> dict[str, tuple[str, str, str]]:
    return {t.key: check(t, results) for t in TARGETS}


def test_each_target_is_checked_at_its_size_and_misses_are_shown() -> None:
    found = verdicts([SEED, LARGE])
    assert found["ratio_ask_to_embed_p50"] == ("seed", "3.4", "NO")
    assert found["ask_p50_what_ms"] == ("100k", "149.0", "yes")
    assert found["ask_p50_who_ms"] == ("100k", "300.0", "NO")  # the bound is strict
    assert found["changed_ratio"] == ("25k → 100k (chunks ×3.96)", "1.4", "yes")
    assert found["deleted_ratio"] == ("25k → 100k (chunks ×3.96)", "1.6", "NO")
    assert found["changed_overhead_s"] == ("100k", "10.5", "NO")


def test_a_target_measured_below_its_size_says_so_and_one_not_measured_too() -> None:
    found = verdicts([SEED])
    assert found["ask_p50_what_ms"] == ("seed", "30.0", "yes (the target is for 100k)")
    assert found["changed_ratio"][2].startswith("not measured")
    assert verdicts([LARGE])["ratio_ask_to_embed_p50"] == ("–", "–", "not measured")


def test_tables_show_every_size_the_work_as_counts_and_gaps_as_dashes() -> None:
    text = table([SEED, LARGE])
    assert text.splitlines()[0] == "| measurement | seed | 100k |"
    assert "| one changed: added / updated / removed / embedded | 1 | – |" in text
    assert "| … one changed: re-ingest s | – | 8.6 |" in text
    assert "| one changed: growth of re-ingest s, chunks ×4 | – | 1.4 |" in text
    assert "| who-question answer p50, warm, ms < 300 | 100k | 300.0 | NO |" in targets_table(
        [SEED, LARGE]
    )


def test_the_plot_draws_sizes_with_gaps(tmp_path: Path) -> None:
    path = plot_sizes([SEED, LARGE], tmp_path / "bench.png")
    assert path.stat().st_size > 0


@pytest.mark.parametrize("label", ["seed", "500", "2.5k", "10k", "100k"])
def test_sizes_read_back_as_written(label: str) -> None:
    assert size_label(parse_size(label)) == label


@pytest.mark.parametrize("label", ["", "ten", "-1k", "1.2345k", "1e3"])
def test_a_size_that_is_not_one_is_an_error(label: str) -> None:
    with pytest.raises(ValueError, match="not a size"):
        parse_size(label)


@pytest.mark.parametrize("module", ["evals.bench.measure"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
