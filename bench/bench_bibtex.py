"""BibTeX export and import of 20,000 works, against bibtexparser's own parse and write
of the same file, in the same run.

The works are the 196 recorded Crossref records, each under a hundred DOIs of the same
shape. ``tracker export bibtex`` maps, escapes and writes them (with key assignment on
the first run, as in real use); ``tracker import bibtex`` reads the file back into a
fresh database. bibtexparser's default ``parse_string`` and ``write_string`` on the
same text are the yardstick: ratio above 1 means faster than bibtexparser alone.
"""

from __future__ import annotations

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

WORKS = 20_000


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> int:
    messages = works(WORKS)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        with db.atomic():
            for doi, message in messages.items():
                store_crossref_message(db, message, doi=doi)
        first_export, (text, report) = timed(lambda: export_bibtex(db))
        export_seconds, (again, _) = timed(lambda: export_bibtex(db))
        assert again == text and report["entries"] == WORKS
        path = Path(folder) / "works.bib"
        path.write_text(text, encoding="utf-8")
        fresh = open_database(Path(folder) / "fresh.db")
        import_seconds, imported = timed(lambda: import_bibtex(fresh, path))
        assert imported["imported"] == WORKS, imported["failed"][:3]
        parse_seconds, library = timed(lambda: bibtexparser.parse_string(text))
        write_seconds, _ = timed(lambda: bibtexparser.write_string(library))
    megabytes = len(text.encode()) / 1e6
    print(f"bibtex: {WORKS:,} works, {megabytes:.1f} MB of BibTeX")
    print(
        f"  export (keys assigned):  {first_export:6.2f} s  {WORKS / first_export:8,.0f} entries/s"
    )
    print(
        f"  export (keys stored):    {export_seconds:6.2f} s  {WORKS / export_seconds:8,.0f} entries/s"
    )
    print(
        f"  bibtexparser write:      {write_seconds:6.2f} s  {WORKS / write_seconds:8,.0f} entries/s"
    )
    print(f"  ratio export / write:    {write_seconds / export_seconds:.2f}x")
    print(
        f"  import (into SQLite):    {import_seconds:6.2f} s  {WORKS / import_seconds:8,.0f} entries/s"
    )
    print(
        f"  bibtexparser parse:      {parse_seconds:6.2f} s  {WORKS / parse_seconds:8,.0f} entries/s"
    )
    print(f"  ratio import / parse:    {parse_seconds / import_seconds:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
