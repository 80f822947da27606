"""The golden question set: one JSON object per line, validated on load.

Each line has these fields (see evals/README.md, "Golden set"):

- `id` (str, unique): a short stable name, e.g. "sv-who-sprutbyte".
- `question` (str): the question as a user would type it.
- `language` ("sv" | "en"): the language of the question.
- `kind` ("single" | "multi" | "paraphrase" | "followup" | "unanswerable"): what it tests.
- `expected_municipalities` (list[str]): the programmes that answer it; empty if unanswerable.
- `key_facts` (list[str]): verbatim phrases from those programmes that a good answer quotes;
  empty if unanswerable.
- `answerable` (bool): false exactly when the corpus cannot answer and the assistant should
  refuse.
- `history` (list of {"role", "content"}, optional, required for "followup"): earlier turns.
- `filters` (object, optional): `{"municipality": [...], "party": [...]}` as given to `ask`.
- `note` (str, optional): why the labels are what they are.

A line that breaks any rule is a `GoldenError` naming the file, the line number and the problem,
so a bad label fails loudly instead of skewing the numbers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLDEN_PATH = Path(__file__).with_name("golden.jsonl")
KINDS = ("single", "multi", "paraphrase", "followup", "unanswerable")
LANGUAGES = ("sv", "en")
ROLES = ("user", "assistant")
FILTER_KEYS = ("municipality", "party")
REQUIRED = {
    "id": str,
    "question": str,
    "language": str,
    "kind": str,
    "expected_municipalities": list,
    "key_facts": list,
    "answerable": bool,
}
OPTIONAL = {"history": list, "filters": dict, "note": str}


class GoldenError(ValueError):
    """A golden-set line that does not follow the schema; the message says where and why."""


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation."""

    role: str
    content: str


@dataclass(frozen=True)
class GoldenQuestion:
    """One labelled question; see the module docstring for what each field means."""

    id: str
    question: str
    language: str
    kind: str
    expected_municipalities: tuple[str, ...]
    key_facts: tuple[str, ...]
    answerable: bool
    history: tuple[Turn, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    note: str = ""

    def history_messages(self) -> list[dict[str, str]]:
        """The history as role dicts, the form `Assistant.ask` takes."""
        return [{"role": t.role, "content": t.content} for t in self.history]

    def filter_dict(self) -> dict[str, list[str]] | None:
        """The filters as `Assistant.ask` takes them, or None."""
        return {key: list(values) for key, values in self.filters} or None

    def retrieval_query(self) -> str:
        """The text to retrieve with: earlier user questions, then this one.

        >>> GoldenQuestion("x", "Och Örebro?", "sv", "followup", ("Örebro",), ("heder",), True,
        ...     (Turn("user", "Vad säger Botkyrka om heder?"),)).retrieval_query()
        'Vad säger Botkyrka om heder? Och Örebro?'
        """
        turns = [t.content for t in self.history if t.role == "user"]
        return " ".join([*turns, self.question])


def _strings(value: list[Any], field: str) -> tuple[str, ...]:
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{field} must be a list of non-empty strings")
    return tuple(value)


def _history(value: list[Any]) -> tuple[Turn, ...]:
    turns = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) != {"role", "content"}:
            raise ValueError(f"history[{i}] must be an object with exactly 'role' and 'content'")
        role, content = item["role"], item["content"]
        if role not in ROLES:
            raise ValueError(f"history[{i}].role is {role!r}; allowed: {', '.join(ROLES)}")
        if not isinstance(content, str) or not content.strip():
            raise ValueError(f"history[{i}].content must be a non-empty string")
        turns.append(Turn(role, content))
    return tuple(turns)


def _filters(value: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    unknown = sorted(set(value) - set(FILTER_KEYS))
    if unknown:
        raise ValueError(f"unknown filter key(s) {unknown}; allowed: {', '.join(FILTER_KEYS)}")
    out = []
    for key in FILTER_KEYS:
        if key in value:
            if not isinstance(value[key], list) or not value[key]:
                raise ValueError(f"filters.{key} must be a non-empty list of strings")
            out.append((key, _strings(value[key], f"filters.{key}")))
    return tuple(out)


def parse_golden(record: Any) -> GoldenQuestion:
    """One decoded JSON line as a GoldenQuestion; a ValueError says what is wrong."""
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    missing = [f for f in REQUIRED if f not in record]
    if missing:
        raise ValueError(f"missing required field(s): {', '.join(missing)}")
    unknown = sorted(set(record) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(unknown)}")
    for field, kind in {**REQUIRED, **OPTIONAL}.items():
        if field in record and not isinstance(record[field], kind):
            got = type(record[field]).__name__
            raise ValueError(f"{field} must be of type {kind.__name__}, got {got}")
    for field in ("id", "question"):
        if not record[field].strip():
            raise ValueError(f"{field} is empty")
    if record["language"] not in LANGUAGES:
        raise ValueError(f"language is {record['language']!r}; allowed: {', '.join(LANGUAGES)}")
    if record["kind"] not in KINDS:
        raise ValueError(f"kind is {record['kind']!r}; allowed: {', '.join(KINDS)}")
    municipalities = _strings(record["expected_municipalities"], "expected_municipalities")
    facts = _strings(record["key_facts"], "key_facts")
    answerable = record["answerable"]
    history = _history(record.get("history", []))
    if (record["kind"] == "unanswerable") == answerable:
        raise ValueError("kind 'unanswerable' goes with answerable false, and only with it")
    if not answerable and (municipalities or facts):
        raise ValueError("an unanswerable question has no expected_municipalities or key_facts")
    if answerable and not (municipalities and facts):
        raise ValueError("an answerable question needs expected_municipalities and key_facts")
    if len(set(municipalities)) != len(municipalities):
        raise ValueError("expected_municipalities has duplicates")
    if record["kind"] == "followup" and not any(t.role == "user" for t in history):
        raise ValueError("a followup question needs a history with at least one user turn")
    return GoldenQuestion(
        id=record["id"],
        question=record["question"],
        language=record["language"],
        kind=record["kind"],
        expected_municipalities=municipalities,
        key_facts=facts,
        answerable=answerable,
        history=history,
        filters=_filters(record.get("filters", {})),
        note=record.get("note", ""),
    )


def load_golden(path: str | Path = GOLDEN_PATH) -> list[GoldenQuestion]:
    """All questions in a JSONL file, or a GoldenError naming the first bad line.

    Blank lines are skipped; ids must be unique.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise GoldenError(f"{path}: cannot read the golden set: {e.strerror or e}") from e
    questions: list[GoldenQuestion] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            question = parse_golden(json.loads(line))
        except json.JSONDecodeError as e:
            raise GoldenError(f"{path}:{number}: not valid JSON: {e.msg}") from e
        except ValueError as e:
            raise GoldenError(f"{path}:{number}: {e}") from e
        if question.id in seen:
            raise GoldenError(
                f"{path}:{number}: duplicate id {question.id!r} (first on line {seen[question.id]})"
            )
        seen[question.id] = number
        questions.append(question)
    if not questions:
        raise GoldenError(f"{path}: no questions")
    return questions
