"""The targets the open issues set for `rag bench`, checked against a run's results: each with
the size it was measured at and whether it holds. A target stated for 100k but measured at a
smaller size says so; a target not measured says that too."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    """`result[group][key]` at the size `at` (seed, largest, or the largest's update growth)
    must stay below `limit` (or at it, unless `strict`). `stated_for` is the size the issue
    states the target for, if it names one."""

    label: str
    at: str
    group: str
    key: str
    limit: float
    strict: bool = False
    stated_for: str = ""

    @property
    def bound(self) -> str:
        return f"{'<' if self.strict else '≤'} {self.limit:g}"

    def holds(self, value: float) -> bool:
        compare: Callable[[float, float], bool] = operator.lt if self.strict else operator.le
        return compare(value, self.limit)


TARGETS = (
    Target(
        "full answer p50 ÷ bare question-embedding p50",
        at="seed",
        group="query",
        key="ratio_ask_to_embed_p50",
        limit=3,
    ),
    Target(
        "what-question answer p50, warm, ms",
        at="largest",
        group="query",
        key="ask_p50_what_ms",
        limit=150,
        strict=True,
        stated_for="100k",
    ),
    Target(
        "who-question answer p50, warm, ms",
        at="largest",
        group="query",
        key="ask_p50_who_ms",
        limit=300,
        strict=True,
        stated_for="100k",
    ),
    Target(
        "cold `rag ask` ÷ `import chromadb`",
        at="seed",
        group="cold_start",
        key="ratio_to_import_chromadb",
        limit=2.5,
    ),
    Target(
        "cold web chat to its first answer, beyond a bare Gradio app's start, ÷ `import chromadb`",
        at="seed",
        group="chat_start",
        key="ratio_beyond_server_to_import_chromadb",
        limit=2.5,
    ),
    Target(
        "peak memory of a cold `rag ask`, MiB",
        at="largest",
        group="memory",
        key="peak_rss_cold_start_mib",
        limit=700,
        stated_for="100k",
    ),
    Target(
        "one programme changed: growth of its re-ingest, corpus ×4",
        at="growth",
        group="update_growth",
        key="changed_ratio",
        limit=1.5,
    ),
    Target(
        "one programme deleted: growth of its re-ingest, corpus ×4",
        at="growth",
        group="update_growth",
        key="deleted_ratio",
        limit=1.5,
    ),
    Target(
        "one programme changed: overhead beyond its own embedding, s",
        at="largest",
        group="updates",
        key="changed_overhead_s",
        limit=5,
        stated_for="100k",
    ),
)
"""What the open issues ask: answer speed (#11); a fast cold start, memory, and index updates that
cost one programme (#12)."""


def value_at(result: dict[str, Any], group: str, key: str) -> Any:
    """`result[group][key]` (a dotted key goes deeper; no group: the top level), or None where
    any part is missing."""
    value: Any = result.get(group) if group else result
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def result_for(target: Target, results: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The size a target is measured at: the seed corpus, or the largest size."""
    if target.at == "seed":
        return next((r for r in results if r["size"] == "seed"), None)
    return max(results, key=lambda r: r["chunks"], default=None)


def measured_at(target: Target, result: dict[str, Any]) -> str:
    if target.at == "growth" and "update_growth" in result:
        growth = result["update_growth"]
        return f"{growth['small_size']} → {result['size']} (chunks ×{growth['chunks_ratio']})"
    return str(result["size"])


def check(target: Target, results: Sequence[dict[str, Any]]) -> tuple[str, str, str]:
    """Where the target was measured, its value, and whether it holds ("yes", "NO", or why it
    could not be told)."""
    result = result_for(target, results)
    value = value_at(result, target.group, target.key) if result else None
    if result is None or value is None:
        if target.at == "growth":
            return "–", "–", "not measured: needs a generated size (e.g. --sizes seed,2k)"
        return "–", "–", "not measured"
    verdict = "yes" if target.holds(value) else "NO"
    if target.stated_for and result["size"] != target.stated_for:
        verdict += f" (the target is for {target.stated_for})"
    return measured_at(target, result), str(value), verdict
