"""The golden-set loader accepts the shipped splits and rejects bad lines with a clear message;
every label is grounded in the programme texts, and the frozen test split is unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals.corpora import build_full_corpus, read_metadata
from evals.golden import (
    FROZEN_PATH,
    GOLDEN_DIR,
    KINDS,
    LANGUAGES,
    GoldenError,
    load_golden,
    load_splits,
    sha256,
    split_path,
)
from rag import Document
from rag.readers import load_corpus
from tests.helpers import CORPUS

GOOD: dict[str, Any] = {
    "id": "sv-who-sprutbyte",
    "question": "Vem föreslår sprutbyte?",
    "language": "sv",
    "corpus": "seeds",
    "kind": "who",
    "answerable": True,
    "expected": [
        {"municipality": "Örebro", "party": "Liberalerna", "facts": ["sprututbyte"]},
        {"municipality": "Eskilstuna", "party": "Liberalerna", "facts": ["sprutbytesprogram"]},
    ],
    "note": "both say so",
}
UNANSWERABLE: dict[str, Any] = {
    **GOOD,
    "id": "sv-un-vargjakt",
    "question": "Vad tycker Liberalerna om vargjakt?",
    "kind": "unanswerable",
    "answerable": False,
    "expected": [],
}
FOLLOWUP: dict[str, Any] = {
    **GOOD,
    "id": "sv-fu",
    "question": "Hur motiverar de det?",
    "kind": "followup",
    "history": [{"role": "user", "content": "Vem föreslår sprutbyte?"}],
}
OREBRO = {"municipality": "Örebro", "party": "Liberalerna"}


def write_lines(path: Path, *records: dict[str, Any] | str) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_shipped_splits_load_with_unique_ids_and_every_kind() -> None:
    dev, test = load_golden(split_path("dev")), load_golden(split_path("test"))
    assert len(dev) >= 150 and len(test) >= 80
    questions = load_splits()
    assert len(questions) == len(dev) + len(test)
    assert {q.split for q in questions} == {"dev", "test"}
    for split in (dev, test):
        assert {q.kind for q in split} == set(KINDS)
        assert {q.language for q in split} == set(LANGUAGES)
        assert {q.corpus for q in split} == {"seeds", "full"}
    assert all(q.history for q in questions if q.kind == "followup")


def test_the_test_split_is_frozen() -> None:
    """test.jsonl must not change: it is never used for tuning. Its hash is in FROZEN."""
    recorded = FROZEN_PATH.read_text(encoding="utf-8").split()
    assert recorded[1:] == ["test.jsonl"]
    assert sha256(GOLDEN_DIR / "test.jsonl") == recorded[0], (
        "evals/golden/test.jsonl differs from the version recorded in evals/golden/FROZEN; "
        "the frozen test split may not be edited"
    )


def test_fields_are_parsed(tmp_path: Path) -> None:
    good, followup = load_golden(write_lines(tmp_path / "mine.jsonl", GOOD, "", FOLLOWUP))
    assert good.split == "dev" and good.corpus == "seeds"
    assert good.programmes == {("Örebro", "Liberalerna"), ("Eskilstuna", "Liberalerna")}
    assert good.expected[0].facts == ("sprututbyte",)
    assert good.filter_dict() is None and good.history_messages() == []
    assert followup.history_messages() == FOLLOWUP["history"]
    assert followup.retrieval_query() == "Vem föreslår sprutbyte? Hur motiverar de det?"
    injected = {**UNANSWERABLE, "id": "inj", "kind": "injection"}
    answered = {**GOOD, "id": "inj2", "kind": "injection", "opposers": [OREBRO | {}]}
    answered["expected"] = GOOD["expected"][1:]
    a, b = load_golden(write_lines(tmp_path / "test.jsonl", injected, answered))
    assert (a.answerable, b.answerable, b.split) == (False, True, "test")
    assert b.opposers == (("Örebro", "Liberalerna"),)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ({k: v for k, v in GOOD.items() if k != "question"}, "missing required field(s): question"),
        ({k: v for k, v in GOOD.items() if k != "note"}, "missing required field(s): note"),
        ({**GOOD, "answer": "x"}, "unknown field(s): answer"),
        ({**GOOD, "answerable": "yes"}, "answerable must be of type bool, got str"),
        ({**GOOD, "expected": "Örebro"}, "expected must be of type list"),
        ({**GOOD, "question": "  "}, "question must be a non-empty string"),
        ({**GOOD, "language": "de"}, "language is 'de'; allowed: sv, en"),
        ({**GOOD, "corpus": "all"}, "corpus is 'all'; allowed: seeds, full"),
        ({**GOOD, "kind": "multi"}, "kind is 'multi'; allowed:"),
        ({**GOOD, "expected": [OREBRO]}, "expected[0] must be an object with exactly facts"),
        ({**GOOD, "expected": [{**OREBRO, "facts": []}]}, "expected[0].facts needs at least one"),
        (
            {**GOOD, "expected": [{**OREBRO, "facts": ["ok", 3]}]},
            "expected[0].facts must be a list",
        ),
        ({**GOOD, "expected": [{**OREBRO, "party": "", "facts": ["x"]}]}, "expected[0].party must"),
        (
            {**GOOD, "expected": [GOOD["expected"][0]] * 2},
            "names a programme (municipality, party) twice",
        ),
        ({**UNANSWERABLE, "expected": GOOD["expected"]}, "empty exactly when answerable is false"),
        ({**UNANSWERABLE, "answerable": True}, "goes with answerable false"),
        ({**GOOD, "answerable": False}, "goes with answerable true"),
        ({**GOOD, "kind": "injection", "expected": []}, "empty exactly when answerable is false"),
        ({**GOOD, "opposers": [OREBRO]}, "is both expected and an opposer"),
        ({**GOOD, "opposers": [{"municipality": "Lund"}]}, "opposers[0] must be an object"),
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


def test_duplicate_ids_name_both_lines_and_splits_may_not_share_ids(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "g.jsonl", GOOD, UNANSWERABLE, GOOD)
    with pytest.raises(
        GoldenError, match=r":3: duplicate id 'sv-who-sprutbyte' \(first on line 1\)"
    ):
        load_golden(path)
    write_lines(tmp_path / "dev.jsonl", GOOD)
    write_lines(tmp_path / "test.jsonl", GOOD)
    with pytest.raises(GoldenError, match="ids used in more than one split: sv-who-sprutbyte"):
        load_splits(folder=tmp_path)


def test_a_missing_split_says_what_to_do(tmp_path: Path) -> None:
    write_lines(tmp_path / "dev.jsonl", GOOD)
    assert len(load_splits(["dev"], folder=tmp_path)) == 1
    with pytest.raises(GoldenError, match="the test split is missing; add it or pick --split dev"):
        load_splits(folder=tmp_path)
    with pytest.raises(GoldenError, match="unknown split 'train'"):
        load_splits(["train"], folder=tmp_path)


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_an_empty_file_is_an_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "g.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(GoldenError, match="no questions"):
        load_golden(tmp_path / "g.jsonl")


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GoldenError, match="cannot read the golden set"):
        load_golden(tmp_path / "nope.jsonl")


def _texts(documents: list[Document]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for d in documents:
        key = (d.municipality, d.party)
        out[key] = out.get(key, "") + " " + " ".join(d.text.split()).casefold()
    return out


def test_every_label_is_grounded_in_the_programme_texts(tmp_path: Path) -> None:
    """Every fact is a verbatim phrase of its programme's cleaned text; every expected
    programme, opposer and filter names a programme of the question's corpus."""
    documents, unreadable = load_corpus(build_full_corpus(CORPUS, tmp_path))
    assert not unreadable
    texts = _texts(documents)
    seed_documents, _ = load_corpus(CORPUS)
    seeds = set(_texts(seed_documents))
    problems = []
    for q in load_splits():
        known = seeds if q.corpus == "seeds" else set(texts)
        named = [*q.programmes, *q.opposers]
        problems += [f"{q.id}: no {q.corpus} programme {p}" for p in named if p not in known]
        for e in q.expected:
            text = texts.get(e.programme, "")
            for fact in e.facts:
                if " ".join(fact.split()).casefold() not in text:
                    problems.append(f"{q.id}: {fact!r} is not in the {e.programme} text")
        municipalities = {m for m, _ in known}
        for m in (q.filter_dict() or {}).get("municipality", []):
            if m not in municipalities:
                problems.append(f"{q.id}: filter names no {q.corpus} municipality {m!r}")
    assert not problems, "\n".join(problems)


def test_the_evaluation_corpus_metadata_lists_every_file() -> None:
    folder = GOLDEN_DIR.parent / "corpus"
    metadata = read_metadata(folder)
    files = {p.name for p in folder.iterdir()} - {"metadata.csv"}
    assert set(metadata) == files and len(files) >= 30
    assert len({m["party"] for m in metadata.values()}) >= 6
    assert len({m["municipality"] for m in metadata.values()}) >= 20
