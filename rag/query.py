"""Question analysis: language, kind, named municipalities and parties, content terms, and
English-to-Swedish glossary expansion (so the default English-only embedder is not needed to
bridge languages)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rag.lexical import words

# Canonical party name -> ways people write it (matched case-insensitively as whole words,
# except the all-capital abbreviations, which must be written in capitals).
PARTIES: dict[str, tuple[str, ...]] = {
    "Liberalerna": (
        "liberalerna",
        "liberalernas",
        "liberal",
        "liberals",
        "liberal party",
        "folkpartiet",
        "L",
    ),
    "Moderaterna": ("moderaterna", "moderaternas", "moderat", "moderates", "moderate party", "M"),
    "Socialdemokraterna": (
        "socialdemokraterna",
        "socialdemokraternas",
        "sossarna",
        "social democrats",
        "social democratic party",
        "S",
    ),
    "Sverigedemokraterna": (
        "sverigedemokraterna",
        "sverigedemokraternas",
        "sweden democrats",
        "SD",
    ),
    "Centerpartiet": ("centerpartiet", "centerpartiets", "centre party", "center party", "C"),
    "Vänsterpartiet": ("vänsterpartiet", "vänsterpartiets", "left party", "V"),
    "Kristdemokraterna": ("kristdemokraterna", "kristdemokraternas", "christian democrats", "KD"),
    "Miljöpartiet": ("miljöpartiet", "miljöpartiets", "green party", "greens", "MP"),
}
# Words that frame a question rather than carry its topic.
SCAFFOLD = frozenset(
    """
    föreslår föreslå föreslog förslag vill ville tycker tycka anser säger sägs står driver
    nämner nämns tar upp lyfter program programmet programmen partiet parti kommun
    kommunen kommuner kommunerna stad staden göra gör mer fler andra annat och någon något
    några ha propose proposes proposed proposal want wants wanted say says said think
    thinks suggest suggests mention mentions mentioned programme programmes program
    programs party parties municipality municipalities city cities town towns do does
    about more other anything something support supports view views position stance plan
    plans policy liberalerna liberalernas liberals liberal l innebär innebära menar menas
    betyder handlar motiverar motivera motiveringen förslaget förslagen förslagets säga
    skriver sägs åt look like according should would mean means explain explains describe
    about regarding
    """.split()
)
_SV_MARKERS = frozenset(
    """
    och att är på för vad vem vilka hur varför vill ska inte med som det om
    """.split()
)
_EN_MARKERS = frozenset(
    """
    the and is are what who which how why does do want to of for about
    """.split()
)
_SV_LETTERS = re.compile(r"[åäö]", re.I)
_WHO = re.compile(
    r"^\W*(?:(?:och|and|so|men|but)\s+)?(?:vem|vilka(?:\s+(?:kommuner|program|partier|städer))?"
    r"(?=\s+(?:kommuner|program|partier|städer|vill|föreslår|tycker|nämner|säger|driver|"
    r"stöder|tar|lyfter|har|satsar|vill|talar|skriver|anser|verkar|arbetar|planerar|kräver))|"
    r"vilken\s+kommun|vilket\s+program|i\s+vilka\s+(?:kommuner|program)|var\s+(?:föreslås|vill)|"
    r"who|which\s+(?:municipalit(?:y|ies)|programmes?|programs?|parties|cities|towns|places)|"
    r"where\s+do|in\s+which)\b",
    re.I,
)
_REFERS_BACK = re.compile(r"\b(?:de|dem|deras|dessa|they|them|their|those|these)\b", re.I)
_FOLLOWUP = re.compile(
    r"^\W*(?:och|men|samt|and|but|what about|how about|also|vilka fler|vem mer|who else|"
    r"which others|hur då|vad menar|what do they mean|varför då|why)\b",
    re.I,
)


@dataclass(frozen=True)
class QueryPlan:
    """What a question asks, as the retriever and answerer need it."""

    question: str
    language: str
    kind: str  # "who" (which programmes say X) or "what" (what is said)
    search_text: str  # the question plus glossary terms and follow-up context
    concepts: tuple[tuple[str, ...], ...]  # each concept: alternative Swedish terms
    municipalities: tuple[str, ...] = ()  # named and covered by the corpus
    unknown_municipalities: tuple[str, ...] = ()  # named but not in the corpus
    parties: tuple[str, ...] = ()
    unknown_parties: tuple[str, ...] = ()
    followup: bool = False
    out_of_scope: bool = False  # the question names places a filter excludes
    refers_back: bool = False  # a follow-up about those the previous answer named

    @property
    def topic(self) -> str:
        """The concept terms alone: what the lexical index should look for."""
        return " ".join(t for alternatives in self.concepts for t in alternatives)


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    """English term -> Swedish terms, from the reviewed data file `rag/data/glossary.tsv`."""
    out: dict[str, tuple[str, ...]] = {}
    text = resources.files("rag").joinpath("data/glossary.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        english, swedish = line.split("\t")
        out[english.strip().lower()] = tuple(t.strip() for t in swedish.split("|") if t.strip())
    return out


@lru_cache(maxsize=1)
def swedish_municipalities() -> tuple[str, ...]:
    """All Swedish municipalities, to recognise one the corpus does not cover."""
    path = resources.files("rag").joinpath("data/municipalities.txt")
    if not path.is_file():
        return ()
    return tuple(n.strip() for n in path.read_text(encoding="utf-8").splitlines() if n.strip())


def detect_language(text: str) -> str:
    """'sv' or 'en': `detect_language("Who proposes needle exchange?") == "en"`."""
    tokens = re.findall(r"[^\W\d_]+", text.lower())
    sv = sum(t in _SV_MARKERS for t in tokens) + 2 * len(_SV_LETTERS.findall(text))
    en = sum(t in _EN_MARKERS for t in tokens)
    return "en" if en > sv else "sv"


def glossary_matches(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """English glossary terms in the text, longest first, without overlaps. Hyphens count as
    spaces, so "honour-related" finds "honour"."""
    lowered = " " + re.sub(r"[^\w']+", " ", text.lower()) + " "
    found: list[tuple[str, tuple[str, ...]]] = []
    for term in sorted(glossary(), key=len, reverse=True):
        needle = " " + re.sub(r"[^\w']+", " ", term) + " "
        if needle in lowered:
            found.append((term, glossary()[term]))
            lowered = lowered.replace(needle, " | ")
    return found


@lru_cache(maxsize=4096)  # one per name: re's own cache (512) is too small for ~600 names
def _name_pattern(name: str) -> re.Pattern[str]:
    # "Stockholm" also matches "Stockholms" (genitive); "Upplands Väsby" also "Väsby".
    return re.compile(rf"(?<![\w-]){re.escape(name)}s?(?![\w-])", re.I)


@lru_cache(maxsize=4096)
def _place_patterns(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (
        re.compile(rf"(?<![\w-]){re.escape(name)}s?(?![\w-])"),
        re.compile(rf"\b(?:i|in|för|for)\s+{re.escape(name)}s?(?![\w-])", re.I),
    )


def find_names(text: str, names: Iterable[str], aliases: dict[str, str] | None = None) -> list[str]:
    """Names (or aliases of them) mentioned in the text, in canonical form."""
    found = [n for n in names if _name_pattern(n).search(text)]
    for alias, name in (aliases or {}).items():
        if name not in found and _name_pattern(alias).search(text):
            found.append(name)
    return found


def _mentions_place(text: str, name: str) -> bool:
    """A place name written with its capital (not first in the question), or after i/in.

    Many municipality names are also common words ("Vara", "Mark"), hence the care."""
    written, after_preposition = _place_patterns(name)
    for m in written.finditer(text):
        if m.start() > 0:
            return True
    return bool(after_preposition.search(text))


def find_parties(text: str) -> list[str]:
    found = []
    for party, forms in PARTIES.items():
        for form in forms:
            flags = 0 if form.isupper() else re.I
            if re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text, flags):
                found.append(party)
                break
    return found


def municipality_aliases(covered: Sequence[str]) -> dict[str, str]:
    """Short forms people use: the last word of a two-word name ("Väsby")."""
    return {n.split()[-1]: n for n in covered if " " in n}


def content_terms(text: str, names: Iterable[str] = ()) -> list[str]:
    """Topic words: not stopwords, question framing, or names of places and parties."""
    name_words = {w for n in names for w in words(n)}
    return [w for w in words(text) if w not in SCAFFOLD and w not in name_words and len(w) > 1]


def analyze(
    question: str,
    covered_municipalities: Sequence[str],
    covered_parties: Sequence[str],
    history: Sequence[str] = (),
    known_word: Callable[[str], bool] = lambda w: True,
) -> QueryPlan:
    """Analyse a question against what the corpus covers; `history` holds earlier user turns.
    `known_word` tells whether the corpus uses a word: English words the glossary does not
    translate count as topics only if the corpus has them (names such as "LSS", "Skolfam")."""
    language = detect_language(question)
    aliases = municipality_aliases(covered_municipalities)
    named = find_names(question, covered_municipalities, aliases)
    named_here = bool(named)
    other_places = [
        n
        for n in swedish_municipalities()
        if _mentions_place(question, n)  # first: cheap, and rarely true
        and n not in covered_municipalities
        and not any(n in c for c in covered_municipalities)
    ]
    parties = find_parties(question)
    all_names = [
        *covered_municipalities,
        *swedish_municipalities(),
        *aliases,
        *(f for forms in PARTIES.values() for f in forms),
    ]
    terms = content_terms(question, all_names)
    matches = glossary_matches(question)
    english_words = {w for term, _ in matches for w in words(term)}

    own: list[tuple[str, ...]] = [tuple(sv) for _, sv in matches]
    for term in terms:
        if term in english_words:
            continue
        if language == "en" and (term in glossary_words() or not known_word(term)):
            continue
        own.append((term,))

    previous = history[-1] if history else ""
    followup = bool(previous) and (bool(_FOLLOWUP.match(question)) or len(terms) <= 1)
    kind = "who" if _WHO.search(question) else "what"
    concepts, search_text = own, question
    if followup:
        # A follow-up keeps the earlier places unless it names its own, and the earlier topic
        # unless it has its own ("Och i Stockholm?", "Vilka fler?").
        prev_plan = analyze(previous, covered_municipalities, covered_parties, (), known_word)
        named = named or list(prev_plan.municipalities)
        if re.search(r"vilka fler|vem mer|who else|which others", question, re.I):
            kind = "who"
        elif not _WHO.search(question) and not terms:
            kind = prev_plan.kind
        if not own:
            concepts = list(prev_plan.concepts)
            search_text = f"{prev_plan.search_text} {question}"
    if not concepts and terms:
        # Nothing translatable: keep the words, so the answer is "nothing found", not "no topic".
        concepts = [(t,) for t in terms]
    if matches:
        search_text += " " + " ".join(t for _, sv in matches for t in sv)
    return QueryPlan(
        question=question,
        language=language,
        kind=kind,
        search_text=search_text,
        concepts=tuple(dict.fromkeys(concepts)),
        municipalities=tuple(named),
        unknown_municipalities=tuple(other_places),
        parties=tuple(p for p in parties if p in covered_parties),
        unknown_parties=tuple(p for p in parties if p not in covered_parties),
        followup=followup,
        refers_back=followup and bool(_REFERS_BACK.search(question)) and not named_here,
    )


@lru_cache(maxsize=1)
def glossary_words() -> frozenset[str]:
    """Every English word used in a glossary term."""
    return frozenset(w for term in glossary() for w in words(term))
