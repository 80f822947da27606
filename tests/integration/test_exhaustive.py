"""Who-questions consider every programme, not a top-k of passages: on a generated corpus of
1,000 programmes where 150 propose a topic, the answer names all 150 and no other, lists those
saying no apart, and cites every one (real model, real Chroma)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rag import Assistant, get_settings
from rag.query import PARTIES as KNOWN_PARTIES

PARTIES = list(KNOWN_PARTIES)
PROPOSALS = [
    "Vi vill införa sprutbyte i {place} så snart som möjligt.",
    "Kommunen ska tillsammans med regionen starta ett sprutbytesprogram.",
    "Att det öppnas en sprutbytesmottagning i centrum.",
    "Vi stöder sprutbytesverksamhet eftersom den räddar liv.",
]
AGAINST = "Vi säger nej till sprutbyte i {place}."
MENTION = "Regionen har utrett frågan om sprutbyte under flera år."
OTHER = [
    "Vi vill att det etableras fler fritidsgårdar i {place}.",
    "Äldreomsorgen ska ha fast personal och korta väntetider.",
    "Försörjningsstödet ska kombineras med krav på aktivitet.",
    "Kvinnojourerna ska få långsiktiga avtal med kommunen.",
]


def write_corpus(folder: Path, n: int = 1000) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """`n` short programmes; returns the proposers and the opposers of sprutbyte."""
    rng = random.Random(7)
    roles = ["propose"] * 150 + ["against"] * 30 + ["mention"] * 20 + ["other"] * (n - 200)
    rng.shuffle(roles)
    proposers, opposers = set(), set()
    for i, role in enumerate(roles):
        place, party = f"Provby {i:04d}", PARTIES[i % len(PARTIES)]
        sentences = [rng.choice(OTHER).format(place=place)]
        if role == "propose":
            sentences.append(rng.choice(PROPOSALS).format(place=place))
            proposers.add((place, party))
        elif role == "against":
            sentences.append(AGAINST.format(place=place))
            opposers.add((place, party))
        elif role == "mention":
            sentences.append(MENTION)
        body = " ".join(sentences)
        (folder / f"p{i:04d}.md").write_text(
            f"---\nparty: {party}\nmunicipality: {place}\n---\n\n# Program för {place}\n\n{body}\n",
            encoding="utf-8",
        )
    return proposers, opposers


@pytest.mark.slow
def test_who_question_names_every_proposer_among_a_thousand_programmes(
    tmp_path: Path, embeddings
) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    proposers, opposers = write_corpus(corpus)
    settings = get_settings(corpus_dir=corpus, index_dir=tmp_path / "index", bridge_model="")
    assistant = Assistant(settings, embeddings=embeddings)
    assert len(assistant.ingest().added) == 1000

    answer = assistant.ask("Vem föreslår sprutbyte?")

    assert set(answer.programmes) == proposers
    cited = {(c.municipality, c.party) for c in answer.citations}
    assert proposers <= cited  # every proposer is cited, with its own quote
    against = {(v.municipality, v.party) for v in answer.verdicts if v.stance == "opposes"}
    assert against == opposers
    assert len(answer.verdicts) == 1000
    for c in answer.citations:
        assert assistant.document(c.doc_id).text[c.start : c.end] == c.quote
    # The text summarises by party, with counts that add up to all 150.
    counts = [
        int(line.split("(")[1].split(")")[0])
        for line in answer.text.splitlines()
        if line.startswith("- **")
    ]
    assert sum(counts) == 150
