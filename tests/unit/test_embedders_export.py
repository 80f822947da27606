"""The exporter's checks and where exports are kept (exporting itself, with torch, is tested in
tests/integration/test_embedders.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import EmbeddingError
from rag.embedders.export import export_folder, export_model

MODEL = "packaged:all-MiniLM-L6-v2"


def test_unknown_export_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingError, match="cannot export for 'tensorrt'"):
        export_model(MODEL, "tensorrt", "int8", tmp_path)
    with pytest.raises(EmbeddingError, match="at 'int4'"):
        export_model(MODEL, "onnx", "int4", tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing was started


def test_each_backend_and_precision_has_its_own_folder_in_the_cache(tmp_path: Path) -> None:
    folders = {
        export_folder(MODEL, backend, precision, tmp_path)
        for backend in ("onnx", "openvino")
        for precision in ("fp32", "int8")
    }
    assert len(folders) == 4 and all(f.parent == tmp_path for f in folders)
    assert export_folder(MODEL, "onnx", "int8", tmp_path).name.startswith(
        "all-MiniLM-L6-v2-onnx-int8-"
    )
    assert export_folder(MODEL, "onnx", "int8", tmp_path) == export_folder(
        MODEL, "onnx", "int8", tmp_path
    )


def test_exports_are_kept_under_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert export_folder(MODEL, "onnx", "fp32").parent == tmp_path / "rag" / "models"
