"""Bytes from disk, and text from bytes: the size limit and the encodings we refuse."""

from __future__ import annotations

from pathlib import Path

from rag.errors import CorpusError

MAX_FILE_BYTES = 20 * 1024 * 1024
_MB = 1024 * 1024
# Byte-order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like UTF-16 LE).
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a file over the size limit is refused before it is read."""
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


def decode(data: bytes) -> str:
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
