"""The configurations compared by the evaluation: a name and the `Settings` fields it overrides.

"textbook" is the LangChain tutorial recipe (recursive 1000/200 chunks, dense top-4, the
passages themselves as the answer) and serves as the peer to beat; the others are ablations
of our pipeline, whose default is "hybrid".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rag import Settings


@dataclass(frozen=True)
class EvalConfig:
    """A named set of `Settings` overrides, with a line saying what it tests."""

    name: str
    overrides: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self) -> None:
        unknown = sorted(set(self.overrides) - set(Settings.model_fields))
        if unknown:
            raise ValueError(f"config {self.name!r}: unknown setting(s) {', '.join(unknown)}")


DEFAULT = "hybrid"
CONFIGS: tuple[EvalConfig, ...] = (
    EvalConfig(
        "textbook",
        {
            "chunker": "recursive",
            "chunk_max_chars": 1000,
            "chunk_overlap": 200,
            "retrieval_mode": "dense",
            "top_k": 4,
            "answer_mode": "passages",
        },
        "LangChain textbook RAG: recursive 1000/200 chunks, dense top-4, passages as answer",
    ),
    EvalConfig("dense", {"retrieval_mode": "dense"}, "our pipeline, dense retrieval only"),
    EvalConfig("lexical", {"retrieval_mode": "lexical"}, "our pipeline, lexical retrieval only"),
    EvalConfig(DEFAULT, {}, "our pipeline with its defaults (hybrid retrieval)"),
    EvalConfig(
        "hybrid-no-diversify",
        {"diversify": False},
        "hybrid, without taking every programme's best passages for 'who' questions",
    ),
)
BY_NAME = {c.name: c for c in CONFIGS}


def select_configs(names: Iterable[str | EvalConfig] | None = None) -> list[EvalConfig]:
    """The named configurations (all when None), in the order given; unknown names are an error.

    >>> [c.name for c in select_configs(["hybrid", "textbook"])]
    ['hybrid', 'textbook']
    """
    if names is None:
        return list(CONFIGS)
    chosen: list[EvalConfig] = []
    for item in names:
        if isinstance(item, EvalConfig):
            chosen.append(item)
        elif item in BY_NAME:
            chosen.append(BY_NAME[item])
        else:
            raise ValueError(f"unknown config {item!r}; known: {', '.join(BY_NAME)}")
    if len({c.name for c in chosen}) != len(chosen):
        raise ValueError("each config may be given only once")
    if not chosen:
        raise ValueError("no configs to evaluate")
    return chosen
