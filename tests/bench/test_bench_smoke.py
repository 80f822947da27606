"""`rag bench` end to end at the seed size only: the reports exist and carry every field.
Timings are printed by the benchmark, never asserted here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evals.bench.harness import MemoEmbedder, TimedEmbedder
from evals.bench.report import ROWS
from evals.bench.targets import value_at
from rag.cli import main


@pytest.mark.slow  # ingests and answers with the real model, cold runs in fresh processes
def test_bench_at_seed_size_writes_its_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    argv = ["bench", "--sizes", "seed", "--out", str(out), "--questions", "6"]
    rounds = ["--ingest-rounds", "1", "--update-rounds", "1"]
    assert main([*argv, *rounds, "--repeats", "1", "--cold-runs", "1"]) == 0
    assert (out / "bench.png").stat().st_size > 0
    markdown = (out / "bench.md").read_text(encoding="utf-8")
    assert "| ingest / bare embed |" in markdown and "## Targets" in markdown
    printed = capsys.readouterr().out
    assert "| full answer p50 ÷ bare question-embedding p50 ≤ 3 | seed |" in printed
    assert "not measured: needs a generated size" in printed  # the growth, at one size
    data = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    [seed] = data["sizes"]
    assert seed["size"] == "seed" and seed["chunks"] > 0 and seed["documents"] == 5
    for label, group, key in ROWS:
        assert value_at(seed, group, key) is not None or group == "update_growth", label
    assert seed["ingest"]["embedded"] == seed["chunks"]
    query = seed["query"]
    assert query["questions"] == 6 and query["errors"] == 0
    assert query["who_questions"] >= 1 and query["what_questions"] >= 1
    updates = seed["updates"]
    assert updates["changed_work"]["updated"] == 1 and updates["changed_work"]["embedded"] >= 1
    assert updates["deleted_work"]["removed"] == 1 and updates["deleted_work"]["embedded"] == 0
    assert seed["memory"]["peak_rss_mib"] > 0 and seed["disk"]["index_mib"] > 0
    # The cold `rag ask` is measured with the default, torch-free embedder.
    assert seed["cold_start"]["embedding_backend"] == "onnx"
    assert seed["memory"]["peak_rss_cold_start_mib"] > 0
    assert seed["cold_start"]["ratio_to_import_chromadb"] > 0
    # The web chat, started cold, answered through its API; a bare Gradio app served a page.
    chat = seed["chat_start"]
    assert chat["runs"] == 1 and chat["first_answer_median_s"] > chat["bare_server_median_s"] > 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--sizes", "seed,ten"], "error: not a size: 'ten'"),
        (["--sizes", ","], "error: --sizes names no size"),
        (["--backends", "--backend", "bert"], "error: unknown backend(s) bert; known: minilm"),
    ],
)
def test_bad_sizes_and_backends_are_one_line_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bench", *argv]) == 2
    assert capsys.readouterr().err.startswith(message)


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
