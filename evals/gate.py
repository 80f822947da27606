"""The regression gate: minimum scores for the default configuration, kept in thresholds.json."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from evals.metrics import ANSWER_METRICS

THRESHOLDS_PATH = Path(__file__).with_name("thresholds.json")


def load_thresholds(path: str | Path = THRESHOLDS_PATH) -> dict[str, float]:
    """Metric name → minimum; unknown metric names and non-numbers are a ValueError."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"{path}: expected a non-empty object of metric → minimum")
    unknown = sorted(set(raw) - set(ANSWER_METRICS))
    if unknown:
        raise ValueError(f"{path}: unknown metric(s) {', '.join(unknown)}")
    bad = sorted(k for k, v in raw.items() if isinstance(v, bool) or not isinstance(v, int | float))
    if bad:
        raise ValueError(f"{path}: minimums must be numbers: {', '.join(bad)}")
    return {k: float(v) for k, v in raw.items()}


def below_thresholds(
    scores: Mapping[str, float | None], thresholds: Mapping[str, float]
) -> list[str]:
    """One line per metric under its minimum (a missing score counts as under).

    >>> below_thresholds({"key_fact_match": 0.5, "refusal_accuracy": 0.9},
    ...                  {"key_fact_match": 0.6, "refusal_accuracy": 0.9})
    ['key_fact_match: 0.500 < 0.600']
    """
    problems = []
    for metric, minimum in thresholds.items():
        value = scores.get(metric)
        if value is None or value < minimum:
            shown = "missing" if value is None else f"{value:.3f}"
            problems.append(f"{metric}: {shown} < {minimum:.3f}")
    return problems
