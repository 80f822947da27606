"""Unit tests run without the real model, Chroma, a browser or a server: answers come from the
seed programmes held in memory and retrieved lexically (tests/helpers.py, `lexical_context`)."""

from __future__ import annotations

import pytest

from rag.pipeline import Context

from ..helpers import lexical_context


@pytest.fixture(scope="session")
def seed_context() -> Context:
    """The seed programmes in memory, with real chunks and lexical retrieval."""
    return lexical_context()
