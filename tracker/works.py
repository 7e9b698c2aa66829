"""Works: the papers, books and datasets that evidence and citations point to.

A work is identified by its normalised DOI. A work that is only known by its DOI waits
with ``fetch_status`` ``pending`` until its metadata is fetched.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from .database import utc_now
from .designs import classify
from .doi import normalize_doi
from .errors import NotFound
from .metadata import authors_from_message, record_from_message


def work_for_doi(db: sqlite_utils.Database, doi: str) -> dict[str, Any] | None:
    """The stored work with this DOI, or None."""
    rows = db.query("select * from works where doi = ?", [normalize_doi(doi)])
    return next(iter(rows), None)


def ensure_work(db: sqlite_utils.Database, doi: str) -> int:
    """The id of the work with this DOI, adding it as ``pending`` when it is new."""
    doi = normalize_doi(doi)
    db.execute(
        "insert into works (doi, fetch_status, created_at) values (?, 'pending', ?)"
        " on conflict (doi) do nothing",
        [doi, utc_now()],
    )
    return db.execute("select id from works where doi = ?", [doi]).fetchone()[0]


def require_work(db: sqlite_utils.Database, doi: str) -> dict[str, Any]:
    """The stored work with this DOI; :class:`NotFound` when there is none."""
    work = work_for_doi(db, doi)
    if work is None:
        raise NotFound(f"no work with DOI {normalize_doi(doi)}")
    return work


def store_metadata(
    db: sqlite_utils.Database,
    doi: str,
    record: dict[str, Any],
    authors: list[dict[str, Any]],
    source: str,
) -> int:
    """Store fetched metadata for the work with ``doi``; return the work's id.

    The work is added when new and updated in place otherwise, so its id, citation key
    and evidence links stay; its authors are replaced by the record's. Its study design
    and level of evidence are inferred again, unless a reviewer set them. Call inside a
    transaction to store many works at once.
    """
    row = {
        **record,
        "doi": normalize_doi(doi),
        "metadata_source": source,
        "fetch_status": "ok",
        "fetch_error": None,
        "fetched_at": utc_now(),
    }
    # Column names come from our own mapping, never from the record's data.
    names = ", ".join(f'"{column}"' for column in row)
    values = ", ".join(f":{column}" for column in row)
    updates = ", ".join(f'"{column}" = :{column}' for column in row if column != "doi")
    db.execute(
        f"insert into works ({names}, created_at) values ({values}, :fetched_at)"
        f" on conflict (doi) do update set {updates}",
        row,
    )
    work_id = db.execute("select id from works where doi = ?", [row["doi"]]).fetchone()[
        0
    ]
    design = classify(record.get("type"), record.get("title"), record.get("abstract"))
    db.execute(
        "update works set study_design = ?, study_design_reason = ?, evidence_level = ?,"
        " evidence_level_source = 'inferred'"
        " where id = ? and evidence_level_source is not 'reviewer'",
        [design.design, design.reason, design.level, work_id],
    )
    db.execute("delete from authors where work_id = ?", [work_id])
    if authors:
        db["authors"].insert_all({"work_id": work_id, **author} for author in authors)
    return work_id


def store_crossref_message(
    db: sqlite_utils.Database,
    message: dict[str, Any],
    source: str = "crossref",
    doi: str | None = None,
) -> int:
    """Store a Crossref work message (fetched, or a stored copy of one) for its work."""
    return store_metadata(
        db,
        doi or message["DOI"],
        record_from_message(message),
        authors_from_message(message),
        source,
    )


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
