"""Read a file into a labelled `Document`, and a folder into documents and skipped files."""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import filterfalse
from pathlib import Path
from typing import Any

from rag.errors import CorpusError, MetadataError
from rag.readers.files import read_bytes
from rag.readers.metadata import (
    REQUIRED_KEYS,
    SIDECAR_SUFFIX,
    TABLE_NAME,
    MetadataTable,
    check_values,
    parse_year,
    read_sidecar,
    read_table,
    sidecar_path,
    title_from_filename,
)
from rag.readers.stamps import Earlier, Reading, Record, Stamps
from rag.types import Document, Unread

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class Problem:
    """A file that was skipped (or, as a warning, read with something to know), and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


@dataclass
class Loaded:
    """What reading a corpus gave: documents (`Unread` for a file not read again), files
    skipped, and warnings on the files."""

    documents: list[Document | Unread] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    record: Record | None = None  # the corpus's stamps, for the next ingest
    held_in: str | None = None  # the index version that holds the `Unread` documents


def slugify(text: str) -> str:
    """A document id from a name: `slugify("Örebro Socialpolitik") == "orebro-socialpolitik"`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "document"


def content_hash(text: str, metadata: Mapping[str, Any]) -> str:
    """Hash of text and metadata; an unchanged document keeps its hash."""
    payload = json.dumps({"text": text, "meta": dict(metadata)}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def read_source(path: Path) -> tuple[dict[str, Any], str]:
    """A file's own metadata and its cleaned text, by its format."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CorpusError(f"unsupported file type '{suffix}'", f"use one of {', '.join(SUFFIXES)}")
    data = read_bytes(path)
    if not data.strip():
        raise CorpusError("file is empty")
    if suffix == ".pdf":
        from rag.readers.pdf import read_pdf  # deferred: pdfplumber loads only for PDFs

        return read_pdf(data)
    if suffix in (".html", ".htm"):
        from rag.readers.html import read_html  # deferred: trafilatura loads only for HTML

        return read_html(data)
    from rag.readers.text import read_text

    return read_text(data, plain=suffix == ".txt")


def _first_heading(text: str) -> str | None:
    m = re.search(r"^#{1,3} (.+)$", text, re.M)
    return m.group(1).strip() if m else None


def _labels(
    path: Path, own: dict[str, Any], row: Mapping[str, Any], overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The file's labels, weakest first: its own, its table row, its sidecar, the caller's."""
    meta = dict(own)
    meta.update(row)
    meta.update(read_sidecar(path))
    meta.update({k: v for k, v in (overrides or {}).items() if v is not None})
    check_values(meta)
    missing = [k for k in REQUIRED_KEYS if not str(meta.get(k) or "").strip()]
    if missing:
        flags = " ".join(f"--{k} ..." for k in missing)
        raise MetadataError(
            f"missing metadata: {', '.join(missing)}",
            f"add them as front matter, in {sidecar_path(path).name} or a row of {TABLE_NAME}, "
            f"or run `rag ingest {path} {flags}`",
        )
    return meta


def read_labelled(
    path: Path, overrides: Mapping[str, Any] | None = None, row: Mapping[str, Any] | None = None
) -> tuple[Document, list[str]]:
    """Read, clean and label one file; also what the reader should be warned of. Raises
    CorpusError/MetadataError naming what is wrong."""
    path = Path(path)
    own, text = read_source(path)
    meta = _labels(path, own, row or {}, overrides)
    if not text.strip():
        raise CorpusError("no text left after cleaning")
    warnings = []
    title = str(meta.get("title") or _first_heading(text) or "").strip()
    if not title:
        title = title_from_filename(path.stem)
        warnings.append(
            f"no heading and no title given; titled '{title}' after the file name "
            f"(give a title in {TABLE_NAME}, a sidecar or with --title)"
        )
    doc_id = str(meta.get("id") or slugify(path.stem))
    if not _DOC_ID.match(doc_id):
        raise MetadataError(
            f"invalid id {doc_id!r}", "use lowercase letters, digits, '.', '_' or '-'"
        )
    party, municipality = str(meta["party"]).strip(), str(meta["municipality"]).strip()
    year, source = parse_year(meta.get("year")), str(meta.get("source") or path.name)
    labels = {
        "party": party,
        "municipality": municipality,
        "title": title,
        "year": year,
        "source": source,
    }
    doc = Document(
        doc_id=doc_id,
        text=text,
        party=party,
        municipality=municipality,
        title=title,
        source=source,
        year=year,
        content_hash=content_hash(text, labels),
    )
    return doc, warnings


def read_document(
    path: Path, overrides: Mapping[str, Any] | None = None, row: Mapping[str, Any] | None = None
) -> Document:
    """Read, clean and label one file. Raises CorpusError/MetadataError naming what is wrong."""
    return read_labelled(path, overrides, row)[0]


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The programme files in a folder, sorted; sidecars, the metadata table, hidden files and
    READMEs excluded."""
    corpus_dir = Path(corpus_dir)
    return [corpus_dir / name for name in corpus_listing(corpus_dir)[0]]


def corpus_listing(corpus_dir: Path) -> tuple[list[str], set[str]]:
    """The names of the programme files in a folder (see `corpus_files`) and of all it holds."""
    with os.scandir(_existing(corpus_dir)) as entries:
        listed = list(entries)
    folders = {e.name for e in listed if e.is_dir()}  # the folder's listing says which they are
    # a dangling link is listed, so that ingest can say it is unreadable
    names = [n for n in programme_names(e.name for e in listed) if n not in folders]
    return names, {e.name for e in listed}


def _existing(corpus_dir: Path) -> Path:
    """The corpus folder, when it is there."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"corpus folder not found: {corpus_dir}",
            "create it and add programmes, or set RAG_CORPUS_DIR",
        )
    return corpus_dir


def programme_names(names: Iterable[str]) -> list[str]:
    """The names that may be programmes, sorted: not hidden files, sidecars, the metadata table
    or READMEs. `programme_names(["b.md", "a.md.meta.yaml", "README"]) == ["b.md"]`"""
    return sorted(filterfalse(_NOT_A_PROGRAMME.match, names))


_NOT_A_PROGRAMME = re.compile(
    rf"[._]|.*{re.escape(SIDECAR_SUFFIX)}\Z|{re.escape(TABLE_NAME)}\Z|(?i:readme)(?:\.[^.]*)?\Z",
    re.S,
)
"""Names starting with `.` or `_`, sidecars, the table, `README` with at most one suffix."""


def _read_one(path: Path, table: MetadataTable | None) -> Reading | CorpusError:
    """The file's document and warnings, labelled by its row of `table`; or what is wrong."""
    try:
        return read_labelled(path, row=table.row(path.name) if table is not None else {})
    except CorpusError as e:
        return e


def _loaded(
    readings: Iterable[tuple[str, Reading | CorpusError]], path_of: Callable[[str], Path] = Path
) -> tuple[Loaded, dict[str, Reading]]:
    """The documents of `readings` (each by a name whose file is `path_of(name)`), in order,
    the first file with an id keeping it; and the readings kept, by name. What is wrong with a
    file becomes a Problem."""
    loaded = Loaded()
    kept: dict[str, Reading] = {}
    seen: dict[str, str] = {}
    for name, reading in readings:
        if isinstance(reading, CorpusError):
            loaded.problems.append(Problem(path_of(name), str(reading)))
            continue
        doc, warnings = reading
        if doc.doc_id in seen:
            reason = f"id '{doc.doc_id}' is already used by {path_of(seen[doc.doc_id]).name}"
            loaded.problems.append(Problem(path_of(name), reason))
            continue
        seen[doc.doc_id] = name
        kept[name] = reading
        loaded.documents.append(doc)
        if warnings:
            loaded.warnings += [Problem(path_of(name), w) for w in warnings]
    return loaded, kept


def read_documents(paths: Iterable[Path], table: MetadataTable | None = None) -> Loaded:
    """Read every file, labelled by `table` where it has a row; a bad file becomes a Problem
    and the rest still load."""
    return _loaded((os.fspath(path), _read_one(Path(path), table)) for path in paths)[0]


def _table(path: Path, names: list[str]) -> tuple[MetadataTable | None, list[Problem]]:
    """The folder's metadata table, if any, and its problems: bad lines by number, rows for
    files not in the folder; a table that cannot be read at all is a problem, and None."""
    if not path.exists():
        return None, []
    try:
        table = read_table(path)
    except CorpusError as e:
        return None, [Problem(path, str(e))]
    present = set(names)
    problems = [Problem(path, f"line {n}: {why}") for n, why in table.errors]
    problems += [
        Problem(path, f"line {table.line_of[name]}: no file {name!r} in the folder")
        for name in table.rows
        if name not in present
    ]
    return table, problems


def read_corpus(
    corpus_dir: Path,
    each: Callable[[list[Path]], Iterable[Path]] = iter,
    earlier: Earlier | None = None,
) -> Loaded:
    """Every programme in a corpus folder, labelled by its `metadata.csv` where there is one.
    A bad table line is reported by number; a table that cannot be read at all is reported,
    and the files are read without it. A file whose stamps are those `earlier` recorded is not
    read: its document and warnings are taken from `earlier` (see `rag.readers.stamps`).
    `each` wraps the files as they are read (progress); `Loaded.record` is for the next time."""
    folder = _existing(corpus_dir)
    listed = os.listdir(folder)
    table_path = folder / TABLE_NAME
    sidecars = {n[: -len(SIDECAR_SUFFIX)] for n in listed if n.endswith(SIDECAR_SUFFIX)}
    # taken before anything is read; their stat also says which names are folders, left out
    stamps = Stamps.take(folder, programme_names(listed), table_path, sidecars)
    names = list(stamps.files)
    table, table_problems = _table(table_path, names)
    record = earlier.record if earlier is not None else None
    unchanged = stamps.unchanged(record) if record is not None else {}
    to_read = [folder / name for name in names if name not in unchanged]
    read = {p.name: _read_one(p, table) for p in each(to_read)}
    if read:
        readings = ((n, unchanged[n] if n in unchanged else read[n]) for n in names)
        loaded, kept = _loaded(readings, folder.joinpath)
    else:
        loaded, kept = _as_recorded(names, unchanged, folder.joinpath), unchanged
    loaded.problems = table_problems + loaded.problems
    loaded.record = stamps.record(kept, unchanged, record)
    loaded.held_in = earlier.version if earlier is not None else None
    return loaded


def _as_recorded(
    names: list[str], unchanged: Mapping[str, Reading], path_of: Callable[[str], Path]
) -> Loaded:
    """The documents of the files `names`, none read again: each as recorded (a record holds
    no two files with one id, nor a file that gave no document), with its warnings."""
    warned = sorted([name for name, reading in unchanged.items() if reading[1]])
    return Loaded(
        documents=[unchanged[name][0] for name in names],
        warnings=[Problem(path_of(name), w) for name in warned for w in unchanged[name][1]],
    )


def load_documents(paths: Iterable[Path]) -> tuple[list[Document], list[Problem]]:
    """Read every file (no table); a bad file becomes a Problem and the rest still load."""
    return _read_all(read_documents(paths))


def load_corpus(corpus_dir: Path) -> tuple[list[Document], list[Problem]]:
    """All documents in a corpus folder, and the files that were skipped."""
    return _read_all(read_corpus(corpus_dir))


def _read_all(loaded: Loaded) -> tuple[list[Document], list[Problem]]:
    """The documents and problems of `loaded`, read without a record, so every file was read."""
    return [d for d in loaded.documents if isinstance(d, Document)], loaded.problems
