"""Memory of ``tracker fetch``: 1,000 DOIs against 5,000, in the same run.

The server is bench_fetch's (a local Crossref-like server with the polite pool's
limits), with no added latency, run in a process of its own so that what it keeps
(its log, its parsed addresses) is not counted as the fetch's. Printed: the most
memory Python held during each fetch beyond what it held before it (tracemalloc); how
much of it the finished fetch still holds (its report, which lists every DOI: what
must grow with the DOIs); and the ratio of what is left, the records and requests in
flight, for two sets of works:

- every DOI a copy of the recorded record of median size: what the fetch keeps as it
  goes, alone. A fetch that kept every record until the end would need five times as
  much for five times the DOIs, each DOI adding at least its record as Python holds
  it once read. What a DOI must add is its share of the plan, the requests and the
  report: a few hundred bytes. Target: each DOI beyond the first 1,000 adds at most a
  tenth of what its record takes in memory to the peak;
- bench_fetch's works, the 196 recorded records in turn (2 KB to 1.4 MB of JSON each):
  here the peak is set by how many of the largest records are in flight at the same
  moment, which a longer run makes likelier; printed for scale.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import json
import multiprocessing
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_fetch import works  # noqa: E402
from tests.conftest import POLITE_LIMITS, settings_for  # noqa: E402
from tests.crossref_server import FakeCrossref  # noqa: E402
from tracker.crossref.client import Crossref  # noqa: E402
from tracker.fetch import fetch_works  # noqa: E402
from tracker.store.database import open_database  # noqa: E402

SIZES = (1_000, 5_000)
#: The most a DOI may add to the peak, as a share of its record read into memory.
TARGET = 0.1


def median_record() -> dict:
    """The recorded record of median size (as JSON)."""
    recorded = sorted(works(196).values(), key=lambda message: len(json.dumps(message)))
    return recorded[len(recorded) // 2]


def memory_of_record(message: dict) -> int:
    """Bytes Python holds for ``message`` read from its JSON (what keeping it costs)."""
    text = json.dumps(message)
    gc.collect()
    before, _ = tracemalloc.get_traced_memory()
    record = json.loads(text)
    after, _ = tracemalloc.get_traced_memory()
    del record
    return after - before


def uniform_works(count: int) -> dict[str, dict]:
    """``count`` copies of the recorded record of median size, each under its own DOI."""
    template = median_record()
    messages = {}
    for number in range(count):
        message = copy.deepcopy(template)
        message["DOI"] = f"{template['DOI']}.u{number}"
        messages[message["DOI"]] = message
    return messages


@contextlib.contextmanager
def server_elsewhere(messages: dict[str, dict]) -> Iterator[SimpleNamespace]:
    """A FakeCrossref serving ``messages`` from a forked process: its addresses."""
    context = multiprocessing.get_context("fork")
    addresses, stop = context.Queue(), context.Event()

    def serve() -> None:
        with FakeCrossref(messages, limits=POLITE_LIMITS) as server:
            addresses.put((server.url, server.resolver_url))
            stop.wait()

    process = context.Process(target=serve, daemon=True)
    process.start()
    try:
        url, resolver_url = addresses.get(timeout=60)
        yield SimpleNamespace(url=url, resolver_url=resolver_url)
    finally:
        stop.set()
        process.join(timeout=30)


def peak_of_fetch(messages: dict[str, dict]) -> tuple[float, float, float]:
    """(peak MB beyond the start, MB the finished fetch still holds, seconds) of
    fetching the DOIs of ``messages``."""
    dois = sorted(messages)
    with (
        server_elsewhere(messages) as server,
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
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
        assert len(report.fetched) == len(dois), report.failed
        db.close()
    return (peak - before) / 1e6, (held - before) / 1e6, seconds


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
    record = memory_of_record(median_record())
    tracemalloc.stop()
    print(
        "fetch memory: Python's peak during the fetch beyond what it held before,"
        " and what the finished fetch still holds (its report)"
    )
    ratios = {}
    for label in ("median-size records", "recorded mix"):
        for count in SIZES:
            peak, held, seconds = figures[label, count]
            print(
                f"  {label:<20} {count:6,d} DOIs: peak {peak:5.1f} MB, held {held:4.1f} MB"
                f" ({held * 1e6 / count:,.0f} bytes a DOI), in flight {peak - held:5.1f} MB"
                f"  ({seconds:5.1f} s)"
            )
        small, large = (
            figures[label, count][0] - figures[label, count][1] for count in SIZES
        )
        ratios[label] = large / small
        print(
            f"  {label:<20} {SIZES[1] // SIZES[0]}x the DOIs: {ratios[label]:.2f}x the"
            " memory in flight"
        )
    (small, _, _), (large, _, _) = (
        figures["median-size records", count] for count in SIZES
    )
    added = (large - small) * 1e6 / (SIZES[1] - SIZES[0])
    met = added <= TARGET * record
    print(
        f"  each DOI beyond {SIZES[0]:,} adds {added:,.0f} bytes to the peak,"
        f" {added / record:.1%} of the {record:,} bytes its record takes once read"
        f" (target at most {TARGET:.0%}): {'met' if met else 'missed'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
