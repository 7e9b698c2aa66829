"""``tracker check`` on 50,000 reference-list citations, against the same check on 5,000.

Each database holds the 196 recorded Crossref records under a tenth as many DOIs as it
has citations, 100 articles' worth of reference lists citing them (one reference in ten
giving the wrong year) and five claims per article, half of them linked. The references
were parsed when their articles were ingested (as ``tracker ingest`` stores them), so
``check`` verifies every citation against its work's record, stores the checks and
verdicts, and lists the problems. The baseline is the same check over the database a
tenth the size, in the same run: linear time gives a ratio of 10. Target: at most 5 s
for 50,000 citations, checked first and checked again, and memory that does not grow
with them beyond what is listed.

About 7,600 of the 50,000 references differ (several articles cite a work in the same
words), and ``check`` verifies each of those once. A third database gives every
reference a PMID of its own, so that none is verified for another: its time is printed
beside the first.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_fetch import works  # noqa: E402
from bench.rows import article_rows  # noqa: E402
from tracker.fetch import store_crossref_message  # noqa: E402
from tracker.store.database import open_database, utc_now  # noqa: E402
from tracker.text.parser import parse_reference  # noqa: E402

CITATIONS, SMALL = 50_000, 5_000
PER_ARTICLE = 500
CLAIMS_PER_ARTICLE = 5
TARGET_SECONDS = 5.0


def reference(message: dict, year_off: int) -> str:
    """A Vancouver-style reference to the work ``message`` records."""
    authors = ", ".join(
        f"{author.get('family', '')} {''.join(part[0] for part in author.get('given', '').split())}".strip()
        for author in message.get("author", [])[:6]
        if author.get("family")
    )
    title = " ".join(message.get("title") or ["Untitled"])
    journal = " ".join(message.get("container-title") or [])
    year = (message.get("issued", {}).get("date-parts") or [[None]])[0][0]
    when = f"{year + year_off}" if isinstance(year, int) else "n.d."
    volume = message.get("volume", "")
    pages = message.get("page", "")
    return f"{authors}. {title}. {journal}. {when};{volume}:{pages}."


def build(path: Path, citations: int, distinct: bool = False) -> None:
    """The database, its references alike whenever they cite the same work with the
    same year, or (``distinct``) each made unlike the others by a PMID of its own."""
    messages = list(works(citations // 10).values())
    rng = random.Random(3)
    now = utc_now()
    parses: dict[str, str] = {}
    db = open_database(path)
    with db.atomic():
        for message in messages:
            store_crossref_message(db, message, doi=message["DOI"])
        work_ids = {
            row["doi"]: row["id"] for row in db.query("select id, doi from works")
        }
        articles = citations // PER_ARTICLE
        db["articles"].insert_all(article_rows(articles, now))
        rows = []
        for n in range(citations):
            message = messages[rng.randrange(len(messages))]
            raw = reference(message, year_off=1 if n % 10 == 0 else 0)
            if raw not in parses:
                parses[raw] = parse_reference(raw).stored()
            rows.append(
                {
                    "id": n + 1,
                    "article_id": 1 + n // PER_ARTICLE,
                    "position": 1 + n % PER_ARTICLE,
                    "raw": f"{raw} PMID: {30_000_000 + n}." if distinct else raw,
                    "parsed": parses[raw],
                    "work_id": work_ids[message["DOI"].lower()],
                    "doi_source": "text",
                }
            )
        db["citations"].insert_all(rows)
        db["claims"].insert_all(
            {
                "id": n,
                "article_id": 1 + n % articles,
                "text": f"Claim {n}.",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(1, articles * CLAIMS_PER_ARTICLE + 1)
        )
        db["evidence"].insert_all(
            {
                "claim_id": n,
                "work_id": 1 + n % len(messages),
                "stance": "supports",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(1, articles * CLAIMS_PER_ARTICLE + 1, 2)
        )
    db.close()


#: Run in a fresh interpreter, so that its peak memory is the check's alone.
_CHECK = """
import json, resource, sys, time
from tracker.check import check
from tracker.store.database import open_database
db = open_database(sys.argv[1])
start = time.perf_counter()
report = check(db)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak": peak, "verified": report["verified"],
                  "problems": len(report["problems"])}))
"""


def timed_check(path: Path) -> dict:
    """Seconds, peak memory (MB, the command's process) and counts of one ``check``
    of everything in ``path``."""
    done = subprocess.run(
        [sys.executable, "-c", _CHECK, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(done.stdout)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder) / "small.db", Path(folder) / "large.db"
        unlike = Path(folder) / "unlike.db"
        start = time.perf_counter()
        build(small, SMALL)
        build(large, CITATIONS)
        build(unlike, CITATIONS, distinct=True)
        print(
            f"check: {CITATIONS:,} citations against {SMALL:,}"
            f" (built in {time.perf_counter() - start:.1f} s)"
        )
        small_run = timed_check(small)
        large_run = timed_check(large)
        again = timed_check(large)
        unlike_run = timed_check(unlike)
    for count, run in ((SMALL, small_run), (CITATIONS, large_run)):
        print(
            f"  {count:>6,} citations: {run['seconds']:6.2f} s,"
            f" {count / run['seconds']:8,.0f} citations/s, peak {run['peak']:6.1f} MB,"
            f" {run['verified']:,} verified, {run['problems']:,} problems listed"
        )
    seconds = large_run["seconds"]
    print(
        f"  {CITATIONS // SMALL}x the citations: {seconds / small_run['seconds']:.1f}x the"
        f" time, {large_run['peak'] / small_run['peak']:.1f}x the memory"
    )
    print(
        f"  checked again, nothing changed (verdicts kept): {again['seconds']:.2f} s,"
        f" {again['peak']:.1f} MB"
    )
    print(
        f"  every reference unlike the others (none verified once for many):"
        f" {unlike_run['seconds']:.2f} s, {unlike_run['seconds'] / seconds:.1f}x,"
        f" peak {unlike_run['peak']:.1f} MB"
    )
    first_met = seconds <= TARGET_SECONDS
    again_met = again["seconds"] <= TARGET_SECONDS
    print(
        f"  target: {CITATIONS:,} citations checked in at most {TARGET_SECONDS:.0f} s:"
        f" first check {seconds:.1f} s {'met' if first_met else 'missed'},"
        f" checked again {again['seconds']:.1f} s {'met' if again_met else 'missed'}"
    )
    return 0 if first_met and again_met else 1


if __name__ == "__main__":
    sys.exit(main())
