"""Progress of long work (ingest, evaluation, benchmarks), on stderr: the only tqdm import.

On a terminal each stage is a bar (done / total, rate, time left); otherwise each stage ends
with one plain line ("embed: 56 chunks in 3.1 s, 18.1 chunks/s"), which logs and CI keep
readable. `SILENT` is for the Python API, which prints nothing.

>>> import io
>>> out = io.StringIO()
>>> with Progress(out, bar=False).stage("read", 2, "files") as advance:
...     advance(2)
>>> out.getvalue().startswith("read: 2 files in ")
True
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TypeVar

T = TypeVar("T")
Advance = Callable[[int], None]


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


class Progress:
    """Reports stages of work to `stream` (default stderr): a bar on a terminal, else a line;
    nothing at all when `quiet`."""

    def __init__(
        self, stream: IO[str] | None = None, bar: bool | None = None, quiet: bool = False
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.bar = _is_terminal(self.stream) if bar is None else bar
        self.quiet = quiet

    @contextmanager
    def stage(self, label: str, total: int | None = None, unit: str = "items") -> Iterator[Advance]:
        """A stage of `total` units; the caller reports each step with `advance(n)`."""
        if self.quiet:
            yield _ignore
        elif self.bar:
            from tqdm import tqdm

            with tqdm(
                total=total, desc=label, unit=f" {unit}", file=self.stream, dynamic_ncols=True
            ) as bar:
                yield bar.update
        else:
            with self._line(label, unit) as advance:
                yield advance

    @contextmanager
    def _line(self, label: str, unit: str) -> Iterator[Advance]:
        done = 0

        def advance(n: int = 1) -> None:
            nonlocal done
            done += n

        started = time.perf_counter()
        yield advance
        seconds = time.perf_counter() - started
        rate = f", {done / seconds:.1f} {unit}/s" if seconds > 0 and done else ""
        print(f"{label}: {done} {unit} in {seconds:.1f} s{rate}", file=self.stream, flush=True)

    def iterate(self, label: str, items: Iterable[T], total: int, unit: str) -> Iterator[T]:
        """`items`, one step of a stage each."""
        with self.stage(label, total, unit) as advance:
            for item in items:
                yield item
                advance(1)


def _ignore(n: int = 1) -> None:
    """Progress that goes nowhere."""


SILENT = Progress(quiet=True)
"""Reports nothing: the Python API's default."""
