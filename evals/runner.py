"""Run every configuration on the golden questions of each split and collect a `Report`."""

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
from evals.corpora import build_full_corpus
from evals.golden import KINDS, LANGUAGES, SPLITS, GoldenQuestion, Programme, load_splits
from evals.metrics import METRICS, Scores, aggregate, named_programmes, score_question
from rag import Answer, Assistant, Progress, RagError, get_settings

LABELS = {
    "fully_right": "fully right",
    "programme_recall": "recall",
    "programme_precision": "precision",
    "fact_match": "fact match",
    "refusal_accuracy": "refusal acc.",
    "citation_validity": "citation validity",
    "latency_p50_s": "p50 s",
    "latency_p95_s": "p95 s",
}
ANSWER_PREVIEW_CHARS = 300
"""Answers are kept this short in the report; `rag ask` shows them whole."""
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
GROUP_METRICS = ("fully_right", "programme_recall", "programme_precision", "refusal_accuracy")


def label(programme: Programme) -> str:
    """A programme as the report shows it.

    >>> label(("Malmö", "Vänsterpartiet"))
    'Malmö (Vänsterpartiet)'
    """
    return f"{programme[0]} ({programme[1]})"


@dataclass
class QuestionResult:
    """One configuration's answer to one golden question, with its scores."""

    config: str
    split: str
    id: str
    kind: str
    language: str
    corpus: str
    question: str
    expected_answerable: bool
    answerable: bool
    expected: list[str]
    named: list[str]
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
        scores: Scores,
        latency_s: float,
        error: str | None = None,
    ) -> QuestionResult:
        """The record of `answer` to golden question `q`."""
        return cls(
            config=config,
            split=q.split,
            id=q.id,
            kind=q.kind,
            language=q.language,
            corpus=q.corpus,
            question=q.question,
            expected_answerable=q.answerable,
            answerable=answer.answerable,
            expected=sorted(label(p) for p in q.programmes),
            named=sorted(label(p) for p in named_programmes(q, answer)),
            scores=scores,
            latency_s=latency_s,
            answer=preview(answer.text),
            error=error,
        )

    @property
    def failed(self) -> bool:
        """Not fully right."""
        return self.scores["fully_right"] != 1.0


@dataclass
class Report:
    """Per-config, per-split aggregates (overall, by kind, by language) and per-question rows."""

    configs: list[dict[str, Any]]
    questions: dict[str, int]
    aggregates: dict[str, dict[str, dict[str, Scores]]]
    rows: list[QuestionResult]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def splits(self) -> list[str]:
        return [s for s in SPLITS if self.questions.get(s)]

    def overall(self, config: str, split: str) -> Scores:
        return self.aggregates[config][split]["overall"]

    def failures(self, config: str = DEFAULT, split: str = "dev") -> list[QuestionResult]:
        return [r for r in self.rows if r.config == config and r.split == split and r.failed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "questions": self.questions,
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

    def summary_table(self, split: str) -> str:
        """The overall metrics of one split, one row per configuration, as a Markdown table."""
        header = ["config", *(LABELS[m] for m in METRICS)]
        lines = [_row(header), _row(["---"] * len(header))]
        for c in self.configs:
            scores = self.overall(c["name"], split)
            lines.append(_row([c["name"], *(_fmt(scores[m]) for m in METRICS)]))
        return "\n".join(lines)

    def summary(self) -> str:
        """Every split's summary table under a line naming the split and its size."""
        return "\n\n".join(
            f"{s} ({self.questions[s]} questions)\n{self.summary_table(s)}" for s in self.splits
        )

    def to_markdown(self) -> str:
        names = [c["name"] for c in self.configs]
        sizes = ", ".join(f"{self.questions[s]} {s}" for s in self.splits)
        out = [
            "# Evaluation report",
            "",
            f"{sizes} questions, {len(names)} configurations, "
            f"{self.seconds.get('total', 0.0):.0f} s in all. The test split is frozen: only its "
            "aggregates are shown here.",
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
        for split in self.splits:
            out += ["", f"## {split}: overall", "", self.summary_table(split), ""]
            out += self._groups_markdown(split, names)
        for name in names:
            out += self._failures_markdown(name)
        return "\n".join(out)

    def _groups_markdown(self, split: str, names: list[str]) -> list[str]:
        groups = [f"kind:{k}" for k in KINDS] + [f"language:{x}" for x in LANGUAGES]
        out = [f"### {split}: by kind and language", ""]
        header = ["group", "n", *(f"{n} {LABELS[m]}" for n in names for m in GROUP_METRICS)]
        out += [_row(header), _row(["---"] * len(header))]
        for group in groups:
            count = self._count(names[0], split, group)
            if not count:
                continue
            cells = [
                _fmt(self.aggregates[n][split].get(group, {}).get(m))
                for n in names
                for m in GROUP_METRICS
            ]
            out.append(_row([group, str(count), *cells]))
        return [*out, ""]

    def _count(self, config: str, split: str, group: str) -> int:
        key, _, value = group.partition(":")
        return sum(
            r.config == config and r.split == split and getattr(r, key) == value for r in self.rows
        )

    def _failures_markdown(self, name: str) -> list[str]:
        failed = self.failures(name, "dev")
        total = self.questions.get("dev", 0)
        out = [f"## Failing dev questions: {name} ({len(failed)} of {total})", ""]
        if failed:
            header = ["id", "kind", "question", "expected", "named", "refused (expected/got)"]
            out += [_row(header), _row(["---"] * len(header))]
        for r in failed:
            refused = f"{not r.expected_answerable}/{not r.answerable}"
            expected, named = "; ".join(r.expected) or "–", "; ".join(r.named) or "–"
            out.append(_row([r.id, r.kind, r.question, expected, named, refused]))
        return [*out, ""]


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
    """Ask one question (timed) and score the answer."""
    error = None
    started = time.perf_counter()
    try:
        answer = assistant.ask(
            q.question, history=q.history_messages() or None, filters=q.filter_dict()
        )
    except RagError as e:
        answer, error = Answer(question=q.question, text="", answerable=False, language=""), str(e)
    latency = time.perf_counter() - started
    documents = {d.doc_id: d for d in assistant.documents()}
    scores = score_question(q, answer, documents.get)
    return QuestionResult.of(config, q, answer, scores, latency, error)


def aggregate_rows(rows: Sequence[QuestionResult]) -> dict[str, Scores]:
    """Aggregates overall, per kind and per language (groups without questions are left out)."""
    groups: dict[str, list[QuestionResult]] = {"overall": list(rows)}
    for r in rows:
        groups.setdefault(f"kind:{r.kind}", []).append(r)
        groups.setdefault(f"language:{r.language}", []).append(r)
    return {
        name: aggregate([(r.scores, r.latency_s) for r in group]) for name, group in groups.items()
    }


def corpus_folders(corpora: set[str], work: Path) -> dict[str, Path]:
    """The folder of each corpus in use: the configured corpus for "seeds", and for "full"
    a folder under `work` with the seeds and the evaluation programmes."""
    seeds = Path(get_settings().corpus_dir)
    folders = {"seeds": seeds}
    if "full" in corpora:
        folders["full"] = build_full_corpus(seeds, work / "corpus-full")
    return {name: folders[name] for name in sorted(corpora)}


def _assistants(
    chosen: Sequence[EvalConfig],
    folders: dict[str, Path],
    work: Path,
    seconds: dict[str, float],
    progress: Progress,
) -> dict[tuple[str, str], Assistant]:
    """One indexed assistant per configuration and corpus. Configurations that index alike
    share an index, and those with the same embedding settings share one loaded model."""
    assistants: dict[tuple[str, str], Assistant] = {}
    models: dict[tuple[Any, ...], Any] = {}
    pairs = [(config, corpus) for config in chosen for corpus in folders]
    for config, corpus in progress.iterate("index", pairs, len(pairs), "indexes"):
        started = time.perf_counter()
        fingerprint = get_settings(**config.overrides).index_fingerprint()
        settings = get_settings(
            **{
                **config.overrides,
                "corpus_dir": folders[corpus],
                "index_dir": work / corpus / fingerprint,
            }
        )
        model = tuple(settings.model_dump(include=EMBEDDING_SETTINGS).values())
        assistant = Assistant(settings, embeddings=models.get(model))
        models[model] = assistant.embeddings
        assistant.ingest()
        assistant.documents()  # loads the index, so no timed question pays for it
        assistants[(config.name, corpus)] = assistant
        seconds[config.name] += time.perf_counter() - started
    return assistants


def evaluate(
    configs: Sequence[str | EvalConfig] | None = None,
    questions: Sequence[GoldenQuestion] | None = None,
    work_dir: str | Path | None = None,
    splits: Sequence[str] = SPLITS,
    progress: Progress | None = None,
) -> Report:
    """Evaluate the configurations (default: all) on the golden questions (default: those of
    `splits`). Each question runs on the index of its corpus, built once per configuration
    under `work_dir` (default: a temporary folder). Questions are interleaved (each goes to
    every configuration in turn) so that background load falls evenly on all latencies.
    `progress` (e.g. `Progress()` for stderr) is told of indexing and of each answer."""
    progress = progress or Progress(quiet=True)
    chosen = select_configs(configs)
    golden = list(questions) if questions is not None else load_splits(splits)
    seconds = dict.fromkeys([c.name for c in chosen], 0.0)
    results: dict[str, list[QuestionResult]] = {c.name: [] for c in chosen}
    started = time.perf_counter()
    with _work_dir(work_dir) as work:
        folders = corpus_folders({q.corpus for q in golden}, work)
        assistants = _assistants(chosen, folders, work, seconds, progress)
        with progress.stage("questions", len(golden) * len(chosen), "answers") as advance:
            for q in golden:
                for config in chosen:
                    question_started = time.perf_counter()
                    result = run_question(assistants[(config.name, q.corpus)], config.name, q)
                    results[config.name].append(result)
                    seconds[config.name] += time.perf_counter() - question_started
                    advance(1)
    seconds["total"] = time.perf_counter() - started
    described = [
        {"name": c.name, "description": c.description, "overrides": dict(c.overrides)}
        for c in chosen
    ]
    used = [s for s in SPLITS if any(q.split == s for q in golden)]
    aggregates = {
        name: {s: aggregate_rows([r for r in rows if r.split == s]) for s in used}
        for name, rows in results.items()
    }
    counts = {s: sum(q.split == s for q in golden) for s in used}
    rows = [r for group in results.values() for r in group]
    return Report(described, counts, aggregates, rows, seconds)
