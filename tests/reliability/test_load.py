"""Concurrent load: 20 users asking 10 questions each through the web chat's API at once, on
loopback; and the feedback log written by many threads in several processes at once."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant

from ..helpers import REPO, serving

USERS, EACH = 20, 10
QUESTIONS = [
    "Vem föreslår sprutbyte?",
    "Vilka vill ha Bostad först?",
    "Vad säger programmen om hemlöshet?",
    "Who proposes needle exchange?",
    "Vad vill Liberalerna i Stockholm göra för äldre?",
    "Vem föreslår kärnkraft?",
    "Vad säger Örebro om missbruk?",
    "Which municipalities mention honour-related violence?",
    "Vad vill man göra för barn i familjehem?",
    "Hur ska socialtjänsten arbeta förebyggande?",
]


@pytest.fixture(scope="module")
def served(assistant: Assistant) -> Iterator[str]:
    """The web chat over the session's assistant, on a free loopback port."""
    with serving(assistant) as (url, _):
        yield url


def test_twenty_users_at_once_get_every_answer_right(
    served: str, assistant: Assistant, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = {q: json.loads(json.dumps(assistant.ask(q).to_dict())) for q in QUESTIONS}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.reliability.load_client",
            served,
            str(USERS),
            str(EACH),
            json.dumps(QUESTIONS),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    load = json.loads(run.stdout.strip().splitlines()[-1])
    assert load["errors"] == []
    assert len(load["results"]) == USERS * EACH
    # Under load every answer is the one a single user gets: nothing mixed up, nothing lost.
    wrong = [q for q, answer in load["results"] if answer != expected[q]]
    assert wrong == []
    latencies = sorted(load["latencies"])
    p50, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[18]
    with capsys.disabled():
        print(
            f"\nload: {USERS} users x {EACH} questions, {len(latencies)} answers in "
            f"{load['seconds']:.1f} s; p50 {p50:.2f} s, p95 {p95:.2f} s, "
            f"max {latencies[-1]:.2f} s, errors {len(load['errors'])}"
        )


# --- the feedback log -----------------------------------------------------------------------

WRITER = """
import sys, threading
from ui.feedback import append_feedback

path, proc, threads, each = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def size(proc, thread, i):
    return (proc * 7919 + thread * 104729 + i * 1299709) % 120_000

def write(thread):
    for i in range(each):
        comment = "å\\n\\"}{" + "x" * size(proc, thread, i)
        append_feedback(path, {"proc": proc, "thread": thread, "i": i, "comment": comment})

workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
"""


def test_feedback_from_threads_in_several_processes_loses_and_tears_nothing(
    tmp_path: Path,
) -> None:
    """Lines far longer than a pipe buffer, with newlines and quotes in them, from 4 processes
    of 4 threads each, all at once."""
    path = tmp_path / "logs" / "feedback.jsonl"
    procs, threads, each = 4, 4, 25
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(p), str(threads), str(each)], cwd=REPO
        )
        for p in range(procs)
    ]
    for w in writers:
        assert w.wait(timeout=300) == 0
    data = path.read_bytes()
    assert data.endswith(b"\n")
    lines = data.split(b"\n")[:-1]
    records = [json.loads(line.decode("utf-8")) for line in lines]  # a torn line fails here
    keys = sorted((r["proc"], r["thread"], r["i"]) for r in records)
    assert keys == [(p, t, i) for p in range(procs) for t in range(threads) for i in range(each)]
    for r in records:
        expected = (r["proc"] * 7919 + r["thread"] * 104729 + r["i"] * 1299709) % 120_000
        assert r["comment"] == 'å\n"}{' + "x" * expected
