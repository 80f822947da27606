"""The exception hierarchy is the one documented at the top of errors.py, and every error says
what to do about it."""

from __future__ import annotations

import re

import pytest

import rag.errors
from rag.errors import ConfigError, QuestionError, RagError


def documented_parents() -> dict[str, str]:
    """Each class in the docstring's tree, with the class it hangs under."""
    doc = rag.errors.__doc__ or ""
    parents: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in doc.splitlines():
        if not (line.startswith("RagError") or "── " in line):
            continue  # not a line of the tree
        m = re.match(r"^((?:│   |    )*)(?:[├└]── )?(\w+)", line)
        assert m, line
        depth = len(m.group(1)) // 4 + (1 if "── " in line else 0)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            parents[m.group(2)] = stack[-1][1]
        stack.append((depth, m.group(2)))
    return parents


def test_the_documented_tree_is_the_real_one() -> None:
    parents = documented_parents()
    assert parents["MetadataError"] == "CorpusError" and parents["CorpusError"] == "RagError"
    for name, parent in parents.items():
        cls = getattr(rag.errors, name)
        assert cls.__bases__[0] is getattr(rag.errors, parent), name
    defined = {
        name
        for name, obj in vars(rag.errors).items()
        if isinstance(obj, type) and issubclass(obj, RagError) and obj.__name__ == name
    }
    assert defined == set(parents) | {"RagError"}


def test_a_hint_follows_the_message() -> None:
    error = QuestionError("the question is empty", "type a question")
    assert str(error) == "the question is empty (type a question)"
    assert (error.message, error.hint) == ("the question is empty", "type a question")
    assert str(RagError("plain")) == "plain"


@pytest.mark.parametrize("cls", [QuestionError, ConfigError])
def test_bad_input_is_also_a_value_error(cls: type[RagError]) -> None:
    assert issubclass(cls, ValueError) and issubclass(cls, RagError)
