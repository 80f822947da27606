"""The records passed between the pipeline's stages, and what an answer reports as its
answer."""

from __future__ import annotations

import json
import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

import rag.types
from rag.types import STANCES, Answer, Chunk, Citation, Document, Verdict

DOC = Document("d", "# T\n\nText.", "Liberalerna", "Örebro", "T", "d.md", "h", 2022)


def citation(n: int, municipality: str, party: str = "Liberalerna") -> Citation:
    return Citation(n, municipality.lower(), municipality, party, "T", "", "Text.", 5, 10)


def verdict(municipality: str, stance: str, named: bool) -> Verdict:
    return Verdict(municipality.lower(), municipality, "L", "T", stance, None, named)


def test_a_chunk_cuts_its_text_from_its_document_and_holds_no_copy() -> None:
    chunk = Chunk("d#0", "d", 5, 10, "T", "h", DOC.text)
    assert chunk.text == "Text." and chunk.source is DOC.text
    assert "Text." not in repr(chunk)  # a listing of chunks does not print whole programmes
    assert not hasattr(chunk, "__dict__")  # slots: no per-chunk dictionary


def test_document_metadata_is_everything_but_the_text() -> None:
    assert DOC.metadata() == {
        "doc_id": "d",
        "party": "Liberalerna",
        "municipality": "Örebro",
        "title": "T",
        "year": 2022,
        "source": "d.md",
        "content_hash": "h",
    }
    with pytest.raises(FrozenInstanceError):
        DOC.text = "changed"  # type: ignore[misc]


def test_without_verdicts_the_programmes_are_those_cited_in_order() -> None:
    answer = Answer(
        "q",
        "…",
        True,
        "sv",
        [citation(1, "Örebro"), citation(2, "Botkyrka"), citation(3, "Örebro", "S")],
    )
    assert answer.programmes == [
        ("Örebro", "Liberalerna"),
        ("Botkyrka", "Liberalerna"),
        ("Örebro", "S"),
    ]
    assert answer.municipalities == ["Örebro", "Botkyrka"]


def test_with_verdicts_the_programmes_are_those_named() -> None:
    answer = Answer(
        "q",
        "…",
        True,
        "sv",
        [citation(1, "Botkyrka")],
        verdicts=[
            verdict("Botkyrka", "opposes", False),
            verdict("Örebro", "proposes", True),
            verdict("Umeå", "silent", False),
        ],
    )
    assert answer.programmes == [("Örebro", "L")] and answer.municipalities == ["Örebro"]


def test_an_answer_as_a_dict_is_json_with_its_programmes() -> None:
    c = citation(1, "Örebro")
    answer = Answer(
        "q",
        "Text [1].",
        True,
        "sv",
        [c],
        verdicts=[Verdict("d", "Örebro", "L", "T", "proposes", c, True)],
    )
    data = json.loads(json.dumps(answer.to_dict()))
    assert data["programmes"] == [{"municipality": "Örebro", "party": "L"}]
    assert data["citations"][0]["quote"] == "Text."
    assert data["verdicts"][0]["citation"]["start"] == 5
    assert verdict("Umeå", "silent", False).to_dict()["citation"] is None
    assert (data["mode"], data["notice"]) == ("extractive", None)


def test_the_records_module_imports_nothing_else_from_rag() -> None:
    source = Path(rag.types.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import) rag\b", source, re.M)
    assert STANCES == ("proposes", "opposes", "mentions", "silent")
