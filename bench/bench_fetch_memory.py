"""Memory of ``tracker fetch``: 1,000 DOIs against 5,000, in the same run.

The server is bench_fetch's (a local Crossref-like server with the polite pool's
limits), with no added latency. Printed: the most memory Python held during each fetch
beyond what it held before it (tracemalloc), and the ratio of the two, for two sets of
works:

- every DOI a copy of the recorded record of median size: what the fetch keeps as it
  goes, alone. A fetch that kept every record until the end would need five times as
  much for five times the DOIs; what must grow is the DOIs themselves (the request and
  its report list them). Target: at most 1.5x;
- bench_fetch's works, the 196 recorded records in turn (2 KB to 1.4 MB of JSON each):
  here the peak is set by how many of the largest records are in flight at the same
  moment, which a longer run makes likelier; printed for scale.
"""

from __future__ import annotations

import copy
import gc
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_fetch import works  # noqa: E402
from tests.conftest import POLITE_LIMITS, settings_for  # noqa: E402
from tests.crossref_server import FakeCrossref  # noqa: E402
from tracker.crossref.client import Crossref  # noqa: E402
from tracker.fetch import fetch_works  # noqa: E402
from tracker.store.database import open_database  # noqa: E402

SIZES = (1_000, 5_000)
TARGET = 1.5


def uniform_works(count: int) -> dict[str, dict]:
    """``count`` copies of the recorded record of median size, each under its own DOI."""
    recorded = sorted(works(196).values(), key=lambda message: len(json.dumps(message)))
    template = recorded[len(recorded) // 2]
    messages = {}
    for number in range(count):
        message = copy.deepcopy(template)
        message["DOI"] = f"{template['DOI']}.u{number}"
        messages[message["DOI"]] = message
    return messages


def peak_of_fetch(messages: dict[str, dict]) -> tuple[float, float]:
    """(peak MB beyond the start, seconds) of fetching the DOIs of ``messages``."""
    dois = sorted(messages)
    with (
        FakeCrossref(messages, limits=POLITE_LIMITS) as server,
        tempfile.TemporaryDirectory() as folder,
    ):
        db = open_database(Path(folder) / "bench.db")
        settings = settings_for(server, backoff_factor=0.5, read_timeout=30.0)
        gc.collect()
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        start = time.perf_counter()
        report = fetch_works(db, dois, settings=settings, client=Crossref(settings))
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        assert len(report.fetched) == len(dois), report.failed
        db.close()
    return (peak - before) / 1e6, seconds


def main() -> int:
    tracemalloc.start()
    figures = {
        (label, count): peak_of_fetch(make(count))
        for label, make in (
            ("median-size records", uniform_works),
            ("recorded mix", works),
        )
        for count in SIZES
    }
    tracemalloc.stop()
    print("fetch memory: Python's peak during the fetch, beyond what it held before")
    ratios = {}
    for label in ("median-size records", "recorded mix"):
        for count in SIZES:
            megabytes, seconds = figures[label, count]
            print(
                f"  {label:<20} {count:6,d} DOIs: {megabytes:7.1f} MB  ({seconds:5.1f} s)"
            )
        small, large = (figures[label, count][0] for count in SIZES)
        ratios[label] = large / small
        print(
            f"  {label:<20} {SIZES[1] // SIZES[0]}x the DOIs: {ratios[label]:.2f}x the memory"
        )
    met = ratios["median-size records"] <= TARGET
    print(
        f"  target: at most {TARGET}x with records of one size:"
        f" {'met' if met else 'missed'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
