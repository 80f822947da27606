"""The Swedish and English texts: the same texts in both languages, names joined the way each
language joins them."""

from __future__ import annotations

import string

import pytest

from rag.wording import TEXTS, genitive, join_names, quoted_names, text


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_every_text_with_the_same_fields() -> None:
    assert set(TEXTS["sv"]) == set(TEXTS["en"])
    for key, swedish in TEXTS["sv"].items():
        assert fields(swedish) == fields(TEXTS["en"][key]), key


@pytest.mark.parametrize(
    ("names", "language", "joined"),
    [
        ([], "sv", ""),
        (["Örebro"], "sv", "Örebro"),
        (["Örebro", "Botkyrka"], "sv", "Örebro och Botkyrka"),
        (["A", "B", "C"], "sv", "A, B och C"),
        (["A", "B", "C"], "en", "A, B and C"),
    ],
)
def test_names_are_joined_with_the_language_s_and(
    names: list[str], language: str, joined: str
) -> None:
    assert join_names(names, language) == joined


def test_texts_are_filled_in() -> None:
    assert text("en", "other_place", places="Malmö") == "The corpus has no programme for Malmö."
    assert text("sv", "who_one", names="Örebro [1]", n=1, total=5) == (
        "Bara programmet för Örebro [1] föreslår det här (1 av 5 program):"
    )
    with pytest.raises(KeyError):
        text("sv", "who_one", names="Örebro")  # a missing field is an error, not a gap


def test_genitive() -> None:
    assert genitive("Liberalerna") == "Liberalernas"
    assert genitive("Centerpartiets") == "Centerpartiets"


def test_names_are_quoted_with_the_language_s_quotation_marks() -> None:
    assert quoted_names(["SIG", "Skolfam"], "sv") == "”SIG” och ”Skolfam”"
    assert quoted_names(["SIG"], "en") == "“SIG”"
