"""The metrics on small hand-made answers, where the right number is known."""

from __future__ import annotations

import argparse
import doctest
import importlib
import json
from pathlib import Path

import pytest

from evals.cli import register
from evals.configs import CONFIGS, EvalConfig, select_configs
from evals.gate import THRESHOLDS_PATH, below_thresholds, load_thresholds
from evals.golden import GoldenQuestion, Turn
from evals.metrics import (
    ANSWER_METRICS,
    aggregate,
    citation_supported,
    citation_valid,
    key_fact_match,
    lexical_overlap,
    percentile,
    recall_at_k,
    reciprocal_rank,
    score_question,
    set_precision,
    set_recall,
)
from evals.plot import plot_report
from evals.runner import QuestionResult, Report, aggregate_rows
from rag import Answer, Chunk, Citation, Document, Passage

OREBRO = Document(
    doc_id="orebro",
    text="## Sprutbyte\n\nEn metod som rekommenderas av socialstyrelsen är sprututbyte.",
    party="Liberalerna",
    municipality="Örebro",
    title="Socialpolitik",
    source="orebro.md",
    content_hash="x",
)
DOCS = {OREBRO.doc_id: OREBRO}
SENTENCE = "En metod som rekommenderas av socialstyrelsen är sprututbyte."
START = OREBRO.text.index(SENTENCE)

WHO = GoldenQuestion(
    id="who",
    question="Vem föreslår sprutbyte?",
    language="sv",
    kind="multi",
    expected_municipalities=("Örebro", "Eskilstuna"),
    key_facts=("sprututbyte", "sprutbytesprogram"),
    answerable=True,
)
NONE = GoldenQuestion("none", "Vad tycker de om vargjakt?", "sv", "unanswerable", (), (), False)


def cite(n: int = 1, start: int = START, end: int = START + len(SENTENCE), **kw: str) -> Citation:
    fields = {"doc_id": "orebro", "municipality": "Örebro", "quote": OREBRO.text[start:end]}
    fields.update(kw)
    return Citation(
        n=n,
        party="Liberalerna",
        title="Socialpolitik",
        heading="Sprutbyte",
        start=start,
        end=end,
        **fields,
    )


def answer(*citations: Citation, answerable: bool = True, text: str = "") -> Answer:
    return Answer("q", text or "Örebro [1]", answerable, "sv", list(citations))


def passage(municipality: str) -> Passage:
    chunk = Chunk("c", "d", "text", 0, 4, "", "h")
    return Passage(chunk, municipality, "Liberalerna", "t", 1.0)


def test_recall_at_k_counts_documents_not_passages() -> None:
    ranked = ["Örebro", "Örebro", "Botkyrka", "Stockholm", "Örebro", "Eskilstuna"]
    assert recall_at_k(ranked, {"Örebro", "Eskilstuna"}, k=5) == 0.5
    assert recall_at_k(ranked, {"Örebro", "Eskilstuna"}, k=6) == 1.0
    assert recall_at_k([], {"Örebro"}) == 0.0
    with pytest.raises(ValueError):
        recall_at_k(ranked, set())


def test_reciprocal_rank_is_that_of_the_first_relevant_passage() -> None:
    assert reciprocal_rank(["Botkyrka", "Stockholm", "Örebro", "Örebro"], {"Örebro"}) == 1 / 3
    assert reciprocal_rank(["Örebro"], {"Örebro", "Botkyrka"}) == 1.0
    assert reciprocal_rank(["Botkyrka"], {"Örebro"}) == 0.0


def test_set_recall_and_precision() -> None:
    assert set_recall(["Örebro", "Botkyrka"], ["Örebro", "Eskilstuna"]) == 0.5
    assert set_precision(["Örebro", "Botkyrka", "Stockholm"], ["Örebro"]) == 1 / 3
    assert set_precision([], ["Örebro"]) == 0.0
    assert set_recall(["Örebro", "Örebro"], ["Örebro"]) == 1.0


def test_key_facts_match_case_and_space_insensitively_in_any_text() -> None:
    facts = ["Bostad först", "träningslägenheter", "Uppsökande team"]
    texts = ["Metoden ”BOSTAD\nförst” ska fortsätta", "fler träningslägenheter behövs"]
    assert key_fact_match(facts, texts) == 2 / 3
    assert key_fact_match(facts, []) == 0.0


def test_a_citation_is_valid_only_if_it_is_the_document_text_at_its_offsets() -> None:
    assert citation_valid(cite(), OREBRO)
    assert not citation_valid(cite(quote="En metod som rekommenderas"), OREBRO)
    assert not citation_valid(cite(start=START + 1, quote=SENTENCE), OREBRO)
    assert not citation_valid(cite(municipality="Botkyrka"), OREBRO)
    assert not citation_valid(cite(end=len(OREBRO.text) + 5, quote=SENTENCE), OREBRO)
    assert not citation_valid(cite(), None)


def test_support_by_key_fact() -> None:
    assert citation_supported(SENTENCE, WHO.key_facts, WHO.question)
    assert not citation_supported("Ingen ska behöva vara hemlös.", WHO.key_facts, WHO.question)


def test_support_by_word_overlap_when_there_are_no_key_facts() -> None:
    question = "What do the programmes say about public transport fares?"
    assert lexical_overlap(question, "Public transport fares should fall.") == 3 / 4
    assert citation_supported("Public transport fares should fall.", (), question)
    assert citation_supported("Programmes for public housing.", (), question)  # 2 of 4: weak
    assert not citation_supported("Programmes for housing.", (), question)
    assert not citation_supported("anything", (), "Who? What?")


def test_percentiles_interpolate() -> None:
    values = [0.1, 0.2, 0.3, 0.4, 1.0]
    assert percentile(values, 50) == 0.3
    assert percentile(values, 95) == pytest.approx(0.88)
    assert percentile([2.0], 95) == 2.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_a_good_partial_answer() -> None:
    passages = [passage("Botkyrka"), passage("Örebro"), passage("Örebro")]
    scores = score_question(WHO, answer(cite()), passages, DOCS.get)
    assert scores == {
        "retrieval_recall@5": 0.5,
        "retrieval_mrr": 0.5,
        "municipality_recall": 0.5,
        "municipality_precision": 1.0,
        "key_fact_match": 0.5,
        "refusal_accuracy": 1.0,
        "citation_validity": 1.0,
        "citation_support": 1.0,
    }


def test_a_broken_and_unsupported_citation_counts_against_the_answer() -> None:
    wrong = cite(n=2, start=0, end=12, municipality="Botkyrka")  # the heading, wrong place
    scores = score_question(WHO, answer(cite(), wrong), [], DOCS.get)
    assert scores["citation_validity"] == 0.5
    assert scores["citation_support"] == 0.5
    assert scores["municipality_precision"] == 0.5
    assert scores["retrieval_recall@5"] == 0.0


def test_refusing_an_answerable_question_scores_zero_not_none() -> None:
    scores = score_question(WHO, answer(answerable=False, text="sprututbyte?"), [], DOCS.get)
    assert scores["refusal_accuracy"] == 0.0
    assert scores["municipality_recall"] == scores["municipality_precision"] == 0.0
    assert scores["key_fact_match"] == 0.0  # a refusal's text does not earn facts
    assert scores["citation_validity"] is None and scores["citation_support"] is None


def test_unanswerable_questions_score_refusals_only() -> None:
    refused = score_question(NONE, answer(answerable=False), [passage("Örebro")], DOCS.get)
    assert refused["refusal_accuracy"] == 1.0
    assert {k for k, v in refused.items() if v is not None} == {"refusal_accuracy"}
    answered = score_question(NONE, answer(cite()), [passage("Örebro")], DOCS.get)
    assert answered["refusal_accuracy"] == 0.0
    assert answered["citation_support"] == 0.0  # no word of the question is in the quote


def test_aggregates_skip_what_does_not_apply() -> None:
    rows = [
        (score_question(WHO, answer(cite()), [passage("Örebro")], DOCS.get), 0.2),
        (score_question(NONE, answer(answerable=False), [], DOCS.get), 0.4),
    ]
    out = aggregate(rows)
    assert out["refusal_accuracy"] == 1.0
    assert out["municipality_recall"] == 0.5  # only the answerable question counts
    assert out["latency_p50_s"] == pytest.approx(0.3)


def result(q: GoldenQuestion, config: str, got: list[str], answerable: bool) -> QuestionResult:
    a = answer(*(cite(municipality=m) for m in got), answerable=answerable)
    passages = [passage("Örebro")]
    return QuestionResult.of(config, q, a, passages, score_question(q, a, passages, DOCS.get), 0.1)


def small_report() -> Report:
    rows = [
        result(WHO, "hybrid", ["Örebro", "Eskilstuna"], True),
        result(NONE, "hybrid", [], False),
        result(WHO, "textbook", ["Örebro"], True),
        result(NONE, "textbook", ["Örebro"], True),
    ]
    configs = [{"name": n, "description": n, "overrides": {}} for n in ("hybrid", "textbook")]
    aggregates = {
        n: aggregate_rows([r for r in rows if r.config == n]) for n in ("hybrid", "textbook")
    }
    return Report(configs, 2, aggregates, rows, {"total": 1.0})


def test_report_groups_failures_and_serialises() -> None:
    report = small_report()
    assert report.aggregates["hybrid"]["kind:unanswerable"]["refusal_accuracy"] == 1.0
    assert report.aggregates["textbook"]["language:sv"]["refusal_accuracy"] == 0.5
    assert "kind:single" not in report.aggregates["hybrid"]
    assert [r.id for r in report.failures("hybrid")] == []
    assert [r.id for r in report.failures("textbook")] == ["who", "none"]
    data = json.loads(report.to_json())
    assert data["aggregates"]["hybrid"]["overall"]["municipality_recall"] == 1.0
    assert [r["failed"] for r in data["rows"]] == [False, False, True, True]
    markdown = report.to_markdown()
    assert "| hybrid | 0.500 | 1.000 | 1.000 |" in markdown  # recall@5, MRR, muni recall
    assert "## Failing questions: textbook (2 of 2)" in markdown


def test_plot_writes_a_png(tmp_path: Path) -> None:
    path = plot_report(small_report(), tmp_path / "report.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_configs_are_known_settings_and_selected_by_name() -> None:
    assert [c.name for c in CONFIGS] == [
        "textbook",
        "dense",
        "lexical",
        "hybrid",
        "hybrid-no-diversify",
    ]
    assert [c.name for c in select_configs(None)] == [c.name for c in CONFIGS]
    with pytest.raises(ValueError, match="unknown config 'fast'"):
        select_configs(["fast"])
    with pytest.raises(ValueError, match="only once"):
        select_configs(["hybrid", "hybrid"])
    with pytest.raises(ValueError, match="unknown setting"):
        EvalConfig("bad", {"top_kk": 3})


def test_the_gate_lists_every_metric_below_its_minimum(tmp_path: Path) -> None:
    thresholds = {"key_fact_match": 0.6, "refusal_accuracy": 0.9, "citation_support": 0.5}
    scores = {"key_fact_match": 0.5, "refusal_accuracy": 0.95, "citation_support": None}
    assert below_thresholds(scores, thresholds) == [
        "key_fact_match: 0.500 < 0.600",
        "citation_support: missing < 0.500",
    ]
    assert set(load_thresholds()) <= set(ANSWER_METRICS)
    (tmp_path / "t.json").write_text('{"latency_p50_s": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown metric"):
        load_thresholds(tmp_path / "t.json")
    assert THRESHOLDS_PATH.is_file()


def test_the_eval_command_parses_its_options() -> None:
    parser = argparse.ArgumentParser(prog="rag")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["eval", "--config", "hybrid", "--config", "textbook"])
    assert args.config == ["hybrid", "textbook"] and callable(args.func)
    assert args.out.name == "reports" and args.questions.name == "golden.jsonl"
    with pytest.raises(SystemExit):
        parser.parse_args(["eval", "--config", "nope"])


def test_retrieval_query_joins_user_turns_only() -> None:
    q = GoldenQuestion(
        "fu",
        "Och Örebro?",
        "sv",
        "followup",
        ("Örebro",),
        ("hederns namn",),
        True,
        (Turn("user", "Vad säger Botkyrka?"), Turn("assistant", "Botkyrka säger ...")),
    )
    assert q.retrieval_query() == "Vad säger Botkyrka? Och Örebro?"


@pytest.mark.parametrize(
    "module", ["evals.golden", "evals.metrics", "evals.configs", "evals.gate", "evals.runner"]
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
