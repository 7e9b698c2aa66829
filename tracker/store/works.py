"""Works and their authors: the papers, books and datasets that evidence and citations
point to.

A work is identified by its normalised DOI; a work known only by its DOI waits with
``fetch_status`` ``pending`` until its metadata is fetched. A work without DOI is
described by what a reference (or an imported .bib entry) says, until a DOI is found
for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from ..bib.citekeys import KeyRing, first_family
from ..errors import NotFound
from ..text.doi import normalize_doi
from .database import insert_many, utc_now


def _ids(ids: Iterable[int]) -> str:
    """Ids as one JSON parameter, for ``in (select value from json_each(?))``."""
    return json.dumps(list(ids))


def work_for_doi(db: sqlite_utils.Database, doi: str) -> dict[str, Any] | None:
    """The stored work with this DOI, or None."""
    rows = db.query("select * from works where doi = ?", [normalize_doi(doi)])
    return next(iter(rows), None)


def work_by_id(db: sqlite_utils.Database, work_id: int) -> dict[str, Any] | None:
    rows = db.query("select * from works where id = ?", [work_id])
    return next(iter(rows), None)


def require_work(db: sqlite_utils.Database, doi: str) -> dict[str, Any]:
    """The stored work with this DOI; :class:`NotFound` when there is none."""
    work = work_for_doi(db, doi)
    if work is None:
        raise NotFound(f"no work with DOI {normalize_doi(doi)}")
    return work


def ensure_work(db: sqlite_utils.Database, doi: str) -> int:
    """The id of the work with this DOI, adding it as ``pending`` when it is new."""
    doi = normalize_doi(doi)
    db.execute(
        "insert into works (doi, fetch_status, created_at) values (?, 'pending', ?)"
        " on conflict (doi) do nothing",
        [doi, utc_now()],
    )
    return db.execute("select id from works where doi = ?", [doi]).fetchone()[0]


def ensure_works(db: sqlite_utils.Database, dois: Iterable[str]) -> None:
    """Add the DOIs not yet stored as ``pending`` works, in one transaction."""
    with db.atomic():
        for doi in dois:
            ensure_work(db, doi)


def dois_with_metadata(db: sqlite_utils.Database, dois: list[str]) -> set[str]:
    """Those of ``dois`` whose works have metadata (``ok``)."""
    return {
        row[0]
        for row in db.execute(
            "select doi from works where fetch_status = 'ok'"
            " and doi in (select value from json_each(?))",
            [json.dumps(dois)],
        )
    }


def dois_to_fetch(db: sqlite_utils.Database, refresh: bool = False) -> list[str]:
    """DOIs of the works still without metadata (pending or failed), or of every work
    with a DOI when ``refresh``, in the order they were added."""
    condition = "1 = 1" if refresh else "fetch_status in ('pending', 'error')"
    rows = db.execute(
        f"select doi from works where doi is not null and {condition} order by id"
    )
    return [row[0] for row in rows]


def store_metadata(
    db: sqlite_utils.Database,
    doi: str,
    record: dict[str, Any],
    authors: list[dict[str, Any]],
    source: str,
    design: tuple[str, str, int | None] | None = None,
    keys: NewCitekeys | None = None,
) -> int:
    """Store fetched metadata for the work with ``doi``; return the work's id.

    The work is added when new and updated in place otherwise, so its id, citation key
    and evidence links stay; its authors are replaced by the record's. ``design`` is
    (study design, the phrase that decided it, level of evidence): it replaces the one
    stored unless a reviewer set it. A work without a key gets one from ``keys`` in
    the same write (a key given later would rewrite the whole row, record and all).
    Call inside a transaction to store many works at once.
    """
    row = {
        **record,
        "doi": normalize_doi(doi),
        "metadata_source": source,
        "fetch_status": "ok",
        "fetch_error": None,
        "fetched_at": utc_now(),
    }
    existing = db.execute(
        "select id, citekey from works where doi = ?", [row["doi"]]
    ).fetchone()
    if keys is not None and (existing is None or existing[1] is None):
        row["citekey"] = keys.key_for(authors, record.get("year"), record.get("title"))
        row["citekey_source"] = "generated"
    # Column names come from our own mapping, never from the record's data.
    names = ", ".join(f'"{column}"' for column in row)
    values = ", ".join(f":{column}" for column in row)
    updates = ", ".join(f'"{column}" = :{column}' for column in row if column != "doi")
    cursor = db.execute(
        f"insert into works ({names}, created_at) values ({values}, :fetched_at)"
        f" on conflict (doi) do update set {updates}",
        row,
    )
    work_id = existing[0] if existing else cursor.lastrowid
    if design is not None:
        db.execute(
            "update works set study_design = ?, study_design_reason = ?,"
            " evidence_level = ?, evidence_level_source = 'inferred'"
            " where id = ? and evidence_level_source is not 'reviewer'",
            [*design, work_id],
        )
    replace_authors(db, work_id, authors)
    return work_id


def replace_authors(
    db: sqlite_utils.Database, work_id: int, authors: list[dict[str, Any]]
) -> None:
    db.execute("delete from authors where work_id = ?", [work_id])
    if authors:
        db["authors"].insert_all({"work_id": work_id, **author} for author in authors)


#: The columns of an author row as an import gives them.
AUTHOR_COLUMNS = ("work_id", "position", "family", "given", "name")


def add_authors(db: sqlite_utils.Database, rows: Iterable[Sequence[Any]]) -> None:
    """Author rows of many works, in bulk: values in the order of
    :data:`AUTHOR_COLUMNS` (an import of 20,000 works gives 175,000)."""
    insert_many(db, "authors", AUTHOR_COLUMNS, rows)


def record_fetch_failure(
    db: sqlite_utils.Database, doi: str, status: str, reason: str
) -> None:
    """Note that fetching ``doi`` failed, keeping any metadata stored before.

    A work that already has metadata stays ``ok``: a failed refresh loses nothing.
    """
    doi = normalize_doi(doi)
    ensure_work(db, doi)
    db.execute(
        "update works set fetch_error = ?,"
        " fetch_status = case when fetch_status = 'ok' then 'ok' else ? end"
        " where doi = ?",
        [reason, status, doi],
    )


def next_work_id(db: sqlite_utils.Database) -> int:
    """The id the next work will have (inside a write transaction: no other gets it)."""
    return db.execute("select coalesce(max(id), 0) + 1 from works").fetchone()[0]


def described_work_row(
    columns: dict[str, Any], now: str | None = None
) -> dict[str, Any]:
    """A ``works`` row as a reference or an imported entry describes the work, made
    at ``now`` (the current time if None)."""
    return {"fetch_status": "pending", "created_at": now or utc_now(), **columns}


def add_described_works(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> None:
    """Many rows of :func:`described_work_row` (each with its ``id``, all with the same
    columns, named by the tracker's own code)."""
    if rows:
        columns = list(rows[0])
        insert_many(
            db, "works", columns, ([row[c] for c in columns] for row in rows), 100
        )


def add_described_work(
    db: sqlite_utils.Database,
    columns: dict[str, Any],
    authors: list[dict[str, Any]] = (),
) -> int:
    """A work as a reference or an imported entry describes it (``pending`` until
    fetched); return its id. ``columns`` are ``works`` columns; their names come from
    the tracker's own code."""
    row = described_work_row(columns)
    names = ", ".join(f'"{column}"' for column in row)
    values = ", ".join(f":{column}" for column in row)
    work_id = db.execute(
        f"insert into works ({names}) values ({values})", row
    ).lastrowid
    if authors:
        db["authors"].insert_all(
            {"work_id": work_id, "position": position, **author}
            for position, author in enumerate(authors, start=1)
        )
    return work_id


def dois_in_use(db: sqlite_utils.Database) -> set[str]:
    """Every DOI a work has."""
    return {row[0] for row in db.execute("select doi from works where doi is not null")}


def assign_doi(db: sqlite_utils.Database, work_id: int, doi: str) -> int:
    """Give a work without DOI the DOI found for it; return the work's id.

    When another work already has that DOI, the two are merged into it: citations
    and evidence move over (a claim linked to both keeps one link) and the work
    without DOI goes.
    """
    doi = normalize_doi(doi)
    existing = work_for_doi(db, doi)
    with db.atomic():
        if existing is None:
            db.execute(
                "update works set doi = ?, fetch_status = 'pending', metadata_source = null"
                " where id = ?",
                [doi, work_id],
            )
            return work_id
        if existing["id"] != work_id:
            merge_works(db, work_id, existing["id"])
        return existing["id"]


def merge_works(db: sqlite_utils.Database, source_id: int, target_id: int) -> None:
    """Move everything that points at work ``source_id`` to ``target_id``; delete it."""
    with db.atomic():
        db.execute(
            "update citations set work_id = ? where work_id = ?", [target_id, source_id]
        )
        db.execute(
            "delete from evidence where work_id = ? and claim_id in"
            " (select claim_id from evidence where work_id = ?)",
            [source_id, target_id],
        )
        db.execute(
            "update evidence set work_id = ? where work_id = ?", [target_id, source_id]
        )
        db.execute("delete from authors where work_id = ?", [source_id])
        db.execute("delete from works where id = ?", [source_id])


def works_by_ids(
    db: sqlite_utils.Database, ids: list[int]
) -> dict[int, dict[str, Any]]:
    """The works with these ids, by id."""
    return {
        row["id"]: dict(row)
        for row in db.query(
            "select * from works where id in (select value from json_each(?))",
            [_ids(ids)],
        )
    }


def authors_of(
    db: sqlite_utils.Database, ids: Iterable[int]
) -> dict[int, list[dict[str, Any]]]:
    """The authors of these works in order, by work id (one query)."""
    authors: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
        "select * from authors where work_id in (select value from json_each(?))"
        " order by work_id, position",
        [_ids(ids)],
    ):
        authors.setdefault(row["work_id"], []).append(row)  # a fresh dict per row
    return authors


# Citation keys --------------------------------------------------------------------


def works_needing_keys(
    db: sqlite_utils.Database, ids: list[int]
) -> tuple[dict[int, str], list[dict[str, Any]]]:
    """({id: key} of the works that have a key, the works that have none with their
    ``id``, ``year``, ``title`` and first author's ``family`` and ``name``), in id
    order."""
    keyed: dict[int, str] = {}
    unkeyed = []
    rows = db.query(
        "select works.id, works.citekey, works.year, works.title, first.family, first.name"
        " from works left join authors as first on first.work_id = works.id"
        " and first.position = (select min(position) from authors"
        "                       where authors.work_id = works.id)"
        " where works.id in (select value from json_each(?)) order by works.id",
        [_ids(ids)],
    )
    for row in rows:
        if row["citekey"]:
            keyed[row["id"]] = row["citekey"]
        else:
            unkeyed.append(dict(row))
    return keyed, unkeyed


class NewCitekeys:
    """Keys for works as their records are stored, from one :class:`KeyRing`.

    The ring reads the keys in use once, and again only when another connection has
    written to the database since (``PRAGMA data_version`` tells): so storing a run of
    records stays linear, and a key set meanwhile elsewhere is never handed out.
    Ask inside the transaction that stores the key, so that nothing writes between.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db
        self._ring: KeyRing | None = None
        self._version: int | None = None

    def key_for(
        self, authors: list[dict[str, Any]], year: int | None, title: str | None
    ) -> str:
        version = self._db.execute("pragma data_version").fetchone()[0]
        if self._ring is None or version != self._version:
            self._ring = KeyRing(citekeys_in_use(self._db))
            self._version = version
        return self._ring.take(first_family(authors), year, title)


def citekeys_in_use(db: sqlite_utils.Database) -> list[str]:
    return [
        row[0]
        for row in db.execute("select citekey from works where citekey is not null")
    ]


def save_citekeys(
    db: sqlite_utils.Database, keys: dict[int, str], source: str = "generated"
) -> None:
    with db.atomic():
        db.conn.executemany(
            "update works set citekey = ?, citekey_source = ? where id = ?",
            [(key, source, work_id) for work_id, key in keys.items()],
        )


def work_id_for(db: sqlite_utils.Database, work: int | str) -> int | None:
    """The id of a work named by its id or its DOI, or None."""
    if isinstance(work, int):
        row = db.execute("select id from works where id = ?", [work]).fetchone()
    else:
        row = db.execute(
            "select id from works where doi = ?", [normalize_doi(work)]
        ).fetchone()
    return row[0] if row else None


def citekey_owner(
    db: sqlite_utils.Database, key: str, other_than: int | None = None
) -> int | None:
    """The work that has ``key`` (compared without case), other than ``other_than``."""
    row = db.execute(
        "select id from works where lower(citekey) = lower(?) and id is not ?",
        [key, other_than],
    ).fetchone()
    return row[0] if row else None


# Selections for export --------------------------------------------------------------

_SELECTIONS = {
    "all": "select id from works",
    "article": """
        select work_id from citations where article_id = :article
        union select evidence.work_id from evidence join claims on claims.id = evidence.claim_id
        where claims.article_id = :article""",
    "claim": "select work_id from evidence where claim_id = :claim",
    "status": """
        select evidence.work_id from evidence join claims on claims.id = evidence.claim_id
        where claims.status = :status""",
}


def citation_positions(db: sqlite_utils.Database, article_id: int) -> dict[int, int]:
    """Each work the article's reference list cites, with its first position there."""
    rows = db.execute(
        "select work_id, min(position) from citations"
        " where article_id = ? and work_id is not null group by work_id",
        [article_id],
    )
    return {work_id: position for work_id, position in rows}


def selected_works(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    claim_id: int | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """(id, doi, whether it can be written) of the works an export selects: a claim's,
    an article's, those behind claims of a status, or all, in id order."""
    if claim_id is not None:
        selection = "claim"
    elif article_id is not None:
        selection = "article"
    elif status is not None:
        selection = "status"
    else:
        selection = "all"
    rows = db.query(
        "select id, doi, (title is not null or bibtex is not null or fetch_status = 'ok')"
        f" as writable from works where id in ({_SELECTIONS[selection]}) order by id",
        {"article": article_id, "claim": claim_id, "status": status},
    )
    return [dict(row) for row in rows]


#: The columns that describe a work as a reference does: what verification compares
#: and what an export writes.
DESCRIBING_COLUMNS = (
    "id",
    "doi",
    "type",
    "title",
    "subtitle",
    "container_title",
    "short_container_title",
    "year",
    "issued",
    "volume",
    "issue",
    "page",
    "article_number",
)
#: The columns an export writes from (``raw``, the whole record, is left behind).
EXPORT_COLUMNS = DESCRIBING_COLUMNS + (
    "publisher",
    "publisher_location",
    "institution",
    "issn",
    "isbn",
    "abstract",
    "language",
    "url",
    "editors",
    "citekey",
    "metadata_source",
    "bibtex",
)


def works_for_export(
    db: sqlite_utils.Database, ids: list[int]
) -> dict[int, dict[str, Any]]:
    """The export columns of these works, by id."""
    columns = ", ".join(EXPORT_COLUMNS)
    return {
        row["id"]: row
        for row in db.query(
            f"select {columns} from works where id in (select value from json_each(?))",
            [_ids(ids)],
        )
    }
