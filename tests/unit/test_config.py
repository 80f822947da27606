"""One settings object: defaults, then RAG_* variables, then keywords; unknown or invalid
settings are a clear error; the index fingerprint follows what changes vectors."""

from pathlib import Path

import pytest

from rag import ConfigError, Settings, get_settings
from rag.config import env_overrides

from ..helpers import REPO


def test_defaults_and_keyword_overrides() -> None:
    s = get_settings(top_k=3)
    assert s.top_k == 3
    assert s.embedding_model.startswith("packaged:")


def test_keywords_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_TOP_K", "7")
    assert get_settings(top_k=2).top_k == 2
    assert get_settings(top_k=None).top_k == 7  # None means "not given"
    assert env_overrides({"RAG_TOP_K": "4", "HOME": "/root"}) == {"top_k": "4"}


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_TOP_K", "7")
    monkeypatch.setenv("RAG_CHROMA_URL", "http://127.0.0.1:8123")
    s = get_settings()
    assert s.top_k == 7 and s.chroma_url == "http://127.0.0.1:8123"


def test_unknown_environment_setting_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_TOPK", "7")
    with pytest.raises(ConfigError, match="RAG_TOPK"):
        get_settings()


def test_settings_read_elsewhere_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The web chat's variables, even invalid ones, are for its own settings to read."""
    monkeypatch.setenv("RAG_PORT", "not a port")
    monkeypatch.setenv("RAG_AUTH_PASSWORD", "hunter2")
    assert get_settings().top_k == 5
    assert "port" not in Settings.model_fields
    monkeypatch.setenv("RAG_PROT", "7861")
    with pytest.raises(ConfigError, match="RAG_PROT.*RAG_PORT"):  # a typo, with the known names
        get_settings()


def test_unknown_keyword_and_bad_values_are_rejected() -> None:
    with pytest.raises(ConfigError, match="no_such_setting"):
        get_settings(no_such_setting=1)
    with pytest.raises(ConfigError, match="top_k"):
        get_settings(top_k=0)
    with pytest.raises(ConfigError, match="retrieval_mode"):
        get_settings(retrieval_mode="magic")


def test_fingerprint_follows_what_changes_vectors(tmp_path: Path) -> None:
    base = get_settings()
    assert base.index_fingerprint() == get_settings(top_k=9).index_fingerprint()
    assert base.index_fingerprint() != get_settings(chunk_max_chars=900).index_fingerprint()
    assert base.index_fingerprint() != get_settings(embedding_model="other").index_fingerprint()
    assert base.index_fingerprint() != get_settings(passage_prompt="p: ").index_fingerprint()
    assert base.index_fingerprint() == get_settings(query_prompt="q: ").index_fingerprint()


def test_backend_and_precision_are_part_of_the_index_fingerprint() -> None:
    fingerprints = {
        get_settings(embedding_backend="torch").index_fingerprint(),
        get_settings(embedding_backend="onnx", embedding_precision="int8").index_fingerprint(),
        get_settings(embedding_backend="onnx", embedding_precision="fp32").index_fingerprint(),
    }
    assert len(fingerprints) == 3


def test_secrets_are_not_shown() -> None:
    s = get_settings(llm_api_key="sk-secret-value")
    assert "sk-secret-value" not in repr(s)
    assert "sk-secret-value" not in str(s.model_dump())


def test_readme_documents_every_setting() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"`RAG_{n.upper()}`" not in readme]
    assert missing == []
