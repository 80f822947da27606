"""The readers package: one third-party library per format module, a small public surface."""

from __future__ import annotations

import re
from pathlib import Path

import rag.readers
from rag.readers import corpus_files

PACKAGE = Path(rag.__file__).resolve().parent


def test_each_library_is_imported_by_its_own_module_only() -> None:
    owners = {"trafilatura": {"readers/html.py"}, "pdfplumber": {"readers/pdf.py"}}
    for library, allowed in owners.items():
        importing = {
            str(path.relative_to(PACKAGE))
            for path in PACKAGE.rglob("*.py")
            if re.search(rf"^\s*(?:import|from) {library}\b", path.read_text("utf-8"), re.M)
        }
        assert importing == allowed, library


def test_the_public_surface() -> None:
    for name in ("read_document", "load_documents", "load_corpus", "read_corpus", "Problem"):
        assert name in rag.readers.__all__


def test_the_table_and_sidecars_are_not_programmes(tmp_path: Path) -> None:
    for name in ("a.md", "a.md.meta.yaml", "metadata.csv", "README.md", ".hidden.md", "b.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in corpus_files(tmp_path)] == ["a.md", "b.pdf"]
