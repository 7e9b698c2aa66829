"""Fetching through 429s: the single-record path with 15% of answers refused, against
the same fetch with none refused, in the same run.

A local Crossref-like server (tests/crossref_server.py) enforces the polite pool's
limits (single records: 10 a second, 3 at a time), adds 50 ms to every answer, and
lists none of the 196 recorded works, so every DOI is looked up one by one through
``/works/{doi}``. In the second run it also answers 15% of the requests it admits
with 429 and ``Retry-After: 1``, as a server busy elsewhere does.

Printed: both wall times, requests and 429s (refused by chance, and refused for going
over the limits, which should stay 0), and the ratio; the target is at most 3x.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import CROSSREF, POLITE_LIMITS, settings_for  # noqa: E402
from tests.crossref_server import FakeCrossref, load_messages  # noqa: E402
from tracker.crossref.client import Crossref  # noqa: E402
from tracker.fetch import fetch_works  # noqa: E402
from tracker.store.database import open_database  # noqa: E402

LATENCY = 0.050
SHARE = 0.15
TARGET = 3.0


def run(messages: dict[str, dict], share: float) -> dict[str, float]:
    with (
        FakeCrossref(
            messages,
            limits=POLITE_LIMITS,
            latency=LATENCY,
            unlisted=set(messages),
            refusal_share=share,
        ) as server,
        tempfile.TemporaryDirectory() as folder,
    ):
        db = open_database(Path(folder) / "bench.db")
        settings = settings_for(server, backoff_factor=0.5, read_timeout=30.0)
        start = time.perf_counter()
        report = fetch_works(
            db, sorted(messages), settings=settings, client=Crossref(settings)
        )
        elapsed = time.perf_counter() - start
        db.close()
        by_chance = sum(server.refused_by_chance.values())
        return {
            "seconds": elapsed,
            "fetched": len(report.fetched),
            "requests": report.requests,
            "by_chance": by_chance,
            "over_limits": sum(server.too_many.values()) - by_chance,
        }


def main() -> int:
    messages = {**load_messages(CROSSREF / "works"), **load_messages(CROSSREF / "seed")}
    clean = run(messages, 0.0)
    refused = run(messages, SHARE)
    ratio = refused["seconds"] / clean["seconds"]
    print(
        f"fetch through 429s: {len(messages)} DOIs one by one, {LATENCY * 1000:.0f} ms latency"
    )
    for name, figures in (("no 429", clean), (f"{SHARE:.0%} answered 429", refused)):
        print(
            f"  {name:<18} {figures['seconds']:7.2f} s  fetched {figures['fetched']:4d}"
            f"  {figures['requests']:4d} requests  429s: {figures['by_chance']} by chance,"
            f" {figures['over_limits']} over the limits"
        )
    print(f"  ratio: {ratio:.2f}x the clean run (target at most {TARGET:.0f}x)")
    complete = refused["fetched"] == clean["fetched"] == len(messages)
    return 0 if complete and ratio <= TARGET and clean["over_limits"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
