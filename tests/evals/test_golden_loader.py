"""The golden-set loader accepts the shipped set and rejects bad lines with a clear message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals.golden import KINDS, LANGUAGES, GoldenError, load_golden
from rag import Assistant

GOOD: dict[str, Any] = {
    "id": "sv-who-sprutbyte",
    "question": "Vem föreslår sprutbyte?",
    "language": "sv",
    "kind": "multi",
    "expected_municipalities": ["Örebro", "Eskilstuna"],
    "key_facts": ["sprututbyte"],
    "answerable": True,
}
UNANSWERABLE: dict[str, Any] = {
    **GOOD,
    "id": "sv-un-vargjakt",
    "question": "Vad tycker Liberalerna om vargjakt?",
    "kind": "unanswerable",
    "expected_municipalities": [],
    "key_facts": [],
    "answerable": False,
}
FOLLOWUP: dict[str, Any] = {
    **GOOD,
    "id": "sv-fu",
    "question": "Hur motiverar de det?",
    "kind": "followup",
    "history": [{"role": "user", "content": "Vem föreslår sprutbyte?"}],
}


def write_lines(path: Path, *records: dict[str, Any] | str) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_shipped_golden_set_loads() -> None:
    questions = load_golden()
    assert len(questions) == 86
    assert {q.kind for q in questions} == set(KINDS)
    assert {q.language for q in questions} == set(LANGUAGES)
    assert all(q.history for q in questions if q.kind == "followup")
    assert [q.filter_dict() for q in questions if q.filters][0] == {"municipality": ["Stockholm"]}


def test_fields_are_parsed(tmp_path: Path) -> None:
    good, followup = load_golden(write_lines(tmp_path / "g.jsonl", GOOD, "", FOLLOWUP))
    assert good.expected_municipalities == ("Örebro", "Eskilstuna")
    assert good.filter_dict() is None and good.history_messages() == []
    assert followup.history_messages() == FOLLOWUP["history"]
    assert followup.retrieval_query() == "Vem föreslår sprutbyte? Hur motiverar de det?"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ({k: v for k, v in GOOD.items() if k != "question"}, "missing required field(s): question"),
        ({**GOOD, "answer": "x"}, "unknown field(s): answer"),
        ({**GOOD, "answerable": "yes"}, "answerable must be of type bool, got str"),
        ({**GOOD, "key_facts": "sprututbyte"}, "key_facts must be of type list"),
        ({**GOOD, "key_facts": ["ok", 3]}, "key_facts must be a list of non-empty strings"),
        ({**GOOD, "question": "  "}, "question is empty"),
        ({**GOOD, "language": "de"}, "language is 'de'; allowed: sv, en"),
        ({**GOOD, "kind": "who"}, "kind is 'who'; allowed:"),
        ({**UNANSWERABLE, "key_facts": ["x"]}, "unanswerable question has no"),
        ({**UNANSWERABLE, "expected_municipalities": ["Örebro"]}, "unanswerable question has no"),
        ({**UNANSWERABLE, "answerable": True}, "goes with answerable false"),
        ({**GOOD, "answerable": False}, "goes with answerable false"),
        ({**GOOD, "expected_municipalities": []}, "needs expected_municipalities and key_facts"),
        ({**GOOD, "expected_municipalities": ["Örebro", "Örebro"]}, "has duplicates"),
        ({**FOLLOWUP, "history": []}, "followup question needs a history"),
        ({k: v for k, v in FOLLOWUP.items() if k != "history"}, "followup question needs"),
        ({**FOLLOWUP, "history": [{"role": "bot", "content": "x"}]}, "history[0].role is 'bot'"),
        ({**FOLLOWUP, "history": [{"role": "user"}]}, "exactly 'role' and 'content'"),
        ({**GOOD, "filters": {"year": [2018]}}, "unknown filter key(s) ['year']"),
        ({**GOOD, "filters": {"municipality": "Örebro"}}, "filters.municipality must be a"),
    ],
)
def test_a_bad_line_names_its_line_and_problem(
    tmp_path: Path, line: dict[str, Any] | str, message: str
) -> None:
    path = write_lines(tmp_path / "g.jsonl", UNANSWERABLE, line)
    with pytest.raises(GoldenError) as raised:
        load_golden(path)
    assert str(raised.value).startswith(f"{path}:2: ")
    assert message in str(raised.value)


def test_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "g.jsonl", GOOD, UNANSWERABLE, GOOD)
    with pytest.raises(
        GoldenError, match=r":3: duplicate id 'sv-who-sprutbyte' \(first on line 1\)"
    ):
        load_golden(path)


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_an_empty_file_is_an_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "g.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(GoldenError, match="no questions"):
        load_golden(tmp_path / "g.jsonl")


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GoldenError, match="cannot read the golden set"):
        load_golden(tmp_path / "nope.jsonl")


def test_every_label_is_grounded_in_the_corpus(assistant: Assistant) -> None:
    """Each key fact is quoted from an expected programme, each expected programme holds a key
    fact, and every municipality and filter names a programme in the corpus."""
    docs = {d.municipality: " ".join(d.text.split()).casefold() for d in assistant.documents()}
    problems = []
    for q in load_golden():
        filtered = (q.filter_dict() or {}).get("municipality", [])
        for m in [*q.expected_municipalities, *filtered]:
            if m not in docs:
                problems.append(f"{q.id}: no programme for {m!r}")
        for fact in q.key_facts:
            wanted = " ".join(fact.split()).casefold()
            if not any(wanted in docs.get(m, "") for m in q.expected_municipalities):
                problems.append(f"{q.id}: key fact {fact!r} is in no expected programme")
        for m in q.expected_municipalities:
            text = docs.get(m, "")
            if not any(" ".join(f.split()).casefold() in text for f in q.key_facts):
                problems.append(f"{q.id}: no key fact is quoted from {m}")
    assert not problems, "\n".join(problems)
