"""Review pages in Datasette on a large database, against an empty table's page.

Builds a database of 1,000 articles, 100,000 claims, 300,000 evidence links, 50,000
works (1 in 100 retracted or corrected, with notices; a study design and level on each),
and 50,000 reference-list citations (1 in 20 failing verification). Then, through the
Datasette application ``tracker serve`` runs (configuration, facets, plugins and all),
times each page a reviewer opens: the claim_evidence view, a claim's row page, that
claim's evidence, and every review view. The baseline is the page of an empty table
with the same configuration, served by the same instance in the same run; each page is
reported as a ratio to it. Target: every page within 3x of the empty page, none near
Datasette's SQL time limit (1 s by default).
"""

from __future__ import annotations

import asyncio
import html
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rows import evidence_rows, work_rows

from tracker.store.database import open_database, utc_now
from tracker.vocabulary import CLAIM_STATUSES
from tracker.web.serve import datasette_app

ARTICLES, CLAIMS, LINKS_PER_CLAIM, WORKS, CITATIONS = 1_000, 100_000, 3, 50_000, 50_000
REPEATS = 5
TARGET_RATIO = 3.0
SQL_TIME_LIMIT_MS = 1_000


def build(path: Path) -> dict[str, int]:
    db = open_database(path)
    rng = random.Random(11)
    now = utc_now()
    with db.atomic():
        db["articles"].insert_all(
            {
                "id": n,
                "title": f"Article {n}",
                "text": f"Text of article {n}.",
                "sha256": f"{n:064x}",
                "ingested_at": now,
            }
            for n in range(1, ARTICLES + 1)
        )
        works = work_rows(WORKS, rng, now)
        db["works"].insert_all(works)
        db["work_notices"].insert_all(
            {
                "work_id": work["id"],
                "kind": work["integrity"],
                "notice_doi": f"10.5555/notice.{work['id']}",
                "notice_date": "2020-01-01",
            }
            for work in works
            if work["integrity"]
        )
        db["claims"].insert_all(
            {
                "id": n,
                "article_id": 1 + n % ARTICLES,
                "text": f"Claim number {n} about the gut.",
                "status": rng.choice(CLAIM_STATUSES),
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
                    if claim % 10  # one claim in ten has no evidence yet
                    for work in rng.sample(
                        range(1, WORKS + 1), LINKS_PER_CLAIM + (claim % 3 == 0)
                    )
                ),
                rng,
                now,
            )
        )
        db["citations"].insert_all(
            {
                "id": n,
                "article_id": 1 + n % ARTICLES,
                "position": n // ARTICLES + 1,
                "raw": f"Author A. Work {n}. Journal. 2001.",
                "work_id": 1 + n % WORKS,
                "verdict": "mismatch" if n % 20 == 0 else "ok",
            }
            for n in range(1, CITATIONS + 1)
        )
        db["citation_checks"].insert_all(
            {
                "citation_id": n,
                "field": "year",
                "cited": "2001",
                "recorded": "2002",
                "result": "mismatch",
            }
            for n in range(20, CITATIONS + 1, 20)
        )
        db["empty_table"].create({"id": int, "name": str}, pk="id")
    db.execute("ANALYZE")
    counts = {
        table: db[table].count for table in ("claims", "evidence", "works", "citations")
    }
    db.close()
    return counts


def pages(name: str) -> dict[str, str]:
    claim = CLAIMS // 2 + 1
    return {
        "empty table (baseline)": f"/{name}/empty_table",
        "claim_evidence": f"/{name}/claim_evidence",
        "claim row page": f"/{name}/claims/{claim}",
        "the claim's evidence": f"/{name}/claim_evidence?claim_id={claim}",
        "an article's evidence": f"/{name}/claim_evidence?article_id=7",
        "claims_without_evidence": f"/{name}/claims_without_evidence",
        "claims_on_flagged_works": f"/{name}/claims_on_flagged_works",
        "claims_with_weak_evidence": f"/{name}/claims_with_weak_evidence",
        "failed_verifications": f"/{name}/failed_verifications",
        "article_summary": f"/{name}/article_summary",
        "review_log": f"/{name}/review_log",
    }


async def time_pages(path: Path) -> dict[str, tuple[float, float]]:
    """Per page: median seconds over REPEATS (after a warm-up request), and the seconds
    its SQL took, from Datasette's trace of one more request."""
    app = datasette_app(path, settings={"trace_debug": True})
    await app.invoke_startup()
    timings: dict[str, tuple[float, float]] = {}
    for label, url in pages(path.stem).items():
        response = await app.client.get(url)
        assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
        assert "SQL query took too long" not in response.text, (
            f"{url} hit the time limit"
        )
        runs = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            await app.client.get(url)
            runs.append(time.perf_counter() - start)
        traced = await app.client.get(url + ("&" if "?" in url else "?") + "_trace=1")
        timings[label] = (statistics.median(runs), sql_seconds(traced.text))
    return timings


def sql_seconds(page: str) -> float:
    """The total duration of the SQL queries in a page served with ``_trace=1``."""
    found = re.search(r"<pre>(\{.*?)</pre>", page, re.S)
    assert found, "the page carries no trace"
    traces = json.loads(html.unescape(found.group(1)))["traces"]
    return sum(trace["duration_ms"] for trace in traces) / 1000


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        counts = build(path)
        print(
            "review pages: "
            + ", ".join(f"{count:,} {table}" for table, count in counts.items())
            + f" (built in {time.perf_counter() - start:.1f} s)"
        )
        timings = asyncio.run(time_pages(path))
    baseline, _ = timings.pop("empty table (baseline)")
    print(f"  {'empty table (baseline)':<28} {baseline * 1000:7.1f} ms")
    for label, (seconds, sql) in timings.items():
        print(
            f"  {label:<28} {seconds * 1000:7.1f} ms  {seconds / baseline:5.2f}x the empty page"
            f"  (SQL {sql * 1000:5.1f} ms)"
        )
    worst = max(seconds for seconds, _ in timings.values())
    slowest_sql = max(sql for _, sql in timings.values())
    within = sum(seconds <= TARGET_RATIO * baseline for seconds, _ in timings.values())
    print(
        f"  {within} of {len(timings)} pages within {TARGET_RATIO:.0f}x of the empty page; "
        f"slowest page {worst * 1000:.0f} ms ({worst / baseline:.1f}x); "
        f"most SQL on one page {slowest_sql * 1000:.0f} ms of the {SQL_TIME_LIMIT_MS} ms limit"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
