"""Evaluation of the assistant on a labelled golden set (dev and frozen test splits), side by
side across configurations.

>>> from evals import evaluate                                     # doctest: +SKIP
>>> print(evaluate(["hybrid", "textbook"], splits=["dev"]).summary())  # doctest: +SKIP
"""

from evals.configs import CONFIGS, DEFAULT, EvalConfig, select_configs
from evals.golden import GoldenError, GoldenQuestion, load_golden, load_splits
from evals.runner import QuestionResult, Report, evaluate

__all__ = [
    "CONFIGS",
    "DEFAULT",
    "EvalConfig",
    "GoldenError",
    "GoldenQuestion",
    "QuestionResult",
    "Report",
    "evaluate",
    "load_golden",
    "load_splits",
    "select_configs",
]
