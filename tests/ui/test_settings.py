"""The web chat's settings: the same `RAG_*` variables as before, checked as strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import ConfigError, get_settings
from rag.config import SETTINGS_READ_ELSEWHERE
from ui.settings import ChatSettings, get_chat_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults() -> None:
    s = ChatSettings()
    assert (s.host, s.port, s.feedback_path) == ("127.0.0.1", 7860, Path("feedback.jsonl"))
    assert (s.auth_user, s.auth_password.get_secret_value(), s.upload) == ("", "", False)


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in {
        "RAG_HOST": "0.0.0.0",
        "RAG_PORT": "8123",
        "RAG_FEEDBACK_PATH": str(tmp_path / "omdömen.jsonl"),
        "RAG_AUTH_USER": "socialsekreterare",
        "RAG_AUTH_PASSWORD": "hemligt",
        "RAG_UPLOAD": "true",
        "RAG_TOP_K": "3",  # the core's: read there, not rejected here
    }.items():
        monkeypatch.setenv(name, value)
    s = get_chat_settings()
    assert (s.host, s.port, s.feedback_path) == ("0.0.0.0", 8123, tmp_path / "omdömen.jsonl")
    assert (s.auth_user, s.auth_password.get_secret_value(), s.upload) == (
        "socialsekreterare",
        "hemligt",
        True,
    )
    assert get_settings().top_k == 3
    assert get_chat_settings(port=9000, host=None).port == 9000  # keywords win; None is unset


@pytest.mark.parametrize("port", ["0", "65536", "web"])
def test_an_invalid_port_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, port: str) -> None:
    monkeypatch.setenv("RAG_PORT", port)
    with pytest.raises(ConfigError, match=r"invalid settings: port: ") as raised:
        get_chat_settings()
    assert "see README, Configuration" in str(raised.value)


def test_unknown_names_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="no_such"):
        get_chat_settings(no_such=1)
    monkeypatch.setenv("RAG_PROT", "7861")
    with pytest.raises(ConfigError, match="unknown setting RAG_PROT .*RAG_PORT"):
        get_chat_settings()


def test_the_password_is_never_shown() -> None:
    s = get_chat_settings(auth_user="u", auth_password="hemligt-lösen")
    assert "hemligt-lösen" not in repr(s) and "hemligt-lösen" not in str(s.model_dump())


def test_the_core_leaves_exactly_these_variables_to_the_web_chat() -> None:
    assert set(ChatSettings.model_fields) == SETTINGS_READ_ELSEWHERE


def test_readme_documents_every_setting() -> None:
    readme = README.read_text(encoding="utf-8")
    assert [n for n in ChatSettings.model_fields if f"`RAG_{n.upper()}`" not in readme] == []
