"""A real web chat over the session's assistant, served on a free loopback port per module."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from rag import Assistant
from ui.app import build_app, launch_options


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(assistant: Assistant) -> Iterator[str]:
    """The URL of the running app; it is closed when the module's tests are done."""
    app = build_app(assistant)
    options = launch_options(assistant.settings, "127.0.0.1", free_port())
    _, url, _ = app.launch(prevent_thread_lock=True, quiet=True, **options)
    yield url
    app.close()
