"""``tracker fetch`` of 1,000 DOIs against one request per DOI, in the same run.

A local Crossref-like server (tests/crossref_server.py) adds 50 ms to every answer and
enforces Crossref's polite-pool limits (lists: 3 a second, 3 at a time; single records:
10 a second, 3 at a time), answering 429 with Retry-After beyond them. It serves 1,000
works made from the 196 recorded Crossref records (each record under several DOIs of
the same shape as its own).

* ours: ``fetch_works`` into a fresh database;
* baseline: the same DOIs fetched one ``/works/{doi}`` request at a time, in sequence,
  as habanero's ``works(ids=...)`` does, with a session that retries 429s after their
  Retry-After (without it, the baseline would not finish).

Printed: wall time, requests and 429s for both, the ratio, and how close ours comes to
the lower bound the list-rate limit allows ((list requests - 1) / 3 per second + one
answer's latency).
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import CROSSREF, POLITE_LIMITS, settings_for  # noqa: E402
from tests.crossref_server import FakeCrossref, load_messages  # noqa: E402
from tracker.crossref.client import Crossref  # noqa: E402
from tracker.crossref.http import RequestCounter, make_session  # noqa: E402
from tracker.fetch import fetch_works  # noqa: E402
from tracker.store.database import open_database  # noqa: E402

DOIS = 1_000
LATENCY = 0.050


def works(count: int) -> dict[str, dict]:
    recorded = {**load_messages(CROSSREF / "works"), **load_messages(CROSSREF / "seed")}
    messages = {}
    templates = sorted(recorded.values(), key=lambda message: message["DOI"])
    for number in range(count):
        message = copy.deepcopy(templates[number % len(templates)])
        message["DOI"] = f"{message['DOI'].lower()}.b{number}"
        messages[message["DOI"]] = message
    return messages


def run_ours(server: FakeCrossref, dois: list[str]) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        settings = settings_for(server, backoff_factor=0.5, read_timeout=30.0)
        client = Crossref(settings)
        start = time.perf_counter()
        report = fetch_works(db, dois, settings=settings, client=client)
        elapsed = time.perf_counter() - start
        assert len(report.fetched) == len(dois), report.failed
        db.close()
    return elapsed, report.requests, report.too_many_requests


def run_baseline(server: FakeCrossref, dois: list[str]) -> tuple[float, int, int]:
    counter = RequestCounter()
    session = make_session(
        settings_for(server, backoff_factor=0.5, read_timeout=30.0), counter
    )
    start = time.perf_counter()
    for doi in dois:
        counter.sent()
        response = session.get(
            f"{server.url}/works/{doi}", params={"mailto": "bench@example.org"}
        )
        assert response.status_code == 200, (doi, response.status_code)
        response.json()
    return time.perf_counter() - start, counter.requests, counter.too_many


def main() -> int:
    messages = works(DOIS)
    dois = sorted(messages)
    with FakeCrossref(messages, limits=POLITE_LIMITS, latency=LATENCY) as server:
        ours_seconds, ours_requests, ours_429 = run_ours(server, dois)
        list_requests = server.requests["list"]
        server_429_ours = sum(server.too_many.values())
        base_seconds, base_requests, base_429 = run_baseline(server, dois)
        server_429_base = sum(server.too_many.values()) - server_429_ours
    list_rate, _ = POLITE_LIMITS["list"]
    bound = (list_requests - 1) / list_rate + LATENCY
    print(
        f"fetch: {DOIS:,} DOIs, server latency {LATENCY * 1000:.0f} ms, polite-pool limits enforced"
    )
    print(
        f"  tracker fetch:        {ours_seconds:7.2f} s  {ours_requests:5d} requests ({list_requests} list)  {server_429_ours} x 429"
    )
    print(
        f"  one request per DOI:  {base_seconds:7.2f} s  {base_requests:5d} requests  {server_429_base} x 429"
    )
    print(
        f"  ratio: {base_seconds / ours_seconds:.1f}x faster than one request per DOI"
    )
    print(
        f"  lower bound at 3 list requests/s: {bound:.2f} s; ours is {ours_seconds / bound:.2f}x the bound"
    )
    if ours_429 or server_429_ours:
        print(f"  missed: a well-behaved run receives no 429 (got {server_429_ours})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
