"""Opening the database safely: every connection's settings, and the file checks.

Every connection turns foreign-key enforcement on (SQLite leaves it off) and waits for
locks instead of failing at once, and the database runs in WAL mode, so that
``tracker serve`` can read while the command line writes. The schema and its upgrade
steps are :mod:`tracker.store.schema`.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import DatabaseError, InvalidInput, NotFound
from . import schema

BUSY_TIMEOUT_MS = 10_000
#: Pages kept in memory per connection, in KiB. SQLite's 2 MB default makes a long
#: write (a large article's claims and their indexes) spill and re-read pages; the
#: room is taken only as pages are used.
CACHE_KIB = 16_384
_SQLITE_HEADER = b"SQLite format 3\x00"


class TrackerDatabase(sqlite_utils.Database):
    """A sqlite-utils database whose transactions take the write lock when they begin.

    ``BEGIN`` (deferred) starts as a reader; in WAL mode a reader that then writes
    while another connection has written since fails at once with "database is
    locked", whatever the busy timeout. ``BEGIN IMMEDIATE`` waits for the lock instead,
    so the command line and ``tracker serve`` can write side by side.
    """

    def atomic(self):
        if self.conn.in_transaction:
            return super().atomic()
        return self._immediate()

    def executescript(self, sql: str) -> sqlite3.Cursor:
        """sqlite-utils' (inside a transaction each statement runs in it), with the
        script split by :func:`sql_statements`: sqlite-utils asks SQLite whether every
        prefix of the script is complete, in time that grows with its square, and
        creating a database ran 1,500 scripts (a third of its time; ``enable_fts``
        writes its triggers as one)."""
        if not self.conn.in_transaction:
            return super().executescript(sql)
        tracer = getattr(self, "_tracer", None)
        if tracer:
            tracer(sql, None)
        cursor = self.conn.cursor()
        for statement in sql_statements(sql):
            cursor.execute(statement)
        return cursor

    @contextmanager
    def _immediate(self) -> Iterator[TrackerDatabase]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def sql_statements(script: str) -> Iterator[str]:
    """The statements of a script, each stripped, as sqlite-utils splits them: a
    statement can be complete only where a semicolon ends it, so only there is SQLite
    asked whether what has been read so far is."""
    start, end = 0, script.find(";")
    while end >= 0:
        statement = script[start : end + 1].strip()
        if statement and sqlite3.complete_statement(statement):
            yield statement
            start = end + 1
        end = script.find(";", end + 1)
    rest = script[start:].strip()
    if rest:
        yield rest


def wrap_connection(conn: sqlite3.Connection) -> TrackerDatabase:
    """A :class:`TrackerDatabase` over a connection opened elsewhere (Datasette's)."""
    return TrackerDatabase(conn)


def open_database(path: str | Path, create: bool = True) -> sqlite_utils.Database:
    """Open the tracker database at ``path``, creating or upgrading it as needed.

    :param create: when False (the commands that only read, or change what exists), a
        missing or empty file is an error instead of a new database, so that nothing is
        written to a file the tracker did not make
    :raises DatabaseError: the file is not a SQLite database, holds another program's
        tables, or its schema is newer than this version of the tracker understands
    :raises NotFound: ``create`` is False and there is no file at ``path``
    """
    return init_database(path, create)[0]


def init_database(
    path: str | Path, create: bool = True, adopt: bool = False
) -> tuple[sqlite_utils.Database, dict[str, Any]]:
    """Open, create or upgrade the database; also report what was done.

    :param adopt: add the tracker's tables to a SQLite file that holds other tables
        (``tracker init`` on another program's database); otherwise that is an error
    The report has ``path``, ``created`` (a new file), ``upgraded_from`` (the schema
    version found) and ``schema_version`` (the version now).
    """
    path = Path(path)
    _check_file(path, create)
    created = not path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInput(f"cannot create {path}: {error.strerror}") from error
    try:
        db = TrackerDatabase(path)
        configure_connection(db.conn)
        found = schema.schema_version(db)
        _check_contents(db, path, found, create, adopt)
        version = schema.migrate(db)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path} cannot be used as a database: {error}") from error
    report = {
        "path": str(path),
        "created": created,
        "upgraded_from": found,
        "schema_version": version,
    }
    return db, report


def database_file(db: sqlite_utils.Database) -> Path | None:
    """The file of the database, or None for one held in memory."""
    name = db.execute("pragma database_list").fetchone()[2]
    return Path(name) if name else None


def configure_connection(conn: sqlite3.Connection) -> None:
    """Settings every connection needs: enforced foreign keys, a busy timeout and
    room for the pages of a long write."""
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def insert_many(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    per_statement: int = 200,
) -> None:
    """Insert rows (values in the order of ``columns``, names from the tracker's own
    code) with statements of many ``values`` each: two to three times faster than a
    statement per row when the table has triggers."""
    head = f"insert into {table} ({', '.join(columns)}) values "
    one = "(" + ", ".join("?" * len(columns)) + ")"
    batch: list[Sequence[Any]] = []
    for row in itertools.chain(rows, [None]):
        if row is not None:
            batch.append(row)
        if batch and (row is None or len(batch) == per_statement):
            db.execute(
                head + ", ".join([one] * len(batch)),
                [value for values in batch for value in values],
            )
            batch = []


def utc_now() -> str:
    """The current time as stored in the database (and as Datasette writes it)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_contents(
    db: sqlite_utils.Database, path: Path, version: int, create: bool, adopt: bool
) -> None:
    """Refuse, before anything is written, a file that is not the tracker's to change."""
    tables = set(db.table_names())
    if version and {"claims", "works", "articles"} <= tables:
        return
    if not tables and version == 0:
        if create:
            return
        db.close()
        raise DatabaseError(
            f"{path} is not a tracker database: it is empty"
            " (`tracker init` makes it one)"
        )
    if adopt and version == 0:
        return
    db.close()
    raise DatabaseError(
        f"{path} is not a tracker database: it holds another program's tables"
        f" ({', '.join(sorted(tables)[:3])}{', ...' if len(tables) > 3 else ''});"
        " `tracker init` adds the tracker's tables to it"
    )


def _check_file(path: Path, create: bool) -> None:
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder, not a database file")
    if not path.exists():
        if not create:
            raise NotFound(f"no database at {path} (run `tracker init` to create it)")
        return
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_HEADER))
    if header and header != _SQLITE_HEADER:
        raise DatabaseError(f"{path} is not a SQLite database")
