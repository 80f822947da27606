"""The golden question set (v2): one JSON object per line, validated on load.

Two files: `golden/dev.jsonl` (for tuning) and `golden/test.jsonl` (frozen: never used for
tuning; its sha256 is in `golden/FROZEN`). Each line has these fields (evals/README.md, "Golden
set", has the full rules):

- `id` (str, unique across both files), `question` (str), `language` ("sv" | "en").
- `corpus` ("seeds" | "full"): the five seed programmes in corpus/ only, or those plus the
  evaluation corpus in evals/corpus/.
- `kind`: who, opposes, mentions, fact, single, followup, unanswerable or injection.
- `answerable` (bool): false exactly when the assistant should refuse.
- `expected`: the programmes that must be named, each `{"municipality", "party", "facts"}`
  where `facts` are alternative verbatim phrases of that programme, one of which a citation
  of it must contain; empty exactly when unanswerable.
- `opposers` (optional): `{"municipality", "party"}` entries that say no to the topic of a
  who-question and must not be named among its proposers.
- `history` (optional, required for followup), `filters` (optional), `note` (str: why the
  labels are what they are).

A line that breaks a rule is a `GoldenError` naming the file, the line number and the problem,
so a bad label fails loudly instead of skewing the numbers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).with_name("golden")
SPLITS = ("dev", "test")
FROZEN_PATH = GOLDEN_DIR / "FROZEN"
DEV_PATH = GOLDEN_DIR / "dev.jsonl"
KINDS = (
    "who",
    "opposes",
    "mentions",
    "fact",
    "single",
    "followup",
    "unanswerable",
    "injection",
)
ALWAYS_ANSWERABLE = ("who", "opposes", "mentions", "fact", "single", "followup")
CORPORA = ("seeds", "full")
LANGUAGES = ("sv", "en")
ROLES = ("user", "assistant")
FILTER_KEYS = ("municipality", "party")
REQUIRED = {
    "id": str,
    "question": str,
    "language": str,
    "corpus": str,
    "kind": str,
    "answerable": bool,
    "expected": list,
    "note": str,
}
OPTIONAL = {"opposers": list, "history": list, "filters": dict}

Programme = tuple[str, str]
"""A programme as the evaluation names it: (municipality, party)."""


class GoldenError(ValueError):
    """A golden-set line that does not follow the schema; the message says where and why."""


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation."""

    role: str
    content: str


@dataclass(frozen=True)
class Expected:
    """A programme the answer must name, and the phrases one of its citations must contain."""

    municipality: str
    party: str
    facts: tuple[str, ...]

    @property
    def programme(self) -> Programme:
        return (self.municipality, self.party)


@dataclass(frozen=True)
class GoldenQuestion:
    """One labelled question; see the module docstring for what each field means."""

    id: str
    question: str
    language: str
    corpus: str
    kind: str
    answerable: bool
    expected: tuple[Expected, ...] = ()
    opposers: tuple[Programme, ...] = ()
    history: tuple[Turn, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    note: str = ""
    split: str = "dev"

    @property
    def programmes(self) -> set[Programme]:
        """The expected (municipality, party) pairs."""
        return {e.programme for e in self.expected}

    @property
    def municipalities(self) -> tuple[str, ...]:
        """The expected municipalities, in label order, each once."""
        return tuple(dict.fromkeys(e.municipality for e in self.expected))

    def retrieval_query(self) -> str:
        """The text to retrieve with: earlier user questions, then this one.

        >>> GoldenQuestion("x", "Och Örebro?", "sv", "seeds", "followup", True,
        ...     history=(Turn("user", "Vad säger Botkyrka om heder?"),)).retrieval_query()
        'Vad säger Botkyrka om heder? Och Örebro?'
        """
        turns = [t.content for t in self.history if t.role == "user"]
        return " ".join([*turns, self.question])

    def history_messages(self) -> list[dict[str, str]]:
        """The history as role dicts, the form `Assistant.ask` takes."""
        return [{"role": t.role, "content": t.content} for t in self.history]

    def filter_dict(self) -> dict[str, list[str]] | None:
        """The filters as `Assistant.ask` takes them, or None."""
        return {key: list(values) for key, values in self.filters} or None


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field} must be a non-empty string")
    return value


def _strings(value: Any, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{field} must be a list of non-empty strings")
    return tuple(value)


def _programme(item: Any, field: str, keys: set[str]) -> Mapping[str, Any]:
    if not isinstance(item, Mapping) or set(item) != keys:
        raise ValueError(f"{field} must be an object with exactly {', '.join(sorted(keys))}")
    _text(item["municipality"], f"{field}.municipality")
    _text(item["party"], f"{field}.party")
    return item


def _expected(value: list[Any]) -> tuple[Expected, ...]:
    out = []
    for i, item in enumerate(value):
        field = f"expected[{i}]"
        _programme(item, field, {"municipality", "party", "facts"})
        facts = _strings(item["facts"], f"{field}.facts")
        if not facts:
            raise ValueError(f"{field}.facts needs at least one phrase")
        out.append(Expected(item["municipality"], item["party"], facts))
    return tuple(out)


def _opposers(value: list[Any]) -> tuple[Programme, ...]:
    keys = {"municipality", "party"}
    return tuple(
        (p["municipality"], p["party"])
        for i, item in enumerate(value)
        for p in [_programme(item, f"opposers[{i}]", keys)]
    )


def _history(value: list[Any]) -> tuple[Turn, ...]:
    turns = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) != {"role", "content"}:
            raise ValueError(f"history[{i}] must be an object with exactly 'role' and 'content'")
        if item["role"] not in ROLES:
            raise ValueError(f"history[{i}].role is {item['role']!r}; allowed: {', '.join(ROLES)}")
        turns.append(Turn(item["role"], _text(item["content"], f"history[{i}].content")))
    return tuple(turns)


def _filters(value: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    unknown = sorted(set(value) - set(FILTER_KEYS))
    if unknown:
        raise ValueError(f"unknown filter key(s) {unknown}; allowed: {', '.join(FILTER_KEYS)}")
    out = []
    for key in FILTER_KEYS:
        if key in value:
            values = _strings(value[key], f"filters.{key}")
            if not values:
                raise ValueError(f"filters.{key} must be a non-empty list of strings")
            out.append((key, values))
    return tuple(out)


def _check_fields(record: Any) -> None:
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
    for field in ("id", "question", "note"):
        _text(record[field], field)
    for field, allowed in (("language", LANGUAGES), ("corpus", CORPORA), ("kind", KINDS)):
        if record[field] not in allowed:
            raise ValueError(f"{field} is {record[field]!r}; allowed: {', '.join(allowed)}")


def _check_labels(q: GoldenQuestion) -> None:
    if q.kind == "unanswerable" and q.answerable:
        raise ValueError("kind 'unanswerable' goes with answerable false")
    if q.kind in ALWAYS_ANSWERABLE and not q.answerable:
        raise ValueError(f"kind {q.kind!r} goes with answerable true")
    if q.answerable != bool(q.expected):
        raise ValueError("expected must be empty exactly when answerable is false")
    if len(q.programmes) != len(q.expected):
        raise ValueError("expected names a programme (municipality, party) twice")
    overlap = q.programmes & set(q.opposers)
    if overlap:
        raise ValueError(f"{sorted(overlap)} is both expected and an opposer")
    if q.kind == "followup" and not any(t.role == "user" for t in q.history):
        raise ValueError("a followup question needs a history with at least one user turn")


def parse_golden(record: Any, split: str = "dev") -> GoldenQuestion:
    """One decoded JSON line as a GoldenQuestion; a ValueError says what is wrong."""
    _check_fields(record)
    q = GoldenQuestion(
        id=record["id"],
        question=record["question"],
        language=record["language"],
        corpus=record["corpus"],
        kind=record["kind"],
        answerable=record["answerable"],
        expected=_expected(record["expected"]),
        opposers=_opposers(record.get("opposers", [])),
        history=_history(record.get("history", [])),
        filters=_filters(record.get("filters", {})),
        note=record["note"],
        split=split,
    )
    _check_labels(q)
    return q


def load_golden(path: str | Path = DEV_PATH, split: str | None = None) -> list[GoldenQuestion]:
    """All questions in a JSONL file, or a GoldenError naming the first bad line.

    Blank lines are skipped; ids must be unique. `split` defaults to the file's stem when that
    names a split ("test.jsonl" → test), else to "dev".
    """
    path = Path(path)
    split = split or (path.stem if path.stem in SPLITS else "dev")
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
            question = parse_golden(json.loads(line), split)
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


def split_path(split: str, folder: Path = GOLDEN_DIR) -> Path:
    """The file of a split: golden/dev.jsonl or golden/test.jsonl."""
    if split not in SPLITS:
        raise GoldenError(f"unknown split {split!r}; known: {', '.join(SPLITS)}")
    return folder / f"{split}.jsonl"


def load_splits(splits: Sequence[str] = SPLITS, folder: Path = GOLDEN_DIR) -> list[GoldenQuestion]:
    """The questions of the given splits, in order; ids must be unique across them.

    A missing test file is an error naming what to do, so a gate cannot pass by omission."""
    questions: list[GoldenQuestion] = []
    for split in splits:
        path = split_path(split, folder)
        if not path.is_file():
            raise GoldenError(f"{path}: the {split} split is missing; add it or pick --split dev")
        questions += load_golden(path, split)
    ids = [q.id for q in questions]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise GoldenError(f"ids used in more than one split: {', '.join(twice)}")
    return questions


def sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes, as recorded in golden/FROZEN."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
