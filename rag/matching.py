"""Does a word of the text express a word of the question? Swedish-aware: inflections, compounds
whose head or first part is the query word, and near-spellings — but not a query word that only
hides inside another word ("äldre" in "föräldrar", "ensamhet" in "gemensamhet").

Pure functions; `vocabulary` (the corpus's words) tells which leftover parts of a compound are
real words.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from functools import lru_cache

from rag.lexical import STOPWORDS, ngrams, stem

_TOKEN = re.compile(r"[^\W_]+")

# Endings that inflect a Swedish noun, adjective or verb ("kvinnojour" + "erna").
INFLECTIONS = frozenset(
    """s e n a t r en et er ar or na ens ets ers ars ors ns ts rs as es erna arna orna ena
    ernas arnas ornas enas ade ande ende ad at da de""".split()
)
LINKING = "seaou"  # letters that may join the parts of a Swedish compound
MIN_PART = 4  # a query word shorter than this never matches inside a compound
MAX_ENDING = 3  # letters of inflection after a compound's last part ("-ena" in "boendena")
NEAR_SPELLING = 7  # a query word this long also matches its near-spellings
NEAR_SHARE = 0.7  # which share most of its n-grams
JOIN_MIN = 3  # a stem shorter than this is no part of a compound joined from two words
JOIN_GAP = 2  # letters between the parts of a joined compound (an ending, a linking "s")


def _inflected(rest: str, last: str = "") -> bool:
    """`rest` is an inflection ending, perhaps after a doubled final consonant ("hem-m-ens")."""
    return rest == "" or rest in INFLECTIONS or (rest[:1] == last and rest[1:] in INFLECTIONS)


def _is_word(part: str, vocabulary: frozenset[str]) -> bool:
    """`part` is a corpus word, possibly inflected ("programmet" from "program")."""
    return any(part[:i] in vocabulary and _inflected(part[i:]) for i in range(len(part), 2, -1))


def _second_part(rest: str, vocabulary: frozenset[str]) -> bool:
    """What follows a first compound part is a word, after an optional linking letter."""
    return _is_word(rest, vocabulary) or (
        rest[:1] in LINKING and len(rest) > 3 and _is_word(rest[1:], vocabulary)
    )


def _first_part(prefix: str, vocabulary: frozenset[str]) -> bool:
    """What precedes a compound's head is a word (or long enough to be one), maybe with a
    linking letter: "tiggeri" in "tiggeriförbud", but not "gem" in "gemensamhet"."""
    if len(prefix) >= 6:
        return True
    bare = prefix[:-1] if prefix[-1:] in LINKING else prefix
    return len(bare) >= 3 and (prefix in vocabulary or bare in vocabulary)


_AGENT = re.compile(r"(?<=\w\w\w)are(?:n|ns|s)?$")
"""A Swedish agent noun's ending: the doer ("arbetare", "brukaren"), not the deed or the thing
("arbete", "bruk") that shares its stem."""
_AGENT_OR_PLURAL = re.compile(r"(?<=\w\w\w)(?:are(?:n|ns|s)?|arnas?)$")


_LATINATE = re.compile(
    r"^(\w{4,}?)(?:era|erar|eras|erade|erat|erad|ation|ationen|ationer|ationerna)$"
)
"""A Latinate verb and its noun share a root: "motprestera" and "motprestation"."""


def latinate_root(word: str) -> str:
    """The root a Latinate verb shares with its noun in "-ation" ("" for other words).

    >>> latinate_root("motprestera"), latinate_root("motprestationer"), latinate_root("arbete")
    ('motprest', 'motprest', '')
    """
    m = _LATINATE.match(word)
    return m.group(1) if m else ""


_VERB_OR_DOER = re.compile(
    r"^(\w{4,}?)(?:a|ar|as|ade|ades|at|ats|ta|tas|te|tes|da|de|des|are|aren|arna|arnas)$"
)
_ACTION_NOUN = re.compile(r"n?ing(?:en|ens|ar|arna|arnas|ars)?$")


def action_root(word: str) -> str:
    """The root a verb form or its doer shares with the noun of the action, which programmes
    write where questions use the verb ("vräkta" and "vräkningar", "nattvandrare" and
    "nattvandring"); "" for other words.

    >>> action_root("vräkta"), action_root("nattvandrarna"), action_root("planera")
    ('vräk', 'nattvandr', 'planer')
    """
    m = _VERB_OR_DOER.match(word)
    return m.group(1) if m else ""


def _names_the_action(term: str, word: str) -> bool:
    """`word` is the noun of the action the verb form or doer `term` names."""
    root = action_root(term)
    return bool(root) and word.startswith(root) and bool(_ACTION_NOUN.match(word, len(root)))


def _same_kind(term: str, word: str) -> bool:
    """An agent noun asked for ("brukare") is only matched by one ("brukarna"), not by the deed
    or thing ("bruk"); a verb or noun asked for may be matched by its doer ("utför",
    "utförare")."""
    return not _AGENT.search(term) or bool(_AGENT_OR_PLURAL.search(word))


@lru_cache(maxsize=200_000)
def _match(term: str, word: str, vocabulary: frozenset[str]) -> bool:
    if term == word:
        return True
    if len(term) >= 3 and stem(term) == stem(word):
        return _same_kind(term, word)
    if len(term) < MIN_PART:
        return False
    if len(word) >= MIN_PART and term.startswith(word) and _inflected(term[len(word) :], word[-1]):
        return True  # the question inflects what the text has plain ("ensamma" ~ "ensam")
    root = stem(term)
    rest = word[len(root) :]
    if (
        len(root) > MIN_PART
        and root != term
        and word.startswith(root)
        and (len(rest) >= 4 or _second_part(rest, vocabulary))
    ):
        return True  # the stem begins a compound ("flyttar" ~ "flyttstöd", "sprutor" ~ "sprutbyte")
    if word.startswith(term):  # an inflection, or the first part of a compound
        rest = word[len(term) :]
        if len(term) >= 5 and len(rest) >= 4:
            return True  # long enough on both sides to be a compound ("tiggeri|förbud")
        return _inflected(rest, term[-1]) or _second_part(rest, vocabulary)
    at = word.find(term)
    if at > 0 and _inflected(word[at + len(term) :]):  # the head of a compound
        return _first_part(word[:at], vocabulary)
    root = latinate_root(term)
    if root and latinate_root(word) == root:
        return True  # the verb and its noun ("motprestera" ~ "motprestation")
    if root and word.startswith(root + "ation"):
        return True  # the verb and a compound its noun begins ("visitera" ~ "visitationszoner")
    if _names_the_action(term, word):
        return True  # the verb or doer and the action's noun ("vräkta" ~ "vräkningar")
    if len(term) >= NEAR_SPELLING and abs(len(term) - len(word)) <= 2:
        # Near-spellings of a long word ("sprutbyte" ~ "sprututbyte").
        t = set(ngrams(term))
        return len(t & set(ngrams(word))) / len(t) >= NEAR_SHARE
    return False


def word_match(term: str, word: str, vocabulary: frozenset[str] = frozenset()) -> bool:
    """Whether the text word `word` expresses the query word `term`.

    >>> vocabulary = frozenset({"program", "tiggeri"})
    >>> word_match("sprutbyte", "sprutbytesprogram", vocabulary)
    True
    >>> word_match("sprutbyte", "sprututbyte"), word_match("förbud", "tiggeriförbud", vocabulary)
    (True, True)
    >>> word_match("kvinnojour", "kvinnojourerna"), word_match("hemlös", "hemlösa")
    (True, True)
    >>> word_match("ensamma", "ensam"), word_match("flyttar", "flyttstöd", frozenset({"stöd"}))
    (True, True)
    >>> word_match("äldre", "föräldrar"), word_match("ensamhet", "gemensamhet")
    (False, False)
    >>> word_match("vård", "vårdnadshavare", vocabulary), word_match("ensam", "gemensam")
    (False, False)
    >>> word_match("arbetare", "arbetet"), word_match("brukare", "bruk")
    (False, False)
    >>> word_match("arbetare", "arbetaren"), word_match("brukare", "brukarna")
    (True, True)
    >>> word_match("motprestera", "motprestation"), word_match("integration", "integrerar")
    (True, True)
    >>> word_match("visitera", "visitationszoner")
    True
    """
    return _match(term, word, vocabulary)


def joined(word: str, first: str, second: str, vocabulary: Container[str]) -> bool:
    """Whether `word` is a compound of two words with the stems `first` and `second`, in that
    order: `first` opens it, and at most `JOIN_GAP` letters later a word of `vocabulary` that
    begins with `second` begins ("föräldrar" is no compound of "för" and "äldre").

    >>> vocabulary = {"byte", "besök", "äldre"}
    >>> joined("sprutbytesprogram", "sprut", "byt", vocabulary)
    True
    >>> joined("föräldrar", "för", "äldr", vocabulary)
    False
    """
    if len(first) < JOIN_MIN or len(second) < JOIN_MIN or not word.startswith(first):
        return False
    at = word.find(second, len(first))
    if not 0 <= at - len(first) <= JOIN_GAP:
        return False
    rest = word[at:]
    return any(rest[:end] in vocabulary for end in range(len(second), len(rest) + 1))


def tokens(text: str) -> list[str]:
    """Every lower-cased word of a text, stop words included (phrases need them)."""
    return _TOKEN.findall(text.lower())


def phrase_in(
    term: str, text_tokens: Sequence[str], vocabulary: frozenset[str] = frozenset()
) -> bool:
    """A multi-word term occurs as consecutive words of the text (`tokens`), each content word
    matching, each stop word equal: "bostad först", not "bostad ska inte först".

    >>> phrase_in("bostad först", tokens("Metoden Bostad först ska fortsätta"))
    True
    >>> phrase_in("bostad först", tokens("sin bostad ska inte först behöva"))
    False
    """
    parts = tokens(term)
    n = len(parts)
    for start in range(len(text_tokens) - n + 1):
        if all(
            (p == w) if p in STOPWORDS or len(p) < 3 else word_match(p, w, vocabulary)
            for p, w in zip(parts, text_tokens[start : start + n], strict=True)
        ):
            return True
    return False


_ELISION = re.compile(r"\b((?:[^\W\d_]+-,?\s+)+)(?:och|eller|samt)\s+([^\W\d_]+)", re.I)
_LETTERS = re.compile(r"[^\W\d_]+")


def elided_compounds(text: str, vocabulary: frozenset[str]) -> list[tuple[str, int, int]]:
    """The compounds a Swedish text writes with their shared head left out ("barn- och
    ungdomspsykiatrin" also says "barnpsykiatrin"), each as (lower-cased word, start, end of
    the phrase). The head is not known, so every ending of the last word after a part that
    could begin a compound is tried; a query word must equal one of them, inflections aside.

    >>> words = [w for w, _, _ in elided_compounds("Barn- och ungdomspsykiatrin", frozenset())]
    >>> "barnpsykiatrin" in words, "barnungdomspsykiatrin" in words
    (True, False)
    >>> words = [w for w, _, _ in elided_compounds("Tjej- och kvinnojourerna", frozenset())]
    >>> "tjejjourerna" in words, "tjejerna" in words  # an ending is no head
    (True, False)
    """
    out: list[tuple[str, int, int]] = []
    if "- " not in text and "-," not in text:
        return out
    for m in _ELISION.finditer(text):
        firsts = _LETTERS.findall(m.group(1).lower())
        last = m.group(2).lower()
        for k in range(3, len(last) - MIN_PART + 1):
            if _first_part(last[:k], vocabulary) and not _inflected(last[k:]):
                out += [(first + last[k:], m.start(), m.end()) for first in firsts]
    return out


def split_compound(term: str, lexicon: Lexicon) -> tuple[str, str] | None:
    """A compound as (first part, second part), both corpus words, the second as long as
    possible; None when it does not split.

    >>> split_compound("hedersförtryck", Lexicon({"hederns", "förtryck"}))
    ('heder', 'förtryck')
    """
    if len(term) < 8:
        return None
    for i in range(MIN_PART, len(term) - MIN_PART + 1):
        first, second = term[:i], term[i:]
        if first[-1] in LINKING and len(first) > MIN_PART:
            first = first[:-1]
        if len(first) < MIN_PART or not _is_word(second, lexicon.words):
            continue
        if any(w != term for w in lexicon.starting(first)):
            return first, second
    return None


class Lexicon:
    """The corpus's words, indexed so that the words a query word may match (`word_match`) are
    found without trying every word: a word it matches begins with, or contains, the query
    word's stem, or is the beginning of the query word, or is a near-spelling of it (sharing
    most of its n-grams). Only those candidates are tried."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self._sorted = sorted(self.words)
        self._joined = "\n".join(self._sorted)
        self._offsets = []  # where each word of `_sorted` starts in `_joined`
        at = 0
        for w in self._sorted:
            self._offsets.append(at)
            at += len(w) + 1
        self._grams: dict[str, list[str]] = {}  # n-gram -> the long words that have it
        for w in self._sorted:
            if len(w) >= NEAR_SPELLING - 2:
                for g in set(ngrams(w)):
                    self._grams.setdefault(g, []).append(w)

    def starting(self, prefix: str) -> list[str]:
        """The words that begin with `prefix`."""
        lo = bisect_left(self._sorted, prefix)
        return self._sorted[lo : bisect_right(self._sorted, prefix + "\uffff", lo)]

    def kinds_of(self, part: str) -> list[str]:
        """Compounds whose last part is `part`, perhaps inflected, which name a kind of it
        ("lågtröskelboenden" of "boend"): a Swedish compound's head comes last. Their first
        part is at least `MIN_PART` letters, so "gemensam" is no kind of "ensam".

        >>> sorted(Lexicon(["lågtröskelboenden", "boende", "gemensam"]).kinds_of("boend"))
        ['lågtröskelboenden']
        >>> Lexicon(["lågtröskelboende", "boendestöd", "gemensam"]).kinds_of("ensam")
        []
        """
        return [
            w
            for w in self.containing(part)
            if (at := w.rfind(part)) >= MIN_PART and len(w) - at - len(part) <= MAX_ENDING
        ]

    def containing(self, part: str) -> set[str]:
        """The words that contain `part` (none for an empty one)."""
        out: set[str] = set()
        at = self._joined.find(part) if part else -1
        while at >= 0:
            i = bisect_right(self._offsets, at) - 1
            out.add(self._sorted[i])
            at = self._joined.find(part, self._offsets[i] + len(self._sorted[i]))
        return out

    def near(self, term: str) -> set[str]:
        """The words sharing at least `NEAR_SHARE` of a long word's n-grams (`word_match`)."""
        wanted = set(ngrams(term))
        shared = Counter(w for g in wanted for w in self._grams.get(g, ()))
        return {w for w, n in shared.items() if n / len(wanted) >= NEAR_SHARE}

    def matching(self, term: str) -> frozenset[str]:
        """The words that express `term` (`word_match`).

        >>> lexicon = Lexicon(["hemlösa", "hemlöshet", "hem", "sprututbyte", "föräldrar"])
        >>> sorted(lexicon.matching("hemlös")), sorted(lexicon.matching("sprutbyte"))
        (['hemlösa', 'hemlöshet'], ['sprututbyte'])
        """
        root = stem(term) if len(term) >= 3 else term
        candidates = self.containing(root) | {term[:i] for i in range(3, len(term) + 1)}
        for shared in (latinate_root(term), action_root(term)):  # its noun ("motprestation")
            if shared:
                candidates |= self.containing(shared)
        if len(term) >= NEAR_SPELLING:
            candidates |= self.near(term)
        return frozenset(w for w in candidates & self.words if word_match(term, w, self.words))
