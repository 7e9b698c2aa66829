"""Listing claims with their evidence: two queries in all, against one query per claim.

Builds a database of 20,000 claims and 60,000 evidence links over 5,000 works, then
times ``list_claims`` (what ``tracker claim list`` runs) against the obvious baseline
that fetches each claim's evidence separately (``get_claim`` per claim), in the same
process, and prints both with their ratio.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from rows import evidence_rows

from tracker import claims
from tracker.store.database import open_database, utc_now

CLAIMS, WORKS, LINKS_PER_CLAIM = 20_000, 5_000, 3


def build(path: Path):
    db = open_database(path)
    rng = random.Random(7)
    now = utc_now()
    with db.atomic():
        db["works"].insert_all(
            {
                "id": n,
                "doi": f"10.5555/bench.{n}",
                "title": f"Work {n}",
                "year": 2000 + n % 25,
                "fetch_status": "ok",
                "created_at": now,
            }
            for n in range(1, WORKS + 1)
        )
        db["claims"].insert_all(
            {
                "id": n,
                "text": f"Claim number {n} about the gut.",
                "status": "unreviewed",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(1, CLAIMS + 1)
        )
        db["evidence"].insert_all(
            evidence_rows(
                (
                    (claim, work)
                    for claim in range(1, CLAIMS + 1)
                    for work in rng.sample(range(1, WORKS + 1), LINKS_PER_CLAIM)
                ),
                rng,
                now,
            )
        )
    return db


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        db = build(Path(folder) / "bench.db")
        ours_seconds, ours = timed(lambda: claims.list_claims(db))
        base_seconds, baseline = timed(
            lambda: [
                claims.get_claim(db, row["id"])
                for row in db.query("select id from claims order by id")
            ]
        )
        assert ours == baseline, "both ways must give the same claims"
        links = sum(len(claim["evidence"]) for claim in ours)
        print(f"claim list: {len(ours):,} claims, {links:,} evidence links")
        print(
            f"  list_claims (2 queries):        {ours_seconds:7.3f} s  {len(ours) / ours_seconds:10,.0f} claims/s"
        )
        print(
            f"  baseline (1 query per claim):   {base_seconds:7.3f} s  {len(ours) / base_seconds:10,.0f} claims/s"
        )
        print(f"  ratio: {base_seconds / ours_seconds:.1f}x faster than the baseline")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
