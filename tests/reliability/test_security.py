"""Security: the web chat listens on loopback unless a login is set, is never shared, really
asks for the login when one is set, and no secret (llm_api_key, auth_password) is ever shown,
printed or logged."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError, AuthenticationError

from rag import Assistant, ConfigError, get_settings
from ui.settings import get_chat_settings

from ..helpers import SPRUTBYTE, assert_clean_exit, env_for, free_port, rag, serving

API_KEY = "sk-test-Zq8vN3xK7pW2mR5t"
PASSWORD = "hemligt-Lösen-7Yb4Qc"
SECRETS = (API_KEY, PASSWORD)


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


# --- where the web chat listens ---------------------------------------------------------------


@pytest.mark.slow  # `rag chat` in a process of its own, loading the web chat
@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--host", "0.0.0.0"], {}, "refusing to serve the web chat on 0.0.0.0 without a login"),
        (
            [],
            {"RAG_HOST": "::", "RAG_AUTH_PASSWORD": PASSWORD},
            "the web chat login needs both a user and a password",
        ),
    ],
)
def test_chat_refuses_to_listen_beyond_loopback_without_a_login(
    args: list[str], env: dict[str, str], message: str, tmp_path: Path
) -> None:
    """Before anything is loaded: no index is built for a chat that is refused."""
    port, index = free_port(), tmp_path / "index"
    result = rag("chat", "--port", str(port), *args, env={**env, "RAG_INDEX_DIR": str(index)})
    assert_clean_exit(result, 2, message)
    assert_no_secret(result.stdout, result.stderr)
    assert not listening(port) and not index.exists()


def test_loopback_is_the_default_and_nothing_is_shared() -> None:
    from ui.app import launch_options

    settings = get_chat_settings()
    assert settings.host == "127.0.0.1"
    options = launch_options(settings)
    assert options["server_name"] == "127.0.0.1" and options["share"] is False


@pytest.fixture(scope="module")
def locked(assistant: Assistant) -> Iterator[tuple[str, Any]]:
    """The web chat with a login, on loopback."""
    settings = get_chat_settings(auth_user="socialsekreterare", auth_password=PASSWORD)
    with serving(assistant, settings) as (url, app):
        yield url, (app, app.share_url)


def test_a_login_is_really_required_when_set(locked: tuple[str, Any]) -> None:
    url, (app, share_url) = locked
    assert share_url is None and app.share_url is None
    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(url, verbose=False).predict(SPRUTBYTE, api_name="/ask")
    with pytest.raises(ValueError, match="Could not login"):
        Client(url, auth=("socialsekreterare", "wrong"), verbose=False)
    client = Client(url, auth=("socialsekreterare", PASSWORD), verbose=False)
    assert client.predict(SPRUTBYTE, api_name="/ask")["answerable"] is True
    assert_no_secret(json.dumps(client.config, ensure_ascii=False, default=str))


# --- secrets ----------------------------------------------------------------------------------


def test_settings_never_show_secrets() -> None:
    settings = get_settings(llm_api_key=API_KEY)
    chat = get_chat_settings(auth_password=PASSWORD, auth_user="u")
    for shown in (settings, chat):
        assert_no_secret(
            repr(shown),
            str(shown),
            shown.model_dump_json(),
            json.dumps(shown.model_dump(), default=str),
            str(shown.model_dump()),
        )
    assert settings.llm_api_key.get_secret_value() == API_KEY  # kept, only never shown
    assert chat.auth_password.get_secret_value() == PASSWORD
    with pytest.raises(ConfigError) as raised:
        get_settings(llm_api_key=API_KEY, top_k="many")
    assert_no_secret(str(raised.value), repr(raised.value))
    with pytest.raises(ConfigError) as raised:
        get_chat_settings(auth_user="u", auth_password=PASSWORD, port="many")
    assert_no_secret(str(raised.value), repr(raised.value))


SECRET_ENV = {"RAG_LLM_API_KEY": API_KEY, "RAG_AUTH_PASSWORD": PASSWORD, "RAG_AUTH_USER": "u"}


@pytest.mark.parametrize(
    "args",
    [
        ["ask", "--json", SPRUTBYTE],
        ["documents", "--json"],
        ["--debug", "ask", ""],
        ["ask", "x" * 3000],
    ],
)
def test_cli_output_never_holds_secrets(assistant: Assistant, args: list[str]) -> None:
    env = {
        **SECRET_ENV,
        "RAG_CORPUS_DIR": str(assistant.settings.corpus_dir),
        "RAG_INDEX_DIR": str(assistant.index.root),
    }
    result = rag(*args, env=env)
    assert "Traceback" not in result.stderr
    assert_no_secret(result.stdout, result.stderr)


def test_cli_errors_about_settings_never_hold_secrets(assistant: Assistant) -> None:
    env = {**SECRET_ENV, "RAG_TOP_K": "many", "RAG_LLM_PROVIDER": "openai"}
    result = rag("documents", env=env)
    assert_clean_exit(result, 2, "invalid settings: top_k")
    assert_no_secret(result.stdout, result.stderr)
    # A configured chat model that is missing or unreachable: an error or a notice, no key.
    env = {
        **SECRET_ENV,
        **env_for(assistant.settings.corpus_dir, assistant.index.root),
        "RAG_LLM_PROVIDER": "openai",
        "RAG_LLM_MODEL": "m",
        "RAG_LLM_BASE_URL": "http://127.0.0.1:9/v1",
    }
    result = rag("ask", SPRUTBYTE, env=env)
    assert "Traceback" not in result.stderr
    assert_no_secret(result.stdout, result.stderr)


def test_nothing_logged_holds_a_secret(
    assistant: Assistant,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Every log record, at every level, while settings with secrets build an assistant and a
    web chat with a login, answer through it, and fail to reach a chat model."""
    caplog.set_level(logging.DEBUG)
    settings = get_settings(
        corpus_dir=assistant.settings.corpus_dir,
        index_dir=assistant.index.root,
        llm_api_key=API_KEY,
    )
    chat = get_chat_settings(auth_user="socialsekreterare", auth_password=PASSWORD)
    secret_assistant = Assistant(settings, embeddings=assistant.embeddings)
    secret_assistant.ask(SPRUTBYTE)
    with serving(secret_assistant, chat) as (url, _):
        client = Client(url, auth=("socialsekreterare", PASSWORD), verbose=False)
        assert client.predict(SPRUTBYTE, api_name="/ask")["citations"]
        with pytest.raises(AppError, match="Skriv en fråga först"):  # shown to the user
            client.predict("", api_name="/ask")
    # The real OpenAI adapter, with the key, against a loopback port where no server listens.
    unreachable = settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_model": "m",
            "llm_base_url": f"http://127.0.0.1:{free_port()}/v1",
        }
    )
    fallback = Assistant(unreachable, embeddings=assistant.embeddings).ask(SPRUTBYTE)
    assert fallback.notice and fallback.mode == "extractive"
    out, err = capfd.readouterr()
    records = [f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.__dict__}" for r in caplog.records]
    assert_no_secret(out, err, *records)
