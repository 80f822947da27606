"""Adding a programme from the browser: copy it into the corpus and index it, or say why it was
refused (the same reasons the CLI gives) and leave nothing behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rag import Assistant, IngestReport, RagError
from ui.errors import friendly_error
from ui.render import error_message, success_message
from ui.texts import t


def add_programme(
    assistant: Assistant,
    path: str | Path | None,
    party: str | None,
    municipality: str | None,
    title: str | None = None,
    year: float | None = None,
    lang: str = "sv",
    progress: Callable[[float, str], Any] | None = None,
) -> tuple[bool, str]:
    """Copy an uploaded programme into the corpus and index it, so it is searchable at once.
    Returns whether it worked and the message to show: what was added, or why the file was
    refused (the same reasons the CLI gives)."""
    if not path:
        return False, error_message(t(lang, "upload_no_file"))
    report_progress = progress or (lambda fraction, desc: None)
    meta = {
        "party": (party or "").strip() or None,
        "municipality": (municipality or "").strip() or None,
        "title": (title or "").strip() or None,
        "year": int(year) if year is not None else None,
    }
    report_progress(0.2, t(lang, "upload_indexing"))
    name = Path(path).name
    target = Path(assistant.settings.corpus_dir) / name
    is_new = not target.exists()
    try:
        report = assistant.ingest(paths=[Path(path)], metadata=meta)
    except Exception as e:
        if isinstance(e, RagError):
            refused = str(e)
        elif isinstance(e, OSError):  # e.g. the corpus folder is not writable
            refused = e.strerror or type(e).__name__
        else:
            refused = friendly_error(e, lang)
        return False, error_message(f"{t(lang, 'upload_refused')}: {name}: {refused}")
    skipped = skipped_reason(report, name, lang)
    if skipped:
        if is_new:  # nothing stays behind: no file skipped on every ingest, no programme lost
            undo_upload(assistant, target)
        return False, error_message(f"{t(lang, 'upload_refused')}: {name}: {skipped}")
    return True, success_message(upload_outcome(assistant, report, name, lang))


def skipped_reason(report: IngestReport, name: str, lang: str) -> str | None:
    """Why the ingest skipped the added file `name`, or skipped a programme already there
    because `name` took its id; None when neither happened."""
    for problem in report.problems:
        if problem.path.name == name:
            return problem.reason
        if problem.reason.endswith(f"already used by {name}"):
            other = problem.path.name
            reason = problem.reason.replace(f"used by {name}", f"used by {other}")
            return f"{reason} ({t(lang, 'upload_rename')})"
    return None


def undo_upload(assistant: Assistant, target: Path) -> None:
    """Remove a just-added programme file and its sidecar from the corpus, and re-index."""
    for path in (target, target.with_name(target.name + ".meta.yaml")):
        path.unlink(missing_ok=True)
    assistant.ingest()


def upload_outcome(assistant: Assistant, report: IngestReport, name: str, lang: str) -> str:
    """What an ingest that added the file `name` did with it, for the upload tab."""
    for key, ids in (("upload_added", report.added), ("upload_updated", report.updated)):
        if ids:
            docs = [assistant.document(doc_id) for doc_id in ids]
            docs = [d for d in docs if d.source == name] or docs  # others may have changed too
            named = "; ".join(f"{d.title} ({d.municipality}, {d.party}) [{d.doc_id}]" for d in docs)
            return f"{t(lang, key)}: {named}"
    return f"{t(lang, 'upload_unchanged')}: {name}"
