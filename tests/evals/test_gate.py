"""The regression gate: the default configuration must not fall below evals/thresholds.json on
either golden split (dev and the frozen test split). Only aggregates of the test split are
shown; failing questions are listed for dev alone. (`rag eval` runs the textbook peer beside
it.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals import DEFAULT, evaluate
from evals.gate import below_thresholds, load_thresholds

pytestmark = pytest.mark.slow  # evaluates every golden question with the real model


def test_default_config_meets_its_thresholds_on_both_splits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = evaluate(configs=[DEFAULT], work_dir=tmp_path)
    with capsys.disabled():
        print(f"\n{report.summary()}\n({report.seconds['total']:.0f} s)")
    thresholds = load_thresholds()
    assert set(report.splits) == set(thresholds)
    problems = [
        f"{split} {line}"
        for split, minimums in thresholds.items()
        for line in below_thresholds(report.overall(DEFAULT, split), minimums)
    ]
    failing = "\n".join(f"  {r.id}: {r.question}" for r in report.failures(DEFAULT, "dev"))
    assert not problems, (
        f"{DEFAULT} is below its thresholds:\n  "
        + "\n  ".join(problems)
        + f"\nfailing dev questions:\n{failing}"
    )
