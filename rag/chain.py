"""The LangChain runnable: the pipeline's steps (plan → retrieve → judge → compose → verify) as
named RunnableLambdas, so the chain can be traced, streamed and composed like any other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from rag.pipeline import (
    Context,
    Generate,
    State,
    check_question,
    compose_step,
    judge_step,
    plan_step,
    retrieve_step,
    verify_step,
)
from rag.types import Answer


def build_chain(
    get_context: Callable[[], Context], generate: Generate | None = None
) -> Runnable[dict[str, Any], Answer]:
    """Input `{"question", "history"?, "filters"?}`; output a verified `Answer`."""

    def plan(inp: dict[str, Any]) -> State:
        question = check_question(inp.get("question"))
        return plan_step(get_context(), question, inp.get("history"), inp.get("filters"))

    def compose(state: State) -> State:
        return compose_step(state, generate)

    return (
        RunnableLambda(plan, name="plan")
        | RunnableLambda(retrieve_step, name="retrieve")
        | RunnableLambda(judge_step, name="judge")
        | RunnableLambda(compose, name="compose")
        | RunnableLambda(verify_step, name="verify")
    )
