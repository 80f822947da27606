"""The feedback log: one JSON object per line, appended so that no entry is lost or torn."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()


def append_feedback(path: str | Path, record: dict[str, Any]) -> None:
    """Append `record` as one JSON line to `path`, durably.

    Writers in this process take turns on a lock; each line is written whole by one `os.write`
    on an O_APPEND descriptor, so writers in other processes cannot interleave inside it."""
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, line)
            while written < len(line):  # only on a full disk or a signal; finish the line
                written += os.write(fd, line[written:])
            os.fsync(fd)
        finally:
            os.close(fd)


def feedback_record(
    question: str, answer: dict[str, Any], rating: str, comment: str = ""
) -> dict[str, Any]:
    """What one rating of an answer stores: when, the rating, the comment, and the answer
    (question, text and citations) as `Answer.to_dict()` gives it."""
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "rating": rating,
        "comment": comment.strip(),
        "question": question,
        "answer": answer.get("text", ""),
        "citations": answer.get("citations", []),
        "municipalities": answer.get("municipalities", []),
        "mode": answer.get("mode"),
    }
