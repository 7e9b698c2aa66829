"""The database: opening it safely, and the schema with its upgrade steps.

The schema lives here and nowhere else. ``PRAGMA user_version`` holds the number of
upgrade steps applied; :data:`UPGRADES` lists them in order, and :func:`migrate` runs
the missing ones, each in its own transaction, so a database written by any earlier
version of the tracker is brought up to date in place.

Every connection turns foreign-key enforcement on (SQLite leaves it off), waits for
locks instead of failing at once, and the database runs in WAL mode, so that
``tracker serve`` can read while the command line writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from .errors import DatabaseError, InvalidInput, NotFound

STANCES = ("supports", "contradicts", "mentions", "cites")
CLAIM_STATUSES = (
    "unreviewed",
    "supported",
    "partly_supported",
    "unsupported",
    "contradicted",
)
FETCH_STATUSES = ("pending", "ok", "not_found", "error")
DOI_SOURCES = ("text", "matched", "manual")

BUSY_TIMEOUT_MS = 10_000
_SQLITE_HEADER = b"SQLite format 3\x00"


def open_database(path: str | Path, create: bool = True) -> sqlite_utils.Database:
    """Open the tracker database at ``path``, creating or upgrading it as needed.

    :param create: when False, a missing file is an error instead of a new database
    :raises DatabaseError: the file is not a SQLite database, or its schema is newer
        than this version of the tracker understands
    :raises NotFound: ``create`` is False and there is no file at ``path``
    """
    return init_database(path, create)[0]


def init_database(
    path: str | Path, create: bool = True
) -> tuple[sqlite_utils.Database, dict[str, Any]]:
    """Open, create or upgrade the database; also report what was done.

    The report has ``path``, ``created`` (a new file), ``upgraded_from`` (the schema
    version found) and ``schema_version`` (the version now).
    """
    path = Path(path)
    _check_file(path, create)
    created = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite_utils.Database(path)
        configure_connection(db.conn)
        found = schema_version(db)
        version = migrate(db)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path} cannot be used as a database: {error}") from error
    report = {
        "path": str(path),
        "created": created,
        "upgraded_from": found,
        "schema_version": version,
    }
    return db, report


def configure_connection(conn: sqlite3.Connection) -> None:
    """Settings every connection needs: enforced foreign keys and a busy timeout."""
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def utc_now() -> str:
    """The current time as stored in the database (and as Datasette writes it)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def schema_version(db: sqlite_utils.Database) -> int:
    """The number of upgrade steps applied to ``db``."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the upgrade steps ``db`` lacks; return the resulting schema version."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"the database has schema version {version}, newer than this tracker "
            f"understands ({SCHEMA_VERSION}); upgrade the tracker"
        )
    if version < SCHEMA_VERSION and db.journal_mode != "wal":
        db.enable_wal()
    for number, step in enumerate(UPGRADES[version:], start=version + 1):
        with db.atomic():
            step(db)
            # PRAGMA takes no parameters; number is an int from enumerate().
            db.execute(f"PRAGMA user_version = {int(number)}")
    return SCHEMA_VERSION


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


# Upgrade steps ---------------------------------------------------------------------


def _vocabulary_triggers(table: str, column: str, allowed: tuple[str, ...]) -> str:
    """Triggers that refuse values outside ``allowed``, whoever writes the row.

    SQLite cannot add CHECK constraints to an existing table, and sqlite-utils does
    not create them; triggers guard the web interface's writes as well as ours.
    """
    values = ", ".join(f"'{value}'" for value in allowed)
    message = f"{column} must be one of: {', '.join(allowed)}"
    return "\n".join(
        f"""
        CREATE TRIGGER "{table}_{column}_valid_on_{event.split()[0].lower()}"
        BEFORE {event} ON "{table}"
        WHEN NEW."{column}" IS NOT NULL AND NEW."{column}" NOT IN ({values})
        BEGIN SELECT RAISE(ABORT, '{message}'); END;
        """
        for event in ("INSERT", f'UPDATE OF "{column}"')
    )


CLAIM_EVIDENCE_VIEW = """
CREATE VIEW claim_evidence AS
SELECT
    evidence.id AS evidence_id,
    claims.id AS claim_id,
    claims.text AS claim,
    claims.status AS claim_status,
    articles.id AS article_id,
    articles.title AS article,
    evidence.stance,
    evidence.note,
    evidence.quote,
    works.id AS work_id,
    works.title AS work_title,
    works.year,
    works.container_title AS journal,
    works.doi,
    CASE WHEN works.doi IS NOT NULL THEN 'https://doi.org/' || works.doi END AS doi_url
FROM evidence
JOIN claims ON claims.id = evidence.claim_id
JOIN works ON works.id = evidence.work_id
LEFT JOIN articles ON articles.id = claims.article_id
"""


def _create_initial_schema(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "title": str,
            "url": str,
            "text": str,
            "sha256": str,
            "ingested_at": str,
        },
        pk="id",
        not_null={"text", "sha256", "ingested_at"},
    )
    db["articles"].create_index(["sha256"], unique=True)
    db["claims"].create(
        {
            "id": int,
            "article_id": int,
            "text": str,
            "char_start": int,
            "char_end": int,
            "status": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"text", "status"},
        defaults={"status": "unreviewed"},
    )
    db["works"].create(
        {
            "id": int,
            "doi": str,
            "type": str,
            "title": str,
            "container_title": str,
            "year": int,
            "volume": str,
            "issue": str,
            "page": str,
            "publisher": str,
            "citekey": str,
            "fetched_at": str,
            "fetch_status": str,
            "raw": str,
            "created_at": str,
        },
        pk="id",
        not_null={"fetch_status"},
        defaults={"fetch_status": "pending"},
    )
    db["works"].create_index(["doi"], unique=True)
    db["works"].create_index(["citekey"], unique=True)
    db["authors"].create(
        {
            "work_id": int,
            "position": int,
            "given": str,
            "family": str,
            "name": str,
            "orcid": str,
        },
        pk=("work_id", "position"),
        foreign_keys=[("work_id", "works", "id")],
        not_null={"work_id", "position"},
    )
    db["evidence"].create(
        {
            "id": int,
            "claim_id": int,
            "work_id": int,
            "stance": str,
            "note": str,
            "quote": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id"), ("work_id", "works", "id")],
        not_null={"claim_id", "work_id", "stance"},
        defaults={"stance": "cites"},
    )
    db["evidence"].create_index(["claim_id", "work_id"], unique=True)
    db["citations"].create(
        {
            "id": int,
            "article_id": int,
            "position": int,
            "raw": str,
            "char_start": int,
            "char_end": int,
            "work_id": int,
            "doi_source": str,
            "match_score": float,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("work_id", "works", "id")],
        not_null={"article_id", "position", "raw", "work_id"},
    )
    db["citations"].create_index(["article_id", "position"], unique=True)
    db.index_foreign_keys()
    db["claims"].enable_fts(["text"], create_triggers=True, tokenize="porter")
    db["works"].enable_fts(["title"], create_triggers=True, tokenize="porter")
    db.executescript(
        "\n".join(
            [
                _vocabulary_triggers("claims", "status", CLAIM_STATUSES),
                _vocabulary_triggers("evidence", "stance", STANCES),
                _vocabulary_triggers("works", "fetch_status", FETCH_STATUSES),
                _vocabulary_triggers("citations", "doi_source", DOI_SOURCES),
            ]
        )
    )
    db.execute(CLAIM_EVIDENCE_VIEW)


#: Columns filled from fetched metadata, beyond the SPEC's. List columns hold JSON.
FETCHED_WORK_COLUMNS = {
    "subtitle": str,
    "short_container_title": str,
    "issued": str,
    "published_print": str,
    "published_online": str,
    "article_number": str,
    "publisher_location": str,
    "issn": str,
    "isbn": str,
    "abstract": str,
    "language": str,
    "license_url": str,
    "url": str,
    "references_count": int,
    "is_referenced_by_count": int,
    "subjects": str,
    "update_to": str,
    "updated_by": str,
    "relation": str,
    "editors": str,
    "metadata_source": str,
    "fetch_error": str,
}


def _add_fetched_metadata_columns(db: sqlite_utils.Database) -> None:
    for column, kind in FETCHED_WORK_COLUMNS.items():
        db["works"].add_column(column, kind)
    db["authors"].add_column("affiliation", str)
    db["authors"].add_column("sequence", str)
    db["works"].create_index(["fetch_status"])


VERDICTS = ("ok", "minor", "mismatch", "wrong_work")


def _add_ingestion_and_verification(db: sqlite_utils.Database) -> None:
    db["articles"].add_column("format", str)
    db["articles"].add_column("source", str)
    db["articles"].add_column("note", str)
    db["citations"].add_column("label", str)
    db["citations"].add_column("parsed", str)
    db["citations"].add_column("verdict", str)
    db["citations"].add_column("checked_at", str)
    db["evidence"].add_column("origin", str)
    db["evidence"].add_column("marker", str)
    db["citation_checks"].create(
        {
            "citation_id": int,
            "field": str,
            "cited": str,
            "recorded": str,
            "result": str,
        },
        pk=("citation_id", "field"),
        foreign_keys=[("citation_id", "citations", "id")],
        not_null={"citation_id", "field", "result"},
    )
    db["citation_candidates"].create(
        {
            "citation_id": int,
            "rank": int,
            "doi": str,
            "title": str,
            "year": int,
            "first_author": str,
            "crossref_score": float,
            "title_similarity": float,
            "author_ok": int,
            "year_ok": int,
            "raw": str,
        },
        pk=("citation_id", "rank"),
        foreign_keys=[("citation_id", "citations", "id")],
        not_null={"citation_id", "rank", "doi"},
    )
    db.executescript(
        "\n".join(
            [
                _vocabulary_triggers("citations", "verdict", VERDICTS),
                _vocabulary_triggers(
                    "citation_checks", "result", ("ok", "minor", "mismatch", "missing")
                ),
            ]
        )
    )


def _add_bibliography_columns(db: sqlite_utils.Database) -> None:
    # The entry as an imported .bib file wrote it (JSON), exported unchanged until the
    # work's metadata is fetched; and where the citation key came from.
    db["works"].add_column("bibtex", str)
    db["works"].add_column("citekey_source", str)
    db["works"].add_column("institution", str)
    db.executescript(
        _vocabulary_triggers(
            "works", "citekey_source", ("generated", "imported", "manual")
        )
    )


UPGRADES: list[Callable[[sqlite_utils.Database], None]] = [
    _create_initial_schema,
    _add_fetched_metadata_columns,
    _add_ingestion_and_verification,
    _add_bibliography_columns,
]
SCHEMA_VERSION = len(UPGRADES)
