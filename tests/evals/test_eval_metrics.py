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
from evals.corpora import build_full_corpus, read_metadata
from evals.gate import THRESHOLDS_PATH, below_thresholds, load_thresholds
from evals.golden import Expected, GoldenQuestion
from evals.metrics import (
    ANSWER_METRICS,
    aggregate,
    citation_valid,
    facts_found,
    named_programmes,
    percentile,
    score_question,
    set_precision,
    set_recall,
)
from evals.plot import plot_report
from evals.runner import QuestionResult, Report, aggregate_rows
from rag import Answer, Citation, Document, Verdict

L, S = "Liberalerna", "Socialdemokraterna"
OREBRO = Document(
    doc_id="orebro",
    text="## Sprutbyte\n\nEn metod som rekommenderas av socialstyrelsen är sprututbyte.",
    party=L,
    municipality="Örebro",
    title="Socialpolitik",
    source="orebro.md",
    content_hash="x",
)
MALMO = Document(
    doc_id="malmo",
    text="## Tiggeri\n\nVi säger nej till tiggeriförbud. Sprutbyte ska byggas ut.",
    party=S,
    municipality="Malmö",
    title="Trygghet",
    source="malmo.md",
    content_hash="y",
)
DOCS = {d.doc_id: d for d in (OREBRO, MALMO)}
SENTENCE = "En metod som rekommenderas av socialstyrelsen är sprututbyte."
START = OREBRO.text.index(SENTENCE)

WHO = GoldenQuestion(
    id="who",
    question="Vem föreslår sprutbyte?",
    language="sv",
    corpus="full",
    kind="who",
    answerable=True,
    expected=(
        Expected("Örebro", L, ("sprututbyte",)),
        Expected("Eskilstuna", L, ("sprutbytesprogram",)),
    ),
    opposers=(("Malmö", S),),
)
ONE = GoldenQuestion(
    "one",
    "Vad säger Örebro?",
    "sv",
    "seeds",
    "single",
    True,
    (Expected("Örebro", L, ("socialstyrelsen",)),),
)
NONE = GoldenQuestion("none", "Vad tycker de om vargjakt?", "sv", "seeds", "unanswerable", False)


def cite(doc: Document = OREBRO, text: str = SENTENCE, n: int = 1, **kw: object) -> Citation:
    start = doc.text.index(text)
    fields: dict[str, object] = {
        "doc_id": doc.doc_id,
        "municipality": doc.municipality,
        "party": doc.party,
        "quote": text,
        "start": start,
        "end": start + len(text),
    }
    fields.update(kw)
    return Citation(n=n, title=doc.title, heading="", **fields)  # type: ignore[arg-type]


def answer(*citations: Citation, answerable: bool = True, verdicts: tuple = ()) -> Answer:
    return Answer("q", "Örebro [1]", answerable, "sv", list(citations), verdicts=list(verdicts))


def test_set_recall_and_precision_compare_programmes() -> None:
    got = [("Örebro", L), ("Botkyrka", L)]
    assert set_recall(got, [("Örebro", L), ("Örebro", S)]) == 0.5
    assert set_precision(got, [("Örebro", L)]) == 0.5
    assert set_precision([], [("Örebro", L)]) == 0.0
    with pytest.raises(ValueError):
        set_recall(got, [])


def test_a_citation_is_valid_only_if_it_is_the_document_text_at_its_offsets() -> None:
    assert citation_valid(cite(), OREBRO)
    assert not citation_valid(cite(quote="En metod som"), OREBRO)
    assert not citation_valid(cite(start=START + 1), OREBRO)
    assert not citation_valid(cite(municipality="Botkyrka"), OREBRO)
    assert not citation_valid(cite(party=S), OREBRO)  # right place, wrong party
    assert not citation_valid(cite(end=len(OREBRO.text) + 5), OREBRO)
    assert not citation_valid(cite(), None)


def test_facts_count_only_in_a_citation_of_their_own_programme() -> None:
    wrong_programme = cite(MALMO, "Sprutbyte ska byggas ut.")
    assert facts_found(WHO, [wrong_programme]) == {("Örebro", L): False, ("Eskilstuna", L): False}
    assert facts_found(WHO, [cite()]) == {("Örebro", L): True, ("Eskilstuna", L): False}
    heading = cite(OREBRO, "## Sprutbyte")  # names the topic, not the fact
    assert facts_found(WHO, [heading])[("Örebro", L)] is False


def test_a_good_partial_answer() -> None:
    scores = score_question(WHO, answer(cite()), DOCS.get)
    assert scores == {
        "fully_right": 0.0,
        "programme_recall": 0.5,
        "programme_precision": 1.0,
        "fact_match": 0.5,
        "refusal_accuracy": 1.0,
        "citation_validity": 1.0,
    }


def test_a_fully_right_answer_names_exactly_the_expected_programmes_with_their_facts() -> None:
    assert score_question(ONE, answer(cite()), DOCS.get)["fully_right"] == 1.0
    extra = answer(cite(), cite(MALMO, "Sprutbyte ska byggas ut.", n=2))
    scores = score_question(ONE, extra, DOCS.get)
    assert scores["fully_right"] == 0.0 and scores["programme_precision"] == 0.5
    no_fact = answer(cite(OREBRO, "## Sprutbyte"))
    assert score_question(ONE, no_fact, DOCS.get)["fully_right"] == 0.0


def test_an_opposer_listed_as_opposing_is_not_named_but_one_cited_as_proposer_is() -> None:
    against = cite(MALMO, "Vi säger nej till tiggeriförbud.", n=2)
    verdict = Verdict("malmo", "Malmö", S, "Trygghet", "opposes", against)
    listed_apart = answer(cite(), against, verdicts=(verdict,))
    assert named_programmes(WHO, listed_apart) == {("Örebro", L)}
    as_proposer = answer(cite(), against)
    assert named_programmes(WHO, as_proposer) == {("Örebro", L), ("Malmö", S)}
    only_mentions = GoldenQuestion(**{**WHO.__dict__, "kind": "mentions"})
    assert ("Malmö", S) in named_programmes(only_mentions, listed_apart)


def test_refusing_an_answerable_question_scores_zero_not_none() -> None:
    scores = score_question(WHO, answer(cite(), answerable=False), DOCS.get)
    assert scores["refusal_accuracy"] == scores["fully_right"] == 0.0
    assert scores["programme_recall"] == scores["programme_precision"] == 0.0
    assert scores["fact_match"] == 0.0  # a refusal's quotes do not earn facts


def test_unanswerable_questions_score_refusals_only() -> None:
    refused = score_question(NONE, answer(answerable=False), DOCS.get)
    assert refused["refusal_accuracy"] == refused["fully_right"] == 1.0
    assert {k for k, v in refused.items() if v is not None} == {"refusal_accuracy", "fully_right"}
    answered = score_question(NONE, answer(cite()), DOCS.get)
    assert answered["refusal_accuracy"] == answered["fully_right"] == 0.0
    assert answered["citation_validity"] == 1.0


def test_percentiles_interpolate() -> None:
    values = [0.1, 0.2, 0.3, 0.4, 1.0]
    assert percentile(values, 50) == 0.3
    assert percentile(values, 95) == pytest.approx(0.88)
    with pytest.raises(ValueError):
        percentile([], 50)


def test_aggregates_skip_what_does_not_apply() -> None:
    rows = [
        (score_question(WHO, answer(cite()), DOCS.get), 0.2),
        (score_question(NONE, answer(answerable=False), DOCS.get), 0.4),
    ]
    out = aggregate(rows)
    assert out["refusal_accuracy"] == 1.0 and out["fully_right"] == 0.5
    assert out["programme_recall"] == 0.5  # only the answerable question counts
    assert out["latency_p50_s"] == pytest.approx(0.3)


def result(q: GoldenQuestion, config: str, a: Answer) -> QuestionResult:
    return QuestionResult.of(config, q, a, score_question(q, a, DOCS.get), 0.1)


def small_report() -> Report:
    test_q = GoldenQuestion(**{**ONE.__dict__, "id": "secret", "split": "test"})
    rows = [
        result(ONE, "hybrid", answer(cite())),
        result(NONE, "hybrid", answer(answerable=False)),
        result(test_q, "hybrid", answer(answerable=False)),
        result(ONE, "textbook", answer(cite(MALMO, "Sprutbyte ska byggas ut."))),
        result(NONE, "textbook", answer(cite())),
        result(test_q, "textbook", answer(cite())),
    ]
    names = ("hybrid", "textbook")
    configs = [{"name": n, "description": n, "overrides": {}} for n in names]
    aggregates = {
        n: {
            s: aggregate_rows([r for r in rows if r.config == n and r.split == s])
            for s in ("dev", "test")
        }
        for n in names
    }
    return Report(configs, {"dev": 2, "test": 1}, aggregates, rows, {"total": 1.0})


def test_report_splits_aggregates_and_shows_failures_for_dev_only() -> None:
    report = small_report()
    assert report.splits == ["dev", "test"]
    assert report.overall("hybrid", "dev")["fully_right"] == 1.0
    assert report.overall("hybrid", "test")["fully_right"] == 0.0
    assert report.aggregates["textbook"]["dev"]["kind:unanswerable"]["refusal_accuracy"] == 0.0
    assert [r.id for r in report.failures("textbook")] == ["one", "none"]
    assert [r.id for r in report.failures("hybrid", "test")] == ["secret"]
    data = json.loads(report.to_json())
    assert [r["id"] for r in data["rows"]].count("secret") == 2  # every row is in the JSON
    assert data["aggregates"]["hybrid"]["dev"]["overall"]["programme_recall"] == 1.0
    markdown = report.to_markdown()
    assert "## test: overall" in markdown and "## dev: overall" in markdown
    assert "## Failing dev questions: textbook (2 of 2)" in markdown
    assert "secret" not in markdown  # the frozen split is reported in aggregate only
    assert "| hybrid | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |" in markdown
    assert "test (1 questions)" in report.summary()


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
    thresholds = {"fact_match": 0.6, "refusal_accuracy": 0.9, "fully_right": 0.5}
    scores = {"fact_match": 0.5, "refusal_accuracy": 0.95, "fully_right": None}
    assert below_thresholds(scores, thresholds) == [
        "fact_match: 0.500 < 0.600",
        "fully_right: missing < 0.500",
    ]
    shipped = load_thresholds()
    assert set(shipped) == {"dev", "test"}
    assert all(set(t) <= set(ANSWER_METRICS) for t in shipped.values())
    for content, message in [
        ('{"dev": {"latency_p50_s": 1}}', "unknown metric"),
        ('{"train": {"fully_right": 1}}', "unknown split"),
        ('{"dev": {"fully_right": "high"}}', "must be numbers"),
    ]:
        (tmp_path / "t.json").write_text(content, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            load_thresholds(tmp_path / "t.json")
    assert THRESHOLDS_PATH.is_file()


def test_the_eval_command_parses_its_options() -> None:
    parser = argparse.ArgumentParser(prog="rag")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["eval", "--config", "hybrid", "--config", "textbook"])
    assert args.config == ["hybrid", "textbook"] and callable(args.func)
    assert args.out.name == "reports" and args.split == "all" and args.questions is None
    assert parser.parse_args(["eval", "--split", "dev"]).split == "dev"
    with pytest.raises(SystemExit):
        parser.parse_args(["eval", "--config", "nope"])
    with pytest.raises(SystemExit):
        parser.parse_args(["eval", "--split", "train"])


def test_the_full_corpus_gets_a_sidecar_per_evaluation_programme(tmp_path: Path) -> None:
    seeds, extra = tmp_path / "seeds", tmp_path / "extra"
    seeds.mkdir(), extra.mkdir()
    (seeds / "a.md").write_text("---\nparty: L\nmunicipality: A\n---\n# A\n\ntext\n")
    (extra / "b.txt").write_text("B\n\ntext\n")
    (extra / "metadata.csv").write_text(
        'file,party,municipality,title,year\nb.txt,S,Bstad,"Titel, med komma",2026\n'
    )
    out = build_full_corpus(seeds, tmp_path / "full", extra)
    assert sorted(p.name for p in out.iterdir()) == ["a.md", "b.txt", "b.txt.meta.yaml"]
    assert "title: Titel, med komma" in (out / "b.txt.meta.yaml").read_text()
    assert read_metadata(extra)["b.txt"] == {
        "party": "S",
        "municipality": "Bstad",
        "title": "Titel, med komma",
        "year": 2026,
    }
    (extra / "metadata.csv").write_text("file,party\nb.txt,S\n")
    with pytest.raises(ValueError, match="header must be file,party,municipality,title,year"):
        read_metadata(extra)
    (extra / "metadata.csv").write_text("file,party,municipality,title,year\nc.txt,S,C,,\n")
    with pytest.raises(ValueError, match=r"metadata.csv:2: no such file 'c.txt'"):
        read_metadata(extra)


@pytest.mark.parametrize(
    "module", ["evals.golden", "evals.metrics", "evals.configs", "evals.gate", "evals.runner"]
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_the_eval_command_reports_a_bad_golden_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="rag")
    register(parser.add_subparsers(dest="command"))
    (tmp_path / "mine.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    args = parser.parse_args(["eval", "--questions", str(tmp_path / "mine.jsonl")])
    assert args.func(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "mine.jsonl:1: missing required field(s)" in err
    assert "Traceback" not in err
