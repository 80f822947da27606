"""The regression gate: the default configuration on the full golden set must not fall below
evals/thresholds.json. The textbook peer runs beside it so the comparison is printed too."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals import DEFAULT, evaluate
from evals.gate import below_thresholds, load_thresholds


def test_default_config_meets_its_thresholds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = evaluate(configs=[DEFAULT, "textbook"], work_dir=tmp_path)
    with capsys.disabled():
        print(f"\n{report.summary_table()}\n({report.seconds['total']:.0f} s)")
    problems = below_thresholds(report.overall(DEFAULT), load_thresholds())
    failing = "\n".join(f"  {r.id}: {r.question}" for r in report.failures(DEFAULT))
    assert not problems, (
        f"{DEFAULT} is below its thresholds:\n  "
        + "\n  ".join(problems)
        + f"\nfailing questions:\n{failing}"
    )
