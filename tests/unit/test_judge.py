"""Stance of an evidence sentence, from Swedish cues, relative to what the question asks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from rag.compose import compose
from rag.judge import (
    MEANING_Z,
    ConceptMatcher,
    Evidence,
    Similarity,
    by_meaning,
    defined_name,
    matcher_for,
    meaning_bar,
    set_aside,
    stance_of,
    with_similarity,
)
from rag.pipeline import answer_state, ask, plan_step
from rag.query import analyze
from rag.types import Answer, Document
from tests.helpers import REACTOR, TOWNS, every_passage, lexical_context, spread, town

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
        (  # a clause called wrong, however far into it the topic stands
            "Vem vill att missbrukare går före i bostadskön?",
            "Det är orimligt att personer i aktivt missbruk ska gå före i bostadskön.",
            "opposes",
        ),
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
        (  # the subject after the verb, as Swedish has it after an adverbial
            "Vem vill ha sprutbyte?",
            "Under senare år har flera partier i fullmäktige föreslagit att Testby ska införa "
            "sprutbyte.",
            "mentions",
        ),
        ("Vem vill ha sprutbyte?", "Vi vill att kommunen inte medverkar i sprutbyte.", "opposes"),
        ("Vem vill ha sprutbyte?", "Det kan därför inte bli sprutbyte här.", "opposes"),
        ("Vem vill ha sprutbyte?", "Kommunen får aldrig ordna sprutbyte.", "opposes"),
        # a subject between "kan" and "inte", or "ska inte vara", says no to nothing asked
        ("Vem vill ha familjehem?", "Ibland kan barn inte bo i familjehem.", "mentions"),
        ("Vem vill ha avgiftsfri fritid?", "Fritid ska inte vara en klassfråga.", "proposes"),
        # what is wanted, then what is not
        ("Vem vill ha vinster?", "Pengarna ska gå till vården, inte till vinster.", "opposes"),
        ("Vem vill ha vinster?", "Vi vill inte ha förluster, utan vinster.", "proposes"),
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
        # another party as the one who wants it; the programme's own party, or both
        ("Vem vill ha tiggeriförbud?", "Moderaterna vill införa tiggeriförbud.", "mentions"),
        ("Vem vill ha tiggeriförbud?", "Liberalerna vill införa tiggeriförbud.", "proposes"),
        (
            "Vem vill ha tiggeriförbud?",
            "Liberalerna och Moderaterna vill införa tiggeriförbud.",
            "mentions",
        ),
        # a short verb inside another word, or the preposition "inför", is no proposal
        ("Vem vill ha fältassistenter?", "Fältassistenter arbetar genom samtal.", "mentions"),
        ("Vem vill ha fältassistenter?", "Fältassistenternas villkor diskuterades.", "mentions"),
        ("Vem vill ha fältassistenter?", "Fältassistenter fanns inför valet.", "mentions"),
        ("Vem vill ha fältassistenter?", "Inför fältassistenter i alla skolor.", "proposes"),
        ("Vem vill ha fältassistenter?", "Fältassistenter ska finnas i skolan.", "proposes"),
        # a verb of doing proposes when the programme does it, not when others do
        ("Vem vill ha fältassistenter?", "Vi rekryterar fler fältassistenter.", "proposes"),
        ("Vem vill ha fältassistenter?", "Liberalerna satsar på fältassistenter.", "proposes"),
        ("Vem vill ha fältassistenter?", "Rekrytera fler fältassistenter.", "proposes"),
        ("Vem vill ha fältassistenter?", "Ett sätt att stärka fältassistenterna.", "proposes"),
        ("Vem vill ha fältassistenter?", "Gängen rekryterar fältassistenter.", "mentions"),
        ("Vem vill ha fältassistenter?", "Antalet fältassistenter ökar.", "mentions"),
        # a modal in a relative clause says what is to happen to a thing, not what is wanted
        (
            "Vem vill ha kvinnojourer?",
            "Kvinnojouren har i dag sitt boende i en lägenhet som ska rivas.",
            "mentions",
        ),
        (
            "Vem vill ha kvinnojourer?",
            "Kvinnojouren finns i ett hus som ska byggas om.",
            "mentions",
        ),
        (  # how someone feels is no view of the topic
            "Vem vill ha fler skolkuratorer?",
            "Skolkuratorn är den första vuxna en ung person pratar med om att hen inte mår bra.",
            "mentions",
        ),
        ("Vem vill ha fler skolkuratorer?", "Skolkuratorer är inte bra nog.", "mentions"),
        ("Vem vill ha fler skolkuratorer?", "Skolkuratorer är bra för eleverna.", "proposes"),
        (  # after "vem": who is to do it, which a proposal may say
            "Vem vill ha valfrihet i hemtjänsten?",
            "Man ska själv få välja vem som ska utföra hemtjänsten.",
            "proposes",
        ),
    ],
)
def test_stance(question: str, sentence: str, expected: str) -> None:
    intro = "Liberalerna vill:" if sentence.startswith("Rekrytering") else ""
    assert stance(question, sentence, intro=intro) == expected


@pytest.mark.parametrize(
    ("intro", "expected"),
    [
        ("Liberalerna vill:", "proposes"),
        ("Vi vill införa karriärvägar. Den som stannar ska märka det.", "proposes"),
        ("Personalomsättningen är hög i staden.", "mentions"),
    ],
)
def test_a_point_listed_after_what_is_wanted_is_proposed(intro: str, expected: str) -> None:
    """A bare point of a list proposes when the line above it says what is wanted."""
    question = "Vem vill ha fältassistenter?"
    assert stance(question, "Fler fältassistenter i centrum", intro=intro) == expected


def test_a_heading_that_calls_for_it_makes_a_proposal() -> None:
    text = "EN metod som visat sig vara mycket effektiv är sprututbyte."
    assert stance("Vem föreslår sprutbyte?", text, heading="Sprutbyte") == "proposes"
    assert stance(
        "Vem föreslår sprutbyte?", "Sprutbyte minskar smittspridningen.", "Inför sprutbyte!"
    ) == ("proposes")


# --- which sentence is quoted: the words decide, the multilingual model only ranks ---------

TWO_SENTENCES = Document(
    "testby",
    "# Sprutbyte\n\nVi vill införa sprutbyte i Testby.\n\n"
    "Sprutbyte ska erbjudas på vårdcentralen varje vecka.\n",
    "Liberalerna",
    "Testby",
    "Program",
    "testby.md",
    "h1",
)
ONE_SENTENCE = Document(
    "annanby", "# Vård\n\nVi vill ha sprutbyte.\n", "Liberalerna", "Annanby", "P", "a.md", "h2"
)


def prefers(word: str) -> Similarity:
    """A stand-in for the multilingual model: sentences with `word` are the most similar."""
    return lambda question, sentences: [float(word in s) for s in sentences]


def quoted(similarity: Similarity | None, documents: list[Document]) -> list[str]:
    ctx = replace(lexical_context(documents), similarity=similarity)
    return [c.quote for c in ask(ctx, "Vem vill ha sprutbyte?").citations]


def test_among_equally_good_sentences_the_most_similar_is_quoted() -> None:
    assert quoted(None, [TWO_SENTENCES]) == ["Vi vill införa sprutbyte i Testby."]
    assert quoted(prefers("vårdcentralen"), [TWO_SENTENCES]) == [
        "Sprutbyte ska erbjudas på vårdcentralen varje vecka."
    ]


def test_similarity_never_makes_a_sentence_evidence() -> None:
    """Where the words find evidence, only they decide what is: a similar sentence without the
    topic is not (see below for questions the words prove nothing for)."""
    evidence = answer_state(
        replace(lexical_context([TWO_SENTENCES]), similarity=prefers("Testby")),
        "Vem vill ha kärnkraft?",
        None,
        None,
    ).evidence
    assert evidence == []


def unused(question: str, sentences: Sequence[str]) -> list[float]:
    raise AssertionError("similarity asked with nothing to choose")


def test_the_model_is_not_asked_when_there_is_nothing_to_choose() -> None:
    assert quoted(unused, [ONE_SENTENCE]) == ["Vi vill ha sprutbyte."]


def test_the_model_is_not_asked_when_the_words_already_choose() -> None:
    """Two sentences, one of which names the topic itself and one only under its heading."""
    doc = replace(
        ONE_SENTENCE, text="# Sprutbyte\n\nVi vill ha sprutbyte.\n\nDet ska finnas varje vecka.\n"
    )
    assert quoted(unused, [doc]) == ["Vi vill ha sprutbyte."]


def sentences_covering(*coverages: float) -> list[Evidence]:
    """Evidence of one programme, all proposing, one sentence per coverage."""
    return [
        Evidence(ONE_SENTENCE, "", 0, 5, c, "proposes", 0.0, rank=i)
        for i, c in enumerate(coverages)
    ]


WHAT = analyze("Vad säger Liberalerna om sprutbyte?", ["Testby"], ["Liberalerna"])
WHO = analyze("Vem vill ha sprutbyte?", ["Testby"], ["Liberalerna"])


def noting(asked: list[str]) -> Similarity:
    def similarity(question: str, sentences: Sequence[str]) -> list[float]:
        asked.append(question)
        return [0.5] * len(sentences)

    return similarity


def test_the_model_is_asked_only_for_ties_among_sentences_that_could_be_quoted() -> None:
    """A what-question quotes up to three sentences of a programme, a who-question one."""
    deep_tie = sentences_covering(1.0, 0.9, 0.8, 0.7, 0.7)  # the 4th and 5th: never quoted
    assert with_similarity(WHAT, deep_tie, unused) == deep_tie
    tie = sentences_covering(1.0, 0.9, 0.9)  # the 2nd and 3rd: quoted for a what-question
    assert with_similarity(WHO, tie, unused) == tie
    asked: list[str] = []
    ranked = with_similarity(WHAT, tie, noting(asked))
    assert [ev.similarity for ev in ranked] == [0.5] * 3 and asked == [WHAT.question]


def test_a_compound_said_in_parts_is_the_topic_and_can_be_said_no_to() -> None:
    """ "Ett förbud mot tiggeri" is "tiggeriförbud" (its parts joined by a preposition), so a
    "fel väg" after it says no; "boende och trygghet" is not "trygghetsboende"."""
    doc = replace(
        TWO_SENTENCES,
        text="# Ordning\n\nEtt förbud mot tiggeri är fel väg.\n\n"
        "Alla ska ha rätt till boende och trygghet.\n\nVi vill ha tiggeri i parken.\n",
    )
    said_no = answer_state(lexical_context([doc]), "Vilka är emot tiggeriförbud?", None, None)
    assert [(ev.quote, ev.stance) for ev in said_no.evidence] == [
        ("Ett förbud mot tiggeri är fel väg.", "opposes")
    ]
    housing = answer_state(lexical_context([doc]), "Vilka vill ha trygghetsboende?", None, None)
    assert housing.evidence == []


PARENTS = Document(
    "testby-kd",
    "# Föräldraskap\n\nI dag erbjuds föräldrastöd till föräldrar till tonåringar i grupp.\n\n"
    "Föräldrar är experter på sina egna barn.\n\nFöräldrar möts i kyrkan.\n\n"
    "Vi vill att alla föräldrar till barn i åldern 12–17 år ska erbjudas ett gratis program.\n\n"
    "# Skolan\n\nSkolan ska vara trygg.\n",
    "Kristdemokraterna",
    "Testby",
    "Program",
    "kd.md",
    "h3",
)


def test_a_question_about_one_programme_also_quotes_its_sentences_on_part_of_the_topic() -> None:
    """The second sentence lacks "tonåringar" (the head), so it is no evidence of its own; once
    the programme has evidence, it may follow it, the most similar first."""
    ctx = replace(lexical_context([PARENTS]), similarity=prefers("12–17"))
    question = "Vad vill Kristdemokraterna i Testby erbjuda föräldrar till tonåringar?"
    quotes = [c.quote for c in ask(ctx, question).citations]
    assert len(quotes) == 3 and quotes[0].startswith("I dag erbjuds")
    assert quotes[2].startswith("Vi vill att alla föräldrar")  # the most similar, last in text
    assert not any("kyrkan" in q or "Skolan" in q for q in quotes)


HOMELESS = Document(
    "testby-l",
    "# Boende\n\nDe flesta hemlösa i Testby sover inte på gatan. Deras boende är otryggt. "
    "Metoden Bostad först ska fortsätta. Antalet träningslägenheter ska öka.\n\n"
    "Parken ska rustas upp.\n",
    "Liberalerna",
    "Testby",
    "Program",
    "l.md",
    "h4",
)


def test_what_a_programme_goes_on_to_propose_in_the_paragraph_is_quoted() -> None:
    """Only the first sentence names the topic, and it proposes nothing: the proposals that
    follow it in its paragraph are quoted first; not those of the next paragraph."""
    quotes = [
        c.quote
        for c in ask(
            lexical_context([HOMELESS]), "Vad vill Liberalerna i Testby göra för hemlösa?"
        ).citations
    ]
    assert quotes == [
        "De flesta hemlösa i Testby sover inte på gatan.",
        "Metoden Bostad först ska fortsätta.",
        "Antalet träningslägenheter ska öka.",
    ]


FOLLOW_UP = Document(
    "testby-f",
    "# Kvalitet\n\nAllt socialt arbete ska följas upp. Vi vill därför samarbeta med högskolan. "
    "Parkerna ska rustas upp.\n",
    "Liberalerna",
    "Testby",
    "Program",
    "f.md",
    "h5",
)


def test_after_a_proposal_only_a_sentence_that_goes_on_with_it_is_quoted() -> None:
    """ "Vi vill därför …" continues the proposal before it; the next proposal, with no such
    word, is about something else."""
    question = "Hur vill Liberalerna i Testby följa upp det sociala arbetet?"
    quotes = [c.quote for c in ask(lexical_context([FOLLOW_UP]), question).citations]
    assert quotes == [
        "Allt socialt arbete ska följas upp.",
        "Vi vill därför samarbeta med högskolan.",
    ]


def test_a_compound_written_with_its_head_left_out_is_found() -> None:
    """ "barn- och ungdomspsykiatrin" says "barnpsykiatrin"; the topic stands where it is said."""
    doc = Document(
        "testby-p",
        "# Vård\n\nKöerna till barn- och ungdomspsykiatrin ska kortas.\n",
        "Liberalerna",
        "Testby",
        "Program",
        "p.md",
        "h6",
    )
    answer = ask(lexical_context([doc]), "Vem vill korta köerna till barnpsykiatrin?")
    assert [c.quote for c in answer.citations] == [
        "Köerna till barn- och ungdomspsykiatrin ska kortas."
    ]
    assert [v.stance for v in answer.verdicts if v.named] == ["proposes"]


def test_two_words_the_corpus_writes_as_one_compound_are_found_in_it() -> None:
    """ "komma hem … på besök" is what "hembesök" says; a visit alone is not it."""
    doc = Document(
        "testby-j",
        "# Äldre\n\nVi vill erbjuda hembesök till alla som fyller 80 år.\n\n"
        "# Kultur\n\nEtt besök på biblioteket ska vara gratis.\n",
        "Liberalerna",
        "Testby",
        "Program",
        "p.md",
        "h7",
    )
    question = "Vem vill att kommunen ska komma hem till äldre på besök?"
    answer = ask(lexical_context([doc]), question)
    assert [c.quote for c in answer.citations] == [
        "Vi vill erbjuda hembesök till alla som fyller 80 år."
    ]


def test_a_why_question_quotes_what_therefore_refers_back_to() -> None:
    """ "Vi vill därför …" gives the proposal; the reason is in the sentences before it in the
    section (here in the paragraph before), not beyond its heading."""
    doc = Document(
        "testby-r",
        "# Trafik\n\nParkeringen ska byggas om.\n\n## Bussar\n\nPengarna räcker sällan. "
        "Ett busskort kostar mycket.\n\nVi vill därför ha avgiftsfria bussar för alla med "
        "bistånd.\n",
        "Liberalerna",
        "Testby",
        "Program",
        "r.md",
        "h7",
    )
    question = "Varför vill Liberalerna i Testby ha avgiftsfria bussar för dem med bistånd?"
    assert [c.quote for c in ask(lexical_context([doc]), question).citations] == [
        "Pengarna räcker sällan.",
        "Ett busskort kostar mycket.",
        "Vi vill därför ha avgiftsfria bussar för alla med bistånd.",
    ]


def test_why_after_a_who_answer_quotes_each_named_programme_with_its_reason() -> None:
    """ "Varför?" asks it of those the answer before named: each is quoted, with the reason
    its "därför" refers back to."""
    docs = [
        Document(
            f"{place.lower()}-r",
            f"# Bussar\n\n{reason}\n\nVi vill därför ha avgiftsfria bussar.\n",
            "Liberalerna",
            place,
            "Program",
            f"{place}.md",
            f"h-{place}",
        )
        for place, reason in [("Arboga", "Pengarna räcker sällan."), ("Borås", "Bilen kostar.")]
    ]
    history = ["Vilka vill ha avgiftsfria bussar?"]
    quotes = [c.quote for c in ask(lexical_context(docs), "Varför?", history).citations]
    assert quotes == [
        "Pengarna räcker sällan.",
        "Vi vill därför ha avgiftsfria bussar.",
        "Bilen kostar.",
        "Vi vill därför ha avgiftsfria bussar.",
    ]


def test_part_of_the_topic_never_makes_an_answer_where_there_was_none() -> None:
    ctx = replace(lexical_context([PARENTS]), similarity=prefers("12–17"))
    answer = ask(ctx, "Vad vill Kristdemokraterna i Testby göra för föräldrar till kärnkraft?")
    assert not answer.answerable and answer.citations == []


def test_a_sentence_repeated_across_programmes_is_matched_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Parties reuse text between municipalities: one question matches each text once, and
    each programme still gets its own verdict."""
    copy = replace(TWO_SENTENCES, doc_id="kopia", municipality="Kopieby", source="k.md")
    matched: list[str] = []
    find = ConceptMatcher._find
    monkeypatch.setattr(
        ConceptMatcher, "_find", lambda self, text: matched.append(text) or find(self, text)
    )
    answer = ask(lexical_context([TWO_SENTENCES, copy]), "Vem vill ha sprutbyte?")
    assert answer.municipalities == ["Kopieby", "Testby"]
    assert len(matched) == len(set(matched))


def test_a_who_question_keeps_only_the_sentences_a_verdict_can_rest_on() -> None:
    """A verdict rests on one sentence per programme: of one stance, only those equal to the
    best on the words are kept (here the one naming the topic itself, not the one only under
    a heading naming it). A what-question keeps both."""
    doc = Document(
        "testby-w",
        "# Sprutbyte\n\nVi vill införa sprutbyte. Det ska finnas på vårdcentralen.\n",
        "Liberalerna",
        "Testby",
        "Program",
        "w.md",
        "h8",
    )
    ctx = lexical_context([doc])
    who = answer_state(ctx, "Vem vill ha sprutbyte?", None, None).evidence
    what = answer_state(ctx, "Vad vill Liberalerna i Testby med sprutbyte?", None, None).evidence
    assert [(ev.quote, ev.stance) for ev in who] == [("Vi vill införa sprutbyte.", "proposes")]
    assert {ev.quote for ev in what} == {
        "Vi vill införa sprutbyte.",
        "Det ska finnas på vårdcentralen.",
    }


def test_a_proposal_that_refers_back_says_the_topic_of_the_sentence_before() -> None:
    """ "Därför vill vi …" proposes what the sentence before it names: that programme's verdict
    rests on the proposal, though its words leave out part of the topic."""
    doc = _programme(
        "Aby",
        "# Unga\n\nMånga elever i skolan väntar länge på hjälp. Därför vill vi att kommunen "
        "anställer fler kuratorer.\n",
    )
    others = [_programme(p, "# Stöd\n\nVi vill ge stöd till alla.\n") for p in ("Bby", "Cby")]
    question = "Vilka vill ha fler kuratorer i skolan?"
    answer = ask(lexical_context([doc, *others]), question, None, None)
    assert [(v.stance, v.citation.quote) for v in answer.verdicts if v.citation] == [
        ("proposes", "Därför vill vi att kommunen anställer fler kuratorer.")
    ]


def named_in(answer: Answer) -> list[str]:
    """The places an answer names as saying what was asked."""
    return [v.municipality for v in answer.verdicts if v.named]


def _programme(place: str, text: str) -> Document:
    return Document(f"{place.lower()}-l", text, "Liberalerna", place, "Program", f"{place}.md", "h")


QUALIFIED = [
    _programme("Aby", "# Boende\n\nVi vill inrätta fler boendeplatser för kvinnor.\n"),
    *(
        _programme(p, "# Stöd\n\nVi vill ge stöd till alla.\n\nVi vill minska hemlösheten.\n")
        for p in ("Bby", "Cby")
    ),
    *(_programme(p, "# Stöd\n\nVi vill ge stöd till alla.\n") for p in ("Dby", "Eby")),
]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # "boendeplatser" (one programme) is more specific than "hemlöshet" (two): "i
        # hemlöshet" only narrows it
        ("Vilka vill skapa fler boendeplatser för kvinnor i hemlöshet?", ["Aby"]),
        # "stöd" (four) is more common: "i hemlöshet" is then what is asked about
        ("Vilka vill ge stöd till kvinnor i hemlöshet?", ["Bby", "Cby"]),
    ],
)
def test_which_of_the_people_only_narrows_a_specific_measure(
    question: str, named: list[str]
) -> None:
    assert named_in(ask(lexical_context(QUALIFIED), question)) == named


def test_a_compound_is_said_in_parts_with_a_kind_of_its_first_part() -> None:
    """ "platser på lågtröskelboende" says "boendeplatser": a "lågtröskelboende" is a kind of
    "boende"."""
    doc = _programme("Aby", "# Boende\n\nVi vill ha fler platser på lågtröskelboende.\n")
    answer = ask(lexical_context([doc]), "Vilka vill ha fler boendeplatser?")
    assert [c.quote for c in answer.citations] == ["Vi vill ha fler platser på lågtröskelboende."]


ASIDES = [
    _programme("Aby", "# Gäng\n\nVi vill bygga ut avhopparverksamheten.\n"),
    _programme("Bby", "# Unga\n\nVi vill anställa fler fältsekreterare.\n"),
    _programme("Cby", "# Stöd\n\nVi vill ge hjälp till alla som vill lämna ett gäng.\n"),
]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # the aside explains what the question names: it only ranks
        ("Vilka vill satsa på avhopparverksamhet, alltså hjälp att lämna ett gäng?", ["Aby"]),
        # no programme uses the word the question names: the aside says what it is
        ("Vilka vill ha fler fältare, alltså fältsekreterare?", ["Bby"]),
    ],
)
def test_an_aside_only_ranks_unless_it_says_what_the_corpus_has_words_for(
    question: str, named: list[str]
) -> None:
    assert named_in(ask(lexical_context(ASIDES), question)) == named


TOLD_FIRST = [
    _programme("Aby", "# Samverkan\n\nVi vill samarbeta med Frälsningsarmén om härbärgen.\n"),
    _programme("Bby", "# Omsorg\n\nVi vill att de äldre möter samma personal.\n"),
    _programme("Cby", "# Omsorg\n\nVi vill bygga ut hemtjänsten.\n"),
]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # the question asks about the staff; what the reader tells first only ranks
        ("Mormor har hemtjänst – vilka partier vill att de äldre möter samma personal?", ["Bby"]),
        # the question has no topic of its own: what was told is asked, its words that no
        # programme uses ("artikel") only rank
        ("Jag skriver en artikel om Frälsningsarmén – vilka program nämner dem?", ["Aby"]),
    ],
)
def test_what_the_reader_tells_first_only_ranks_unless_the_question_has_no_topic(
    question: str, named: list[str]
) -> None:
    assert named_in(ask(lexical_context(TOLD_FIRST), question)) == named


def test_who_puts_a_figure_on_it_is_who_says_it_with_a_number() -> None:
    docs = [
        _programme("Aby", "# Bostad\n\nVi vill att minst 40 lägenheter går till Bostad först.\n"),
        _programme("Bby", "# Bostad\n\nVi vill att lägenheter går till Bostad först.\n"),
        _programme("Cby", "# Bostad\n\nVi vill att tolv lägenheter går till Bostad först.\n"),
    ]
    question = "Vilka partier anger hur många lägenheter Bostad först ska få?"
    assert named_in(ask(lexical_context(docs), question)) == ["Aby", "Cby"]


def test_people_are_no_head_when_the_question_names_a_thing() -> None:
    """ "folk" is rarer here than "fältassistenter", but a measure is what is asked about."""
    docs = [
        _programme("Aby", "# Unga\n\nFältassistenter ska träffa unga.\n"),
        _programme("Bby", "# Unga\n\nFältassistenter ska träffa unga.\n"),
        _programme("Cby", "# Unga\n\nFolk ska må bra.\n"),
    ]
    snapshot = lexical_context(docs).snapshot
    plan = analyze("Vilka vill att fältassistenter ska träffa folk?", ["Aby"], [])
    m = ConceptMatcher(plan, snapshot)
    assert plan.concepts[m.head][0] == "fältassistenter"


def test_a_fact_is_quoted_only_from_the_programmes_that_carry_it() -> None:
    """ "What is naloxone?" is answered by the programme that says what it is, not by one that
    only wants it handed out."""
    docs = [
        _programme("Aby", "# Droger\n\nNaloxon är ett motgift mot överdoser.\n"),
        _programme("Bby", "# Droger\n\nVi vill att naloxon delas ut.\n"),
    ]
    answer = ask(lexical_context(docs), "What is naloxone, which parties hand out?")
    assert [c.quote for c in answer.citations] == ["Naloxon är ett motgift mot överdoser."]


def test_people_alone_do_not_decide_an_english_topic_nothing_translates() -> None:
    """ "teenagers" is known, "zorbing lessons" is not: the answer is not everything said
    about young people."""
    docs = [_programme("Aby", "# Unga\n\nVi vill ge ungdomar fler fritidsgårdar.\n")]
    answer = ask(lexical_context(docs), "Which parties promise teenagers zorbing lessons?")
    assert not answer.answerable and answer.verdicts == []


def test_an_aside_says_what_is_asked_when_the_rest_has_words_no_programme_uses() -> None:
    """ "på längre sikt": no programme says "sikt"; the aside says it in the corpus's words."""
    docs = [
        _programme("Aby", "# Jourer\n\nVi vill ge kvinnojourerna fleråriga avtal.\n"),
        _programme("Bby", "# Jourer\n\nVi vill ge kvinnojourerna mer pengar.\n"),
    ]
    question = "Vilka lovar kvinnojourerna pengar på längre sikt, typ fleråriga avtal?"
    assert named_in(ask(lexical_context(docs), question)) == ["Aby"]


CARE = [
    _programme("Aby", "# Vård\n\nVi vill stärka vården för äldre.\n"),
    _programme("Bby", "# Socialtjänst\n\nVi vill anställa fler socialsekreterare.\n"),
]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # only "care" is known, "free" and "dental" nothing translates: nothing found
        ("Which parties want free dental care for pensioners?", []),
        # one word nothing translates beside one the glossary knows: the known one decides
        ("Who wants to hire more trained social workers?", ["Bby"]),
        # two words nothing translates, joined by "or", are still untranslated
        ("Which parties want free dental or eye care for pensioners?", []),
    ],
)
def test_a_known_word_does_not_decide_when_most_words_nothing_translates(
    question: str, named: list[str]
) -> None:
    assert named_in(ask(lexical_context(CARE), question)) == named


def test_a_common_word_does_not_decide_a_who_question_against_three_unknown() -> None:
    """Every programme speaks of social services; "hired", "relying" and "freelancers" (bridged
    to "konsulter", which a bridge may get wrong) are unknown: naming every programme that says
    "socialtjänst" would answer something else. One unknown word does not stop the known."""
    docs = [
        _programme(name, f"# Socialtjänst\n\nSocialtjänsten i {name} ska ha fler kuratorer.\n")
        for name in ("Aby", "Bby", "Cby")
    ]
    bridges = {"freelancers": ("konsulter",)}
    context = replace(lexical_context(docs), bridge=lambda word: bridges.get(word, ()))
    question = "Which programmes bring up social services relying on hired freelancers?"
    assert not ask(context, question).answerable
    assert named_in(ask(context, "Which programmes bring up social services for freelancers?"))


def test_a_no_to_what_others_want_is_opposition_quoted_with_what_it_answers() -> None:
    """ "Högerpartierna vill sänka skatten. Vi vill gå en annan väg." says no; without the
    answer, the programme only reports what others want."""
    docs = [
        _programme(
            "Aby", "# Skatt\n\nHögerpartierna vill sänka skatten. Vi vill gå en annan väg.\n"
        ),
        _programme("Bby", "# Skatt\n\nHögerpartierna vill sänka skatten. Det kostar mycket.\n"),
    ]
    answer = ask(lexical_context(docs), "Vilka partier säger nej till att sänka skatten?")
    assert named_in(answer) == ["Aby"]
    assert [c.quote for c in answer.citations] == [
        "Högerpartierna vill sänka skatten. Vi vill gå en annan väg."
    ]


@pytest.mark.parametrize(
    "reply",
    ["Vi vill inte ha zoner.", "Vi avvisar zoner.", "Vi anser tvärtom att polisen ska vänta."],
)
def test_we_do_not_want_it_after_what_others_want_is_opposition(reply: str) -> None:
    """ "Vi vill inte ha …", "Vi avvisar …" and "Vi anser tvärtom …" answer what others want,
    as "säger nej" does."""
    text = f"# Polis\n\nFlera partier vill att polisen ska få visitera i zoner. {reply}\n"
    answer = ask(lexical_context([_programme("Aby", text)]), "Vilka är emot att polisen visiterar?")
    assert named_in(answer) == ["Aby"]
    assert answer.citations[0].quote.endswith(reply)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vilka är emot att skolor i byarna läggs ned?", ["Aby"]),
        ("Which parties are against closing the village schools?", ["Aby"]),
        ("Vilka är emot skolor i byarna?", []),  # keeping them is no no to them
    ],
)
def test_keeping_what_is_to_be_taken_away_says_no_to_taking_it(
    question: str, expected: list[str]
) -> None:
    text = "# Byar\n\nVi vill behålla skolor i byarna, så att barnen slipper åka buss.\n"
    context = lexical_context([_programme("Aby", text)])
    bridges = {"village": ("byarna",), "schools": ("skolor",)}
    context = replace(context, bridge=lambda word: bridges.get(word, ()))
    answer = ask(context, question)
    assert named_in(answer) == expected


def test_a_no_in_a_list_is_quoted_alone_not_with_the_items_after_it() -> None:
    """The next item of a list is not the next sentence of a bullet that says no."""
    text = "# Vi vill\n\n- Säga nej till sänkt skatt\n- Bygga fler bibliotek\n- Öppna parken\n"
    answer = ask(lexical_context([_programme("Aby", text)]), "Vilka säger nej till sänkt skatt?")
    assert named_in(answer) == ["Aby"]
    assert [c.quote for c in answer.citations] == ["Säga nej till sänkt skatt"]


def test_what_was_done_then_called_wrong_is_opposition_quoted_with_the_verdict() -> None:
    """ "Skolor i byarna läggs ned. Vi tror att det är fel väg." says no to closing them;
    a proposal followed by such a sentence stays a proposal."""
    docs = [
        _programme("Aby", "# Byar\n\nSkolor i byarna läggs ned. Vi tror att det är fel väg.\n"),
        _programme("Bby", "# Byar\n\nSkolor i byarna läggs ned. Det kostar mycket.\n"),
        _programme(
            "Cby", "# Byar\n\nVi vill att skolor i byarna läggs ned. Det är fel att vänta.\n"
        ),
    ]
    answer = ask(lexical_context(docs), "Vilka partier är emot att skolor i byarna läggs ned?")
    assert named_in(answer) == ["Aby"]
    assert [c.quote for c in answer.citations] == [
        "Skolor i byarna läggs ned. Vi tror att det är fel väg."
    ]


def test_what_others_propose_then_would_be_wrong_is_opposition() -> None:
    """ "Vi tror att det vore fel väg": the conditional says no as "är fel väg" does."""
    text = (
        "# Förslag\n\nAndra partier har föreslagit ett tillägg till bidraget. "
        "Vi tror att det vore fel väg.\n"
    )
    answer = ask(
        lexical_context([_programme("Aby", text)]), "Vilka är emot ett tillägg till bidraget?"
    )
    assert named_in(answer) == ["Aby"]


# --- evidence by meaning, when the words prove nothing ---------------------------------------


def by_meaning_answer(documents: list[Document], similarity: Similarity) -> Answer:
    """The answer to a question no programme has the words for, from every passage."""
    snapshot = lexical_context(documents).snapshot
    plan = analyze("Vem vill ha atomkraft?", TOWNS, ["Liberalerna"])
    evidence = by_meaning(plan, every_passage(snapshot), snapshot, similarity)
    return compose(plan, evidence, documents, snapshot)


def test_a_sentence_that_stands_far_out_by_meaning_answers_when_the_words_prove_nothing() -> None:
    docs = [town(i, REACTOR if i == 3 else "") for i in range(30)]
    answer = by_meaning_answer(docs, spread({REACTOR: 0.95}))
    assert answer.answerable and answer.municipalities == ["By3"]
    assert answer.text.startswith("Inget program säger precis det frågan säger")
    assert [c.quote for c in answer.citations] == [REACTOR]


def test_others_close_to_the_one_that_stands_out_are_named_with_it() -> None:
    near = "Vi vill att staden får en egen reaktor för fjärrvärme."
    docs = [town(i, {3: REACTOR, 7: near}.get(i, "")) for i in range(30)]
    answer = by_meaning_answer(docs, spread({REACTOR: 0.95, near: 0.94}))
    assert answer.municipalities == ["By3", "By7"]


def test_nothing_stands_out_by_meaning_so_the_question_is_refused() -> None:
    docs = [town(i, REACTOR if i == 3 else "") for i in range(30)]
    assert not by_meaning_answer(docs, spread({})).answerable


def test_a_sentence_standing_out_by_meaning_must_have_the_asked_stance() -> None:
    today = "Staden får i dag sin el från en reaktor vid kusten."
    docs = [town(i, today if i == 3 else "") for i in range(30)]
    assert not by_meaning_answer(docs, spread({today: 0.95})).answerable


def test_few_sentences_say_too_little_for_meaning_alone_to_answer() -> None:
    docs = [town(i, REACTOR if i == 3 else "") for i in range(6)]
    assert not by_meaning_answer(docs, spread({REACTOR: 0.95})).answerable


def test_the_bar_for_meaning_alone_rises_with_the_sentences_that_could_resemble_by_chance() -> None:
    assert meaning_bar(100) == meaning_bar(500) == MEANING_Z
    assert meaning_bar(1_000_000) > MEANING_Z + 0.5


def test_english_words_that_only_ranked_because_known_words_decided_are_set_aside() -> None:
    ctx = lexical_context()

    def aside(question: str) -> list[str]:
        return set_aside(plan_step(ctx, question, None, None).plan, ctx.snapshot)

    assert aside("Who wants women's shelters to be reachable?") == ["reachable"]
    assert aside("Who wants reachable zorbing?") == []  # they decide: nothing else is known
    assert aside("Who wants women's shelters?") == []


# --- a question about one programme answered in part ----------------------------------------

MINE = "Vi vill att kommunen och gruvbolaget tecknar ett avtal om sociala investeringar."
MINING_QUESTION = "Vad vill Liberalerna i By3 att gruvbolaget ska bidra med?"


def mining(similarity: Similarity, question: str = MINING_QUESTION) -> Answer:
    """The answer to a question whose whole topic no programme names: By3 names "gruvbolaget"
    but not "bidra", the rarer word (By0 has it, the others name the company)."""
    last = {0: "Föreningarna ska bidra.", 3: MINE + " Gruvbolaget ska följa lagen."}
    docs = [town(i, last.get(i, "Gruvbolaget finns här.")) for i in range(4)]
    return ask(replace(lexical_context(docs), similarity=similarity), question)


def test_a_programme_silent_on_the_whole_topic_is_quoted_on_part_of_it_that_stands_out() -> None:
    answer = mining(spread({MINE: 0.95}))
    # the sentence that stands out, then (as for any one programme) its others on the topic
    assert [c.quote for c in answer.citations] == [MINE, "Gruvbolaget ska följa lagen."]
    assert answer.text.startswith("Programmet för By3 tar inte upp just det")


def test_a_sentence_on_part_of_the_topic_that_does_not_stand_out_is_no_answer() -> None:
    assert not mining(spread({})).answerable


def test_only_a_question_about_one_programme_is_answered_in_part() -> None:
    answer = mining(spread({MINE: 0.95}), "Vad vill partierna att gruvbolaget ska bidra med?")
    assert MINE not in [c.quote for c in answer.citations]


COMMON_TOPIC = [
    _programme("Aby", "# Trygghet\n\nSocialtjänsten ska arbeta med polisen mot människohandel.\n"),
    *(
        _programme(p, "# Stöd\n\nVi vill att socialtjänsten ska arbeta nära familjerna.\n")
        for p in ("Bby", "Cby", "Dby")
    ),
    _programme("Eby", "# Skola\n\nVi vill ha fler lärare.\n"),
]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # "socialtjänsten" is named by most programmes: it says nothing about which of them
        # answer, and what only narrowed ("mot människohandel") decides too
        ("Vilka vill att socialtjänsten ska arbeta för att stoppa människohandel?", ["Aby"]),
        # a topic that few programmes name still decides alone
        ("Vilka vill ha fler lärare för att eleverna ska trivas?", ["Eby"]),
    ],
)
def test_a_topic_most_programmes_name_does_not_decide_alone(
    question: str, named: list[str]
) -> None:
    assert named_in(ask(lexical_context(COMMON_TOPIC), question)) == named


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Bostad först innebär att den hemlöse får en egen lägenhet.", ("Bostad först",)),
        (
            "Sociala insatsgrupper, SIG, är ett samarbete mellan skola och polis.",
            ("Sociala insatsgrupper", "SIG"),
        ),
        (
            "Familjecentral (FC) innebär att mödravård och socialtjänst delar lokal.",
            ("Familjecentral", "FC"),
        ),
        ("En kontaktfamilj är en vanlig familj som tar emot ett barn.", ("kontaktfamilj",)),
        ("Naloxone is a drug that reverses an overdose.", ("Naloxone",)),
        ("Det innebär att fler får hjälp.", ()),  # refers back, names nothing
        ("Varje byte innebär att barnet träffar en ny vuxen.", ()),
        ("I dag är en av fem personer som söker hjälp ung.", ()),
        ("Våld i nära relationer är ett stort samhällsproblem.", ()),  # a judgement
        ("Fältsekreterarna är en viktig länk mellan unga och vuxna.", ()),
        ("Vi vill att kommunen inför Bostad först.", ()),
    ],
)
def test_the_name_a_sentence_defines(sentence: str, name: tuple[str, ...]) -> None:
    assert defined_name(sentence) == name


DESCRIBED = "Vilka vill att hemlösa ska få en egen lägenhet direkt?"
BOSTAD_FORST = "Bostad först innebär att hemlösa får en egen lägenhet direkt, med stöd."


def test_a_who_question_describing_what_the_programmes_name_is_answered_by_the_name() -> None:
    docs = [
        _programme("Aby", f"# Hemlöshet\n\n{BOSTAD_FORST} Vi vill att Aby inför Bostad först.\n"),
        _programme("Bby", "# Hemlöshet\n\nVi vill att Bby inför Bostad först.\n"),
        _programme("Cby", "# Bostäder\n\nVi vill bygga fler lägenheter.\n"),
        _programme("Dby", "# Skola\n\nVi vill ha mindre klasser.\n"),
    ]
    answer = ask(lexical_context(docs), DESCRIBED)
    assert named_in(answer) == ["Aby", "Bby"]
    assert answer.text.startswith("Programmen kallar det ”Bostad först”.")
    assert [c.quote for c in answer.citations] == [
        "Vi vill att Aby inför Bostad först.",
        "Vi vill att Bby inför Bostad först.",
    ]


def test_a_question_that_names_and_describes_the_thing_is_answered_by_the_name() -> None:
    """ "… en egen lägenhet direkt med Bostad först": the name decides, so a programme that
    only names it answers, and what describes it only narrows."""
    docs = [
        _programme("Aby", f"# Hemlöshet\n\n{BOSTAD_FORST} Vi vill att Aby inför Bostad först.\n"),
        _programme("Bby", "# Hemlöshet\n\nVi vill att Bby inför Bostad först.\n"),
        _programme("Cby", "# Bostäder\n\nVi vill bygga fler lägenheter.\n"),
        _programme("Dby", "# Skola\n\nVi vill ha mindre klasser.\n"),
    ]
    question = "Vilka vill att hemlösa ska få en egen lägenhet direkt med Bostad först?"
    assert named_in(ask(lexical_context(docs), question)) == ["Aby", "Bby"]


@pytest.mark.parametrize(
    "definition",
    [
        "Bostad först innebär att alla får stöd.",  # one of the question's concepts only
        "Bostad först är en viktig metod.",  # no definition
    ],
)
def test_a_name_is_asked_after_only_when_its_definition_says_what_the_question_does(
    definition: str,
) -> None:
    docs = [
        _programme("Aby", f"# Hemlöshet\n\n{definition} Vi vill att Aby inför Bostad först.\n"),
        _programme("Bby", "# Hemlöshet\n\nHemlösa ska få en egen lägenhet direkt.\n"),
        _programme("Cby", "# Skola\n\nVi vill ha mindre klasser.\n"),
    ]
    answer = ask(lexical_context(docs), DESCRIBED)
    assert named_in(answer) == ["Bby"] and "kallar det" not in answer.text


MOTGIFT = "Naloxon är ett motgift som kan häva en överdos av opioider."


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # the question says what its thing does ("läkemedel som …"): the kind of thing the
        # definition names ("ett motgift som …") stands for it
        ("Vilka vill dela ut läkemedel som kan häva en överdos av opioider?", ["Aby", "Bby"]),
        # no clause says what the medicine does: it must be said, and no programme says it
        ("Vilka vill dela ut läkemedel mot överdoser av opioider?", []),
    ],
)
def test_a_definition_that_names_a_kind_of_thing_stands_for_a_thing_described_by_a_clause(
    question: str, named: list[str]
) -> None:
    docs = [
        _programme("Aby", f"# Missbruk\n\n{MOTGIFT} Vi vill att Aby delar ut naloxon.\n"),
        _programme("Bby", "# Missbruk\n\nVi vill att naloxon delas ut i Bby.\n"),
        _programme("Cby", "# Vård\n\nVi vill att läkemedel ska kosta mindre.\n"),
        _programme("Dby", "# Skola\n\nVi vill ha mindre klasser.\n"),
        _programme("Eby", "# Äldre\n\nVi vill ha fler trygghetsboenden.\n"),
    ]
    assert named_in(ask(lexical_context(docs), question)) == named


def test_who_mentions_what_is_described_is_not_answered_by_its_name() -> None:
    docs = [
        _programme("Aby", f"# Hemlöshet\n\n{BOSTAD_FORST}\n"),
        _programme("Bby", "# Hemlöshet\n\nVi vill att Bby inför Bostad först.\n"),
        _programme("Cby", "# Skola\n\nVi vill ha mindre klasser.\n"),
    ]
    answer = ask(
        lexical_context(docs), "Vilka program tar upp att hemlösa ska få en egen lägenhet direkt?"
    )
    assert named_in(answer) == ["Aby"]


HALF = "Vi vill att staden bygger en reaktor."  # the reactor, not what it is for
HEATING = "Fjärrvärmen är dyr i staden."


def reactor_for_heating(half: str, similarity: Similarity) -> Answer:
    """Asked who wants a reactor for district heating, where no programme says both: By3 says
    `half`, By5 that heating is dear."""
    docs = [town(i, {3: half, 5: HEATING}.get(i, "")) for i in range(30)]
    snapshot = lexical_context(docs).snapshot
    plan = analyze("Vem vill bygga en reaktor för fjärrvärme?", TOWNS, ["Liberalerna"])
    evidence = by_meaning(plan, every_passage(snapshot), snapshot, similarity)
    return compose(plan, evidence, docs, snapshot)


def a_little_out(sentence: str) -> Similarity:
    """`sentence` stands about three deviations above the others: above the bar for half the
    topic in words, below the bar for meaning alone."""
    return spread({sentence: 0.818})


def test_a_sentence_saying_half_the_topic_that_stands_out_by_meaning_answers() -> None:
    answer = reactor_for_heating(HALF, a_little_out(HALF))
    assert named_in(answer) == ["By3"] and [c.quote for c in answer.citations] == [HALF]


def test_half_the_topic_alone_is_no_answer() -> None:
    assert not reactor_for_heating(HALF, spread({})).answerable


def test_standing_out_a_little_by_meaning_alone_is_no_answer() -> None:
    elsewhere = "Vi vill att staden värms upp med kraft från kusten."
    assert not reactor_for_heating(elsewhere, a_little_out(elsewhere)).answerable


def test_beside_programmes_the_words_answer_for_only_half_the_topic_and_meaning_add_one() -> None:
    both = "Vi vill bygga en reaktor för fjärrvärme."
    elsewhere = "Vi vill att staden värms upp med kraft från kusten."
    docs = [town(i, {1: both, 3: HALF, 5: HEATING, 7: elsewhere}.get(i, "")) for i in range(30)]
    snapshot = lexical_context(docs).snapshot
    plan = analyze("Vem vill bygga en reaktor för fjärrvärme?", TOWNS, ["Liberalerna"])
    similarity = spread({HALF: 0.825, elsewhere: 0.84})  # both far out; one by meaning alone
    found = by_meaning(plan, every_passage(snapshot), snapshot, similarity, answered={"by1"})
    assert [ev.doc.municipality for ev in found] == ["By3"]


def test_what_others_want_found_by_meaning_is_said_no_to_in_the_next_sentence() -> None:
    others = "Vänsterpartiet har föreslagit att staden bygger en reaktor."
    last = f"{others} Vi tror att det vore fel väg."
    docs = [town(i, {3: last, 5: HEATING}.get(i, "")) for i in range(30)]
    snapshot = lexical_context(docs).snapshot
    plan = analyze("Vem är emot en reaktor för fjärrvärme?", TOWNS, ["Liberalerna"])
    found = by_meaning(plan, every_passage(snapshot), snapshot, a_little_out(others))
    assert [(ev.doc.municipality, ev.stance, ev.quote) for ev in found] == [
        ("By3", "opposes", last)
    ]


def test_the_steps_share_one_matcher_per_plan_and_index_version() -> None:
    snapshot = lexical_context(QUALIFIED).snapshot
    plan = analyze("Vilka vill inrätta boendeplatser?", ["Aby"], [])
    first = matcher_for(plan, snapshot)
    assert matcher_for(replace(plan), snapshot) is first  # an equal plan
    assert matcher_for(plan, lexical_context(QUALIFIED).snapshot) is not first  # a new version


def test_what_the_reader_told_first_decides_when_the_rest_is_words_no_programme_uses() -> None:
    """ "What would the deal achieve?" has words of its own, but no programme uses them: the
    topic is what the reader told first (needle exchange), which no longer only narrows."""
    docs = [_programme("Aby", "# Sprutbyte\n\nVi vill införa sprutbyte på vårdcentralen.\n")]
    told = "The Liberals in Aby talk of needle exchange."
    snapshot = lexical_context(docs).snapshot
    m = ConceptMatcher(analyze(f"{told} What would the deal achieve?", ["Aby"], []), snapshot)
    assert 0 not in m.modifiers and m.weights[0] > 0
    # words the programmes use do decide, and what was told first only narrows
    m = ConceptMatcher(analyze(f"{told} What about the health centre?", ["Aby"], []), snapshot)
    assert 0 in m.modifiers
