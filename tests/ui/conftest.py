"""A real web chat over the session's assistant, served on a free loopback port per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rag import Assistant

from ..helpers import serving


@pytest.fixture(scope="module")
def app_url(assistant: Assistant) -> Iterator[str]:
    """The URL of the running app; it is closed when the module's tests are done."""
    with serving(assistant) as (url, _):
        yield url
