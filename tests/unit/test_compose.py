"""Answers as data, then text: the one decision to refuse, who-answers naming each programme
with its quote and listing those saying no apart, what-answers quoting the best sentences, and
verdicts for every programme in scope. Plans and evidence are made by hand."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from rag import Document, Settings
from rag.citations import verify
from rag.compose import (
    MAX_LISTED,
    MAX_WHAT_QUOTES,
    Refusal,
    compare_verdicts,
    compose,
    compose_what,
    compose_who,
    coverage_note,
    passages_answer,
    refusal_for,
)
from rag.judge import Evidence
from rag.query import QueryPlan
from rag.readers import content_hash
from rag.types import Passage

from ..helpers import lexical_snapshot

SPRUTBYTE = (("sprutbyte",),)


def programme(municipality: str, *sentences: str, party: str = "Liberalerna") -> Document:
    text = "# Program\n\n" + " ".join(sentences) + "\n"
    doc_id = municipality.lower().replace(" ", "-")
    return Document(
        doc_id, text, party, municipality, "Program", f"{doc_id}.md", content_hash(text, {})
    )


def evidence(doc: Document, sentence: str, stance: str, rank: int = 0) -> Evidence:
    start = doc.text.index(sentence)
    return Evidence(doc, "Sprutbyte", start, start + len(sentence), 1.0, stance, 0.0, rank)


def plan(question: str = "Vem föreslår sprutbyte?", **fields: object) -> QueryPlan:
    values: dict[str, object] = {
        "question": question,
        "language": "sv",
        "kind": "who",
        "search_text": question,
        "concepts": SPRUTBYTE,
        "relation": "proposes",
        **fields,
    }
    return QueryPlan(**values)  # type: ignore[arg-type]


A = programme("Arboga", "Vi vill införa sprutbyte.")
B = programme("Borås", "Vi säger nej till sprutbyte.")
C = programme("Cederby", "Sprutbyte har diskuterats.")
D = programme("Dalby", "Inget om det.")
SCOPE = [A, B, C, D]
EVIDENCE = [
    evidence(A, "Vi vill införa sprutbyte.", "proposes"),
    evidence(B, "Vi säger nej till sprutbyte.", "opposes"),
    evidence(C, "Sprutbyte har diskuterats.", "mentions"),
]


# --- refusing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "evidence_given", "reason"),
    [
        ({"unknown_parties": ("Moderaterna",)}, True, "other_party"),
        ({"unknown_municipalities": ("Malmö",)}, True, "other_place"),
        ({"concepts": ()}, True, "no_topic"),
        ({"concepts": (), "injected": True}, True, "injected"),
        ({}, False, "nothing"),
        ({"municipalities": ("Arboga",)}, False, "nothing_in"),
        ({"municipalities": ("Arboga", "Borås")}, False, "nothing_in_many"),
        ({"out_of_scope": True}, True, "nothing"),
        ({"kind": "what", "relation": "what"}, True, None),
        ({}, True, None),
    ],
)
def test_the_one_decision_to_refuse(
    fields: dict[str, object], evidence_given: bool, reason: str | None
) -> None:
    why = refusal_for(plan(**fields), EVIDENCE if evidence_given else [], SCOPE)
    assert (why.reason if why else None) == reason


def test_a_refusal_in_a_named_party_s_programme_names_the_programme() -> None:
    scope = [d for d in SCOPE if d.municipality == "Arboga"]
    why = refusal_for(plan(municipalities=("Arboga",), parties=("Liberalerna",)), [], scope)
    assert why == Refusal("nothing_in", (("places", "Arboga (Liberalerna)"),))


def test_two_programmes_of_a_party_in_one_place_are_named_once() -> None:
    family, care = programme("Arboga", "Om familjen."), programme("Arboga", "Om äldre.")
    care = replace(care, doc_id="arboga-2", title="Äldre")
    why = refusal_for(
        plan(municipalities=("Arboga",), parties=("Liberalerna",)), [], [family, care]
    )
    assert why == Refusal("nothing_in_many", (("places", "Arboga (Liberalerna)"),))


MANY = [programme(f"By{i}", "Vi vill införa sprutbyte.") for i in range(20)]
PROPOSING = [evidence(d, "Vi vill införa sprutbyte.", "proposes") for d in MANY]


@pytest.mark.parametrize(
    ("set_aside", "named", "scope", "refused"),
    [
        (["reachable", "clock"], 6, 20, True),  # six of twenty, for what is left of it
        (["clock"], 6, 20, False),  # one word set aside may be incidental
        (["reachable", "clock"], 5, 20, False),  # a few programmes
        (["reachable", "clock"], 6, 24, False),  # a quarter or fewer
        ([], 20, 20, False),  # nothing set aside: every programme may say it
    ],
)
def test_a_who_answer_that_set_aside_the_question_s_words_and_names_many_is_too_broad(
    set_aside: list[str], named: int, scope: int, refused: bool
) -> None:
    documents = MANY + [programme(f"Annan{i}", "Inget om det.") for i in range(scope - 20)]
    why = refusal_for(plan(), PROPOSING[:named], documents[:scope], set_aside)
    assert (why == Refusal("set_aside", (("words", "”reachable” och ”clock”"),))) == refused
    assert refused or why is None


def test_a_who_question_nobody_answers_is_refused_but_a_no_is_an_answer() -> None:
    only_mentions = [e for e in EVIDENCE if e.stance == "mentions"]
    assert refusal_for(plan(), only_mentions, SCOPE) == Refusal("nothing")
    only_no = [e for e in EVIDENCE if e.stance == "opposes"]
    assert refusal_for(plan(), only_no, SCOPE) is None


def test_a_refusal_says_what_the_corpus_covers_in_the_question_s_language() -> None:
    snapshot = lexical_snapshot(SCOPE, Settings())
    assert coverage_note(snapshot, "sv") == (
        "Underlaget omfattar Liberalernas program för Arboga, Borås, Cederby och Dalby."
    )
    assert coverage_note(snapshot, "en").startswith("The corpus holds Liberalerna programmes")
    answer = compose(plan(unknown_parties=("Moderaterna",)), EVIDENCE, SCOPE, snapshot)
    assert not answer.answerable and answer.citations == []
    assert answer.text.startswith("Underlaget innehåller inga program från Moderaterna")


# --- who --------------------------------------------------------------------------------------


def test_who_names_the_proposers_and_lists_those_saying_no_apart() -> None:
    answer = compose_who(plan(), EVIDENCE, SCOPE, multi_party=False)
    assert answer.text == (
        "Bara programmet för Arboga [1] föreslår det här (1 av 4 program):\n\n"
        "- **Arboga**, Sprutbyte: ”Vi vill införa sprutbyte.” [1]\n\n"
        "Emot: Borås [2]."
    )
    assert [(c.n, c.municipality) for c in answer.citations] == [(1, "Arboga"), (2, "Borås")]
    assert [(v.municipality, v.stance, v.named) for v in answer.verdicts] == [
        ("Arboga", "proposes", True),
        ("Borås", "opposes", False),
        ("Cederby", "mentions", False),
        ("Dalby", "silent", False),
    ]
    assert answer.verdicts[-1].citation is None
    assert answer.programmes == [("Arboga", "Liberalerna")]


def test_who_mentions_names_everyone_who_takes_it_up() -> None:
    answer = compose_who(plan(relation="mentions"), EVIDENCE, SCOPE, multi_party=False)
    assert answer.municipalities == ["Arboga", "Borås", "Cederby"]
    assert answer.text.startswith("Programmen för Arboga [1], Borås [2] och Cederby [3] tar upp")
    assert "Emot" not in answer.text


def test_who_with_nobody_proposing_says_so_and_names_the_opposers() -> None:
    answer = compose_who(plan(), EVIDENCE[1:], SCOPE, multi_party=False)
    assert answer.text == "Inget program föreslår det här.\n\nEmot: Borås [1]."
    assert answer.programmes == []


def test_many_programmes_are_summarised_by_party() -> None:
    docs = [
        programme(f"Kommun {i:02}", "Vi vill införa sprutbyte.", party="S" if i % 2 else "L")
        for i in range(MAX_LISTED + 1)
    ]
    found = [evidence(d, "Vi vill införa sprutbyte.", "proposes") for d in docs]
    answer = compose_who(plan(), found, docs, multi_party=True)
    lines = answer.text.splitlines()
    assert lines[0] == f"{MAX_LISTED + 1} av {MAX_LISTED + 1} program, per parti:"
    assert lines[1].startswith("- **L** (7): Kommun 00 [1], Kommun 02 [2]")
    assert lines[2].startswith("- **S** (6): Kommun 01 [8], Kommun 03 [9]")
    # numbered in the order listed: verifying keeps every citation as it is
    assert [c.n for c in answer.citations] == list(range(1, MAX_LISTED + 2))
    assert verify(answer.text, answer.citations, {d.doc_id: d for d in docs}) == (
        answer.text,
        answer.citations,
    )


def test_with_several_parties_each_programme_is_labelled_with_its_party() -> None:
    other = replace(programme("Arboga", "Vi vill införa sprutbyte.", party="S"), doc_id="arboga-s")
    found = [EVIDENCE[0], evidence(other, "Vi vill införa sprutbyte.", "proposes")]
    answer = compose_who(plan(), found, [A, other], multi_party=True)
    assert "Arboga (Liberalerna) [1] och Arboga (S) [2]" in answer.text


# --- what -------------------------------------------------------------------------------------


def test_what_quotes_at_most_three_sentences_two_per_programme() -> None:
    many = programme("Arboga", "Ett sprutbyte.", "Två sprutbyten.", "Tre sprutbyten.", "Fyra.")
    other = programme("Borås", "Fem sprutbyten.")
    found = [
        evidence(many, "Tre sprutbyten.", "mentions", 0),
        evidence(many, "Ett sprutbyte.", "mentions", 1),
        evidence(many, "Två sprutbyten.", "mentions", 2),
        evidence(other, "Fem sprutbyten.", "mentions", 3),
    ]
    what = plan("Vad säger programmen om sprutbyte?", kind="what", relation="what")
    answer = compose_what(what, found, multi_party=False)
    assert [c.quote for c in answer.citations] == [
        "Ett sprutbyte.",
        "Tre sprutbyten.",
        "Fem sprutbyten.",
    ]
    assert answer.text.startswith("Så här står det i programmen för Arboga och Borås:\n\n")
    alone = compose_what(what, found[:3], multi_party=False)
    assert len(alone.citations) == MAX_WHAT_QUOTES
    assert alone.text.startswith("Så här står det i programmet för Arboga:")
    assert re.findall(r"\[(\d)\]", answer.text) == ["1", "2", "3"]


def test_what_about_a_few_programmes_quotes_each_of_them() -> None:
    docs = [programme(m, f"{m} vill ha sprutbyte.", "Det räddar liv.") for m in "ABCD"]
    found = [
        evidence(d, f"{d.municipality} vill ha sprutbyte.", "proposes", i)
        for i, d in enumerate(docs)
    ]
    found.insert(1, evidence(docs[0], "Det räddar liv.", "mentions", 1))
    why = plan("Varför?", kind="what", relation="what", answer_type="reason")
    top = compose_what(why, found, multi_party=False)
    assert [c.municipality for c in top.citations] == ["A", "A", "B"]  # the best three
    each = compose_what(why, found, multi_party=False, each=True)
    assert [c.quote for c in each.citations] == [
        "A vill ha sprutbyte.",
        "Det räddar liv.",
        "B vill ha sprutbyte.",
        "C vill ha sprutbyte.",
        "D vill ha sprutbyte.",
    ]


# --- passages and comparisons --------------------------------------------------------------


def test_the_textbook_answer_quotes_passages_whole() -> None:
    snapshot = lexical_snapshot([A, B], Settings())
    chunk = next(c for c in snapshot.chunks if c.doc_id == "borås")
    passage = Passage(chunk, "Borås", "Liberalerna", "Program", 1.0)
    answer = passages_answer(plan(), [passage], snapshot)
    assert answer.mode == "passages" and answer.answerable
    assert answer.text == f"- **Borås**: ”{chunk.text}” [1]"
    assert answer.citations[0].quote == chunk.text
    empty = passages_answer(plan(), [], snapshot)
    assert not empty.answerable and empty.text == ""


def test_a_comparison_has_a_verdict_per_programme_in_scope() -> None:
    rows = compare_verdicts(EVIDENCE, SCOPE)
    assert [(v.municipality, v.stance, v.named) for v in rows] == [
        ("Arboga", "proposes", False),
        ("Borås", "opposes", False),
        ("Cederby", "mentions", False),
        ("Dalby", "silent", False),
    ]
    assert rows[1].citation is not None and rows[1].citation.quote == "Vi säger nej till sprutbyte."
