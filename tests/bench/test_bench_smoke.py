"""`rag bench` end to end at the seed size only: the reports exist and carry every field.
Timings are printed by the benchmark, never asserted here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evals.bench import ROWS, MemoEmbedder, TimedEmbedder
from rag.cli import main


@pytest.mark.slow  # ingests and answers with the real model, cold runs in fresh processes
def test_bench_at_seed_size_writes_its_reports(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    argv = ["bench", "--sizes", "seed", "--out", str(out), "--questions", "6"]
    assert main([*argv, "--repeats", "1", "--cold-runs", "1"]) == 0
    assert (out / "bench.png").stat().st_size > 0
    assert "| ingest / bare embed |" in (out / "bench.md").read_text(encoding="utf-8")
    data = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    [seed] = data["sizes"]
    assert seed["size"] == "seed" and seed["chunks"] > 0 and seed["documents"] == 5
    for label, group, key in ROWS:
        value = seed[group][key] if group else seed[key]
        assert value is not None, label
    assert seed["ingest"]["embedded"] == seed["chunks"]
    assert seed["query"]["questions"] == 6 and seed["query"]["errors"] == 0
    assert seed["reingest"]["one_changed_embedded"] >= 1
    assert seed["memory"]["peak_rss_mib"] > 0 and seed["disk"]["index_mib"] > 0
    # The cold `rag ask` is measured with the default, torch-free embedder.
    assert seed["cold_start"]["embedding_backend"] == "onnx"
    assert seed["memory"]["peak_rss_cold_start_mib"] > 0
    assert seed["cold_start"]["ratio_to_import_chromadb"] > 0


class CountingEmbedder:
    name = "counting"
    dimension = 3

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embed_documents(texts)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.stack([np.full(3, float(len(t))) for t in texts])


def test_memo_embedder_embeds_each_chunk_body_once_and_every_question() -> None:
    inner = CountingEmbedder()
    timed = TimedEmbedder(MemoEmbedder(inner))
    chunks = ["Askby. Bostad först.\nText.", "Ekvik. Bostad först.\nText.", "Ekvik. Annat.\nX."]
    vectors = timed.embed_documents(chunks)
    assert inner.seen == ["Annat.\nX.", "Bostad först.\nText."]
    assert np.array_equal(vectors[0], vectors[1]) and not np.array_equal(vectors[0], vectors[2])
    timed.embed_queries(["Vem föreslår sprutbyte?"])
    timed.embed_queries(["Vem föreslår sprutbyte?"])
    assert inner.seen[-2:] == ["Vem föreslår sprutbyte?"] * 2
    assert timed.texts == chunks
