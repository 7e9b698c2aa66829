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


def main() -> int:
    messages = works(WORKS)
    with tempfile.TemporaryDirectory() as folder:
        keyed_path, keyless_path = (
            Path(folder) / "keyed.db",
            Path(folder) / "keyless.db",
        )
        store_keyless = store(keyless_path, messages, keyed=False)
        store_keyed = store(keyed_path, messages, keyed=True)
        db = open_database(keyed_path)
        first_export, (text, report) = timed(lambda: export_bibtex(db))
        export_seconds, (again, _) = timed(lambda: export_bibtex(db))
        assert again == text and report["entries"] == WORKS
        keyless = open_database(keyless_path)
        assign_seconds, (assigned, _) = timed(lambda: export_bibtex(keyless))
        assert assigned == text, (
            "keys given on export differ from keys given when stored"
        )
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
        f"  store the records:       {store_keyed:6.2f} s with their keys,"
        f" {store_keyless:.2f} s without ({store_keyed / store_keyless - 1:+.1%})"
    )
    for label, seconds in (
        ("export (first)", first_export),
        ("export (again)", export_seconds),
    ):
        print(
            f"  {label + ':':<24} {seconds:6.2f} s  {WORKS / seconds:8,.0f} entries/s"
            f"  ({seconds / write_seconds:.2f}x the write)"
        )
    print(
        f"  export of works stored without keys, assigning them: {assign_seconds:6.2f} s"
        f" ({assign_seconds / write_seconds:.2f}x the write; for scale: works stored"
        " before keys came with their records)"
    )
    print(
        f"  bibtexparser write:      {write_seconds:6.2f} s  {WORKS / write_seconds:8,.0f} entries/s"
    )
    print(
        f"  import (into SQLite):    {import_seconds:6.2f} s  {WORKS / import_seconds:8,.0f} entries/s"
        f"  ({import_seconds / parse_seconds:.2f}x the parse)"
    )
    print(
        f"  bibtexparser parse:      {parse_seconds:6.2f} s  {WORKS / parse_seconds:8,.0f} entries/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
