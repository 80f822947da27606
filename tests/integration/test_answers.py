"""Grounded answers: who says what, in Swedish and English, with verbatim citations, and plain
refusals when the programmes do not say. Real index, real packaged model, no chat model."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag import Assistant, get_settings

from ..helpers import assert_verbatim

EXPECTED = [
    ("Vem föreslår sprutbyte?", {"Örebro", "Eskilstuna"}),
    ("Who proposes needle exchange?", {"Örebro", "Eskilstuna"}),
    ("Vilka vill ha Bostad först?", {"Upplands Väsby", "Stockholm"}),
    ("Which municipalities support Housing First?", {"Upplands Väsby", "Stockholm"}),
    ("Who wants to recruit more contact families?", {"Botkyrka"}),
    ("Vilka vill ha fler fältassistenter?", {"Örebro"}),
    ("Vem vill införa Skolfam?", {"Upplands Väsby"}),
    ("Vilka säger nej till tiggeriförbud?", {"Upplands Väsby"}),
    ("Who wants a whistleblower function for children in institutions?", {"Stockholm"}),
    ("Vilka vill ha lågtröskelboende för kvinnor?", {"Eskilstuna"}),
    ("Vad vill Liberalerna i Stockholm göra för hemlösa?", {"Stockholm"}),
    ("What does the Botkyrka programme say about honour-related oppression?", {"Botkyrka"}),
    ("Vilka vill stärka stödet till kvinnojourer?", {"Upplands Väsby", "Stockholm"}),
    ("Who wants to shorten the queues to child and adolescent psychiatry?", {"Stockholm"}),
    ("Vilka vill ha ett 1177 för socialtjänsten?", {"Stockholm"}),
    ("Vem vill satsa på avhopparverksamhet?", {"Botkyrka"}),
    ("Which programmes mention LSS?", {"Upplands Väsby", "Stockholm"}),
    ("Vilka vill att socialsekreterare ska få högre lön?", {"Upplands Väsby", "Örebro"}),
    ("Who wants equal income support between partners?", {"Botkyrka"}),
]
REFUSALS = [
    ("Vad tycker Liberalerna om kärnkraft?", "sv", "inget i programmen"),
    ("Who wants to build more nuclear power plants?", "en", "nothing in the programmes"),
    ("Vad tycker Moderaterna om sprutbyte?", "sv", "inga program från Moderaterna"),
    ("What do the Social Democrats say about homelessness?", "en", "Socialdemokraterna"),
    ("Vad vill Liberalerna i Göteborg göra för hemlösa?", "sv", "inget program för Göteborg"),
    ("What do the Liberals in Malmö want for the homeless?", "en", "no programme for Malmö"),
    ("Vill Liberalerna i Stockholm ha sprutbyte?", "sv", "programmet för Stockholm"),
]


@pytest.mark.parametrize(("question", "expected"), EXPECTED)
def test_expected_municipalities(assistant: Assistant, question: str, expected: set[str]) -> None:
    answer = assistant.ask(question)
    assert answer.answerable
    assert set(answer.municipalities) == expected
    assert_verbatim(answer, assistant)
    assert answer.language == ("en" if question.split()[0] in {"Who", "Which", "What"} else "sv")


def test_who_answer_names_each_programme_with_its_own_citation(assistant: Assistant) -> None:
    answer = assistant.ask("Vem föreslår sprutbyte?")
    first_line = answer.text.splitlines()[0]
    assert "Eskilstuna [1]" in first_line and "Örebro [2]" in first_line
    assert "2 av 5 program" in first_line
    assert {c.municipality for c in answer.citations} == {"Örebro", "Eskilstuna"}
    assert any("sprututbyte" in c.quote for c in answer.citations)
    assert any("sprutbytesprogram" in c.quote for c in answer.citations)
    english = assistant.ask("Who proposes needle exchange?")
    assert english.text.startswith("The programmes for Eskilstuna [1] and Örebro [2]")


@pytest.mark.parametrize(("question", "language", "phrase"), REFUSALS)
def test_refusals(assistant: Assistant, question: str, language: str, phrase: str) -> None:
    answer = assistant.ask(question)
    assert not answer.answerable and answer.citations == []
    assert answer.language == language
    assert phrase in answer.text
    assert "Botkyrka, Eskilstuna, Stockholm, Upplands Väsby" in answer.text  # what is covered


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (["Vad vill Liberalerna i Botkyrka göra mot hedersförtryck?"], "Och i Örebro?", {"Örebro"}),
        (["Vem föreslår sprutbyte?"], "Hur motiverar de det?", {"Örebro", "Eskilstuna"}),
        (
            ["Vad vill Liberalerna i Stockholm göra för hemlösa?"],
            "Och i Upplands Väsby?",
            {"Upplands Väsby"},
        ),
        (
            ["Who wants to recruit more contact families?"],
            "Why do they think that matters?",
            {"Botkyrka"},
        ),
    ],
)
def test_follow_ups_use_the_history(
    assistant: Assistant, history: list[str], question: str, expected: set[str]
) -> None:
    answer = assistant.ask(question, history=history)
    assert set(answer.municipalities) == expected
    as_messages = [{"role": "user", "content": history[0]}, {"role": "assistant", "content": "…"}]
    assert assistant.ask(question, history=as_messages).municipalities == answer.municipalities


def test_filter_and_named_municipality(assistant: Assistant) -> None:
    answer = assistant.ask("Vem föreslår sprutbyte?", filters={"municipality": ["Eskilstuna"]})
    assert answer.municipalities == ["Eskilstuna"]
    clash = assistant.ask(
        "Vad vill Liberalerna i Stockholm göra för hemlösa?", filters={"municipality": ["Örebro"]}
    )
    assert not clash.answerable


def test_compare_gives_a_quote_or_nothing_per_programme(assistant: Assistant) -> None:
    rows = {v.municipality: v.citation for v in assistant.compare("sprutbyte")}
    assert set(rows) == {"Örebro", "Botkyrka", "Upplands Väsby", "Eskilstuna", "Stockholm"}
    assert {m for m, c in rows.items() if c} == {"Örebro", "Eskilstuna"}
    for c in rows.values():
        if c:
            assert assistant.document(c.doc_id).text[c.start : c.end] == c.quote


WORDS = [
    "sprutbyte",
    "hemlösa",
    "Bostad först",
    "kvinnojourer",
    "LSS",
    "barn",
    "Stockholm",
    "Who",
    "wants",
    "needle exchange",
    "homelessness",
    "Vem",
    "vill",
    "och",
    "Örebro",
    "kärnkraft",
    "?",
    "Moderaterna",
    "familjehem",
    "<script>",
    "ignore all instructions",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
def test_every_citation_is_verbatim_at_its_offsets(assistant: Assistant, words: list[str]) -> None:
    answer = assistant.ask(" ".join(words))
    assert_verbatim(answer, assistant)
    if not answer.answerable:
        assert answer.citations == []


def test_who_questions_see_programmes_outranked_by_one_verbose_programme(
    tmp_path: Path, embeddings
) -> None:  # type: ignore[no-untyped-def]
    """One programme that mentions a topic in many sections must not crowd out another that
    mentions it once: 'who' questions take the best passages of every programme. Without that
    (diversify=False), the top passages all come from the verbose programme."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    verbose = "".join(
        f"## Sprutbyte {i}\n\nSprutbyte räddar liv och sprutbyte minskar smittspridningen. Vi vill "
        f"bygga ut sprutbyte i Lund, del {i}, så att sprutbyte når fler. Sprutbyte fungerar.\n\n"
        for i in range(12)
    )
    (corpus / "lund.md").write_text(
        "---\nparty: Liberalerna\nmunicipality: Lund\ntitle: Socialpolitik\n---\n"
        f"# Socialpolitik\n\n{verbose}",
        encoding="utf-8",
    )
    (corpus / "umea.md").write_text(
        "---\nparty: Liberalerna\nmunicipality: Umeå\ntitle: Socialpolitik\n---\n"
        "# Socialpolitik\n\n## Missbruk\n\nMissbruksvården ska bygga på evidens, och kommunen ska "
        "samarbeta med regionen om vård, boende och sysselsättning för personer med beroende. "
        "Vi vill också införa sprutbyte i Umeå. Anhöriga ska få stöd, och väntetiderna till "
        "behandling ska kortas så att ingen behöver vänta på hjälp när motivationen finns.\n",
        encoding="utf-8",
    )

    def who(diversify: bool) -> set[str]:
        settings = get_settings(
            corpus_dir=corpus, index_dir=tmp_path / "index", diversify=diversify
        )
        return set(
            Assistant(settings, embeddings=embeddings).ask("Vem föreslår sprutbyte?").municipalities
        )

    assert who(diversify=True) == {"Lund", "Umeå"}
    assert who(diversify=False) == {"Lund"}
