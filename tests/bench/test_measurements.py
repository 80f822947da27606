"""The bench's measurement functions at tiny sizes, with the real model and a real Chroma:
what they report is checked, never how fast it was."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from evals.bench import updates as updates_module
from evals.bench.cli import seed_questions
from evals.bench.coldstart import ChatStart
from evals.bench.harness import Harness, open_harness, timed_ingest, write_bench_corpus
from evals.bench.measure import QUESTION_GROUPS, measure_questions, pick_questions
from evals.bench.updates import measure_updates, smaller_side, update_growth
from rag import Progress
from rag.readers.stamps import RACY_NS

QUIET = Progress(quiet=True)


def harness_over(work: Path, target_chunks: int, memo: bool) -> tuple[Harness, int]:
    write_bench_corpus(work / "corpus", target_chunks, seed=0, progress=QUIET)
    h = open_harness(work, {}, memo)
    return h, timed_ingest(h, QUIET).report.chunks


def test_a_synthetic_corpus_is_dated_back_beyond_the_stamps_doubt(tmp_path: Path) -> None:
    """So that the first re-ingest reads nothing again (`rag.readers.stamps`)."""
    write_bench_corpus(tmp_path / "corpus", 100, seed=0, progress=QUIET)
    ages = [time.time() - p.stat().st_mtime for p in (tmp_path / "corpus").iterdir()]
    assert len(ages) > 5 and min(ages) > RACY_NS / 1e9


def test_pick_questions_takes_each_kind_in_turn() -> None:
    questions = seed_questions()
    picked = pick_questions(questions, 7)
    assert len({q.kind for q in picked}) == 7
    assert picked[0] == questions[0]  # the cold start asks the first one
    assert pick_questions(questions, 0) == questions


def test_question_latencies_by_group_and_against_the_bare_embedding(tmp_path: Path) -> None:
    h, _ = harness_over(tmp_path, 0, memo=False)
    asked = pick_questions(seed_questions(), 5)
    query = measure_questions(h, asked, repeats=1, progress=QUIET)
    assert query["questions"] == 5 and query["errors"] == 0
    for group, kinds in QUESTION_GROUPS.items():
        assert query[f"{group}_questions"] == sum(q.kind in kinds for q in asked) > 0
        assert query[f"ask_p50_{group}_ms"] > 0
    assert query["ratio_ask_to_embed_p50"] == round(query["ask_p50_ms"] / query["embed_p50_ms"], 2)


@pytest.mark.slow  # about a minute: two corpora, ten ingests
def test_updates_at_two_sizes_report_the_work_and_its_growth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(updates_module, "OWN_EMBED_REPEATS", 1)  # the model's time is not tested
    large, large_chunks = harness_over(tmp_path / "large", 100, memo=True)
    small, small_chunks = smaller_side(large, tmp_path / "small", 0, seed=0, progress=QUIET)
    assert small.assistant.embeddings is large.assistant.embeddings  # one model, loaded once
    large_updates, small_updates = measure_updates([large, small], rounds=2, progress=QUIET)
    for h, updates in ((large, large_updates), (small, small_updates)):
        assert updates["rounds"] == 2 and updates["unchanged_embedded"] == 0
        changed, deleted = updates["changed_work"], updates["deleted_work"]
        assert changed["updated"] == 1 and changed["added"] == changed["removed"] == 0
        assert changed["embedded"] >= 1
        assert deleted["removed"] == 1 and deleted["added"] == deleted["updated"] == 0
        assert deleted["embedded"] == 0
        assert updates["own_chunks"] > 0
        assert updates["changed_overhead_s"] == pytest.approx(
            updates["changed_s"] - updates["own_embed_s"], abs=0.002
        )
        # Each round deleted the same programme from the whole corpus, never the changed one,
        # and put it back: rounds never run out of programmes, however few the corpus has.
        first = updates["deleted_files"][0]
        assert updates["deleted_files"] == [first, first]
        assert first != updates["changed_file"]
        assert (h.corpus / first).is_file()
        assert not any((h.corpus.parent / "deleted").iterdir())
    growth = update_growth(large_updates, small_updates, (small_chunks, large_chunks), "seed")
    assert growth["chunks_ratio"] > 1 and growth["changed_ratio"] > 0
    assert growth["small"] is small_updates


def test_the_web_chat_start_is_taken_beyond_the_bare_servers_run_by_run() -> None:
    chat = ChatStart(
        first_answer=[5.0, 9.0, 6.0], bare_server=[3.0, 3.0, 4.0], import_chromadb=[1.0, 2.0, 1.0]
    )
    summary = chat.summary()
    assert summary["beyond_server_median_s"] == 2.0  # of 2, 6, 2
    assert summary["ratio_beyond_server_to_import_chromadb"] == 2.0  # of 2, 3, 2
    assert summary["first_answer_median_s"] == 6.0 and summary["runs"] == 3
