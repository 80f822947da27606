"""Per-question metrics and their aggregation. Pure functions over the public `rag` records.

Programmes are compared as (municipality, party) pairs, the ones named by the answer's
citations. Every per-question metric is a number in [0, 1], or None where it does not apply
(answer metrics on questions that should be refused, citation validity on answers without
citations). Aggregates are plain means over the questions where a metric applies.
evals/README.md explains each metric.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from evals.golden import GoldenQuestion, Programme
from rag import Answer, Citation, Document

ANSWER_METRICS = (
    "fully_right",
    "programme_recall",
    "programme_precision",
    "fact_match",
    "refusal_accuracy",
    "citation_validity",
)
LATENCY_METRICS = ("latency_p50_s", "latency_p95_s")
METRICS = ANSWER_METRICS + LATENCY_METRICS

Scores = dict[str, float | None]


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int = 5) -> float:
    """Share of the relevant items among the first k of a ranking (duplicates count once).

    >>> recall_at_k(["Örebro", "Örebro", "Botkyrka"], {"Örebro", "Stockholm"}, k=5)
    0.5
    """
    if not relevant:
        raise ValueError("recall needs at least one relevant item")
    return len(set(ranked[:k]) & set(relevant)) / len(set(relevant))


def set_recall(got: Collection[Programme], expected: Collection[Programme]) -> float:
    """Share of the expected items that were given.

    >>> set_recall([("Örebro", "L")], [("Örebro", "L"), ("Eskilstuna", "L")])
    0.5
    """
    if not expected:
        raise ValueError("recall needs at least one expected item")
    return len(set(got) & set(expected)) / len(set(expected))


def set_precision(got: Collection[Programme], expected: Collection[Programme]) -> float:
    """Share of the given items that were expected; 0 when nothing was given, so a refusal of
    an answerable question scores 0 rather than a vacuous 1.

    >>> set_precision([("Örebro", "L"), ("Botkyrka", "L")], [("Örebro", "L")])
    0.5
    """
    return len(set(got) & set(expected)) / len(set(got)) if got else 0.0


def contains(text: str, phrase: str) -> bool:
    """Case-insensitive substring test that also ignores differences in white space.

    >>> contains("Metoden ”Bostad\\nförst” ska", "bostad först")
    True
    """
    return " ".join(phrase.split()).casefold() in " ".join(text.split()).casefold()


def named_programmes(question: GoldenQuestion, answer: Answer) -> set[Programme]:
    """The programmes an answer gives as its answer (`Answer.programmes`: for a who-question
    those its verdicts name, not the opposers it lists apart; else those it cites), none for
    a refusal."""
    return set(answer.programmes) if answer.answerable else set()


def facts_found(question: GoldenQuestion, citations: Sequence[Citation]) -> dict[Programme, bool]:
    """For each expected programme: whether one of its citations contains one of its facts."""
    return {
        e.programme: any(
            (c.municipality, c.party) == e.programme and contains(c.quote, fact)
            for c in citations
            for fact in e.facts
        )
        for e in question.expected
    }


def citation_valid(citation: Citation, document: Document | None) -> bool:
    """The quote is the cited document's text at the stated offsets, and names its programme."""
    return (
        document is not None
        and 0 <= citation.start < citation.end <= len(document.text)
        and document.text[citation.start : citation.end] == citation.quote
        and (document.municipality, document.party) == (citation.municipality, citation.party)
    )


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
    question: GoldenQuestion, answer: Answer, document: Callable[[str], Document | None]
) -> Scores:
    """All per-question metrics of one answer. `fully_right` is 1 when the refusal decision is
    right and, for an answerable question, the named programmes are exactly the expected ones,
    each has a citation holding one of its facts, and no opposer is named."""
    scores: Scores = dict.fromkeys(ANSWER_METRICS)
    refusal_right = answer.answerable == question.answerable
    scores["refusal_accuracy"] = float(refusal_right)
    fully_right = refusal_right
    if question.answerable:
        named, expected = named_programmes(question, answer), question.programmes
        found = facts_found(question, answer.citations if answer.answerable else [])
        scores["programme_recall"] = set_recall(named, expected)
        scores["programme_precision"] = set_precision(named, expected)
        scores["fact_match"] = sum(found.values()) / len(found)
        fully_right = (
            refusal_right
            and named == expected
            and all(found.values())
            and not named & set(question.opposers)
        )
    scores["fully_right"] = float(fully_right)
    if answer.citations:
        scores["citation_validity"] = mean(
            float(citation_valid(c, document(c.doc_id))) for c in answer.citations
        )
    return scores


def aggregate(rows: Sequence[tuple[Mapping[str, float | None], float]]) -> Scores:
    """Means of the per-question metrics and latency percentiles, from (scores, seconds) rows."""
    out: Scores = {name: mean(scores[name] for scores, _ in rows) for name in ANSWER_METRICS}
    seconds = [s for _, s in rows]
    out["latency_p50_s"] = percentile(seconds, 50) if seconds else None
    out["latency_p95_s"] = percentile(seconds, 95) if seconds else None
    return out
