"""Memory of ``tracker fetch``: 1,000 DOIs against 5,000, in the same run.

The server and the DOIs are bench_fetch's (a local Crossref-like server with the
polite pool's limits, works made from the recorded records), with no added latency.
Printed: the most memory Python held during each fetch beyond what it held before it
(tracemalloc), and the ratio of the two. A fetch that kept every record until the end
would need five times as much for five times the DOIs. Target: at most 1.5x.
"""

from __future__ import annotations

import gc
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


def peak_of_fetch(count: int) -> tuple[float, float]:
    """(peak MB beyond the start, seconds) of fetching ``count`` DOIs."""
    messages = works(count)
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
        assert len(report.fetched) == count, report.failed
        db.close()
    return (peak - before) / 1e6, seconds


def main() -> int:
    tracemalloc.start()
    figures = {count: peak_of_fetch(count) for count in SIZES}
    tracemalloc.stop()
    print("fetch memory: Python's peak during the fetch, beyond what it held before")
    for count, (megabytes, seconds) in figures.items():
        print(f"  {count:6,d} DOIs: {megabytes:7.1f} MB  ({seconds:5.1f} s)")
    small, large = (figures[count][0] for count in SIZES)
    ratio = large / small
    met = ratio <= TARGET
    print(
        f"  {SIZES[1] // SIZES[0]}x the DOIs took {ratio:.2f}x the memory"
        f" (target at most {TARGET}x): {'met' if met else 'missed'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
