"""Where a programme's labels come from, weakest first: the file itself (front matter, a PDF's
title), a row of the corpus folder's metadata table, a sidecar `<file>.meta.yaml`, the caller.

The table `metadata.csv` (header `file,party,municipality,title,year`, any order; `id` and
`source` are allowed too) labels any number of files at once. Party and municipality are
required and never guessed; a file without a title gets a readable one from its name.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rag.errors import MetadataError
from rag.readers.files import decode, read_bytes

SIDECAR_SUFFIX = ".meta.yaml"
TABLE_NAME = "metadata.csv"
TABLE_COLUMNS = ("file", "party", "municipality", "title", "year")
METADATA_KEYS = frozenset({"id", "party", "municipality", "title", "year", "source"})
REQUIRED_KEYS = ("party", "municipality")


def split_front_matter(raw: str) -> tuple[dict[str, Any], str]:
    """Split `---` YAML front matter from the body. No front matter gives `({}, raw)`."""
    if not raw.startswith("---"):
        return {}, raw
    m = re.match(r"^---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|$)", raw, re.S)
    if not m:
        raise MetadataError("front matter starts with '---' but has no closing '---' line")
    import yaml  # deferred: answering a question never reads front matter

    try:
        meta = yaml.safe_load(m.group(1) or "") or {}
    except Exception as e:  # YAMLError, or ValueError/IndexError/... from tags like "!!int "
        raise MetadataError(f"front matter is not valid YAML: {e}".splitlines()[0]) from e
    if not isinstance(meta, dict):
        raise MetadataError("front matter must be a mapping of keys to values")
    return meta, raw[m.end() :]


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata in `<file>.meta.yaml` beside `path`, or `{}` when there is none."""
    side = sidecar_path(path)
    if not side.exists():
        return {}
    try:
        meta, _ = split_front_matter("---\n" + decode(read_bytes(side)) + "\n---\n")
    except MetadataError as e:
        raise MetadataError(f"{side.name}: {e.message}", e.hint) from e
    return meta


def write_sidecar(path: Path, meta: Mapping[str, Any]) -> None:
    """Write `meta` as the sidecar of the file at `path`."""
    import yaml  # deferred: only adding a file writes YAML

    sidecar_path(path).write_text(
        yaml.safe_dump(dict(meta), allow_unicode=True, sort_keys=True), encoding="utf-8"
    )


def check_values(meta: Mapping[str, Any]) -> None:
    """Only known keys, each a single value."""
    unknown = set(meta) - METADATA_KEYS
    if unknown:
        raise MetadataError(
            f"unknown metadata key(s): {', '.join(sorted(unknown))}",
            f"allowed: {', '.join(sorted(METADATA_KEYS))}",
        )
    for key, value in meta.items():
        if value is not None and not isinstance(value, str | int | float | date):
            raise MetadataError(
                f"metadata {key} must be a single value, not a {type(value).__name__}",
                f"write it as '{key}: value'",
            )


def parse_year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as e:
        raise MetadataError(f"year must be a whole number, got {value!r}") from e


def title_from_filename(stem: str) -> str:
    """A readable title from a file name: `title_from_filename("malmo-s-trygghet") ==
    "Malmo s trygghet"`."""
    words = re.sub(r"[-_.\s]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) or stem


# --- the table --------------------------------------------------------------------------------


@dataclass
class MetadataTable:
    """The rows of a metadata table by file name, and the lines that could not be used."""

    path: Path
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    line_of: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # file name → why its row is bad

    def row(self, name: str) -> dict[str, Any]:
        """The labels the table gives a file, or raise if its row could not be used."""
        if name in self.refused:
            raise MetadataError(self.refused[name], f"correct that row of {self.path.name}")
        return dict(self.rows.get(name, {}))


def _header(fields: list[str] | None, path: Path) -> list[str]:
    if not fields:
        raise MetadataError(
            f"{path.name} is empty", f"start it with the header {','.join(TABLE_COLUMNS)}"
        )
    header = [f.strip().lower() for f in fields]
    unknown = [h for h in header if h != "file" and h not in METADATA_KEYS]
    if "file" not in header or unknown or len(set(header)) != len(header):
        problem = (
            f"unknown column '{unknown[0]}'"
            if unknown
            else "a column appears twice"
            if "file" in header
            else "no 'file' column"
        )
        raise MetadataError(
            f"{path.name} line 1: {problem}",
            f"the header is {','.join(TABLE_COLUMNS)} (id and source are allowed too)",
        )
    return header


def _row(header: list[str], fields: list[str]) -> tuple[str, dict[str, Any]]:
    """One row's file name and labels; raises MetadataError naming the problem."""
    if len(fields) != len(header):
        raise MetadataError(f"{len(fields)} fields, the header has {len(header)}")
    values = {h: f.strip() for h, f in zip(header, fields, strict=True)}
    name = values.pop("file")
    if not name:
        raise MetadataError("the file column is empty")
    if "/" in name or "\\" in name or name.startswith("."):
        raise MetadataError(f"file {name!r} must be a plain name in the corpus folder")
    meta: dict[str, Any] = {k: v for k, v in values.items() if v}
    if "year" in meta:
        meta["year"] = parse_year(meta["year"])
    return name, meta


def read_table(path: Path) -> MetadataTable:
    """Read a metadata table; a bad header or file raises, a bad row is recorded by line."""
    table = MetadataTable(path)
    try:
        reader = csv.reader(io.StringIO(decode(read_bytes(path)), newline=""), strict=True)
        header = _header(next(reader, None), path)
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            line = reader.line_num
            try:
                name, meta = _row(header, fields)
            except MetadataError as e:
                table.errors.append((line, e.message))
                at = header.index("file")
                name = fields[at].strip() if len(fields) > at else ""
                if name:
                    table.refused[name] = f"its row in {path.name} (line {line}) is invalid"
                continue
            if name in table.rows:
                first = table.line_of[name]
                table.errors.append((line, f"{name} is already labelled on line {first}"))
                continue
            table.rows[name], table.line_of[name] = meta, line
    except csv.Error as e:
        raise MetadataError(f"{path.name} is not valid CSV: {e}", "check its quoting") from e
    return table


def writable_table(path: Path) -> MetadataTable:
    """The table at `path` (empty if there is none), refused if any of its lines is bad: rows
    are added only to a table that can be read back whole."""
    table = read_table(path) if path.exists() else MetadataTable(path)
    if table.errors:
        line, message = table.errors[0]
        raise MetadataError(f"{path.name} line {line}: {message}", "correct it, then try again")
    return table


def write_rows(path: Path, rows: Mapping[str, Mapping[str, Any]]) -> None:
    """Add or replace the rows for these files in the table at `path`, atomically: readers
    see the old table or the new one, never half of it."""
    table = writable_table(path)
    merged = {**table.rows, **{name: dict(meta) for name, meta in rows.items()}}
    extra = sorted({k for meta in merged.values() for k in meta} - set(TABLE_COLUMNS))
    columns = [*TABLE_COLUMNS, *extra]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for name in sorted(merged):
        meta = {"file": name, **merged[name]}
        writer.writerow(["" if meta.get(c) is None else str(meta[c]) for c in columns])
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(out.getvalue())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
