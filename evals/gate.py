"""The regression gate: minimum scores for the default configuration per golden split, kept
in thresholds.json as {"dev": {metric: minimum}, "test": {metric: minimum}}."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from evals.golden import SPLITS
from evals.metrics import ANSWER_METRICS

THRESHOLDS_PATH = Path(__file__).with_name("thresholds.json")


def load_thresholds(path: str | Path = THRESHOLDS_PATH) -> dict[str, dict[str, float]]:
    """Split → metric name → minimum; unknown splits or metrics and non-numbers are a
    ValueError."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"{path}: expected a non-empty object of split → metric → minimum")
    unknown_splits = sorted(set(raw) - set(SPLITS))
    if unknown_splits:
        raise ValueError(f"{path}: unknown split(s) {', '.join(unknown_splits)}")
    out = {}
    for split, minimums in raw.items():
        if not isinstance(minimums, dict):
            raise ValueError(f"{path}: {split} must be an object of metric → minimum")
        unknown = sorted(set(minimums) - set(ANSWER_METRICS))
        if unknown:
            raise ValueError(f"{path}: {split}: unknown metric(s) {', '.join(unknown)}")
        bad = sorted(
            k for k, v in minimums.items() if isinstance(v, bool) or not isinstance(v, int | float)
        )
        if bad:
            raise ValueError(f"{path}: {split}: minimums must be numbers: {', '.join(bad)}")
        out[split] = {k: float(v) for k, v in minimums.items()}
    return out


def below_thresholds(
    scores: Mapping[str, float | None], thresholds: Mapping[str, float]
) -> list[str]:
    """One line per metric under its minimum (a missing score counts as under).

    >>> below_thresholds({"fact_match": 0.5, "refusal_accuracy": 0.9},
    ...                  {"fact_match": 0.6, "refusal_accuracy": 0.9})
    ['fact_match: 0.500 < 0.600']
    """
    problems = []
    for metric, minimum in thresholds.items():
        value = scores.get(metric)
        if value is None or value < minimum:
            shown = "missing" if value is None else f"{value:.3f}"
            problems.append(f"{metric}: {shown} < {minimum:.3f}")
    return problems
