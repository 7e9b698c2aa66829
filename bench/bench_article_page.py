"""The article review page on a large database, against Datasette's own page.

Builds a database of 100,000 claims in 1,000 articles, among them one article of 500
claims (each a sentence of its text) with 2,000 evidence links to 2,000 works and 60
references (one in five disagreeing with its record). Then, through the Datasette
application ``tracker serve`` runs, times ``/-/review/articles/1`` (the text with every
claim marked, every claim with its evidence, every reference with its checks), for a
visitor and for a signed-in reviewer (who also gets the forms), against the baseline:
Datasette's ``claims`` table page filtered to that article, served by the same instance
in the same run. Target: at most 2x the baseline.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rows import article_rows, evidence_rows, work_rows

from tracker.store.database import open_database, utc_now
from tracker.vocabulary import CLAIM_STATUSES
from tracker.web.serve import datasette_app

ARTICLES, CLAIMS, WORKS = 1_000, 100_000, 20_000
ARTICLE_CLAIMS, ARTICLE_LINKS, REFERENCES = 500, 2_000, 60
REPEATS = 15
TARGET_RATIO = 2.0


def article_text(rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """A text of paragraphs of sentences, with the span of each sentence."""
    parts, spans, offset = ["An article with many claims\n\n"], [], 0
    offset = len(parts[0])
    for n in range(ARTICLE_CLAIMS):
        sentence = (
            f"Claim {n + 1}: fibre {rng.choice(['helps', 'hurts'])} the gut lining."
        )
        spans.append((offset, offset + len(sentence)))
        ending = "\n\n" if n % 5 == 4 else " "
        parts.append(sentence + ending)
        offset += len(sentence) + len(ending)
    parts.append("References\n\n")
    for n in range(1, REFERENCES + 1):
        parts.append(f"{n}. Author A. Work {n}. Journal. 2001. doi:10.5555/bench.{n}\n")
    return "".join(parts), spans


def build(path: Path) -> None:
    db = open_database(path)
    rng = random.Random(7)
    now = utc_now()
    text, spans = article_text(rng)
    references_start = text.index("1. Author A.")
    with db.atomic():
        db["articles"].insert_all(article_rows(ARTICLES, now, first_text=text))
        db["works"].insert_all(work_rows(WORKS, rng, now))
        db["authors"].insert_all(
            {"work_id": n, "position": p, "family": f"Author{p}", "given": "Ann B"}
            for n in range(1, WORKS + 1)
            for p in range(1, 6)
        )
        claims = []
        for n in range(1, CLAIMS + 1):
            in_article = n <= ARTICLE_CLAIMS
            start, end = spans[n - 1] if in_article else (None, None)
            claims.append(
                {
                    "id": n,
                    "article_id": 1 if in_article else 2 + n % (ARTICLES - 1),
                    "text": text[start:end]
                    if in_article
                    else f"Claim {n} about the gut.",
                    "char_start": start,
                    "char_end": end,
                    "status": rng.choice(CLAIM_STATUSES),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        db["claims"].insert_all(claims)
        links_per_claim = ARTICLE_LINKS // ARTICLE_CLAIMS
        db["evidence"].insert_all(
            evidence_rows(
                (
                    (claim, work)
                    for claim in range(1, CLAIMS + 1)
                    for work in (
                        range(
                            (claim - 1) * links_per_claim + 1,
                            claim * links_per_claim + 1,
                        )
                        if claim <= ARTICLE_CLAIMS
                        else [1 + claim % WORKS]
                    )
                ),
                rng,
                now,
            )
        )
        db["citations"].insert_all(
            {
                "article_id": 1,
                "position": n,
                "raw": f"Author A. Work {n}. Journal. 2001. doi:10.5555/bench.{n}",
                "char_start": references_start + (n - 1) * 10,
                "work_id": n,
                "verdict": "mismatch" if n % 5 == 0 else "ok",
            }
            for n in range(1, REFERENCES + 1)
        )
        citation_ids = [row[0] for row in db.execute("select id from citations")]
        db["citation_checks"].insert_all(
            {
                "citation_id": citation,
                "field": "year",
                "cited": "2001",
                "recorded": "2002",
                "result": "mismatch",
            }
            for index, citation in enumerate(citation_ids, 1)
            if index % 5 == 0
        )
    db.execute("ANALYZE")
    db.close()


async def time_pages(path: Path) -> dict[str, float]:
    """Median seconds per page over REPEATS rounds, the pages taken in turn within a
    round so that a slow spell of the machine falls on all of them alike."""
    app = datasette_app(path)
    await app.invoke_startup()
    reviewer = {"ds_actor": app.sign({"a": {"id": "bench"}}, "actor")}
    page = await app.client.get("/-/review/articles/1", cookies=reviewer)
    assert page.text.count('class="claim-card') == ARTICLE_CLAIMS
    assert page.text.count('<tr id="evidence-') == ARTICLE_LINKS
    pages = {
        "claims table page (baseline)": (f"/{path.stem}/claims?article_id=1", {}),
        "article page, visitor": ("/-/review/articles/1", {}),
        "article page, reviewer": ("/-/review/articles/1", reviewer),
    }
    runs: dict[str, list[float]] = {label: [] for label in pages}
    for url, cookies in pages.values():
        response = await app.client.get(url, cookies=cookies)
        assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    for _ in range(REPEATS):
        for label, (url, cookies) in pages.items():
            start = time.perf_counter()
            await app.client.get(url, cookies=cookies)
            runs[label].append(time.perf_counter() - start)
    return {label: statistics.median(times) for label, times in runs.items()}


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        build(path)
        print(
            f"article page: {CLAIMS:,} claims, one article of {ARTICLE_CLAIMS} claims with"
            f" {ARTICLE_LINKS:,} evidence links and {REFERENCES} references"
            f" (built in {time.perf_counter() - start:.1f} s)"
        )
        timings = asyncio.run(time_pages(path))
    baseline = timings.pop("claims table page (baseline)")
    print(f"  {'claims table page (baseline)':<30} {baseline * 1000:7.1f} ms")
    for label, seconds in timings.items():
        print(
            f"  {label:<30} {seconds * 1000:7.1f} ms  {seconds / baseline:5.2f}x the baseline"
            f" (target {TARGET_RATIO:.0f}x)"
        )
    return 0 if max(timings.values()) <= TARGET_RATIO * baseline else 1


if __name__ == "__main__":
    sys.exit(main())
