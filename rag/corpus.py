"""Read programmes from files, clean them, and attach their metadata.

Every format becomes the same light Markdown: `#`/`##` heading lines, blank-line separated
paragraphs and `- ` bullets. `Document.text` is that cleaned text; all offsets point into it.
Metadata comes from YAML front matter (`.md`, `.txt`), a sidecar `<file>.meta.yaml`, or the
caller; party and municipality are required and never guessed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rag.errors import CorpusError, MetadataError
from rag.types import Document

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
SIDECAR_SUFFIX = ".meta.yaml"
METADATA_KEYS = {"id", "party", "municipality", "title", "year", "source"}
REQUIRED_KEYS = ("party", "municipality")
# Navigation text left behind by scraping, dropped when it stands alone on a line.
DEBRIS_LINES = {"se alla", "blomma händer", "läs mer", "dela", "dela på facebook"}
MAX_FILE_BYTES = 20 * 1024 * 1024
_MB = 1024 * 1024
# Byte-order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like UTF-16 LE).
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)

_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦]|\d+[.)])\s+")
_LONE_MARKER = re.compile(r"(?:[-*•·▪●◦]|\d+[.)])")  # a bullet with no text: debris
_BOLD_ONLY = re.compile(r"^(?:-\s+)?\*\*(.+?)\*\*\s*$")
_TERMINAL = ".!?:;,…"
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class Problem:
    """A file that was skipped, and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


def slugify(text: str) -> str:
    """A document id from a name: `slugify("Örebro Socialpolitik") == "orebro-socialpolitik"`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "document"


def content_hash(text: str, metadata: Mapping[str, Any]) -> str:
    """Hash of text and metadata; an unchanged document keeps its hash."""
    payload = json.dumps({"text": text, "meta": dict(metadata)}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- cleaning -------------------------------------------------------------------------------


def _normalize(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    return "\n".join(map(_drop_control, text.replace("\t", " ").split("\n")))


def _drop_control(line: str) -> str:
    """The line without control and format characters (Unicode category C). Most lines have
    none, and `isprintable` (false for every C character) finds those at C speed."""
    if line.isprintable():
        return line
    return "".join(ch for ch in line if unicodedata.category(ch)[0] != "C")


def _is_heading_candidate(block: str) -> bool:
    return (
        "\n" not in block
        and len(block) <= 90
        and block[-1] not in _TERMINAL
        and not _BULLET.match(block)
        and block[0].isupper()
    )


def clean_text(raw: str, detect_headings: bool = False, join_lines: bool = False) -> str:
    """Clean scraped text into light Markdown (idempotent).

    Drops navigation debris, collapses spaces, turns bullets into `- `, makes a bold-only line a
    heading, and joins paragraphs broken mid-sentence. `detect_headings` marks short unpunctuated
    lines as headings (plain text, PDF); `join_lines` unwraps hard-wrapped lines (PDF).
    """
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", _normalize(raw)):
        lines = []
        for line in block.split("\n"):
            line = re.sub(r" {2,}", " ", line).strip()
            if not line or line.lower() in DEBRIS_LINES or _LONE_MARKER.fullmatch(line):
                continue
            if m := _BULLET.match(line):
                line = "- " + line[m.end() :].strip()
            if (m := _BOLD_ONLY.match(line)) and m.group(1).strip():
                line = "## " + m.group(1).strip()
            lines.append(line)
        if join_lines:
            lines = _unwrap(lines)
        # A heading stands alone as a block; an empty line (left by unwrapping) ends a block.
        current: list[str] = []
        for line in [*lines, ""]:
            if line.startswith("#") or not line:
                blocks.append("\n".join(current))
                blocks.append(line)
                current = []
            else:
                current.append(line)
    blocks = [b for b in blocks if b]

    joined: list[str] = []
    for block in blocks:
        prev = joined[-1] if joined else ""
        if (
            prev
            and not prev.startswith("#")
            and prev[-1] not in _TERMINAL
            and (block[0].islower() or prev[-1] == "-" and block[0].isalpha())
            and not block.startswith("- ")
        ):
            joined[-1] = prev + ("" if prev.endswith("-") else " ") + block
        else:
            joined.append(block)

    if detect_headings:
        seen_title = any(b.startswith("# ") for b in joined)
        for i, block in enumerate(joined):
            if block.startswith("#") or i == len(joined) - 1:
                continue
            if _is_heading_candidate(block):
                joined[i] = ("## " if seen_title else "# ") + block
                seen_title = True
    return "\n\n".join(joined) + "\n" if joined else ""


def _unwrap(lines: list[str]) -> list[str]:
    """Rebuild paragraphs from hard-wrapped lines (PDF text): a paragraph ends at a short line
    that ends a sentence; a short unpunctuated capitalised line between paragraphs is a
    heading; a bullet starts a new paragraph. Returns lines of blocks, blank-line separated."""
    if not lines:
        return lines
    width = max(len(line) for line in lines)
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            text = current[0]
            for line in current[1:]:
                hyphen = text.endswith("-") and line[:1].islower()
                text = text[:-1] + line if hyphen else f"{text} {line}"
            out.extend([text, ""])
            current.clear()

    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        short = len(line) < 0.7 * width
        if line.startswith(("- ", "#")):
            flush()
        elif (
            not current
            and short
            and line[-1] not in _TERMINAL
            and line[0].isupper()
            and following[:1].isupper()
        ):
            out.extend([line, ""])
            continue
        current.append(line)
        if short and line[-1] in ".!?":
            flush()
    flush()
    return out[:-1]


# --- readers --------------------------------------------------------------------------------


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


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CorpusError(
                f"file is {size / _MB:.0f} MB, over the {MAX_FILE_BYTES / _MB:.0f} MB limit",
                "split the programme or remove attachments",
            )
        return path.read_bytes()
    except OSError as e:
        raise CorpusError(f"cannot read file: {e.strerror or e}") from e


def _decode(data: bytes) -> str:
    """UTF-8 text, without a leading byte-order mark (as some editors save it)."""
    for bom, encoding in _OTHER_BOMS:
        if data.startswith(bom):
            raise CorpusError(f"file is {encoding}, not UTF-8", "save it as UTF-8 and ingest again")
    if b"\x00" in data[:8192]:
        raise CorpusError("file looks binary (it contains NUL bytes)", "give a text, HTML or PDF")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorpusError(
            f"file is not UTF-8 (byte {e.start})", "save it as UTF-8 and ingest again"
        ) from e


def _html_to_markdown(html: str) -> str:
    from bs4 import BeautifulSoup  # deferred: only HTML needs it

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "template"]):
        tag.decompose()
    blocks: list[str] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li"]):
        if el.find_parent(["p", "li"]) is not None and el.name in ("p", "li"):
            continue
        text = " ".join(el.get_text(" ", strip=True).split())
        if not text:
            continue
        if el.name == "h1":
            blocks.append("# " + text)
        elif el.name.startswith("h"):
            blocks.append("## " + text)
        elif el.name == "li":
            blocks.append("- " + text)
        else:
            blocks.append(text)
    if not blocks:  # no structure: fall back to the visible text
        return soup.get_text("\n")
    return "\n\n".join(blocks)


def _pdf_text(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    import io

    from pypdf import PdfReader  # deferred: only PDF needs it

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is reported below
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or None
    except Exception as e:  # a malformed PDF makes pypdf raise many kinds, not only PdfReadError
        raise CorpusError(f"cannot read PDF: {e}", "check the file opens in a PDF viewer") from e
    text = "\n\n".join(pages)
    if not text.strip():
        raise CorpusError(
            "PDF has no extractable text (a scan?)", "run OCR on it first, then ingest the result"
        )
    return text, ({"title": title} if title else {})


def read_source(path: Path) -> tuple[dict[str, Any], str]:
    """A file's own metadata and its cleaned text."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CorpusError(f"unsupported file type '{suffix}'", f"use one of {', '.join(SUFFIXES)}")
    data = _read_bytes(path)
    if not data.strip():
        raise CorpusError("file is empty")
    if suffix == ".pdf":
        raw, meta = _pdf_text(path, data)
        return meta, clean_text(raw, detect_headings=True, join_lines=True)
    raw = _decode(data)
    if suffix in (".html", ".htm"):
        return {}, clean_text(_html_to_markdown(raw))
    meta, body = split_front_matter(raw)
    return meta, clean_text(body, detect_headings=suffix == ".txt")


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def _first_heading(text: str) -> str | None:
    m = re.search(r"^#{1,2} (.+)$", text, re.M)
    return m.group(1).strip() if m else None


def read_document(path: Path, overrides: Mapping[str, Any] | None = None) -> Document:
    """Read, clean and label one file. Raises CorpusError/MetadataError naming what is wrong."""
    path = Path(path)
    meta, text = read_source(path)
    side = sidecar_path(path)
    if side.exists():
        side_meta, _ = split_front_matter("---\n" + _decode(_read_bytes(side)) + "\n---\n")
        meta.update(side_meta)
    meta.update({k: v for k, v in (overrides or {}).items() if v is not None})
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
    if not text.strip():
        raise CorpusError("no text left after cleaning")
    missing = [k for k in REQUIRED_KEYS if not str(meta.get(k) or "").strip()]
    title = str(meta.get("title") or _first_heading(text) or "").strip()
    if not title:
        missing.append("title")
    if missing:
        flags = " ".join(f"--{k} ..." for k in missing)
        raise MetadataError(
            f"missing metadata: {', '.join(missing)}",
            f"add them as front matter or in {side.name}, or run `rag ingest {path} {flags}`",
        )
    year = meta.get("year")
    if year is not None:
        try:
            year = int(year)
        except (TypeError, ValueError) as e:
            raise MetadataError(f"year must be a whole number, got {year!r}") from e
    doc_id = str(meta.get("id") or slugify(path.stem))
    if not _DOC_ID.match(doc_id):
        raise MetadataError(
            f"invalid id {doc_id!r}", "use lowercase letters, digits, '.', '_' or '-'"
        )
    party = str(meta["party"]).strip()
    municipality = str(meta["municipality"]).strip()
    source = str(meta.get("source") or path.name)
    labels = {
        "party": party,
        "municipality": municipality,
        "title": title,
        "year": year,
        "source": source,
    }
    return Document(
        doc_id=doc_id,
        text=text,
        party=party,
        municipality=municipality,
        title=title,
        source=source,
        year=year,
        content_hash=content_hash(text, labels),
    )


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The programme files in a folder, sorted; sidecars, hidden files and READMEs excluded."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"corpus folder not found: {corpus_dir}",
            "create it and add programmes, or set RAG_CORPUS_DIR",
        )
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if not p.is_dir()  # a dangling link is listed, so ingest can say it is unreadable
        and not p.name.startswith((".", "_"))
        and not p.name.endswith(SIDECAR_SUFFIX)
        and p.stem.lower() != "readme"
    )


def load_documents(paths: Iterable[Path]) -> tuple[list[Document], list[Problem]]:
    """Read every file; a bad file becomes a Problem and the rest still load."""
    docs: list[Document] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            doc = read_document(path)
        except CorpusError as e:
            problems.append(Problem(path, str(e)))
            continue
        if doc.doc_id in seen:
            problems.append(
                Problem(path, f"id '{doc.doc_id}' is already used by {seen[doc.doc_id].name}")
            )
            continue
        seen[doc.doc_id] = path
        docs.append(doc)
    return docs, problems


def load_corpus(corpus_dir: Path) -> tuple[list[Document], list[Problem]]:
    """All documents in a corpus folder, and the files that were skipped."""
    return load_documents(corpus_files(corpus_dir))
