"""Stopping a long ``tracker ingest``: Ctrl-C ends it within a second, in one line and
without a traceback, and its worker processes end with it, as they do when it is
killed outright."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2 or not Path("/proc/self/task").exists(),
    reason="needs two cores and /proc to see the worker processes",
)

WORDS = [
    "gut",
    "barrier",
    "lining",
    "permeable",
    "tight",
    "junction",
    "protein",
    "mucus",
    "layer",
    "cells",
]


@pytest.fixture(scope="module")
def large_article(tmp_path_factory) -> Path:
    """About 6 MB of distinct sentences: long enough to be segmented on every core."""
    chance = random.Random(7)
    path = tmp_path_factory.mktemp("large") / "large.txt"
    paragraphs = []
    for number in range(12_000):
        sentences = [
            " ".join(chance.choice(WORDS) for _ in range(12)).capitalize()
            + f" {number}."
            for _ in range(4)
        ]
        paragraphs.append(" ".join(sentences))
    path.write_text(
        "A large article\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
    )
    return path


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.update(
                int(child) for child in (task / "children").read_text().split()
            )
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_ingest(article: Path, db: Path) -> tuple[subprocess.Popen, set[int]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(db), "ingest", str(article)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A shell's background job ignores Ctrl-C, and so would the command started
        # from tests run that way: give it the disposition a terminal gives.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = children(process.pid)
        time.sleep(0.05)
    if len(workers) < 2:
        process.kill()
        pytest.fail("ingest never started its workers")
    time.sleep(0.5)  # let the workers take their first chunks
    return process, workers


def signal_state(pid: int) -> list[str]:
    """The process's blocked, ignored and caught signal masks, as Linux shows them."""
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return [line for line in lines if line.startswith(("SigBlk", "SigIgn", "SigCgt"))]


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {pid for pid in pids if alive(pid)}
        if not left:
            return left
        time.sleep(0.05)
    return {pid for pid in pids if alive(pid)}


def test_ctrl_c_ends_ingest_and_its_workers_within_a_second(large_article, tmp_path):
    process, workers = start_ingest(large_article, tmp_path / "tracker.db")
    signals = signal_state(process.pid)
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    elapsed = time.monotonic() - interrupted
    assert process.returncode == 130, (elapsed, signals, stdout[-300:], stderr[-600:])
    assert elapsed < 1.5, elapsed
    assert b"Traceback" not in stderr
    assert stderr.strip().splitlines() == [b"Error: interrupted"]
    assert wait_gone(workers, 2) == set()


def test_workers_end_when_ingest_is_killed(large_article, tmp_path):
    process, workers = start_ingest(large_article, tmp_path / "tracker.db")
    process.kill()
    process.wait(timeout=10)
    assert wait_gone(workers, 3) == set()
