"""Evidence and verdicts: which sentences of which programmes speak to a question's topic, and
what each programme's position is.

A sentence is evidence when it expresses the topic's head (its rarest concept) and, with its
section heading, enough of the other concepts, weighted by rarity. Each evidence sentence gets a
stance from Swedish cues (a proposal: "vill", "ska", "Att …" bullets under "Vi vill:"; against:
"nej till X", "X löser ingenting"; only a mention: today's state, history, other parties' ideas).
A programme's verdict comes from its evidence: `opposes` if it says no, else `proposes` if it
wants it, else `mentions`; a programme without evidence is `silent`.

Which sentence is quoted, when a programme has several, is decided by how well each covers the
question's concepts and, among equals, by a multilingual model's similarity to the question as
asked (in either language): the words decide whether a sentence is evidence, the model only
ranks it. Only when the words prove no programme's answer to a who-question may the model
decide: a sentence whose similarity stands far out from all the others' (`by_meaning`), and the
answer says so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise, permutations
from typing import NamedTuple

import numpy as np

from rag.chunking import sentence_spans
from rag.lexical import feature_key, stem, words
from rag.matching import elided_compounds, joined, phrase_in, split_compound, tokens
from rag.query import PARTIES, PREPOSITIONS, TARGET_GROUPS, QueryPlan
from rag.snapshot import Snapshot
from rag.types import Chunk, Document, Passage

SUPPORT_THRESHOLD = 0.66  # share of the concepts' weight a who-question's evidence must cover
WHAT_THRESHOLD = 0.5  # other questions quote the best sentences that cover this much
MODIFIER_WEIGHT = 0.0  # a concept that only narrows ("för unga", "to prevent …") only ranks
COMMON_SHARE = 0.5  # a known word used by more of the programmes is common (see ConceptMatcher)
UNKNOWN_WEIGHT = 0.0  # an English word only bridged or not translated only ranks, unless
# nothing else in the question is known: then it is the topic and must be found
STANCE_ORDER = {"opposes": 0, "proposes": 1, "mentions": 2}
PART_DISTANCE = 3  # a compound said in parts: its parts at most this many words apart
MOST_QUOTED = 3  # no answer quotes more sentences of one programme
REASON_SENTENCES = 2  # "därför" refers back to at most this many sentences
MEANING_Z = 4.0  # a sentence found by meaning alone stands this many deviations above the rest
MEANING_EXCESS = 1.12  # … and this much above the largest of as many chance draws (see below)
MEANING_OTHERS = 0.9  # once one stands out so, others are named that reach this share of it
MEANING_MIN_SENTENCES = 100  # fewer candidates say too little about what stands out
HALF_COVERAGE = 0.5  # a sentence saying at least this share of the topic's weight in words …
HALF_EXCESS = 0.7  # … stands out by meaning at this share of the chance bar (see `by_meaning`)
HALF_BESIDE = 0.8  # … or at this share, beside programmes whose words answer
CHUNKS_CACHED = 1 << 16  # chunk texts whose sentences are kept cut (their offsets: a few MB)
PART_COVERAGE = 0.2  # a sentence on part of the topic covers at least this share of its weight
PART_Z = 1.75  # … and stands this many deviations above its programme's sentences in similarity
NAMED_STANCES = {  # the stances that answer a who-question, by its relation
    "proposes": ("proposes",),
    "opposes": ("opposes",),
    "mentions": ("proposes", "opposes", "mentions"),
}

Similarity = Callable[[str, Sequence[str]], Iterable[float]]
"""(question, sentences) -> each sentence's similarity to the question."""

# --- stance cues (Swedish: the programmes are Swedish, whatever the question's language) -------

# A verb of doing proposes when the sentence opens with it ("Skapa fler platser"), as an
# infinitive ("Att bygga …", "ett sätt att stärka …") or with the programme as its subject
# ("Vi satsar på …"); else it may say what others do
# ("Kriminella nätverk försöker rekrytera barn …", "Antalet hemlösa ökar").
_WE = "|".join(  # a party's own name, as the subject (others' names are read before this)
    ["vi", "partiet"]
    + [f for forms in PARTIES.values() for f in forms if f.endswith(("erna", "et"))]
)
_ACTION = (
    r"(?:satsa|satsar|stöder|stödjer|stötta|värna|värnar|prioritera|införa|inrätta|utveckla|"
    r"förstärk|stärk|utöka|öka|bygg|skapa|fortsätta|permanenta|avsätt|avsätter|rekrytera|starta|"
    r"garantera|erbjud|höj|korta)\w*"
)
# A verb of wanting or doing: whole word forms for short stems, which as prefixes would also
# match other words ("ska" in "skador", "bör" in "början", "ge" in "genom", "vill" in "villkor",
# "anställ" in "de anställda", "inför" the preposition).
_PROPOSAL = re.compile(
    r"\b(?:vill|ville|ska|skall|bör|ge|ger|ges|införs|anställa|anställas|anställs|"
    r"anställer)\b|^(?:Inför|Ge|Anställ)\b|"
    r"\b(?:måste|behöver|föreslår|kräver|verka för|verkar för|kommer att|är angeläget)\w*|"
    rf"^{_ACTION}|\batt\s+{_ACTION}|\b(?:{_WE})\s+(?:\w+\s+)?{_ACTION}",
    re.I,
)
# A modal in a relative clause says what is to happen to a thing, not what anyone wants
# ("en lägenhet som ska rivas", "den plan som skall följas upp"); after "vem"/"vad" it asks
# who is to do it ("få välja vem som ska utföra den"), which a proposal may do.
_RELATIVE_MODAL = re.compile(
    r"\b(?!(?:vem|vad|vilka|vilken|vilket)\s)[^\W\d_]+\s+som\s+(?:ska|skall|bör|kommer att)\b",
    re.I,
)
_POSITIVE_VIEW = re.compile(  # not denied, nor how someone feels ("inte mår bra")
    r"(?<!\binte )(?<!\bmår )(?<!\bmå )"
    r"\b(?:effektiv|viktig|framgångsrik|gott exempel|bra|rekommenderas|en styrka|behövs)\w*",
    re.I,
)
_AGAINST_BEFORE = re.compile(
    r"\b(?:nej till|säger nej|emot|motsätter\w*|avvisar|vill inte|inte ha|inte införa|ska inte|"
    r"i stället för|istället för|avskaffa|slopa|tror inte på|inte medverka\w*|"
    r"(?:kan|får|bör)\s+(?:(?:därför|alltså|heller|dock|ändå)\s+)?(?:inte|aldrig))\b"
    r"(?![^.!?]*\b(?:utan|snarare)\b)[^.!?]{0,40}$|"  # "inte X utan Y" wants Y
    # "X, inte Y": what is wanted, then what is not ("… till verksamheten, inte till vinster")
    r"[,–—]\s*(?:och\s+)?inte\s+(?:[^\W\d_]+\s+){0,2}$",
    re.I,
)
_AGAINST_AFTER = re.compile(
    r"^[^.!?]{0,30}\b(?:löser ingenting|löser inget|löser inte|(?:är|vore) fel|fungerar inte|"
    r"är ingen lösning|är inte lösningen|ska inte(?!\s+(?:vara|bli|behöva)\b)|gör inte|"
    r"hjälper inte|leder inte)\b",
    re.I,
)
# A clause called wrong, wherever the topic stands in it ("Det är orimligt att personer i aktivt
# missbruk ska gå före i bostadskön").
_CALLED_WRONG = re.compile(
    r"\b(?:är|vore)\s+(?:orimligt|fel|oacceptabelt|orättvist|inte rimligt|inte acceptabelt)\s+"
    r"att\b[^.!?]*$",
    re.I,
)
# keeping what a question asks about taking away says no to taking it away
_KEEPING = re.compile(
    r"\b(?:behålla|behålls|bevara|bevaras|ha kvar|finnas kvar|värna|värnar|försvara|"
    r"keep|keeping|preserve|preserving)\b[^.!?]{0,40}$",
    re.I,
)
_WORD = re.compile(r"[^\W_]+")
_REFERS_BACK = re.compile(r"\b(?:därför|därmed)\b", re.I)
_CONTINUES = re.compile(r"\b(?:därför|därmed|därtill|dessutom|också|även)\b", re.I)
_DESCRIPTIVE = re.compile(
    r"\b(?:i dag|idag|har prövats|har införts|infördes|under förra|sedan \d{4}|har utrett|"
    r"diskuteras|har debatterats|driver|bedrivs|finns i dag|har föreslagit|föreslagit)\b",
    re.I,
)
# Someone else as the one who wants it: other parties, the majority, the region, the state.
_OTHERS = (
    r"(?:(?:andra|flera|vissa|övriga) partier(?: i [\wåäö]+)?|högerpartierna|vänsterpartierna|"
    r"oppositionen|högerstyret|majoriteten|(?:den|de) (?:rödgröna|borgerliga)(?: \w+)?|"
    r"regionen|region [A-ZÅÄÖ][\wåäö]+|staten|regeringen)"
)
_OTHERS_FIRST = re.compile(rf"^{_OTHERS}\b", re.I)
_OTHERS_WANT = re.compile(
    rf"\b{_OTHERS}\b[^.!?]{{0,40}}\b(?:vill|ville|föreslagit|föreslog|föreslår|kräver|krävt|"
    rf"driver|drivit)\b",
    re.I,
)
# What a programme answers to what others want: "Vi vill gå en annan väg.", "Vi tror inte att
# det är vägen …", "Det är fel väg.", "Vi tror att det vore fel väg."
_DISSENT = re.compile(
    r"\s*(?:vi\s+(?:vill\s+gå\s+en\s+annan\s+väg|tror\s+inte|delar\s+inte|anser\s+inte|"
    r"håller\s+inte\s+med|säger\s+nej|är\s+emot|motsätter\s+oss|vänder\s+oss\s+emot|"
    r"vill\s+inte\s+ha|avvisar|(?:tror|anser|menar|tycker)\s+(?:tvärtom|det\s+motsatta))|"
    r"(?:vi\s+(?:tror|anser|menar|tycker)\s+att\s+)?det\s+(?:är|vore)\s+(?:fel|inte\s+(?:rätt|vägen|lösningen))|"
    r"det\s+tror\s+(?:inte\s+vi|vi\s+inte)|"
    r"we\s+(?:disagree|do\s+not\s+agree|want\s+another\s+way)|that\s+is\s+(?:wrong|not\s+the\s+way))",
    re.I,
)
NEXT_CHARS = 300  # how far the next sentence is read
_BULLET = re.compile(r"[-*•]\s")  # a list item's mark
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
# a list's introduction that says what follows is wanted: "Vänsterpartiet vill:", or a
# paragraph of what "we" want ("Vi vill införa karriärvägar …") with its points listed below
_LIST_INTRO = re.compile(
    r"\b(?:vill|ska|föreslår|kräver|arbeta för|verka för)\b[^.!?]*:\s*$|"
    r"\b(?:vi vill|vill vi|vi föreslår|föreslår vi)\b",
    re.I,
)
_PARTY_OF_FORM = {
    f.lower(): party
    for party, forms in PARTIES.items()
    for f in forms
    if not f.isupper() and len(f) > 3
}
_PARTY_NAME = re.compile(
    r"\b(?:"
    + "|".join(re.escape(f) for f in sorted(_PARTY_OF_FORM, key=len, reverse=True))
    + r")\b",
    re.I,
)
_WANTS_AFTER_NAME = re.compile(
    r"[^.!?]{0,40}\b(?:vill|ville|har föreslagit|föreslår|kräver|driver|har drivit)\b", re.I
)

# --- what a fact question wants --------------------------------------------------------------

NUMBER = re.compile(
    r"\d|\b(?:en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|tolv|tjugo|trettio|femtio|hundra|"
    r"tusen|miljon|miljoner|miljard|hälften|halva|tredjedel|fjärdedel|dubbl|fördubbl)\w*\b",
    re.I,
)
ANSWER_FIT = {
    "amount": re.compile(
        r"\d|\b(?:miljon|miljoner|miljard|tusen|hundra|kronor|platser|tjänster)\w*|"
        r"\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|sexton|"
        r"sjutton|arton|nitton|tjugo|trettio|fyrtio|femtio)\b",  # a number in words
        re.I,
    ),
    "share": re.compile(
        r"\bprocent\b|%|\bandel\w*|\bvar (?:annan|tredje|fjärde|femte|sjätte|tionde)\b|"
        r"\b(?:en|ett|två|tre|fyra|nio) av (?:tre|fyra|fem|sex|tio)\b|\bhälften\b|"
        r"\b(?:tredjedel|fjärdedel|femtedel)\w*",
        re.I,
    ),
    "organisations": re.compile(
        r"(?:\b[A-ZÅÄÖ][\wåäö-]+(?:\s+[a-zåäö]+)?,\s+){1,}[^.]*\boch\s+[A-ZÅÄÖ]|"
        r"\b(?:organisation|förening|stadsmission|röda korset|frälsningsarmén|jour)\w*",
        re.I,
    ),
    "definition": re.compile(
        r"\b(?:innebär|betyder|står för|bygger på|handlar om|går ut på|är en|är ett|är ett "
        r"samarbete|är en avtalsform|är en metod|är en modell|är ett arbetssätt)\b",
        re.I,
    ),
    "reason": re.compile(r"\b(?:eftersom|därför|för att|då|så att|genom att)\b", re.I),
    "outcome": re.compile(
        r"\b(?:resultat\w*|visa[rt]?|visade|har lett till|ledde till|lyckats|lyckades|"
        r"minskat|ökat|halverats|bor kvar|utvärdering\w*|effekt\w*)\b",
        re.I,
    ),
    "alternative": re.compile(r"\b(?:i stället|istället|hellre|snarare)\b", re.I),
}


class Evidence(NamedTuple):
    """A sentence of a programme that speaks to the question, with its stance. A named tuple,
    not a dataclass: a who-question at scale makes thousands, most of them not kept."""

    doc: Document
    heading: str
    start: int
    end: int
    coverage: float
    stance: str
    fit: float  # 1.0 when it carries what a fact question asks for (a number, a definition …)
    rank: int  # position of its passage among those retrieved
    direct: bool = True  # the sentence itself names the topic (not only its section heading)
    similarity: float = 0.0  # to the question, by a multilingual model (ranks, never decides)
    # how it was found: "words", "meaning" (the model's similarity alone, see `by_meaning`) or
    # "part" (it speaks to part of the topic only, see `on_part`)
    found: str = "words"

    @property
    def quote(self) -> str:
        return self.doc.text[self.start : self.end]

    def sort_key(self, fact: bool) -> tuple[float, ...]:
        """Best first; similarity comes after what the words decide (`words_key`)."""
        words = words_key(fact, self.fit, self.direct, self.coverage, self.stance)
        return (*words, -self.similarity, self.rank, self.start)


def words_key(fact: bool, fit: float, direct: bool, coverage: float, stance: str) -> tuple:
    """The part of `Evidence.sort_key` the words decide (before similarity)."""
    if fact:
        return (-fit, -direct, -coverage)
    return (-direct, -coverage, STANCE_ORDER[stance])


class ConceptMatcher:
    """Which of the question's concepts a text expresses, and their rarity weights. Each query
    word is matched against the corpus vocabulary once; a text is then a set lookup."""

    def __init__(self, plan: QueryPlan, snapshot: Snapshot) -> None:
        self.concepts = list(plan.concepts)
        self.snapshot = snapshot
        self.lexicon = snapshot.lexicon
        self._shares: dict[int, float] = {}
        n = max(1, len(snapshot.chunks))
        self.modifiers, unknown = self._roles(plan)
        topical = set(range(len(self.concepts))) - self.modifiers
        all_unknown = self._nothing_else_decides(topical, unknown, plan.kind == "who")
        self.weights = []
        for i, alternatives in enumerate(self.concepts):
            df = min(
                (snapshot.lexical.stem_frequency(w) for t in alternatives for w in words(t)),
                default=0,
            )
            factor = MODIFIER_WEIGHT if i in self.modifiers else 1.0
            factor *= UNKNOWN_WEIGHT if i in unknown and not all_unknown else 1.0
            self.weights.append(factor * math.log(1 + n / (1 + df)))
        # The head: the rarest concept that is neither a modifier nor an English word only
        # bridged or not translated (a bridge may be wrong), nor only people ("folk") if a
        # thing is named; when all are, one of them, which then weighs in full: a key word
        # nothing matches means "nothing found".
        order = sorted(range(len(self.weights)), key=lambda i: -self.weights[i])
        plain = [i for i in order if i not in self.modifiers]
        known = [i for i in plain if i not in unknown]
        things = [i for i in known if not set(self.concepts[i]) <= TARGET_GROUPS]
        heads = things or known or plain or order
        self.head = heads[0] if heads else -1
        # a text repeated across programmes is matched once
        self._hits: dict[str, frozenset[int]] = {}
        self._head_at: dict[str, tuple[int, int] | None] = {}
        self._elided_in: dict[str, bool] = {}

    def _nothing_else_decides(self, topical: set[int], unknown: frozenset[int], who: bool) -> bool:
        """Whether the words only bridged or not translated (`unknown`) weigh in full: when
        every topical concept is one of them, people aside ("teenagers" do not decide a topic
        alone); when most are English words nothing translates ("free dental care": only "care"
        is known); or, asking `who`, when three or more are unknown beside known words that
        most programmes use ("hired-in consultants" beside "social services")."""
        people = {i for i in topical if set(self.concepts[i]) <= TARGET_GROUPS}
        deciding = topical - people or topical
        # not translated: a word kept as it is, or words joined by "or" that no corpus word says
        untranslated = {
            i for i in deciding & unknown if len(self.concepts[i]) == 1 or self.absent(i)
        }
        beside_common = (
            who and len(deciding & unknown) >= 3 and all(map(self._common, deciding - unknown))
        )
        return bool(deciding) and (
            deciding <= unknown or 2 * len(untranslated) > len(deciding) or beside_common
        )

    def _roles(self, plan: QueryPlan) -> tuple[frozenset[int], frozenset[int]]:
        """The concepts that only narrow (the plan's modifiers; qualifiers of a rarer measure;
        asides, when the rest of the question is words the corpus uses) and those that only
        rank as words the corpus may not share (the plan's unknown English words; when the
        rest of the question has words no programme uses, those words and the aside's: the
        aside then says what is asked, "pengar på längre sikt, typ fleråriga avtal"). Asking
        who, when most programmes name every concept left to decide ("socialtjänsten"), those
        say nothing about which programmes answer: what only narrowed decides too ("… för att
        upptäcka människohandel"), in the words the corpus uses."""
        modifiers, unknown = plan.modifiers | self._narrowing_qualifiers(plan), plan.unknown
        if plan.asides:
            rest = set(range(len(self.concepts))) - modifiers - plan.asides - unknown
            absent = {i for i in rest | plan.asides if self.absent(i)}
            if rest and not absent & rest:
                modifiers |= plan.asides
            else:  # the aside says what is asked, in the words of it the corpus uses
                unknown |= absent
        left = set(range(len(self.concepts))) - modifiers
        deciding = left - unknown
        # what is left is only words no programme uses, or, asking who, only words most use:
        # what only narrowed says what is asked too
        unused = not deciding and all(map(self.absent, left))
        common = plan.kind == "who" and deciding and all(map(self._common, deciding))
        if unused or common:
            modifiers = frozenset(i for i in modifiers if self.absent(i))
        return modifiers, unknown

    def _common(self, i: int) -> bool:
        """More than COMMON_SHARE of the programmes name concept `i`."""
        return self._share(i) > COMMON_SHARE

    def absent(self, i: int) -> bool:
        """No corpus word expresses concept `i` (alone, in parts or as a phrase)."""
        return not (self._single[i] or self._parts[i] or self._phrases[i])

    def _narrowing_qualifiers(self, plan: QueryPlan) -> frozenset[int]:
        """The question's qualifiers of the people a measure is for ("för kvinnor i
        hemlöshet"), when they only narrow: the measure is more specific than they are, named
        by fewer programmes ("boendeplatser", "SIG"). A measure more common ("stöd", "jobb")
        leaves them the topic ("stöd till barn i familjer med missbruk")."""
        left = set(range(len(self.concepts))) - plan.modifiers - plan.qualifiers - plan.unknown
        if not plan.qualifiers or not left:
            return frozenset()
        measure = min(self._share(i) for i in left)
        qualifier = min(self._share(i) for i in plan.qualifiers)
        return plan.qualifiers if measure < qualifier else frozenset()

    def _share(self, i: int) -> float:
        """The share of the programmes that name concept `i` (by each alternative's rarest
        word's stem), worked out once per concept."""
        if i not in self._shares:
            self._shares[i] = self._count_share(i)
        return self._shares[i]

    def _count_share(self, i: int) -> float:
        lexical, rows = self.snapshot.lexical, []
        for t in self.concepts[i]:
            if ws := words(t):
                rarest = min(ws, key=lexical.stem_frequency)
                rows.append(lexical.postings(feature_key("s:" + stem(rarest)))[0])
        if not rows:
            return 0.0
        named = np.unique(self.snapshot.chunk_documents[np.concatenate(rows)])
        return len(named) / max(1, len(self.snapshot.documents))

    @cached_property
    def _single(self) -> list[frozenset[str]]:
        """Per concept, the vocabulary words that express one of its one-word alternatives."""
        return [
            frozenset().union(
                *(self.lexicon.matching(ws[0]) for t in alternatives if len(ws := words(t)) == 1)
            )
            for alternatives in self.concepts
        ]

    @cached_property
    def _stems(self) -> list[frozenset[str]]:
        """Per concept, the stems of its one-word alternatives (for compounds a text writes
        with their head left out, which are no vocabulary words)."""
        return [
            frozenset(stem(w) for t in alternatives if len(ws := words(t)) == 1 for w in ws)
            for alternatives in self.concepts
        ]

    @cached_property
    def _joined(self) -> list[frozenset[str]]:
        """Per concept, the vocabulary words that join it with another of the question's
        concepts into one compound: the corpus writes as one word what the question says in
        two ("sprutbyte" for "byta … sprutor", "hembesök" for "komma hem … på besök")."""
        starting = {a: self.lexicon.starting(a) for st in self._stems for a in st}
        out: list[set[str]] = [set() for _ in self._stems]
        for i, j in permutations(range(len(self._stems)), 2):
            for a, b in ((a, b) for a in self._stems[i] for b in self._stems[j]):
                both = {w for w in starting[a] if joined(w, a, b, self.lexicon.words)}
                out[i] |= both
                out[j] |= both
        return [frozenset(words) for words in out]

    def elided(self, text: str) -> list[tuple[int, int, int]]:
        """(concept, start, end) for each concept `text` expresses only in a compound written
        with its head left out ("barnpsykiatrin" in "barn- och ungdomspsykiatrin")."""
        return [
            (i, start, end)
            for word, start, end in elided_compounds(text, self.lexicon.words)
            for i, stems in enumerate(self._stems)
            if stem(word) in stems
        ]

    @cached_property
    def _parts(self) -> list[list[tuple[frozenset[str], frozenset[str]]]]:
        """Per concept, its compounds taken apart: the vocabulary words expressing each part,
        so "hedersförtryck" is found in "förtryck i hederns namn"."""
        out = []
        for alternatives in self.concepts:
            pairs = []
            for t in alternatives:
                split = split_compound(t, self.lexicon) if " " not in t else None
                if split:
                    first, second = split
                    firsts = self.lexicon.starting(first) + self.lexicon.kinds_of(first)
                    pairs.append((frozenset(firsts), self.lexicon.matching(second)))
            out.append(pairs)
        return out

    def head_at(self, text: str) -> tuple[int, int] | None:
        """Where the head concept is first expressed in `text` (a character span)."""
        if text not in self._head_at:
            self._head_at[text] = self._find_head(text)
        return self._head_at[text]

    def _find_head(self, text: str) -> tuple[int, int] | None:
        if self.head < 0:
            return None
        spans = [(m.span(), m.group().lower()) for m in _WORD.finditer(text)]
        for (start, end), word in spans:
            if word in self._single[self.head] or word in self._joined[self.head]:
                return start, end
        for i, start, end in self.elided(text):
            if i == self.head:
                return start, end
        words_only = [w for _, w in spans]
        for first, second in self._parts[self.head]:
            if near(words_only, first, second):
                at = [i for i, w in enumerate(words_only) if w in first or w in second]
                return spans[at[0]][0][0], spans[at[-1]][0][1]
        for t in self._phrases[self.head]:
            n = len(tokens(t))
            for i in range(len(spans) - n + 1):
                if phrase_in(t, words_only[i : i + n], self.lexicon.words):
                    return spans[i][0][0], spans[i + n - 1][0][1]
        return None

    @cached_property
    def _phrases(self) -> list[list[str]]:
        return [[t for t in alternatives if len(words(t)) > 1] for alternatives in self.concepts]

    @cached_property
    def head_words(self) -> frozenset[str]:
        """Every vocabulary word that can express the head (alone, or as a part or phrase)."""
        if self.head < 0:
            return frozenset()
        out = set(self._single[self.head] | self._joined[self.head])
        for a, _ in self._parts[self.head]:
            out |= a
        for t in self._phrases[self.head]:
            first = words(t)[0]
            out |= self.lexicon.matching(first)
        return frozenset(out)

    @cached_property
    def _head_rows(self) -> frozenset[int]:
        """The chunk rows with a word that has the stem of a head word (from the lexical index:
        all that name the head, and some that do not)."""
        return frozenset(self._stem_rows(self.head_words).tolist())

    def _stem_rows(self, some_words: Iterable[str]) -> np.ndarray:
        """The chunk rows with a word that has the stem of one of `some_words`."""
        keys = {feature_key("s:" + stem(w)) for w in some_words}
        rows = [self.snapshot.lexical.postings(key)[0] for key in keys]
        return np.concatenate(rows) if rows else np.zeros(0, np.int64)

    def may_name_head(self, chunk: Chunk) -> bool:
        """False when no sentence of the chunk (or its heading) can express the head."""
        row = self.snapshot.row_of.get(chunk.chunk_id)
        if row is None or row in self._head_rows:
            return True
        text = f"{chunk.heading}\n{chunk.text}"
        if text not in self._elided_in:
            self._elided_in[text] = bool(self.elided(text))
        return self._elided_in[text]

    def hits(self, text: str) -> frozenset[int]:
        """The concepts `text` expresses."""
        known = self._hits.get(text)
        if known is None:
            known = self._hits[text] = self._find(text)
        return known

    def _find(self, text: str) -> frozenset[int]:
        text_tokens = tokens(text)
        present = set(text_tokens)
        found = set()
        for i in range(len(self.concepts)):
            if (
                present & (self._single[i] | self._joined[i])
                or any(near(text_tokens, a, b) for a, b in self._parts[i])
                or any(phrase_in(t, text_tokens, self.lexicon.words) for t in self._phrases[i])
            ):
                found.add(i)
        return frozenset(found | {i for i, _, _ in self.elided(text)})


def near(text_tokens: Sequence[str], first: frozenset[str], second: frozenset[str]) -> bool:
    """A compound said in parts: its first part just before its second ("tryggt boende"), or
    after it, joined by a preposition ("förtryck i hederns namn") — not two words that merely
    share a sentence ("boende och trygghet").

    >>> near("förtryck i hederns namn".split(), frozenset({"hederns"}), frozenset({"förtryck"}))
    True
    >>> near("boende och trygghet".split(), frozenset({"trygghet"}), frozenset({"boende"}))
    False
    """
    at_first = [i for i, w in enumerate(text_tokens) if w in first]
    at_second = [j for j, w in enumerate(text_tokens) if w in second] if at_first else []
    return any(
        j == i + 1
        or (0 < i - j <= PART_DISTANCE and bool(PREPOSITIONS.intersection(text_tokens[j + 1 : i])))
        for i in at_first
        for j in at_second
    )


def stance_of(
    plan: QueryPlan,
    doc: Document,
    text: str,
    heading: str,
    intro: str,
    head: tuple[int, int] | None = None,
    after: str = "",
) -> str:
    """`proposes`, `opposes` or `mentions` for one evidence sentence. `intro` is the line that
    introduces the sentence's list, if it is a bullet ("Liberalerna vill:"); `head` is where the
    topic stands in the sentence, so that only a "no" aimed at it counts; `after` is the next
    sentence of its paragraph, which may answer what others want ("Vi vill gå en annan väg.")."""
    if _attributed(text, doc.party):
        return "opposes" if _DISSENT.match(after) else "mentions"
    if not plan.negative and _said_no(text, head):
        return "opposes"
    if plan.removing and head and _KEEPING.search(text[: head[0]]):
        return "opposes"  # against closing them: "Vi vill behålla äldreboendena i byarna"
    wanting = _RELATIVE_MODAL.sub(" ", text)  # "en lägenhet som ska rivas" wants nothing
    if _DISSENT.match(after) and not _PROPOSAL.search(wanting):
        return "opposes"  # what was done, then called wrong: "… har lagts ned. Det är fel väg."
    if _DESCRIPTIVE.search(text) and not re.search(r"\b(?:vill|ska|bör|måste)\b", wanting, re.I):
        return "mentions"
    if (
        _PROPOSAL.search(wanting)
        or text.startswith("Att ")
        or (intro and _LIST_INTRO.search(intro))
    ):
        return "proposes"
    if heading.rstrip().endswith("!") or _POSITIVE_VIEW.search(text):
        return "proposes"
    return "mentions"


def _said_no(text: str, head: tuple[int, int] | None) -> bool:
    """ "Nej till X", "vill inte ha X", "X löser ingenting": a no just before or after the topic;
    "Det är orimligt att … X …": a clause about the topic called wrong."""
    if head is None:
        return False
    before = text[: head[0]]
    return bool(
        _AGAINST_BEFORE.search(before)
        or _CALLED_WRONG.search(before)
        or _AGAINST_AFTER.search(text[head[1] :])
    )


def _attributed(text: str, own_party: str) -> bool:
    """The sentence reports what someone else does or wants (another party, the majority, the
    region): they are its subject, not a partner ("tillsammans med regionen")."""
    if _OTHERS_FIRST.search(text) or _OTHERS_WANT.search(text):
        return True
    return any(
        _PARTY_OF_FORM[m.group().lower()] != own_party and _WANTS_AFTER_NAME.match(text, m.end())
        for m in _PARTY_NAME.finditer(text)
    )


def _next(text: str, end: int) -> tuple[int, int]:
    """Where the sentence after the one that ends at `end` is, in its paragraph (an empty span
    at its end); the next item of a list is not one."""
    rest = text[end : end + NEXT_CHARS]
    gap = len(rest) - len(rest.lstrip())
    if (
        not rest.strip()
        or "\n\n" in rest[:gap]
        or ("\n" in rest[:gap] and _BULLET.match(rest, gap))
    ):
        return end, end
    start = end + gap
    return start, start + len(_SENTENCE_END.split(text[start : end + NEXT_CHARS], maxsplit=1)[0])


def _list_intro(text: str, start: int) -> str:
    """For a bullet line, the nearest non-bullet line above it (the list's introduction)."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text.startswith("- ", line_start):
        return ""
    pos = line_start
    while pos > 0:
        prev_end = pos - 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        line = text[prev_start:prev_end].strip()
        if line and not line.startswith("- "):
            return line
        pos = prev_start
    return ""


_LAST_MATCHER: list[tuple[QueryPlan, Snapshot, ConceptMatcher]] = []


def matcher_for(plan: QueryPlan, snapshot: Snapshot) -> ConceptMatcher:
    """The plan's `ConceptMatcher` over this index version, built once though several steps ask
    for it (the last one is kept)."""
    for held_plan, held_snapshot, matcher in _LAST_MATCHER:
        if held_snapshot is snapshot and held_plan == plan:
            return matcher
    matcher = ConceptMatcher(plan, snapshot)
    _LAST_MATCHER[:] = [(plan, snapshot, matcher)]
    return matcher


def find_evidence(
    plan: QueryPlan,
    passages: Sequence[Passage],
    snapshot: Snapshot,
    similarity: Similarity | None = None,
    loose: bool = False,
) -> list[Evidence]:
    """Every evidence sentence in the passages, best first (`similarity` breaks ties). `loose`:
    every sentence that names any part of the topic, not only its head."""
    if not plan.concepts:
        return []
    matcher = matcher_for(plan, snapshot)
    candidates = _Candidates(plan, matcher, loose)
    fact = bool(plan.answer_type)
    found = _Found(best_only=plan.kind == "who")
    stances: dict[tuple[str, str, str, str, tuple[int, int] | None, str], str] = {}
    seen: set[tuple[str, int]] = set()
    for rank, p in enumerate(passages):
        if not loose and not matcher.may_name_head(p.chunk):
            continue  # the head is named nowhere in this passage: no sentence can be evidence
        doc, base = snapshot.documents[p.chunk.doc_id], p.chunk.start
        for c in candidates.of(p.chunk):
            s, e = base + c.start, base + c.end
            if (doc.doc_id, s) in seen:
                continue
            seen.add((doc.doc_id, s))
            text, intro = doc.text[s:e], _list_intro(doc.text, s)
            # what others want, or what was done, may be answered in the next sentence
            after = _next(doc.text, e)
            reply = doc.text[after[0] : after[1]]
            # a sentence repeated across programmes is judged once
            key = (doc.party, text, p.chunk.heading, intro, c.head, reply)
            stance = stances.get(key) or stances.setdefault(
                key, stance_of(plan, doc, text, p.chunk.heading, intro, c.head, reply)
            )
            if stance == "opposes" and reply:
                e = after[1]  # what others want, and the programme's no to it
            words = words_key(fact, c.fit, c.direct, c.coverage, stance)
            if found.wants(doc.doc_id, stance, words):
                ev = Evidence(doc, p.chunk.heading, s, e, c.coverage, stance, c.fit, rank, c.direct)
                found.add(ev, words)
    evidence = found.ranked(plan, similarity)
    if fact:
        evidence = _carrying(plan, evidence)
    return sorted(evidence, key=lambda ev: ev.sort_key(fact))


def _carrying(plan: QueryPlan, evidence: list[Evidence]) -> list[Evidence]:
    """Only the sentences that carry what a fact question asks for, if any do: over all the
    programmes (one that does not say what naloxone is does not answer "What is naloxone?"),
    but per programme for a reason, which a programme may leave unsaid."""

    def key(ev: Evidence) -> str:
        return ev.doc.doc_id if plan.answer_type == "reason" else ""

    fitting = {key(ev) for ev in evidence if ev.fit}
    return [ev for ev in evidence if ev.fit or key(ev) not in fitting]


class _Found:
    """The evidence found: every sentence, or (`best_only`, for who-questions, whose verdicts
    rest on one sentence per programme and stance) per programme and stance the sentences
    equal to the best on the words' keys, of which similarity then picks one."""

    def __init__(self, best_only: bool) -> None:
        self.best_only = best_only
        self._all: list[Evidence] = []
        self._best: dict[tuple[str, str], tuple[tuple, list[Evidence]]] = {}

    def wants(self, doc_id: str, stance: str, words: tuple) -> bool:
        held = self._best.get((doc_id, stance))
        return not self.best_only or held is None or words <= held[0]

    def add(self, ev: Evidence, words: tuple) -> None:
        if not self.best_only:
            self._all.append(ev)
            return
        group = (ev.doc.doc_id, ev.stance)
        held = self._best.get(group)
        if held is None or words < held[0]:
            self._best[group] = (words, [ev])
        else:
            held[1].append(ev)

    def ranked(self, plan: QueryPlan, similarity: Similarity | None) -> list[Evidence]:
        """The evidence, with similarity where it decides what is quoted."""
        if self.best_only:
            return _each_best(plan.question, [g for _, g in self._best.values()], similarity)
        return with_similarity(plan, self._all, similarity)


def _each_best(
    question: str, groups: Sequence[list[Evidence]], similarity: Similarity | None
) -> list[Evidence]:
    """Per group of sentences equal on the words (one programme, one stance), the one its
    verdict rests on: the most similar to the question, then the first."""
    tied = [group for group in groups if len(group) > 1]
    score = _scores(question, [ev.quote for group in tied for ev in group], similarity)
    out = [group[0] for group in groups if len(group) == 1]
    for group in tied:
        best = min(group, key=lambda ev: (-score.get(ev.quote, 0.0), ev.rank, ev.start))
        out.append(best._replace(similarity=score.get(best.quote, 0.0)))
    return out


def _scores(question: str, texts: Sequence[str], similarity: Similarity | None) -> dict[str, float]:
    """Each distinct text's similarity to the question (none without a model)."""
    if similarity is None or not texts:
        return {}
    distinct = list(dict.fromkeys(texts))  # repeated across programmes
    return dict(zip(distinct, map(float, similarity(question, distinct)), strict=True))


@dataclass(frozen=True)
class _Candidate:
    """A sentence of a chunk that can be evidence; offsets are into the chunk's text."""

    start: int
    end: int
    coverage: float
    fit: float
    direct: bool
    head: tuple[int, int] | None


class _Candidates:
    """The sentences of a chunk that can be evidence, found once per heading and text (a text
    repeated across programmes is read once)."""

    def __init__(self, plan: QueryPlan, matcher: ConceptMatcher, loose: bool) -> None:
        self.matcher, self.loose = matcher, loose
        self.total = sum(matcher.weights) or 1.0
        self.fit_pattern = ANSWER_FIT.get(plan.answer_type)
        self.threshold = SUPPORT_THRESHOLD if plan.kind == "who" else WHAT_THRESHOLD
        # "Which parties put a figure on …": who says it with a number
        self.needs_fit = plan.kind == "who" and plan.answer_type in ("amount", "share")
        self.topical = frozenset(range(len(plan.concepts))) - matcher.modifiers
        self._known: dict[tuple[str, str], list[_Candidate]] = {}

    def of(self, chunk: Chunk) -> list[_Candidate]:
        key = (chunk.heading, chunk.text)
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = list(self._find(chunk.heading, chunk.text))
        return known

    def _find(self, heading: str, text: str) -> Iterable[_Candidate]:
        m = self.matcher
        heading_hits = m.hits(heading)
        before: frozenset[int] = frozenset()  # what the sentence before, in its paragraph, says
        last_end = -1
        for s, e in sentence_spans(text):
            if last_end < 0 or "\n\n" in text[last_end:s]:
                before = frozenset()
            sentence = text[s:e]
            own = m.hits(sentence)
            fit = 1.0 if self.fit_pattern and self.fit_pattern.search(sentence) else 0.0
            # the sentence before, for one that carries the answer or refers back to it
            # ("Skolkuratorn är … Därför vill vi anställa fler kuratorer.")
            back = fit or _REFERS_BACK.search(sentence)
            context = heading_hits | (before if back else frozenset())
            before, last_end = own, e
            if self.needs_fit and not fit:
                continue
            covered = own | context
            coverage = sum(m.weights[i] for i in covered) / self.total
            # A sentence counts if it names the topic itself, carries what a fact question
            # asks for, or stands in a section whose heading names the topic (when `loose`: if
            # it names any part of the topic).
            strict = m.head in covered and bool(own or fit or m.head in heading_hits)
            if not (own & self.topical if self.loose else strict and coverage >= self.threshold):
                continue
            direct = m.head in own
            head = m.head_at(sentence) if direct else None
            yield _Candidate(s, e, coverage, fit, direct, head)


def supplemented(
    plan: QueryPlan,
    evidence: list[Evidence],
    passages: Sequence[Passage],
    snapshot: Snapshot,
    similarity: Similarity | None = None,
) -> list[Evidence]:
    """A what-question answered from one programme may quote up to three of its sentences:
    its evidence, each sentence that only names the topic followed by what the programme goes
    on to propose in the same paragraph ("De flesta hemlösa … Metoden Bostad först ska
    fortsätta användas."; not for a fact question); then its other sentences that name part of
    the topic, the most similar to the question first. For a why-question, a sentence that
    says "därför" is preceded by what it refers back to, the reason. Only a programme with
    evidence gets them: they never make an answer where there was none."""
    held = {ev.doc.doc_id for ev in evidence}
    if plan.kind == "what" and plan.answer_type == "reason":
        evidence = with_reasons_before(evidence)  # each programme's reason, however many
    if plan.kind != "what" or len(held) != 1:
        return evidence
    if not plan.answer_type:
        evidence = with_following_proposals(plan, evidence)
    own = [p for p in passages if p.chunk.doc_id in held]
    quoted = {ev.start for ev in evidence}
    more = [ev for ev in find_evidence(plan, own, snapshot, loose=True) if ev.start not in quoted]
    more = with_similarity(plan, more, similarity, always=True)
    return evidence + sorted(more, key=lambda ev: (-ev.similarity, ev.start))


def with_following_proposals(plan: QueryPlan, evidence: Sequence[Evidence]) -> list[Evidence]:
    """The evidence, each sentence that names the topic followed by the sentences after it in
    its paragraph that propose something (after a proposal, only those that say they go on
    with it); each sentence once."""
    quoted = {(ev.doc.doc_id, ev.start) for ev in evidence}
    out: list[Evidence] = []
    for ev in evidence:
        out.append(ev)
        if not ev.direct:
            continue
        text = ev.doc.text
        paragraph_end = text.find("\n\n", ev.end)
        for s, e in sentence_spans(text, ev.end, len(text) if paragraph_end < 0 else paragraph_end):
            if (ev.doc.doc_id, s) in quoted:
                continue
            if ev.stance == "proposes" and not _CONTINUES.search(text[s:e]):
                break  # after a proposal, only one that says it goes on ("därför", "också")
            quoted.add((ev.doc.doc_id, s))
            stance = stance_of(plan, ev.doc, text[s:e], ev.heading, _list_intro(text, s))
            if stance == "proposes":
                out.append(ev._replace(start=s, end=e, stance=stance, direct=False, fit=0.0))
    return out


def with_reasons_before(evidence: Sequence[Evidence]) -> list[Evidence]:
    """The evidence, each sentence that refers back to its reason ("Vi vill därför …")
    followed by the `REASON_SENTENCES` before it in its section, the nearest first."""
    quoted = {(ev.doc.doc_id, ev.start) for ev in evidence}
    out: list[Evidence] = []
    for ev in evidence:
        out.append(ev)
        if not (ev.fit and _REFERS_BACK.search(ev.quote)):
            continue
        text = ev.doc.text
        section_start = text.rfind("\n#", 0, ev.start) + 1  # its heading's line, or 0
        if text.startswith("#", section_start):
            section_start = text.find("\n", section_start) + 1
        before = sentence_spans(text, section_start, ev.start)[-REASON_SENTENCES:]
        for s, e in reversed(before):
            if (ev.doc.doc_id, s) not in quoted:
                quoted.add((ev.doc.doc_id, s))
                out.append(ev._replace(start=s, end=e, direct=False))
    return out


def with_similarity(
    plan: QueryPlan,
    evidence: list[Evidence],
    similarity: Similarity | None,
    always: bool = False,
) -> list[Evidence]:
    """The evidence with a sentence's similarity to the question where the words leave it
    equal to another sentence of its programme and which of them is quoted depends on it
    (otherwise the model has nothing to rank), or every sentence's when `always`."""
    if similarity is None or not evidence:
        return evidence
    at = range(len(evidence)) if always else sorted(_undecided(plan, evidence))
    if not at:
        return evidence
    score = _scores(plan.question, [evidence[i].quote for i in at], similarity)
    out = list(evidence)
    for i in at:
        out[i] = out[i]._replace(similarity=score[out[i].quote])
    return out


def _undecided(plan: QueryPlan, evidence: Sequence[Evidence]) -> set[int]:
    """The sentences whose order the words leave open where it decides a quote: in a group of
    one programme's sentences with one stance, two equal on every key that comes before
    similarity among the first that can be quoted (a who-question quotes one sentence of a
    programme, others up to `MOST_QUOTED`), and one more; then those that could be among them."""
    fact, quoted = bool(plan.answer_type), 1 if plan.kind == "who" else MOST_QUOTED
    groups: dict[tuple[str, str], list[tuple[tuple[float, ...], int]]] = {}
    for i, ev in enumerate(evidence):
        key = words_key(fact, ev.fit, ev.direct, ev.coverage, ev.stance)
        groups.setdefault((ev.doc.doc_id, ev.stance), []).append((key, i))
    out: set[int] = set()
    for members in groups.values():
        members.sort()
        keys = [k for k, _ in members[: quoted + 1]]
        if any(a == b for a, b in pairwise(keys)):
            last = keys[min(quoted, len(keys)) - 1]
            out.update(i for k, i in members if k <= last)
    return out


def answering(plan: QueryPlan, evidence: Sequence[Evidence]) -> list[Evidence]:
    """The evidence that answers the question: for a who-question, what its relation names and
    what says no (listed apart); for others, all of it."""
    if plan.kind != "who":
        return list(evidence)
    stances = (*NAMED_STANCES[plan.relation], "opposes")
    return [ev for ev in evidence if ev.stance in stances]


def set_aside(plan: QueryPlan, snapshot: Snapshot) -> list[str]:
    """The question's own English words (nothing translates them, or only bridges) that only
    ranked because known words decided, each concept's first term."""
    if not plan.unknown:
        return []
    m = matcher_for(plan, snapshot)
    lost = sorted(i for i in plan.unknown if not m.weights[i] and i not in m.modifiers)
    return [plan.concepts[i][0] for i in lost]


# A sentence that defines a name: "Housing first innebär att …", "Sociala insatsgrupper, SIG, är
# ett samarbete …", "En kontaktfamilj är en vanlig familj som …", "Naloxone is a drug that …"
_GENUS = (  # "är ett motgift som", "is a drug that": what kind of thing the name is
    r"(?:är (?:en|ett) (?:[\w-]+ ){0,3}?[\w-]+ (?:som|där)\b|"
    r"is an? (?:[\w-]+ ){0,3}?[\w-]+ (?:that|which|where|who)\b)"
)
_DEFINES = re.compile(
    r"^(?:(?:En|Ett|Med|An?|The)\s+)?(?P<term>[^\W\d_][\w\-’' ]{2,40}?)(?:"
    r"(?:\s*\((?P<a1>[A-ZÅÄÖ]{2,6})\)|,\s*(?P<a2>[A-ZÅÄÖ]{2,6}),)\s+(?:är|innebär|is|means)\b|"
    rf"\s+(?:innebär att|betyder att|går ut på att|means|(?P<genus>{_GENUS})))"
)
_RELATIVE = re.compile(r"\s+(?:som|that|which)\b")
_DEFINING = re.compile(r" (?:innebär|betyder|går ut på|är en|är ett|means|is an?) ")  # cheap test
_NOT_NAMES = frozenset(  # what opens a sentence about something else than a name
    "det den detta denna dessa de han hon vi här där varje alla "
    "it this that they each every".split()
)
NAME_WORDS = 4  # a name defined is at most this many words
DEFINED_SHARE = 0.75  # a definition names at least this share of the question's concepts


def defined_name(sentence: str) -> tuple[str, ...]:
    """The name a sentence defines, with its abbreviation if it gives one; () when it defines
    none.

    >>> defined_name("Sociala insatsgrupper, SIG, är ett samarbete mellan skola och polis.")
    ('Sociala insatsgrupper', 'SIG')
    >>> defined_name("Det innebär att fler får hjälp.")
    ()
    """
    return _definition(sentence)[0]


def _definition(sentence: str) -> tuple[tuple[str, ...], bool]:
    """The name a sentence defines (see `defined_name`), and whether it says what kind of
    thing the name is ("… är ett motgift som …")."""
    m = _DEFINES.match(sentence.strip())
    if m is None:
        return (), False
    name = m.group("term").strip()
    first = name.split()[0].lower()
    if len(name.split()) > NAME_WORDS or first in _NOT_NAMES or first in PREPOSITIONS:
        return (), False
    abbreviation = m.group("a1") or m.group("a2")
    return ((name, abbreviation) if abbreviation else (name,)), m.group("genus") is not None


def _described(plan: QueryPlan, concept: int) -> bool:
    """Whether the question says what its concept does in a relative clause ("läkemedel som
    kan häva en överdos", "a drug that reverses …"): a definition that names a kind of thing
    with that clause ("Naloxon är ett motgift som kan häva …") then stands for the concept."""
    question = plan.question.lower()
    for term in plan.concepts[concept]:
        at = question.find(term.lower())
        if at >= 0 and _RELATIVE.match(question, at + len(term)):
            return True
    return False


def defined_names(
    plan: QueryPlan, passages: Sequence[Passage], snapshot: Snapshot
) -> tuple[str, ...]:
    """What the programmes call the thing a question describes in other words: the names that
    sentences of the passages define ("Bostad först innebär att en person i hemlöshet får en
    egen lägenhet …") when the definition says at least two and DEFINED_SHARE of the
    question's concepts the corpus has words for, every deciding one among them; also when
    the question says the name too (the rest of it then describes the name)."""
    m = matcher_for(plan, snapshot)
    had = {i for i in range(len(plan.concepts)) if not m.absent(i) and i not in plan.unknown}
    deciding = {i for i in had if i not in m.modifiers}
    names: list[str] = []
    described = m.head in deciding and _described(plan, m.head)
    head_decides = m.head in deciding and not described
    read: set[str] = set()  # a chunk text repeated across programmes is read once
    for c in (p.chunk for p in passages):
        if c.text_hash in read or (head_decides and not m.may_name_head(c)):
            continue
        read.add(c.text_hash)
        if not _DEFINING.search(c.text):
            continue
        for s, e in _long_sentences(c):
            text = c.source[s:e]
            name, genus = _definition(text)
            if not name:
                continue
            hit = m.hits(text) | ({m.head} if described and genus else set())
            if deciding <= hit and len(hit & had) >= max(2, DEFINED_SHARE * len(had)):
                names += name
    once = {n.lower(): n for n in reversed(names)}  # each name once, as first written
    return tuple(dict.fromkeys(once[n.lower()] for n in names))


def by_meaning(
    plan: QueryPlan,
    passages: Sequence[Passage],
    snapshot: Snapshot,
    similarity: Similarity | None,
    answered: Container[str] = frozenset(),
) -> list[Evidence]:
    """For a who-question, per programme whose words prove no answer (none are `answered`):
    its sentence most similar to the question by the multilingual model, with the stance the
    question asks for, when that similarity stands out from every candidate sentence's.
    Standing out is a z-score over all the sentences of the passages. Alone, when the words
    answered for no programme, a sentence needs at least MEANING_Z and at least MEANING_EXCESS
    times √(2 ln n), about the largest z of n sentences that merely resemble the question, so
    that a larger corpus does not lift chance resemblances over the bar. A sentence that says
    at least HALF_COVERAGE of the topic's weight in words needs HALF_EXCESS of √(2 ln n), or
    HALF_BESIDE of it beside programmes the words answered for. The model's cosines are
    compressed, so only how far a sentence stands out counts, never its cosine. Paraphrases
    ("koppla in polisen" for "polisanmäla") are found so; the answer says that they were
    (`Evidence.found`)."""
    if similarity is None or plan.kind != "who":
        return []
    found = _sentences(passages)
    if len(found) < MEANING_MIN_SENTENCES:
        return []
    texts = [p.chunk.source[s:e] for _, p, s, e in found]
    score = _scores(plan.question, texts, similarity)
    cosines = np.array([score[t] for t in texts])
    z = (cosines - cosines.mean()) / (cosines.std() or 1.0)
    chance = math.sqrt(2 * math.log(len(found)))
    alone_bar = math.inf if answered else meaning_bar(len(found))
    half_bar = (HALF_BESIDE if answered else HALF_EXCESS) * chance
    matcher = matcher_for(plan, snapshot)
    total = sum(matcher.weights) or 1.0
    wanted = NAMED_STANCES[plan.relation]
    best: dict[str, Evidence] = {}
    for i in np.argsort(-z):
        if z[i] < min(half_bar, alone_bar):
            break
        rank, p, s, e = found[i]
        doc = snapshot.documents[p.chunk.doc_id]
        if doc.doc_id in best or doc.doc_id in answered:
            continue
        if z[i] < alone_bar:
            said = sum(matcher.weights[j] for j in matcher.hits(texts[i])) / total
            if said < HALF_COVERAGE:
                continue
        after = _next(doc.text, e)  # what others want may be answered in the next sentence
        reply = doc.text[after[0] : after[1]]
        intro = _list_intro(doc.text, s)
        stance = stance_of(plan, doc, texts[i], p.chunk.heading, intro, None, reply)
        if stance == "opposes" and reply:
            e = after[1]  # what others want, and the programme's no to it
        if stance in wanted:
            if z[i] >= alone_bar:  # once one stands out alone, others close to it are named
                alone_bar = meaning_bar(len(found)) * MEANING_OTHERS
            sim = float(cosines[i])
            ev = Evidence(doc, p.chunk.heading, s, e, 0.0, stance, 0.0, rank, False, sim, "meaning")
            best[doc.doc_id] = ev
    return list(best.values())


def on_part(
    plan: QueryPlan,
    passages: Sequence[Passage],
    snapshot: Snapshot,
    similarity: Similarity | None,
) -> list[Evidence]:
    """For a what-question about one programme (the `passages` are its) that says nothing on
    the whole topic: its sentences that name part of it (at least PART_COVERAGE of the
    concepts' weight) and stand out from its other sentences by their similarity to the
    question (a z-score of at least PART_Z), the most similar first, at most MOST_QUOTED. They
    are marked as found in part (`Evidence.found`), so that the answer says they speak to part
    of the question only ("Vad vill Kiruna att gruvbolaget ska bidra med?": the agreement it
    wants with the mining company; not "… om parkeringsavgifter för hemtjänstens bilar?": any
    sentence on home care)."""
    if plan.kind != "what" or similarity is None:
        return []
    found = find_evidence(plan, passages, snapshot, loose=True)
    found = [ev for ev in found if ev.coverage >= PART_COVERAGE]
    if not found:
        return []
    texts = [p.chunk.source[s:e] for _, p, s, e in _sentences(passages)]
    cosines = np.array(list(similarity(plan.question, texts)) or [0.0])
    bar = cosines.mean() + PART_Z * (cosines.std() or 1.0)
    found = [
        ev for ev in with_similarity(plan, found, similarity, always=True) if ev.similarity >= bar
    ]
    best = sorted(found, key=lambda ev: (-ev.similarity, ev.start))[:MOST_QUOTED]
    return [ev._replace(found="part") for ev in best]


def meaning_bar(n: int) -> float:
    """The z-score by which a sentence found by meaning alone must stand out among `n`."""
    return max(MEANING_Z, MEANING_EXCESS * math.sqrt(2 * math.log(n)))


def _sentences(passages: Sequence[Passage]) -> list[tuple[int, Passage, int, int]]:
    """The sentences of the passages of at least four words, each once: (the passage's rank,
    the passage, start and end in its document). They are cut as the ingest cut those whose
    vectors it stored (`chunking.chunk_sentences`), so their vectors are looked up, not made."""
    out: list[tuple[int, Passage, int, int]] = []
    seen: set[tuple[str, int]] = set()
    for rank, p in enumerate(passages):
        doc_id = p.chunk.doc_id
        for s, e in _long_sentences(p.chunk):
            if (doc_id, s) not in seen:
                seen.add((doc_id, s))
                out.append((rank, p, s, e))
    return out


_CUT: dict[str, tuple[tuple[int, int], ...]] = {}  # chunk text hash -> its long sentences


def _long_sentences(c: Chunk) -> list[tuple[int, int]]:
    """The chunk's sentences of at least four words (start and end in its document). They are
    cut once per chunk text, as a who-question at scale reads thousands of chunks; what is kept
    is offsets by the text's hash, never the text."""
    cut = _CUT.get(c.text_hash)
    if cut is None:
        if len(_CUT) >= CHUNKS_CACHED:
            _CUT.clear()
        text = c.text
        spans = sentence_spans(text)
        cut = _CUT[c.text_hash] = tuple((s, e) for s, e in spans if len(text[s:e].split()) >= 4)
    return [(c.start + s, c.start + e) for s, e in cut]


def verdicts(evidence: Iterable[Evidence]) -> dict[str, Evidence]:
    """Per programme, the evidence its verdict rests on: a sentence saying no, else one
    proposing, else one that mentions the topic (evidence is best first)."""
    best: dict[str, Evidence] = {}
    for ev in evidence:
        held = best.get(ev.doc.doc_id)
        if held is None or STANCE_ORDER[ev.stance] < STANCE_ORDER[held.stance]:
            best[ev.doc.doc_id] = ev
    return best
