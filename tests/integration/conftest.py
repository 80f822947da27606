"""pytest-asyncio's "auto" mode for this folder only: every `async def` test collected here runs
on an event loop (LangChain's standard tests declare theirs without a mark and must not be
overridden). Elsewhere the suite stays in strict mode."""

from __future__ import annotations

import inspect
from collections.abc import Generator
from typing import Any

import pytest


@pytest.hookimpl(wrapper=True, trylast=True)  # innermost: before pytest-asyncio looks for marks
def pytest_pycollect_makeitem(collector: Any, name: str, obj: object) -> Generator[None, Any, Any]:
    result = yield
    if inspect.iscoroutinefunction(obj):
        for item in result if isinstance(result, list) else [result]:
            if isinstance(item, pytest.Function):
                item.add_marker(pytest.mark.asyncio)
    return result
