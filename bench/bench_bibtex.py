"""BibTeX export and import of 20,000 works, against bibtexparser's own parse and write
of the same file, in the same run.

The works are the 196 recorded Crossref records, each under a hundred DOIs of the same
shape, stored as a fetch stores them (each given its key in the same write; the store
is timed against storing them without keys). ``tracker export bibtex`` maps, escapes
and writes them, first and again; a database of the same works stored without keys
(as before keys came with their records) is exported too, assigning them, for scale.
``tracker import bibtex`` reads the file back into a fresh database. bibtexparser's
default ``parse_string`` and ``write_string`` on the same text are the yardstick: each
figure is printed as a multiple of bibtexparser's time, target 1.5x at most.
"""

from __future__ import annotations

import functools
import gc
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import bibtexparser  # noqa: E402

from bench.bench_fetch import works  # noqa: E402
from tracker.bibliography import export_bibtex, import_bibtex  # noqa: E402
from tracker.fetch import store_crossref_message  # noqa: E402
from tracker.store.database import open_database  # noqa: E402
from tracker.store.works import NewCitekeys  # noqa: E402

WORKS = 20_000
#: Imports, parses and writes timed in turns; the best of each is kept.
ROUNDS = 4
TARGET_RATIO = 1.5


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def store(path: Path, messages: dict[str, dict], keyed: bool) -> float:
    """Seconds to store the records as a fetch does, giving keys as it does or not."""
    db = open_database(path)
    keys = NewCitekeys(db) if keyed else None
    start = time.perf_counter()
    with db.atomic():
        for doi, message in messages.items():
            store_crossref_message(db, message, doi=doi, keys=keys)
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def exported(folder: Path, messages: dict[str, dict]) -> tuple[dict[str, float], str]:
    """Store the records twice, with keys and without, and export both databases:
    the timings, and the .bib file."""
    keyed_path, keyless_path = folder / "keyed.db", folder / "keyless.db"
    figures = {
        "store without keys": store(keyless_path, messages, keyed=False),
        "store with keys": store(keyed_path, messages, keyed=True),
    }
    db = open_database(keyed_path)
    figures["export (first)"], (text, report) = timed(lambda: export_bibtex(db))
    figures["export (again)"], (again, _) = timed(lambda: export_bibtex(db))
    assert again == text and report["entries"] == WORKS
    keyless = open_database(keyless_path)
    figures["assigning keys"], (assigned, _) = timed(lambda: export_bibtex(keyless))
    assert assigned == text, "keys given on export differ from keys given when stored"
    db.close()
    keyless.close()
    return figures, text


def imported(folder: Path, text: str) -> dict[str, float]:
    """The best of ROUNDS imports of the file, each into a fresh database, and of
    bibtexparser's parse and write of it, taken in turns so that the machine's
    drift falls on all alike."""
    path = folder / "works.bib"
    path.write_text(text, encoding="utf-8")
    runs: dict[str, list[float]] = {"import": [], "parse": [], "write": []}
    for round in range(ROUNDS):
        fresh = open_database(folder / f"fresh{round}.db")
        seconds, report = timed(functools.partial(import_bibtex, fresh, path))
        assert report["imported"] == WORKS, report["failed"][:3]
        fresh.close()
        runs["import"].append(seconds)
        seconds, library = timed(lambda: bibtexparser.parse_string(text))
        runs["parse"].append(seconds)
        runs["write"].append(
            timed(functools.partial(bibtexparser.write_string, library))[0]
        )
    return {name: min(seconds) for name, seconds in runs.items()}


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        figures, text = exported(folder, works(WORKS))
        # The import runs as its command does, in a process holding nothing of the
        # above: the records and two open databases slowed it by a fifth.
        gc.collect()
        figures.update(imported(folder, text))
    write, parse = figures["write"], figures["parse"]
    megabytes = len(text.encode()) / 1e6
    print(f"bibtex: {WORKS:,} works, {megabytes:.1f} MB of BibTeX")
    keyed, keyless = figures["store with keys"], figures["store without keys"]
    print(
        f"  store the records:       {keyed:6.2f} s with their keys,"
        f" {keyless:.2f} s without ({keyed / keyless - 1:+.1%})"
    )
    for label, seconds, baseline in (
        ("export (first)", figures["export (first)"], "write"),
        ("export (again)", figures["export (again)"], "write"),
        ("bibtexparser write", write, None),
        ("import (into SQLite)", figures["import"], "parse"),
        ("bibtexparser parse", parse, None),
    ):
        ratio = (
            f"  ({seconds / figures[baseline]:.2f}x the {baseline})" if baseline else ""
        )
        print(
            f"  {label + ':':<24} {seconds:6.2f} s  {WORKS / seconds:8,.0f} entries/s"
            + ratio
        )
    assigning = figures["assigning keys"]
    print(
        f"  for scale, an export of the works stored without keys, assigning them:"
        f" {assigning:.2f} s ({assigning / write:.2f}x the write)"
    )
    worst = max(figures["export (first)"] / write, figures["import"] / parse)
    met = worst <= TARGET_RATIO
    print(
        f"  target: export and import within {TARGET_RATIO}x of bibtexparser:"
        + (" met" if met else f" missed ({worst:.2f}x)")
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
