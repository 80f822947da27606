"""Run every configuration on the same golden questions and collect a `Report`."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evals.configs import DEFAULT, EvalConfig, select_configs
from evals.golden import KINDS, LANGUAGES, GoldenQuestion, load_golden
from evals.metrics import METRICS, K, Scores, aggregate, score_question
from rag import Answer, Assistant, Passage, Progress, RagError, get_settings

LABELS = {
    "retrieval_recall@5": "recall@5",
    "retrieval_mrr": "MRR",
    "municipality_recall": "muni recall",
    "municipality_precision": "muni precision",
    "key_fact_match": "key facts",
    "refusal_accuracy": "refusal acc.",
    "citation_validity": "citation validity",
    "citation_support": "citation support",
    "latency_p50_s": "p50 s",
    "latency_p95_s": "p95 s",
}
ANSWER_PREVIEW_CHARS = 300
# What `Assistant` loads its embedding model from: configurations alike in these share one.
EMBEDDING_SETTINGS = {
    "embedding_model",
    "embedding_backend",
    "embedding_precision",
    "embedding_device",
    "embedding_batch_size",
    "query_prompt",
    "passage_prompt",
}
"""Answers are kept this short in the report; `rag ask` shows them whole."""
GROUP_METRICS = (
    "retrieval_recall@5",
    "municipality_recall",
    "key_fact_match",
    "refusal_accuracy",
    "citation_support",
)


@dataclass
class QuestionResult:
    """One configuration's answer to one golden question, with its scores."""

    config: str
    id: str
    kind: str
    language: str
    question: str
    expected_answerable: bool
    answerable: bool
    expected_municipalities: list[str]
    municipalities: list[str]
    retrieved_municipalities: list[str]
    scores: Scores
    latency_s: float
    answer: str
    error: str | None = None

    @classmethod
    def of(
        cls,
        config: str,
        q: GoldenQuestion,
        answer: Answer,
        passages: Sequence[Passage],
        scores: Scores,
        latency_s: float,
        error: str | None = None,
    ) -> QuestionResult:
        """The record of `answer` (and the `passages` retrieved) for golden question `q`."""
        return cls(
            config=config,
            id=q.id,
            kind=q.kind,
            language=q.language,
            question=q.question,
            expected_answerable=q.answerable,
            answerable=answer.answerable,
            expected_municipalities=list(q.expected_municipalities),
            municipalities=answer.municipalities if answer.answerable else [],
            retrieved_municipalities=[p.municipality for p in passages],
            scores=scores,
            latency_s=latency_s,
            answer=preview(answer.text),
            error=error,
        )

    @property
    def failed(self) -> bool:
        """Wrong refusal decision, or cited programmes that differ from the expected ones."""
        if self.answerable != self.expected_answerable:
            return True
        return self.expected_answerable and (
            set(self.municipalities) != set(self.expected_municipalities)
        )


@dataclass
class Report:
    """Per-config aggregates (overall, by kind, by language) and the per-question rows."""

    configs: list[dict[str, Any]]
    questions: int
    aggregates: dict[str, dict[str, Scores]]
    rows: list[QuestionResult]
    seconds: dict[str, float] = field(default_factory=dict)

    def overall(self, config: str) -> Scores:
        return self.aggregates[config]["overall"]

    def failures(self, config: str = DEFAULT) -> list[QuestionResult]:
        return [r for r in self.rows if r.config == config and r.failed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "questions": self.questions,
            "k": K,
            "configs": self.configs,
            "seconds": self.seconds,
            "aggregates": self.aggregates,
            "rows": [{**asdict(r), "failed": r.failed} for r in self.rows],
        }

    def to_json(self) -> str:
        """Indented JSON, except that each per-question row stays on one line."""
        data = self.to_dict()
        rows = data.pop("rows")
        head = json.dumps(data, ensure_ascii=False, indent=2).removesuffix("\n}")
        body = ",\n".join("    " + json.dumps(r, ensure_ascii=False) for r in rows)
        return f'{head},\n  "rows": [\n{body}\n  ]\n}}'

    def summary_table(self) -> str:
        """The overall metrics, one row per configuration, as a Markdown table."""
        header = ["config", *(LABELS[m] for m in METRICS)]
        lines = [_row(header), _row(["---"] * len(header))]
        for c in self.configs:
            scores = self.overall(c["name"])
            lines.append(_row([c["name"], *(_fmt(scores[m]) for m in METRICS)]))
        return "\n".join(lines)

    def to_markdown(self) -> str:
        names = [c["name"] for c in self.configs]
        total = self.seconds.get("total", 0.0)
        out = [
            "# Evaluation report",
            "",
            f"{self.questions} golden questions, {len(names)} configurations, "
            f"retrieval cut-off k={K}, {total:.0f} s in all.",
            "",
            "## Configurations",
            "",
            _row(["config", "settings", "what it tests", "seconds"]),
            _row(["---"] * 4),
        ]
        for c in self.configs:
            settings = ", ".join(f"{k}={v}" for k, v in c["overrides"].items()) or "defaults"
            seconds = f"{self.seconds.get(c['name'], 0.0):.0f}"
            out.append(_row([c["name"], settings, c["description"], seconds]))
        out += ["", "## Overall", "", self.summary_table(), ""]
        groups = [f"kind:{k}" for k in KINDS] + [f"language:{x}" for x in LANGUAGES]
        for metric in GROUP_METRICS:
            out += [f"## {LABELS[metric]} by kind and language", ""]
            out += [_row(["group", *names]), _row(["---"] * (len(names) + 1))]
            for group in groups:
                cells = [_fmt(self.aggregates[n].get(group, {}).get(metric)) for n in names]
                out.append(_row([group, *cells]))
            out.append("")
        for name in names:
            failed = self.failures(name)
            out += [f"## Failing questions: {name} ({len(failed)} of {self.questions})", ""]
            if failed:
                out += [
                    _row(["id", "question", "expected", "got", "answerable (expected/got)"]),
                    _row(["---"] * 5),
                ]
            for r in failed:
                expected, got = ", ".join(r.expected_municipalities), ", ".join(r.municipalities)
                answerable = f"{r.expected_answerable}/{r.answerable}"
                out.append(_row([r.id, r.question, expected or "–", got or "–", answerable]))
            out.append("")
        return "\n".join(out)


def preview(text: str, limit: int = ANSWER_PREVIEW_CHARS) -> str:
    """The text on one line, cut to `limit` characters.

    >>> preview("Två\\nrader", 20), preview("abcdef", 4)
    ('Två rader', 'abc…')
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


@contextmanager
def _work_dir(path: str | Path | None) -> Iterator[Path]:
    if path is not None:
        Path(path).mkdir(parents=True, exist_ok=True)
        yield Path(path)
    else:
        with tempfile.TemporaryDirectory(prefix="rag-eval-") as tmp:
            yield Path(tmp)


def run_question(assistant: Assistant, config: str, q: GoldenQuestion) -> QuestionResult:
    """Ask one question (timed), retrieve for it, and score both."""
    filters = q.filter_dict()
    error = None
    started = time.perf_counter()
    try:
        answer = assistant.ask(q.question, history=q.history_messages() or None, filters=filters)
    except RagError as e:
        answer, error = Answer(question=q.question, text="", answerable=False, language=""), str(e)
    latency = time.perf_counter() - started
    try:
        passages = assistant.retrieve(q.retrieval_query(), k=K, filters=filters)
    except RagError as e:
        passages, error = [], error or str(e)
    documents = {d.doc_id: d for d in assistant.documents()}
    scores = score_question(q, answer, passages, documents.get)
    return QuestionResult.of(config, q, answer, passages, scores, latency, error)


def aggregate_rows(rows: Sequence[QuestionResult]) -> dict[str, Scores]:
    """Aggregates overall, per kind and per language (groups without questions are left out)."""
    groups: dict[str, list[QuestionResult]] = {"overall": list(rows)}
    for r in rows:
        groups.setdefault(f"kind:{r.kind}", []).append(r)
        groups.setdefault(f"language:{r.language}", []).append(r)
    return {
        name: aggregate([(r.scores, r.latency_s) for r in group]) for name, group in groups.items()
    }


def _questions(questions: Sequence[GoldenQuestion] | str | Path | None) -> list[GoldenQuestion]:
    if questions is None:
        return load_golden()
    if isinstance(questions, str | Path):
        return load_golden(questions)
    return list(questions)


def evaluate(
    configs: Sequence[str | EvalConfig] | None = None,
    questions: Sequence[GoldenQuestion] | str | Path | None = None,
    work_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> Report:
    """Evaluate the configurations (default: all) on the golden questions (default: the
    shipped set). Configurations that index alike (same model and chunking) share one index
    under `work_dir` (default: a temporary folder), and those with the same embedding settings
    share one loaded model. Questions are interleaved (each
    question goes to every configuration in turn) so that background load on the machine
    falls evenly on all configurations' latencies. `progress` (e.g. `Progress()` for stderr)
    is told of indexing and of each answer."""
    progress = progress or Progress(quiet=True)
    chosen = select_configs(configs)
    golden = _questions(questions)
    seconds = dict.fromkeys([c.name for c in chosen], 0.0)
    results: dict[str, list[QuestionResult]] = {c.name: [] for c in chosen}
    started = time.perf_counter()
    with _work_dir(work_dir) as work:
        assistants: dict[str, Assistant] = {}
        models: dict[tuple[Any, ...], Any] = {}
        for config in progress.iterate("index", chosen, len(chosen), "configs"):
            config_started = time.perf_counter()
            fingerprint = get_settings(**config.overrides).index_fingerprint()
            settings = get_settings(**{**config.overrides, "index_dir": work / fingerprint})
            model = tuple(settings.model_dump(include=EMBEDDING_SETTINGS).values())
            assistant = Assistant(settings, embeddings=models.get(model))
            models[model] = assistant.embeddings
            assistant.ingest()
            assistant.documents()  # loads the index, so no timed question pays for it
            assistants[config.name] = assistant
            seconds[config.name] += time.perf_counter() - config_started
        with progress.stage("questions", len(golden) * len(assistants), "answers") as advance:
            for q in golden:
                for name, assistant in assistants.items():
                    question_started = time.perf_counter()
                    results[name].append(run_question(assistant, name, q))
                    seconds[name] += time.perf_counter() - question_started
                    advance(1)
    seconds["total"] = time.perf_counter() - started
    described = [
        {"name": c.name, "description": c.description, "overrides": dict(c.overrides)}
        for c in chosen
    ]
    aggregates = {name: aggregate_rows(rows) for name, rows in results.items()}
    rows = [r for group in results.values() for r in group]
    return Report(described, len(golden), aggregates, rows, seconds)
