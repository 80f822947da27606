"""Small file helpers shared by the index's parts: names that sort by time, JSON written
atomically."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def new_name() -> str:
    """A name that sorts by creation time and does not collide."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def write_json(path: Path, data: Any, durable: bool = True) -> None:
    """Write JSON atomically: a temporary file, flushed, then renamed over the target. Not
    `durable`, it is not forced to disk first: for a cache, whose loss costs only work (after
    a power cut the file may be the old one, or unreadable)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, ensure_ascii=False))  # one write: json.dump writes piecemeal
        if durable:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
