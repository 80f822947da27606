"""Simulated users of the web chat's `ask` endpoint, for the load test: run as
`python -m tests.reliability.load_client URL USERS EACH QUESTIONS_JSON`, in a process of its
own as real users would be. Prints one JSON object: every (question, answer), every error, and
every latency in seconds. Bounded: USERS * EACH requests, each waited for at most 120 s."""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

from gradio_client import Client


def run(url: str, users: int, each: int, questions: list[str]) -> dict[str, Any]:
    results: list[tuple[str, Any]] = []
    errors: list[str] = []
    latencies: list[float] = []
    start = threading.Barrier(users)

    def user(n: int) -> None:
        try:
            client = Client(url, verbose=False)
        except Exception as e:  # reported, not raised: the test counts errors
            errors.append(f"connect: {type(e).__name__}: {e}")
            return
        start.wait(timeout=120)
        for i in range(each):
            question = questions[(n + i) % len(questions)]
            began = time.perf_counter()
            try:
                answer = client.submit(question, api_name="/ask").result(timeout=120)
            except Exception as e:
                errors.append(f"{question}: {type(e).__name__}: {e}")
                continue
            latencies.append(time.perf_counter() - began)
            results.append((question, answer))

    began = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return {
        "results": results,
        "errors": errors,
        "latencies": latencies,
        "seconds": time.perf_counter() - began,
    }


if __name__ == "__main__":
    url, users, each, questions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    print(json.dumps(run(url, users, each, json.loads(questions)), ensure_ascii=False))
