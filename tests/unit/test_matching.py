"""Swedish word matching: inflections and compounds match, words hiding inside others do not."""

from __future__ import annotations

import pytest

from evals.golden import load_golden
from rag.lexical import words
from rag.matching import Lexicon, joined, phrase_in, split_compound, word_match
from rag.query import glossary
from tests.helpers import seed_documents

VOCABULARY = frozenset(
    {"program", "mottagning", "tiggeri", "omsorgen", "förtryck", "hederns", "stöd"}
)


@pytest.mark.parametrize(
    ("term", "word"),
    [
        ("sprutbyte", "sprutbytesprogram"),
        ("sprutbyte", "sprutbytesmottagning"),
        ("sprutbyte", "sprututbyte"),
        ("hemlöshet", "hemlösheten"),
        ("kvinnojour", "kvinnojourerna"),
        ("familjehem", "familjehemmens"),
        ("förbud", "tiggeriförbud"),
        ("tiggeri", "tiggeriförbud"),
        ("äldre", "äldreomsorgen"),
        ("brukare", "brukarna"),
        ("utför", "utförare"),  # a verb asked for, its doer written
        ("lön", "löner"),
        ("ensamma", "ensam"),  # the question inflects, the text has the plain word
        ("hemlösa", "hemlös"),
        ("flyttar", "flyttstöd"),  # the stem begins a compound
        ("sprutor", "sprutbyte"),  # long enough on both sides, though "byte" is no corpus word
        ("motprestera", "motprestation"),  # a Latinate verb and its noun
        ("integration", "integrerar"),
        ("organisera", "organisationer"),
        ("vräkta", "vräkningar"),  # the verb asked, the noun of its action written
        ("nattvandrarna", "nattvandring"),  # the doers asked, the action written
        ("behandla", "behandlingen"),
    ],
)
def test_words_that_express_the_term(term: str, word: str) -> None:
    assert word_match(term, word, VOCABULARY)


@pytest.mark.parametrize(
    ("term", "word"),
    [
        ("äldre", "föräldrar"),
        ("ensam", "gemensam"),
        ("ensamhet", "gemensamhet"),
        ("ensamhet", "gemensamhetslokal"),
        ("vård", "vårdnadshavare"),
        ("hem", "hemlöshet"),
        ("ensamma", "gemensam"),
        ("äldres", "föräldrar"),
        ("flyttar", "flyttbar"),  # what follows the stem is no word
        ("arbetare", "arbetet"),  # the doer asked for, the deed written
        ("socialarbetare", "socialarbete"),
        ("brukare", "bruk"),
        ("tidning", "tid"),  # only a verb or doer asked for is matched by its action
        ("leda", "ledning"),  # a root this short says too little
    ],
)
def test_compound_traps_do_not_match(term: str, word: str) -> None:
    assert not word_match(term, word, VOCABULARY)


def test_phrases_need_their_words_close_together() -> None:
    assert phrase_in("bostad först", ["metoden", "bostad", "först", "ska"])
    assert not phrase_in("bostad först", ["bostad", "a", "b", "c", "d", "först"])


@pytest.mark.parametrize(
    ("part", "kinds"),
    [
        ("boend", ["akutboenden", "lågtröskelboende"]),  # a kind of "boende", inflected too
        ("ensam", []),  # "gemensam" is no kind of "ensam": "gem" is no first part
        ("förtryck", ["hedersförtryck"]),
    ],
)
def test_kinds_of_a_word_are_compounds_ending_in_it(part: str, kinds: list[str]) -> None:
    vocabulary = ["lågtröskelboende", "akutboenden", "boende", "gemensam", "hedersförtryck"]
    assert sorted(Lexicon(vocabulary).kinds_of(part)) == kinds


def test_compounds_split_into_corpus_words() -> None:
    assert split_compound("hedersförtryck", Lexicon(VOCABULARY)) == ("heder", "förtryck")
    assert split_compound("sprutbyte", Lexicon(VOCABULARY)) is None


@pytest.mark.parametrize(
    ("word", "first", "second", "expected"),
    [
        ("sprutbyte", "sprut", "byt", True),  # "byta sprutor"
        ("sprutbytesprogram", "sprut", "byt", True),  # a part of a longer compound
        ("kvinnojouren", "kvinn", "jour", True),  # a linking letter between
        ("hembesök", "hem", "besök", True),
        ("hemlöshet", "hem", "besök", False),  # the second part is not there
        ("besökshem", "hem", "besök", False),  # nor in this order
        ("hemtjänstbesök", "hem", "besök", False),  # a third part between: not these two alone
        ("föräldrar", "för", "äldr", False),  # "äldrar" begins no word: no second part
    ],
)
def test_a_compound_joins_two_words_first_then_second(
    word: str, first: str, second: str, expected: bool
) -> None:
    vocabulary = {"byte", "jouren", "besök", "äldre"}
    assert joined(word, first, second, vocabulary) is expected


def test_the_lexicon_finds_exactly_the_words_that_match() -> None:
    """Over the seed programmes' words, for every word of the golden questions and of the
    glossary: the lexicon's candidates lose no word that `word_match` accepts."""
    vocabulary = frozenset(w for d in seed_documents() for w in words(f"{d.title}\n{d.text}"))
    terms = {w for q in load_golden() for w in words(q.question)}
    terms |= {w for swedish in glossary().values() for t in swedish for w in words(t)}
    lexicon = Lexicon(vocabulary)
    for term in sorted(terms):
        expected = {w for w in vocabulary if word_match(term, w, vocabulary)}
        assert lexicon.matching(term) == expected, term


def test_the_lexicon_looks_up_beginnings_and_parts() -> None:
    lexicon = Lexicon(["ab", "abc", "xabcx", "b"])
    assert lexicon.starting("ab") == ["ab", "abc"] and lexicon.starting("z") == []
    assert lexicon.containing("abc") == {"abc", "xabcx"} and lexicon.containing("") == set()
    assert Lexicon([]).matching("hemlös") == frozenset()
