"""A real web chat over the session's assistant, served on a free loopback port per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rag import Assistant
from ui.settings import ChatSettings

from ..helpers import serving


@pytest.fixture(scope="module")
def chat_settings(tmp_path_factory: pytest.TempPathFactory) -> ChatSettings:
    """The web chat's settings for the module's app: its feedback log in a temporary folder."""
    return ChatSettings(feedback_path=tmp_path_factory.mktemp("chat") / "feedback.jsonl")


@pytest.fixture(scope="module")
def app_url(assistant: Assistant, chat_settings: ChatSettings) -> Iterator[str]:
    """The URL of the running app; it is closed when the module's tests are done."""
    with serving(assistant, chat_settings) as (url, _):
        yield url
