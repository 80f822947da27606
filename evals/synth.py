"""Synthetic corpora for benchmarks: the seed programmes' paragraphs recombined under made-up
municipality names, eight parties each, deterministic for a given seed.

Each generated programme is a title and a run of sections, each one seed paragraph under the
heading it had in its seed programme, so the structure chunker gives about one chunk per
section. The seed programmes are copied in as they are, so the golden questions (and their
municipality filters) still apply to a synthetic corpus.

>>> summary = write_corpus(Path("/tmp/synth"), target_chunks=10_000, seed=0)  # doctest: +SKIP
"""

from __future__ import annotations

import random
import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

SEED_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PARTIES = (
    "Socialdemokraterna",
    "Moderaterna",
    "Sverigedemokraterna",
    "Centerpartiet",
    "Vänsterpartiet",
    "Kristdemokraterna",
    "Liberalerna",
    "Miljöpartiet",
)
SECTIONS_PER_DOCUMENT = 40
"""About 290 municipalities × 8 parties × 43 chunks ≈ 100k chunks, the size users will load."""
CHUNKS_PER_SECTION = 1.07
"""Measured on the seed paragraphs: a few are longer than a chunk and split in two or three."""
_PREFIXES = (
    "Al Ask Asp Berg Björk Bro Dal Ek Fager Gran Hag Hassel Hav Kall Kvarn Lind Lo Löv Mal "
    "Mos Nor Rönn Sand Sjö Sol Sten Strand Sval Säl Tall Tor Ulv Var Vass Väst Ål Ö Öster"
).split()
_SUFFIXES = "by köping hamn holm vik sund stad åker fors ryd hult torp vall näs bo".split()
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_HEADING = re.compile(r"^#{1,6} +(.+?)\s*$")
_BLOCK = re.compile(r"[^\n](?:.|\n(?!\s*\n))*", re.M)
_TITLE = re.compile(r"^title:\s*(.+)$", re.M)


@dataclass(frozen=True)
class SeedParagraph:
    """A paragraph of a seed file: `file_text[start:end] == text`, under `heading`."""

    source: str
    heading: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Placement:
    """Where a seed paragraph sits in a generated file: `file_text[start:end]`."""

    start: int
    end: int
    paragraph: int  # index into the seed paragraphs


@dataclass(frozen=True)
class SynthDocument:
    """One generated programme: the whole file text (front matter included)."""

    filename: str
    doc_id: str
    municipality: str
    party: str
    title: str
    text: str
    placements: tuple[Placement, ...]


@dataclass(frozen=True)
class CorpusSummary:
    """What `write_corpus` wrote."""

    folder: Path
    documents: int
    synthetic_documents: int
    municipalities: int
    sections: int
    estimated_chunks: int
    seed: int


def seed_paragraphs(corpus_dir: Path = SEED_CORPUS) -> list[SeedParagraph]:
    """Every paragraph of the seed Markdown files, with its heading and offsets."""
    out: list[SeedParagraph] = []
    for path in sorted(corpus_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = _FRONT_MATTER.match(text)
        title_match = _TITLE.search(front.group()) if front else None
        heading = title_match.group(1).strip() if title_match else path.stem
        for m in _BLOCK.finditer(text, front.end() if front else 0):
            block = m.group().rstrip()
            if h := _HEADING.match(block):
                heading = h.group(1)
            elif block.strip():
                out.append(
                    SeedParagraph(path.name, heading, m.start(), m.start() + len(block), block)
                )
    return out


def seed_titles(corpus_dir: Path = SEED_CORPUS) -> list[str]:
    titles = []
    for path in sorted(corpus_dir.glob("*.md")):
        m = _TITLE.search(path.read_text(encoding="utf-8"))
        if m:
            titles.append(m.group(1).strip())
    return titles or ["Socialpolitik"]


def _real_municipalities() -> frozenset[str]:
    path = resources.files("rag").joinpath("data/municipalities.txt")
    if not path.is_file():
        return frozenset()
    return frozenset(n.strip().casefold() for n in path.read_text(encoding="utf-8").splitlines())


def municipality_names(n: int, seed: int = 0) -> list[str]:
    """`n` distinct made-up municipality names, none of them a real one.

    >>> municipality_names(3, seed=1) == municipality_names(3, seed=1)
    True
    """
    real = _real_municipalities()
    names = [
        p + s
        for p in _PREFIXES
        for s in _SUFFIXES
        if (p + s).casefold() not in real and not any(r == p.casefold() for r in real)
    ]
    if n > len(names):
        raise ValueError(f"at most {len(names)} made-up municipality names, asked for {n}")
    random.Random(seed).shuffle(names)
    return names[:n]


def slug(text: str) -> str:
    """`slug("Östersund Vänsterpartiet") == "ostersund-vansterpartiet"`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def make_document(
    municipality: str,
    party: str,
    title: str,
    paragraphs: Sequence[SeedParagraph],
    picks: Sequence[int],
    seed: int,
) -> SynthDocument:
    """A programme of the picked seed paragraphs, each under its own heading."""
    doc_id = slug(f"{municipality} {party} {title}")
    meta = {
        "id": doc_id,
        "party": party,
        "municipality": municipality,
        "title": title,
        "source": f"synthetic (seed {seed})",
    }
    parts = ["---\n", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), "---\n\n"]
    parts.append(f"# {title}\n\n")
    pos = sum(len(p) for p in parts)
    placements = []
    for i in picks:
        para = paragraphs[i]
        head = f"## {para.heading}\n\n"
        parts.append(head)
        pos += len(head)
        placements.append(Placement(pos, pos + len(para.text), i))
        parts.append(para.text + "\n\n")
        pos += len(para.text) + 2
    return SynthDocument(
        f"{doc_id}.md", doc_id, municipality, party, title, "".join(parts), tuple(placements)
    )


def generate_documents(
    target_chunks: int,
    seed: int = 0,
    corpus_dir: Path = SEED_CORPUS,
    sections_per_document: int = SECTIONS_PER_DOCUMENT,
) -> list[SynthDocument]:
    """Enough programmes for about `target_chunks` chunks (on top of the seed corpus)."""
    paragraphs = seed_paragraphs(corpus_dir)
    if not paragraphs:
        raise ValueError(f"no paragraphs in {corpus_dir}")
    titles = seed_titles(corpus_dir)
    per_doc = sections_per_document * CHUNKS_PER_SECTION
    n_docs = max(0, round(target_chunks / per_doc))
    names = municipality_names(-(-n_docs // len(PARTIES)), seed)
    rng = random.Random(seed)
    docs = []
    for i in range(n_docs):
        municipality, party = names[i // len(PARTIES)], PARTIES[i % len(PARTIES)]
        picks = rng.sample(range(len(paragraphs)), min(sections_per_document, len(paragraphs)))
        title = titles[rng.randrange(len(titles))]
        docs.append(make_document(municipality, party, title, paragraphs, picks, seed))
    return docs


def write_corpus(
    out_dir: Path,
    target_chunks: int,
    seed: int = 0,
    corpus_dir: Path = SEED_CORPUS,
) -> CorpusSummary:
    """Write the seed programmes and generated ones to `out_dir` (emptied first)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    seeds = sorted(corpus_dir.glob("*.md"))
    for path in seeds:
        shutil.copyfile(path, out_dir / path.name)
    docs = generate_documents(target_chunks, seed, corpus_dir)
    for doc in docs:
        (out_dir / doc.filename).write_text(doc.text, encoding="utf-8")
    sections = sum(len(d.placements) for d in docs)
    return CorpusSummary(
        folder=out_dir,
        documents=len(seeds) + len(docs),
        synthetic_documents=len(docs),
        municipalities=len({d.municipality for d in docs}),
        sections=sections,
        estimated_chunks=round(sections * CHUNKS_PER_SECTION),
        seed=seed,
    )


def change_document(path: Path, seed: int = 0) -> None:
    """Edit one programme the way an update would: a sentence added to its last paragraph."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    sentence = random.Random(seed).choice(
        [
            "Arbetet ska följas upp varje år.",
            "Uppföljningen ska redovisas för nämnden.",
            "Insatserna ska utvärderas av en oberoende part.",
        ]
    )
    path.write_text(f"{text} {sentence}\n", encoding="utf-8")
