"""Per-question metrics and their aggregation. Pure functions over the public `rag` records.

Every per-question metric is a number in [0, 1], or None where it does not apply (retrieval and
answer metrics on unanswerable questions, citation metrics on answers without citations).
Aggregates are plain means over the questions where a metric applies. evals/README.md explains
each metric and its limits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from evals.golden import GoldenQuestion
from rag import Answer, Citation, Document, Passage

K = 5
SUPPORT_THRESHOLD = 0.5
"""Share of the question's content words a quote must contain to count as support, when the
question has no key facts."""
STEM_CHARS = 5
"""Words match on this many leading characters, a crude stemmer for both languages."""
_STOPWORD_TEXT = """
    about also does from have into like more most much only other over should some such than
    that their them then there these they this those what when where which while whom whose
    with without would your
    alla andra annat bara blir både denna dessa detta eller efter finns från göra hade har
    hela hennes hans honom hur inom inte kommer kunna kan man med mellan mot många också
    och samt sedan sig ska skall som till under utan vad vara varför vem vilka vilken vilket
    vill åt över
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
ANSWER_METRICS = (
    "retrieval_recall@5",
    "retrieval_mrr",
    "municipality_recall",
    "municipality_precision",
    "key_fact_match",
    "refusal_accuracy",
    "citation_validity",
    "citation_support",
)
LATENCY_METRICS = ("latency_p50_s", "latency_p95_s")
METRICS = ANSWER_METRICS + LATENCY_METRICS

Scores = dict[str, float | None]


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int = K) -> float:
    """Share of the relevant items among the first k of a ranking (duplicates count once).

    >>> recall_at_k(["Örebro", "Örebro", "Botkyrka"], {"Örebro", "Stockholm"}, k=5)
    0.5
    """
    if not relevant:
        raise ValueError("recall needs at least one relevant item")
    return len(set(ranked[:k]) & set(relevant)) / len(set(relevant))


def reciprocal_rank(ranked: Sequence[str], relevant: Collection[str]) -> float:
    """1 / the rank of the first relevant item, 0 when none is ranked.

    >>> reciprocal_rank(["Botkyrka", "Örebro"], {"Örebro"})
    0.5
    """
    return next((1 / rank for rank, item in enumerate(ranked, 1) if item in relevant), 0.0)


def set_recall(got: Collection[str], expected: Collection[str]) -> float:
    """Share of the expected items that were given.

    >>> set_recall(["Örebro"], ["Örebro", "Eskilstuna"])
    0.5
    """
    if not expected:
        raise ValueError("recall needs at least one expected item")
    return len(set(got) & set(expected)) / len(set(expected))


def set_precision(got: Collection[str], expected: Collection[str]) -> float:
    """Share of the given items that were expected; 0 when nothing was given, so a refusal of
    an answerable question scores 0 rather than a vacuous 1.

    >>> set_precision(["Örebro", "Botkyrka"], ["Örebro"])
    0.5
    """
    return len(set(got) & set(expected)) / len(set(got)) if got else 0.0


def contains(text: str, phrase: str) -> bool:
    """Case-insensitive substring test that also ignores differences in white space.

    >>> contains("Metoden ”Bostad\\nförst” ska", "bostad först")
    True
    """
    return " ".join(phrase.split()).casefold() in " ".join(text.split()).casefold()


def key_fact_match(key_facts: Sequence[str], texts: Iterable[str]) -> float:
    """Share of the key facts found in any of the texts (the answer and its quotes).

    >>> key_fact_match(["sprututbyte", "sprutbytesprogram"], ["... är sprututbyte."])
    0.5
    """
    if not key_facts:
        raise ValueError("key-fact match needs at least one key fact")
    texts = list(texts)
    return sum(any(contains(t, fact) for t in texts) for fact in key_facts) / len(key_facts)


def citation_valid(citation: Citation, document: Document | None) -> bool:
    """The quote is the cited document's text at the stated offsets, and names its programme."""
    return (
        document is not None
        and 0 <= citation.start < citation.end <= len(document.text)
        and document.text[citation.start : citation.end] == citation.quote
        and document.municipality == citation.municipality
    )


def content_words(text: str) -> set[str]:
    """Lower-cased words of four letters or more that are not stop words, cut to a stem.

    >>> sorted(content_words("Vad tycker Liberalerna om vargjakt?"))
    ['liber', 'tycke', 'vargj']
    """
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return {w[:STEM_CHARS] for w in words if len(w) >= 4 and w not in STOPWORDS}


def lexical_overlap(question: str, quote: str) -> float:
    """Share of the question's content words (stems) that occur in the quote; 0 if it has none.

    >>> lexical_overlap("Who proposes needle exchange?", "needle exchange saves lives")
    0.6666666666666666
    """
    wanted = content_words(question)
    return len(wanted & content_words(quote)) / len(wanted) if wanted else 0.0


def citation_supported(quote: str, key_facts: Sequence[str], question: str) -> bool:
    """Whether a quote holds evidence for the answer: a key fact appears in it, or, for a
    question without key facts, it shares at least SUPPORT_THRESHOLD of the question's words."""
    if key_facts:
        return any(contains(quote, fact) for fact in key_facts)
    return lexical_overlap(question, quote) >= SUPPORT_THRESHOLD


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating linearly between the closest ranks.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None, or None if there are none.

    >>> mean([1.0, None, 0.0])
    0.5
    """
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def score_question(
    question: GoldenQuestion,
    answer: Answer,
    passages: Sequence[Passage],
    document: Callable[[str], Document | None],
    k: int = K,
) -> Scores:
    """All per-question metrics for one answer and the passages retrieved for the question."""
    expected = question.expected_municipalities
    scores: Scores = {name: None for name in ANSWER_METRICS}
    scores["refusal_accuracy"] = float(answer.answerable == question.answerable)
    if question.answerable:
        ranked = [p.municipality for p in passages]
        scores["retrieval_recall@5"] = recall_at_k(ranked, expected, k)
        scores["retrieval_mrr"] = reciprocal_rank(ranked[:k], expected)
        got = answer.municipalities if answer.answerable else []
        scores["municipality_recall"] = set_recall(got, expected)
        scores["municipality_precision"] = set_precision(got, expected)
        texts = [answer.text, *(c.quote for c in answer.citations)] if answer.answerable else []
        scores["key_fact_match"] = key_fact_match(question.key_facts, texts)
    if answer.citations:
        cited = answer.citations
        scores["citation_validity"] = mean(
            float(citation_valid(c, document(c.doc_id))) for c in cited
        )
        scores["citation_support"] = mean(
            float(citation_supported(c.quote, question.key_facts, question.question)) for c in cited
        )
    return scores


def aggregate(rows: Sequence[tuple[Mapping[str, float | None], float]]) -> Scores:
    """Means of the per-question metrics and latency percentiles, from (scores, seconds) rows."""
    out: Scores = {name: mean(scores[name] for scores, _ in rows) for name in ANSWER_METRICS}
    seconds = [s for _, s in rows]
    out["latency_p50_s"] = percentile(seconds, 50) if seconds else None
    out["latency_p95_s"] = percentile(seconds, 95) if seconds else None
    return out
