"""Index updates: re-ingest of the unchanged corpus, after exactly one programme changed (a
sentence added to it) and after one programme was deleted (ingest without it), each with the
index's own account of the work (`IngestReport`: added, updated, removed, embedded).

A changed programme's cost is set against its own embedding time, the bare model embedding
just that programme's chunks: what remains is the update's overhead, the part that should not
grow with the corpus (below zero when the index re-embeds fewer chunks than the programme has:
only the changed ones). The time spent outside the embedder is reported too.

At the largest size the same updates run, alternating, on a corpus 4× smaller built in the
same process, so that the growth of their cost is a ratio taken under the same load
(`update_growth`). The disk's write-back of the large ingests before is finished first
(`os.sync`): it would otherwise land on the first timed updates, on either side.

With the memo embedder an ingest's seconds are its measured non-embedding time plus the bare
model's time on the passages it embedded, as if the model had embedded them all."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from evals.bench.harness import (
    Harness,
    IngestWork,
    bare_seconds,
    open_harness,
    timed,
    timed_ingest,
    write_bench_corpus,
)
from evals.synth import SEED_CORPUS, change_document
from rag import Assistant, Progress

GROWTH = 4
"""The largest size's updates are compared with those at a corpus this many times smaller."""
OWN_EMBED_REPEATS = 3
"""The programme's own embedding is timed this many times; the median is reported."""


@dataclass
class SideRuns:
    """The timed ingests of one corpus, and the programmes changed and deleted."""

    changed_path: Path
    unchanged: list[IngestWork] = field(default_factory=list)
    changed: list[IngestWork] = field(default_factory=list)
    deleted: list[IngestWork] = field(default_factory=list)
    deleted_files: list[str] = field(default_factory=list)


def _programmes(corpus: Path) -> list[Path]:
    """The corpus's programme files, generated ones first (a seed programme answers golden
    questions), each group sorted by name."""
    files = sorted(corpus.glob("*.md"))
    return sorted(files, key=lambda p: (SEED_CORPUS / p.name).exists())


def programme_to_change(corpus: Path) -> Path:
    """The programme the updates edit: the last generated one (the last seed one if none)."""
    files = _programmes(corpus)
    generated = [p for p in files if not (SEED_CORPUS / p.name).exists()]
    return (generated or files)[-1]


def delete_one(corpus: Path, keep: Path) -> str:
    """Move the first programme other than `keep` out of `corpus` (into `deleted/` beside it)."""
    victim = next(p for p in _programmes(corpus) if p != keep)
    trash = corpus.parent / "deleted"
    trash.mkdir(exist_ok=True)
    victim.rename(trash / victim.name)
    return victim.name


def restore(corpus: Path, name: str) -> None:
    """Move a programme `delete_one` took back into `corpus`."""
    (corpus.parent / "deleted" / name).rename(corpus / name)


def seconds_with_model(work: IngestWork, h: Harness) -> float:
    """The ingest's seconds had the model embedded every passage (see the module doc)."""
    if not h.memo:
        return work.seconds
    return work.seconds - work.embed_s + bare_seconds(h.model, work.texts)


def programme_texts(h: Harness, path: Path) -> list[str]:
    """The passages the index embeds for the programme in `path`: it alone, ingested into a
    scratch index with the same settings and embedder."""
    with tempfile.TemporaryDirectory(prefix="rag-bench-one-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        shutil.copyfile(path, corpus / path.name)
        update = {"corpus_dir": corpus, "index_dir": Path(tmp) / "index"}
        settings = h.assistant.settings.model_copy(update=update)
        scratch = Assistant(settings, embeddings=h.assistant.embeddings)
        h.timed.reset()
        scratch.ingest()
        return list(h.timed.texts)


def measure_updates(
    sides: Sequence[Harness], rounds: int, progress: Progress
) -> list[dict[str, Any]]:
    """For each side, alternating within each round: a re-ingest of the unchanged corpus, then
    `rounds` re-ingests after its programme changed, then `rounds` after one was deleted (put
    back and ingested again, untimed, before the next round: each round deletes from the whole
    corpus, so a corpus of few programmes has enough for every round)."""
    runs = [SideRuns(programme_to_change(h.corpus)) for h in sides]
    os.sync()
    for h, r in zip(sides, runs, strict=True):
        r.unchanged.append(timed_ingest(h, progress))
    for i in range(rounds):
        for h, r in zip(sides, runs, strict=True):
            change_document(r.changed_path, seed=i)
            r.changed.append(timed_ingest(h, progress))
    for _ in range(rounds):
        for h, r in zip(sides, runs, strict=True):
            r.deleted_files.append(delete_one(h.corpus, keep=r.changed_path))
            r.deleted.append(timed_ingest(h, progress))
            restore(h.corpus, r.deleted_files[-1])
            h.assistant.ingest(progress=progress)
    return [update_summary(h, r) for h, r in zip(sides, runs, strict=True)]


def _median_s(values: Sequence[float]) -> float:
    return round(statistics.median(values), 3)


def update_summary(h: Harness, r: SideRuns) -> dict[str, Any]:
    """Medians over the rounds, the last round's work, and the changed programme's own
    embedding time and the overhead beyond it."""
    own = programme_texts(h, r.changed_path)
    own_s = statistics.median(
        timed(partial(h.model.embed_documents, own)) for _ in range(OWN_EMBED_REPEATS)
    )
    changed_s = statistics.median(seconds_with_model(w, h) for w in r.changed)
    return {
        "rounds": len(r.changed),
        "unchanged_s": _median_s([w.seconds for w in r.unchanged]),
        "unchanged_embedded": r.unchanged[-1].report.embedded,
        "changed_file": r.changed_path.name,
        "changed_s": round(changed_s, 3),
        "changed_wall_s": _median_s([w.seconds for w in r.changed]),
        "changed_rounds_s": [round(w.seconds, 3) for w in r.changed],
        "changed_embed_inside_s": _median_s([w.embed_s for w in r.changed]),
        "changed_non_embedding_s": _median_s([w.seconds - w.embed_s for w in r.changed]),
        "changed_work": r.changed[-1].counts(),
        "own_chunks": len(own),
        "own_embed_s": round(own_s, 3),
        "changed_overhead_s": round(changed_s - own_s, 3),
        "deleted_files": r.deleted_files,
        "deleted_s": _median_s([seconds_with_model(w, h) for w in r.deleted]),
        "deleted_wall_s": _median_s([w.seconds for w in r.deleted]),
        "deleted_rounds_s": [round(w.seconds, 3) for w in r.deleted],
        "deleted_work": r.deleted[-1].counts(),
    }


def smaller_side(
    h: Harness, work: Path, target_chunks: int, seed: int, progress: Progress
) -> tuple[Harness, int]:
    """A corpus of about `target_chunks` chunks in `work`, indexed in this process through
    `h`'s embedder; and its number of chunks."""
    write_bench_corpus(work / "corpus", target_chunks, seed, progress)
    overrides = {k: v for k, v in h.values.items() if k not in ("corpus_dir", "index_dir")}
    small = open_harness(work, overrides, h.memo, share=h)
    report = small.assistant.ingest(progress=progress)
    return small, report.chunks


def update_growth(
    large: dict[str, Any], small: dict[str, Any], chunks: tuple[int, int], small_size: str
) -> dict[str, Any]:
    """How the update costs grew from the smaller corpus to the larger: `chunks` is (smaller,
    larger)."""
    return {
        "small_size": small_size,
        "small_chunks": chunks[0],
        "large_chunks": chunks[1],
        "chunks_ratio": round(chunks[1] / chunks[0], 2),
        "changed_ratio": round(large["changed_s"] / small["changed_s"], 2),
        "deleted_ratio": round(large["deleted_s"] / small["deleted_s"], 2),
        "small": small,
    }
