"""Stance of an evidence sentence, from Swedish cues, relative to what the question asks."""

from __future__ import annotations

import pytest

from rag.judge import stance_of
from rag.query import analyze
from rag.types import Document

DOC = Document("d", "", "Liberalerna", "Testby", "Program", "d.md", "h")


def stance(question: str, sentence: str, heading: str = "Program", intro: str = "") -> str:
    plan = analyze(question, ["Testby"], ["Liberalerna"])
    topic = plan.concepts[0][0].split()[0][:6]
    at = sentence.lower().find(topic)
    head = (at, at + len(topic)) if at >= 0 else None
    return stance_of(plan, DOC, sentence, heading, intro, head)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Vem vill ha tiggeriförbud?", "Vi säger därför nej till tiggeriförbud.", "opposes"),
        (
            "Vem vill ha tiggeriförbud?",
            "Ett tiggeriförbud löser ingenting och flyttar bara problemen.",
            "opposes",
        ),
        ("Vem vill ha tiggeriförbud?", "Vi vill införa ett tiggeriförbud i Testby.", "proposes"),
        (
            "Vem vill ha tiggeriförbud?",
            "Frågan om tiggeriförbud har debatterats i kommunfullmäktige.",
            "mentions",
        ),
        (
            "Vem vill ha sprutbyte?",
            "Flera partier har föreslagit att kommunen ska införa sprutbyte.",
            "mentions",
        ),
        ("Vem vill ha sprutbyte?", "Region Skåne driver sprutbyte i Lund.", "mentions"),
        (
            "Vilka vill motverka hedersförtryck?",
            "Vi vill stoppa hedersförtryck i alla skolor.",
            "proposes",
        ),
        (
            "Vilka vill ha fler fritidsgårdar?",
            "Att det etableras fler fritidsgårdar i ytterområdena.",
            "proposes",
        ),
        (
            "Vilka vill ha kontaktfamiljer?",
            "Rekrytering av kontaktfamiljer",
            "proposes",
        ),
    ],
)
def test_stance(question: str, sentence: str, expected: str) -> None:
    intro = "Liberalerna vill:" if sentence.startswith("Rekrytering") else ""
    assert stance(question, sentence, intro=intro) == expected


def test_a_heading_that_calls_for_it_makes_a_proposal() -> None:
    text = "EN metod som visat sig vara mycket effektiv är sprututbyte."
    assert stance("Vem föreslår sprutbyte?", text, heading="Sprutbyte") == "proposes"
    assert stance(
        "Vem föreslår sprutbyte?", "Sprutbyte minskar smittspridningen.", "Inför sprutbyte!"
    ) == ("proposes")
