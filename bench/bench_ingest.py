"""Ingest throughput: articles per second and MB per second.

* the real articles in ../shared/articles/ (skipped, saying so, when absent), each
  ingested into a fresh database, five rounds;
* a 20 MB text of unique sentences (a long book), and a 20 MB text made of one
  article repeated (what a careless export produces).

Each 20 MB run is compared, in the same process, with the same ingestion on one core
(sentence segmentation is the costly step; ``tracker ingest`` spreads it over the
machine's cores and segments repeated paragraphs once).

Target: at least 1 MB/s on the real articles, as the issue on speed at scale asks.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker.ingest import ingest_article, read_article  # noqa: E402
from tracker.store.database import open_database  # noqa: E402
from tracker.text import sentences  # noqa: E402
from tracker.text.parser import parse_references  # noqa: E402
from tracker.text.references import reference_section, split_entries  # noqa: E402

SHARED = REPO.parent / "shared" / "articles"
SIZE = 20_000_000
TARGET_MB_PER_SECOND = 1.0


def ingest_file(path: Path) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        start = time.perf_counter()
        report = ingest_article(db, read_article(str(path)))
        elapsed = time.perf_counter() - start
        db.close()
    return elapsed, report


def reference_reading(paths: list[Path], rounds: int) -> tuple[int, float]:
    """How many references the articles list, and the seconds ``rounds`` readings of
    them all take (the trained labeller and the fields), as ingest reads them."""
    lists = []
    for path in paths:
        document = read_article(str(path)).document
        section = reference_section(document)
        entries = split_entries(document, section) if section else []
        lists.append([entry.raw for entry in entries])
    start = time.perf_counter()
    for _ in range(rounds):
        for raws in lists:
            parse_references(raws)
    return sum(map(len, lists)), time.perf_counter() - start


def unique_text(size: int) -> str:
    rng = random.Random(3)
    words = (REPO / "examples" / "leaky-gut.txt").read_text(encoding="utf-8").split()
    words = [word.strip(".,()“”") for word in words if word.isalpha()]
    paragraphs, length = [], 0
    while length < size:
        sentences_ = []
        for _ in range(rng.randint(3, 7)):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 24)))
            sentences_.append(sentence[0].upper() + sentence[1:] + ".")
        paragraph = " ".join(sentences_)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "A long text\n\n" + "\n\n".join(paragraphs)


def repeated_text(size: int) -> str:
    article = (REPO / "examples" / "leaky-gut.txt").read_text(encoding="utf-8")
    body = article[article.index("The term") : article.index("Referrences")]
    return (
        "A long text\n\n"
        + (body * (size // len(body) + 1))[:size]
        + "\n\n"
        + article[article.index("Referrences") :]
    )


def main() -> int:
    met = True
    if SHARED.exists():
        paths = sorted(SHARED.glob("*.txt"))
        total_bytes = sum(path.stat().st_size for path in paths)
        rounds, elapsed = 5, 0.0
        for _ in range(rounds):
            for path in paths:
                elapsed += ingest_file(path)[0]
        count = rounds * len(paths)
        print(f"ingest: {len(paths)} shared articles x {rounds} rounds")
        print(
            f"  {count / elapsed:8.1f} articles/s  {rounds * total_bytes / elapsed / 1e6:6.2f} MB/s"
        )
        references, reading = reference_reading(paths, rounds)
        print(
            f"  of which reading their {references} references:"
            f" {reading / rounds:.2f} s a round ({1000 * reading / rounds / references:.1f} ms"
            f" each), {reading / elapsed:.0%} of the time; the rest"
            f" {rounds * total_bytes / (elapsed - reading) / 1e6:.2f} MB/s"
        )
        met = rounds * total_bytes / elapsed / 1e6 >= TARGET_MB_PER_SECOND
        print(
            f"  target: at least {TARGET_MB_PER_SECOND:.0f} MB/s on real articles:"
            f" {'met' if met else 'missed'}"
        )
    else:
        print(f"ingest: shared articles skipped ({SHARED} is not beside the checkout)")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in (
            ("unique sentences", unique_text),
            ("one article repeated", repeated_text),
        ):
            path = Path(folder) / f"{name}.txt"
            path.write_text(make(SIZE), encoding="utf-8")
            megabytes = path.stat().st_size / 1e6
            ours, report = ingest_file(path)
            limit = sentences.PARALLEL_ABOVE
            sentences.PARALLEL_ABOVE = float("inf")
            try:
                one_core, baseline = ingest_file(path)
            finally:
                sentences.PARALLEL_ABOVE = limit
            assert report["claims"] == baseline["claims"]
            print(f"ingest: {megabytes:.1f} MB, {name}, {report['claims']:,} claims")
            print(f"  tracker ingest: {ours:7.2f} s  {megabytes / ours:6.2f} MB/s")
            print(
                f"  one core:       {one_core:7.2f} s  {megabytes / one_core:6.2f} MB/s"
            )
            print(f"  ratio: {one_core / ours:.2f}x")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
