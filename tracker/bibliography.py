"""``tracker export``, ``tracker import`` and ``tracker work key``: the bibliography in
and out of the database, as BibTeX, CSL-JSON, RIS or a formatted reference list.

Export selects works (all of them, an article's, a claim's, or those behind claims
with a given status), gives them citation keys where they have none, and writes them
in key order, so that the same database always gives the same bytes. A work imported
from a .bib file and not fetched since is written as the file wrote it.

Import reads every entry of a .bib file in one transaction; a DOI or key already in
the database is reported as a duplicate, a malformed entry as failed with its line,
and everything else becomes a work (``pending`` until its metadata is fetched).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from .bib.bibtex import (
    ExportOptions,
    ReadEntry,
    ReadFile,
    WrittenEntry,
    bib_chunks,
    entry_for_work,
    join_written,
    merged_entries,
    read_bib_chunk,
    written_entry,
    year_from_bibtex,
)
from .bib.citekeys import check_key, first_family, new_keys
from .bib.csl import csl_item
from .bib.latex import dropped_characters
from .claims import check_status, require_article, require_claim
from .errors import InvalidInput, NotFound
from .files import read_file
from .processes import parallel_map
from .store import works as stored
from .store.database import database_file, open_database, utc_now
from .text.reader import MAX_BYTES, decode


def select_works(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    claim_id: int | None = None,
    status: str | None = None,
) -> tuple[list[int], list[str]]:
    """(ids of the selected works that can be written, DOIs of those without metadata)."""
    if article_id is not None:
        require_article(db, article_id)
    if claim_id is not None:
        require_claim(db, claim_id)
    if status is not None:
        check_status(status)
    chosen, skipped = [], []
    for row in stored.selected_works(db, article_id, claim_id, status):
        if row["writable"]:
            chosen.append(row["id"])
        elif row["doi"]:
            skipped.append(row["doi"])
    return chosen, skipped


def assign_citekeys(db: sqlite_utils.Database, work_ids: list[int]) -> dict[int, str]:
    """Give each of these works a key if it has none; return every work's key.

    Keys are assigned once and stored: adding works, refreshing metadata or exporting
    again never changes them.
    """
    keys, unkeyed = stored.works_needing_keys(db, work_ids)
    if unkeyed:
        fresh = new_keys(
            (
                (work["id"], first_family([work]), work["year"], work["title"])
                for work in unkeyed
            ),
            stored.citekeys_in_use(db),
        )
        stored.save_citekeys(db, fresh)
        keys.update(fresh)
    return keys


def set_citekey(db: sqlite_utils.Database, work: int | str, key: str) -> dict[str, Any]:
    """Set a work's key by hand; ``work`` is its id or DOI."""
    check_key(key)
    work_id = stored.work_id_for(db, work)
    if work_id is None:
        raise NotFound(f"no work {work}")
    other = stored.citekey_owner(db, key, other_than=work_id)
    if other:
        raise InvalidInput(f"the key {key!r} is already work {other}'s")
    stored.save_citekeys(db, {work_id: key}, source="manual")
    return {"work_id": work_id, "citekey": key}


def export_bibtex(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    claim_id: int | None = None,
    status: str | None = None,
    options: ExportOptions | None = None,
) -> tuple[str, dict[str, Any]]:
    """The .bib text of the selected works, and a report of what was left out."""
    options = options or ExportOptions()
    order, keys, skipped = _keyed_selection(db, article_id, claim_id, status)
    written, dropped = _write_on_every_core(db, order, keys, options)
    report: dict[str, Any] = {"entries": len(written), "skipped": skipped}
    if dropped:
        shown = " ".join(
            character if character.isprintable() else ascii(character)
            for character in sorted(dropped)
        )
        report["warnings"] = [
            f"--ascii: dropped {len(dropped)} character(s) that have no ASCII"
            f" or LaTeX form: {shown}"
        ]
    return join_written(written), report


#: Exports of this many works and more write their entries in worker processes, in
#: pieces of WRITTEN_TOGETHER (an entry takes about 0.2 ms; starting workers 0.2 s).
EXPORT_PARALLEL_FROM, WRITTEN_TOGETHER = 2_000, 1_000


def _write_on_every_core(
    db: sqlite_utils.Database,
    order: list[int],
    keys: dict[int, str],
    options: ExportOptions,
) -> tuple[list[WrittenEntry], set[str]]:
    """The works' entries, written in ``order``, and the characters --ascii dropped.
    Each worker reads its own works from the database file."""
    path = database_file(db)
    if len(order) < EXPORT_PARALLEL_FROM or path is None:
        return write_entries(db, order, keys, options)
    pieces = [
        (path, ids, {work_id: keys[work_id] for work_id in ids}, options)
        for ids in (
            order[start : start + WRITTEN_TOGETHER]
            for start in range(0, len(order), WRITTEN_TOGETHER)
        )
    ]
    written: list[WrittenEntry] = []
    dropped: set[str] = set()
    for entries, characters in parallel_map(_write_piece, pieces, chunksize=1):
        written.extend(entries)
        dropped |= characters
    return written, dropped


def _write_piece(piece) -> tuple[list[WrittenEntry], set[str]]:
    path, ids, keys, options = piece
    db = open_database(path, create=False)
    try:
        return write_entries(db, ids, keys, options)
    finally:
        db.close()


def write_entries(
    db: sqlite_utils.Database,
    ids: list[int],
    keys: dict[int, str],
    options: ExportOptions,
) -> tuple[list[WrittenEntry], set[str]]:
    """The entries of these works in this order, each written on its own, and the
    characters --ascii dropped. A work deleted since it was selected is left out."""
    works = stored.works_for_export(db, ids)
    authors = stored.authors_of(db, ids)
    with dropped_characters() as dropped:
        written = [
            written_entry(
                entry_for_work(
                    works[work_id], authors.get(work_id, []), keys[work_id], options
                )
            )
            for work_id in ids
            if work_id in works
        ]
    return written, dropped


def export_csl(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    claim_id: int | None = None,
    status: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """CSL-JSON items of the selected works, and a report of what was left out."""
    works, authors, keys, order, skipped = _selection(db, article_id, claim_id, status)
    items = [
        csl_item(works[work_id], authors.get(work_id, []), keys[work_id])
        for work_id in order
    ]
    return items, {"entries": len(items), "skipped": skipped}


def export_ris(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    claim_id: int | None = None,
    status: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """RIS records of the selected works, and a report of what was left out."""
    from .bib.ris import ris_record, write_ris

    works, authors, keys, order, skipped = _selection(db, article_id, claim_id, status)
    records = [
        ris_record(works[work_id], authors.get(work_id, []), keys[work_id])
        for work_id in order
    ]
    return write_ris(records), {"entries": len(records), "skipped": skipped}


def export_formatted(
    db: sqlite_utils.Database,
    style: str = "ama",
    output_format: str = "text",
    article_id: int | None = None,
    claim_id: int | None = None,
    status: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The selected works as a reference list in a citation style, and a report of
    what was left out. An article's list keeps the article's order; numbered styles
    number in that order."""
    from .bib.formatted import format_bibliography, style_path

    style_path(style)  # an unknown style is refused before anything is read
    works, authors, keys, order, skipped = _selection(db, article_id, claim_id, status)
    if article_id is not None:
        positions = stored.citation_positions(db, article_id)
        order.sort(
            key=lambda work_id: (
                positions.get(work_id, len(positions) + 1),
                keys[work_id],
            )
        )
    items = [
        csl_item(works[work_id], authors.get(work_id, []), keys[work_id])
        for work_id in order
    ]
    text = format_bibliography(items, style, output_format)
    return text, {"entries": len(items), "skipped": skipped}


def _selection(db, article_id, claim_id, status):
    """The selected works, their authors and keys, their order (by key), and the DOIs
    left out for want of metadata."""
    order, keys, skipped = _keyed_selection(db, article_id, claim_id, status)
    works = stored.works_for_export(db, order)
    authors = stored.authors_of(db, order)
    return works, authors, keys, order, skipped


def _keyed_selection(db, article_id, claim_id, status):
    """The ids of the selected works in key order, their keys (given now to those
    that had none), and the DOIs left out for want of metadata."""
    ids, skipped = select_works(db, article_id, claim_id, status)
    keys = assign_citekeys(db, ids)
    return sorted(ids, key=keys.__getitem__), keys, skipped


def import_bibtex(db: sqlite_utils.Database, path: str | Path) -> dict[str, Any]:
    """Import a .bib file; return ``{"entries", "imported", "duplicates", "failed", ...}``.

    A long file is read on every core, and the works of its first pieces are stored
    while the workers read the rest, all in one transaction: nothing is stored unless
    everything is. The transaction holds the write lock, and ``tracker serve`` waits
    for it only so long (:data:`~tracker.store.database.BUSY_TIMEOUT_MS`): a file
    longer than :data:`STORED_WHILE_READ_UP_TO` is read whole before the lock is
    taken, as storing alone takes a fraction of reading."""
    path = Path(path)
    data = read_file(path, MAX_BYTES)
    text, encoding_note = decode_bib(data, path)
    read = ReadFile()
    warnings: list[dict[str, Any]] = []  # the import's own, beside the reader's
    pieces = _read_in_pieces(text)
    if len(text) > STORED_WHILE_READ_UP_TO:
        pieces = iter(list(pieces))
    with db.atomic():
        importer = _Importer(db, warnings)
        # An entry without a key is given one free among all the file's keys: it and
        # those after it wait until the whole file is read, so that entries are
        # still taken in the file's order.
        waiting: list[ReadEntry] = []
        file_keys: list[str] = []
        count = 0
        for entry in merged_entries(pieces, read):
            count += 1
            if entry.key:
                file_keys.append(entry.key)
            if waiting or not entry.key:
                waiting.append(entry)
            else:
                importer.take(entry)
        _key_the_keyless(db, waiting, warnings, file_keys)
        for entry in waiting:
            importer.take(entry)
        importer.store()
    if encoding_note:
        read.warnings.insert(0, {"line": 1, "warning": encoding_note})
    read.warnings.extend(warnings)
    return {
        "entries": count + len(read.failed) + len(read.duplicate_keys),
        "imported": importer.imported,
        "duplicates": len(read.duplicate_keys) + len(importer.duplicates),
        "failed": sorted(read.failed, key=lambda failure: failure["line"]),
        "duplicate_entries": sorted(
            read.duplicate_keys + importer.duplicates,
            key=lambda duplicate: duplicate["line"],
        ),
        "warnings": sorted(read.warnings, key=lambda warning: warning["line"]),
    }


class _Importer:
    """Takes entries in the file's order and stores their works and authors in
    batches: the keys and DOIs taken so far decide which are duplicates."""

    #: Works stored at a time: the store keeps pace with the workers reading.
    BATCH = 1_000

    def __init__(self, db: sqlite_utils.Database, warnings: list) -> None:
        self.db, self.warnings = db, warnings
        # BibTeX takes keys that differ only in case for one key: so does the import.
        self.keys = {key.lower(): key for key in stored.citekeys_in_use(db)}
        self.dois = stored.dois_in_use(db)
        self.next_id = stored.next_work_id(db)
        self.now = utc_now()
        self.rows: list[dict[str, Any]] = []
        self.authors: list[tuple[Any, ...]] = []
        self.duplicates: list[dict[str, Any]] = []
        self.imported = 0

    def take(self, entry: ReadEntry) -> None:
        found = _work_row(entry, self.warnings, self.keys, self.dois, self.now)
        if isinstance(found, str):
            self.duplicates.append(
                {"line": entry.line, "key": entry.key, "reason": found}
            )
            return
        work_id = self.next_id + self.imported
        self.imported += 1
        self.rows.append({"id": work_id, **found})
        self.authors.extend(
            (
                work_id,
                position,
                person.get("family"),
                person.get("given"),
                person.get("name"),
            )
            for position, person in enumerate(entry.people, start=1)
        )
        if len(self.rows) >= self.BATCH:
            self.store()

    def store(self) -> None:
        """Store the works taken since the last call, and their authors."""
        stored.add_described_works(self.db, self.rows)
        stored.add_authors(self.db, self.authors)
        self.rows, self.authors = [], []


#: The longest file (in characters) whose works are stored while it is read: about
#: 20,000 entries, read in about 5 s on a slow machine of two cores.
STORED_WHILE_READ_UP_TO = 10_000_000

#: A .bib file this long is read in pieces of :data:`PIECE` characters on every core
#: (a piece takes bibtexparser about 0.1 s); a shorter one in this process.
PARALLEL_FROM, PIECE = 2_000_000, 400_000


def _read_in_pieces(text: str) -> Iterator[ReadFile]:
    chunks = bib_chunks(text, PIECE if len(text) >= PARALLEL_FROM else None)
    # Short, or with @string macros: one piece, read here without workers.
    if len(chunks) == 1:
        return map(_read_for_import, chunks)
    return parallel_map(_read_for_import, chunks, chunksize=1)


#: The fields an entry without a key is given one from (:func:`_key_the_keyless`).
_KEYED_FROM = ("year", "date", "title")


def _read_for_import(chunk: tuple[int, str]) -> ReadFile:
    """:func:`read_bib_chunk`, keeping of each entry only what the import reads: the
    entries come back from the workers pickled, and the fields as written and as
    text were two of their three copies (the work holds the fields as written). A
    short file is read so too, so that every import sees entries of one shape."""
    read = read_bib_chunk(chunk)
    for entry in read.entries:
        entry.raw_fields = []
        entry.text = (
            {}
            if entry.key
            else {k: v for k, v in entry.text.items() if k in _KEYED_FROM}
        )
    return read


#: The encoding a .bib file names for itself (JabRef: ``% Encoding: windows-1252``).
_DECLARED_ENCODING = re.compile(rb"^%\s*encoding\s*[:=]\s*([\w.\-]+)", re.I | re.M)


#: Byte-order marks of UTF-8 and UTF-16: the reader decodes what follows them.
_UNICODE_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def decode_bib(data: bytes, path: Path) -> tuple[str, str | None]:
    """The text of a .bib file, and a note when it was not UTF-8: read in the encoding
    the file names for itself, else in the one charset-normalizer finds, else refused
    naming what it seems to be. Never garbled silently."""
    if not data.startswith(_UNICODE_MARKS) and not _is_utf8(data):
        return _undeclared(data, path)
    try:
        return decode(data), None
    except InvalidInput as error:  # binary data, not text
        raise InvalidInput(f"{path} is {error}") from error


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _undeclared(data: bytes, path: Path) -> tuple[str, str]:
    declared = _DECLARED_ENCODING.search(data[:8192])
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            return data.decode(name), f"read as {name}, the encoding the file names"
        except (LookupError, UnicodeDecodeError):
            raise InvalidInput(
                f"{path} says it is {name} but is not (and not UTF-8): save it as UTF-8"
            ) from None
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        guess = f" (it looks most like {best.encoding})" if best else ""
        raise InvalidInput(
            f"{path} is not UTF-8 and its encoding cannot be told{guess}: save it as UTF-8"
        )
    return str(
        best
    ), f"not UTF-8: read as {best.encoding}, the encoding it appears to be in"


def _key_taken(key: str, keys: dict[str, str]) -> str | None:
    stored_key = keys.get(key.lower())
    if stored_key is None:
        return None
    same = "" if stored_key == key else f" (as {stored_key!r}; BibTeX ignores case)"
    return f"key {key!r} is already stored{same}"


def _key_the_keyless(
    db, entries: list[ReadEntry], warnings: list, file_keys: list[str]
) -> None:
    """Give entries without a key (Mendeley writes ``@article{,``) a key as the tracker
    makes them, free among the file's keys and the stored ones; say so."""
    keyless = [entry for entry in entries if not entry.key]
    if not keyless:
        return
    fresh = new_keys(
        (
            (
                index,
                (entry.people or [{}])[0].get("family"),
                year_from_bibtex(entry.text.get("year") or entry.text.get("date")),
                entry.text.get("title"),
            )
            for index, entry in enumerate(keyless)
        ),
        file_keys + stored.citekeys_in_use(db),
    )
    for index, entry in enumerate(keyless):
        entry.key = fresh[index]
        warnings.append(
            {
                "line": entry.line,
                "warning": f"an entry without a key: given {entry.key!r}",
            }
        )


def _work_row(
    entry: ReadEntry,
    warnings: list,
    keys: dict[str, str],
    dois: set[str],
    now: str,
) -> dict[str, Any] | str:
    """The ``works`` row of one entry, or why it is a duplicate. ``keys`` (the keys
    stored and taken so far, by their lower case) and ``dois`` (the DOIs stored and
    taken so far) get the entry's."""
    if entry.doi_problem:
        warnings.append(
            {"line": entry.line, "warning": f"entry {entry.key!r}: {entry.doi_problem}"}
        )
    doi = entry.work["doi"]
    taken = (f"DOI {doi} is already stored" if doi in dois else None) or _key_taken(
        entry.key, keys
    )
    if taken:
        return taken
    keys[entry.key.lower()] = entry.key
    if doi:
        dois.add(doi)
    return stored.described_work_row(
        {
            **entry.work,
            "citekey": entry.key,
            "citekey_source": "imported",
            "metadata_source": "bibtex",
        },
        now,
    )
