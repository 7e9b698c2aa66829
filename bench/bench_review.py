"""Review pages in Datasette on a large database, against the same pages on a small one.

Builds a database of 1,000 articles, 100,000 claims, 300,000 evidence links, 50,000
works (1 in 100 retracted or corrected, with notices; a study design and level on each),
and 50,000 reference-list citations (1 in 20 failing verification), and the same
database at a hundredth of the size, with a tenth of the articles so that the page of
articles is as full as the large one's. Each claim names one of 10 topics: one search
finds a topic (1 in 10 claims), another a word every claim has. Then,
through the Datasette application ``tracker serve`` runs (configuration, facets,
plugins and all), times each page a reviewer opens: the claim_evidence view, a claim's
row page, that claim's evidence, and every review view. The baseline is the same page
over the small database, served in the same run with requests to the two alternating
(so that the machine's load falls on both alike); each page is reported as a ratio to
it. The page of an empty table is printed for scale. Target: every page within 3x of
its small-database page, none near Datasette's SQL time limit (1 s by default).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from datasette.tracer import capture_traces
from rows import article_rows, evidence_rows, work_rows

from tracker.store.database import open_database, utc_now
from tracker.vocabulary import CLAIM_STATUSES
from tracker.web.serve import datasette_app

ARTICLES, CLAIMS, LINKS_PER_CLAIM, WORKS, CITATIONS = 1_000, 100_000, 3, 50_000, 50_000
SMALL = 100  # the small database has a hundredth of each, and a tenth of the articles
TOPICS = [f"topic{n}" for n in range(10)]
REPEATS = 5
TARGET_RATIO = 3.0
SQL_TIME_LIMIT_MS = 1_000


def build(path: Path, divisor: int = 1) -> dict[str, int]:
    """The benchmark's database, with a ``divisor``-th of each kind of row (of the
    articles, the square root of that: enough to fill a page)."""
    claims, works_count, citations = (
        count // divisor for count in (CLAIMS, WORKS, CITATIONS)
    )
    articles = int(ARTICLES / divisor**0.5)
    db = open_database(path)
    rng = random.Random(11)
    now = utc_now()
    with db.atomic():
        db["articles"].insert_all(article_rows(articles, now))
        works = work_rows(works_count, rng, now)
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
                "article_id": 1 + n % articles,
                "text": f"Claim number {n} about {TOPICS[n % len(TOPICS)]}.",
                "status": rng.choice(CLAIM_STATUSES),
                "created_at": now,
                "updated_at": now,
            }
            for n in range(1, claims + 1)
        )
        db["evidence"].insert_all(
            evidence_rows(
                (
                    (claim, work)
                    for claim in range(1, claims + 1)
                    if claim % 10  # one claim in ten has no evidence yet
                    for work in rng.sample(
                        range(1, works_count + 1), LINKS_PER_CLAIM + (claim % 3 == 0)
                    )
                ),
                rng,
                now,
            )
        )
        db["citations"].insert_all(
            {
                "id": n,
                "article_id": 1 + n % articles,
                "position": n // articles + 1,
                "raw": f"Author A. Work {n}. Journal. 2001.",
                "work_id": 1 + n % works_count,
                "verdict": "mismatch" if n % 20 == 0 else "ok",
            }
            for n in range(1, citations + 1)
        )
        db["citation_checks"].insert_all(
            {
                "citation_id": n,
                "field": "year",
                "cited": "2001",
                "recorded": "2002",
                "result": "mismatch",
            }
            for n in range(20, citations + 1, 20)
        )
        db["empty_table"].create({"id": int, "name": str}, pk="id")
    counts = {
        table: db[table].count for table in ("claims", "evidence", "works", "citations")
    }
    db.close()
    return counts


def pages(name: str) -> dict[str, str]:
    claim = CLAIMS // SMALL // 2 + 1  # in both databases
    return {
        "empty table": f"/{name}/empty_table",
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
        "claims (facets status, article)": f"/{name}/claims",
        "claims, searched for a topic": f"/{name}/claims?_search=topic7",
        "claims, searched for every claim": f"/{name}/claims?_search=claim",
        "evidence (facet stance)": f"/{name}/evidence",
        "works (five facets)": f"/{name}/works",
        "citations (two facets)": f"/{name}/citations",
        "claim_evidence by stance": f"/{name}/claim_evidence?_facet=stance",
        "claim_evidence by status": f"/{name}/claim_evidence?_facet=claim_status",
    }


async def time_pages(
    large: Path, small: Path
) -> dict[str, tuple[float, float, float, int]]:
    """Per page: median seconds over REPEATS on the large and the small database
    (requests alternating, after a warm-up request to each), the seconds its SQL
    took on the large one, traced in one more request, and in how many of the large
    one's loads a facet or the query timed out."""
    large_app, small_app = (datasette_app(path) for path in (large, small))
    for app in (large_app, small_app):
        await app.invoke_startup()
    timings = {}
    small_pages = pages(small.stem)
    for label, url in pages(large.stem).items():
        runs = [(large_app, url, [], []), (small_app, small_pages[label], [], [])]
        for app, page, _, _ in runs:
            await fetch(app, page)
        for _ in range(REPEATS):
            for app, page, seconds, texts in runs:
                start = time.perf_counter()
                texts.append(await fetch(app, page))
                seconds.append(time.perf_counter() - start)
        traces: list[dict] = []
        with capture_traces(traces):
            await fetch(large_app, url)
        (_, _, large_runs, large_texts), (_, _, small_runs, _) = runs
        timings[label] = (
            statistics.median(large_runs),
            statistics.median(small_runs),
            sum(trace["duration_ms"] for trace in traces) / 1000,
            sum(map(timed_out, large_texts)),
        )
    return timings


async def fetch(app, url: str) -> str:
    response = await app.client.get(url)
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    return response.text


def timed_out(page: str) -> bool:
    """Whether Datasette gave up on the page's query or one of its facets."""
    return "SQL query took too long" in page or "timed out" in page


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        large, small = Path(folder) / "large.db", Path(folder) / "small.db"
        start = time.perf_counter()
        counts = build(large)
        small_counts = build(small, SMALL)
        print(
            "review pages: "
            + ", ".join(f"{count:,} {table}" for table, count in counts.items())
            + f", against {small_counts['claims']:,} claims"
            + f" (built in {time.perf_counter() - start:.1f} s)"
        )
        timings = asyncio.run(time_pages(large, small))
    for label, (seconds, baseline, sql, gave_up) in timings.items():
        print(
            f"  {label:<32} {seconds * 1000:6.1f} ms, small database {baseline * 1000:6.1f} ms:"
            f" {seconds / baseline:5.2f}x  (SQL {sql * 1000:5.1f} ms)"
            + (f"  timed out in {gave_up} of {REPEATS} loads" if gave_up else "")
        )
    ratios = {
        label: seconds / baseline for label, (seconds, baseline, *_) in timings.items()
    }
    worst = max(ratios, key=ratios.get)
    slowest_sql = max(sql for _, _, sql, _ in timings.values())
    within = sum(ratio <= TARGET_RATIO for ratio in ratios.values())
    gave_up = [label for label, (*_, loads) in timings.items() if loads]
    print(
        f"  {within} of {len(ratios)} pages within {TARGET_RATIO:.0f}x of the small database's;"
        f" worst {worst} ({ratios[worst]:.1f}x); {len(gave_up)} with a time-out;"
        f" most SQL on one page {slowest_sql * 1000:.0f} ms of the {SQL_TIME_LIMIT_MS} ms limit"
    )
    return 0 if within == len(ratios) and not gave_up else 1


if __name__ == "__main__":
    sys.exit(main())
