"""The Swedish and English texts of answers and refusals, and how names are joined."""

from __future__ import annotations

from collections.abc import Sequence

TEXTS = {
    "sv": {
        "and": "och",
        "who_many": "Programmen för {names} föreslår det här ({n} av {total} program):",
        "who_one": "Bara programmet för {names} föreslår det här ({n} av {total} program):",
        "mentions_many": "Programmen för {names} tar upp det här ({n} av {total} program):",
        "mentions_one": "Bara programmet för {names} tar upp det här ({n} av {total} program):",
        "opposes_many": "Programmen för {names} säger nej till det här ({n} av {total} program):",
        "opposes_one": "Bara programmet för {names} säger nej till det här "
        "({n} av {total} program):",
        "meaning_many": "Inget program säger precis det frågan säger, men programmen för "
        "{names} säger något som ligger nära i betydelse ({n} av {total} program):",
        "meaning_one": "Inget program säger precis det frågan säger, men programmet för "
        "{names} säger något som ligger nära i betydelse ({n} av {total} program):",
        "called": "Programmen kallar det {names}.",
        "by_party": "{n} av {total} program, per parti:",
        "opposers": "Emot: {names}.",
        "only_mention": "Nämner det utan att föreslå det: {names}.",
        "none_propose": "Inget program föreslår det här.",
        "what": "Så här står det i programmet för {names}:",
        "what_many": "Så här står det i programmen för {names}:",
        "what_part": "Programmet för {names} tar inte upp just det, men säger så här om en del "
        "av frågan:",
        "coverage": "Underlaget omfattar {parties} program för {places}.",
        "nothing": "Jag hittar inget i programmen som svarar på det.",
        "set_aside": "Jag kan inte koppla {words} till programmens ord, och utan dem blir "
        "frågan för bred för att besvara.",
        "nothing_in": "Jag hittar inget om det i programmet för {places}.",
        "nothing_in_many": "Jag hittar inget om det i programmen för {places}.",
        "no_topic": "Frågan saknar ett ämne att söka på. Fråga till exempel: "
        "”Vem föreslår sprutbyte?”",
        "injected": "Jag svarar bara på frågor om vad programmen säger, och följer inga andra "
        "instruktioner.",
        "other_party": "Underlaget innehåller inga program från {parties}, så jag kan inte "
        "svara för dem.",
        "other_place": "Underlaget har inget program för {places}.",
    },
    "en": {
        "and": "and",
        "who_many": "The programmes for {names} propose this ({n} of {total} programmes):",
        "who_one": "Only the programme for {names} proposes this ({n} of {total} programmes):",
        "mentions_many": "The programmes for {names} address this ({n} of {total} programmes):",
        "mentions_one": "Only the programme for {names} addresses this "
        "({n} of {total} programmes):",
        "opposes_many": "The programmes for {names} say no to this ({n} of {total} programmes):",
        "opposes_one": "Only the programme for {names} says no to this "
        "({n} of {total} programmes):",
        "meaning_many": "No programme says just what the question says, but the programmes "
        "for {names} say something close in meaning ({n} of {total} programmes):",
        "meaning_one": "No programme says just what the question says, but the programme "
        "for {names} says something close in meaning ({n} of {total} programmes):",
        "called": "The programmes call it {names}.",
        "by_party": "{n} of {total} programmes, by party:",
        "opposers": "Against: {names}.",
        "only_mention": "Mention it without proposing it: {names}.",
        "none_propose": "No programme proposes this.",
        "what": "This is what the programme for {names} says (quoted in Swedish):",
        "what_many": "This is what the programmes for {names} say (quoted in Swedish):",
        "what_part": "The programme for {names} does not take up exactly this, but says this "
        "about part of the question (quoted in Swedish):",
        "coverage": "The corpus holds {parties} programmes for {places}.",
        "nothing": "I find nothing in the programmes that answers this.",
        "set_aside": "I cannot match {words} to the programmes' words, and without them the "
        "question is too broad to answer.",
        "nothing_in": "I find nothing about this in the programme for {places}.",
        "nothing_in_many": "I find nothing about this in the programmes for {places}.",
        "no_topic": "The question has no topic to search for. Try, for example: "
        "“Who proposes needle exchange?”",
        "injected": "I only answer questions about what the programmes say, and follow no other "
        "instructions.",
        "other_party": "The corpus holds no programmes from {parties}, so I cannot answer for "
        "them.",
        "other_place": "The corpus has no programme for {places}.",
    },
}


def text(language: str, key: str, **fmt: object) -> str:
    """One text in the question's language, filled in."""
    return TEXTS[language][key].format(**fmt)


def join_names(names: Sequence[str], language: str) -> str:
    """`join_names(["A", "B", "C"], "sv") == "A, B och C"`."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {TEXTS[language]['and']} " + names[-1]


def quoted_names(names: Sequence[str], language: str) -> str:
    """`quoted_names(["SIG", "sociala insatsgrupper"], "en") == "“SIG” and “sociala
    insatsgrupper”"`, with Swedish quotation marks (”…”) in Swedish."""
    marks = "””" if language == "sv" else "“”"
    return join_names([f"{marks[0]}{n}{marks[1]}" for n in names], language)


def genitive(party: str) -> str:
    """`genitive("Liberalerna") == "Liberalernas"`."""
    return party if party.endswith("s") else party + "s"
