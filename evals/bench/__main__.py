"""`python -m evals.bench --worker SIZE ...`: measure one size (started by `rag bench`)."""

import sys

from evals.bench.cli import worker

sys.exit(worker())
