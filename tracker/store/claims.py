"""Claims and evidence links, read and written.

Rows come back as plain dicts, evidence with the linked work's metadata, in the shape
``--json`` prints. Every write that changes a status or a stance names its reviewer
(``reviewed_by``, ``reviewed_at``, ``review_note``), so that the schema's triggers log
it in ``review_log``.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from ..vocabulary import DEFAULT_STANCE, DEFAULT_STATUS
from .database import utc_now
from .works import ensure_work

_EVIDENCE_COLUMNS = """
    evidence.id, evidence.stance, evidence.note, evidence.quote,
    works.id as work_id, works.doi, works.title, works.year, works.container_title,
    works.fetch_status, works.citekey, works.study_design, works.evidence_level,
    works.integrity as flag
"""
_EVIDENCE_SQL = f"""
select {_EVIDENCE_COLUMNS}
from evidence join works on works.id = evidence.work_id
where evidence.claim_id = :claim_id and (:work_id is null or evidence.work_id = :work_id)
order by evidence.id
"""
# {{selection}} is a fixed SQL condition built by list_claims; values stay parameters.
_EVIDENCE_OF_SELECTED_CLAIMS = f"""
select evidence.claim_id, {_EVIDENCE_COLUMNS}
from evidence join works on works.id = evidence.work_id
where evidence.claim_id in (select claims.id from claims where {{selection}})
order by evidence.id
"""


def claim_row(db: sqlite_utils.Database, claim_id: int) -> dict[str, Any] | None:
    rows = list(db.query("select * from claims where id = ?", [claim_id]))
    return dict(rows[0]) if rows else None


def article_exists(db: sqlite_utils.Database, article_id: int) -> bool:
    return bool(
        db.execute("select 1 from articles where id = ?", [article_id]).fetchone()
    )


def text_at(
    db: sqlite_utils.Database, article_id: int, start: int, end: int
) -> str | None:
    """The article's text between two offsets, or None without the article."""
    row = db.execute(
        "select substr(text, ? + 1, ? - ?) from articles where id = ?",
        [start, end, start, article_id],
    ).fetchone()
    return row[0] if row else None


def insert_claim(
    db: sqlite_utils.Database, text: str, article_id: int | None = None
) -> int:
    now = utc_now()
    return db.execute(
        "insert into claims (article_id, text, status, created_at, updated_at)"
        " values (?, ?, ?, ?, ?)",
        [article_id, text, DEFAULT_STATUS, now, now],
    ).lastrowid


def evidence_for(
    db: sqlite_utils.Database, claim_id: int, work_id: int | None = None
) -> list[dict[str, Any]]:
    """The evidence links of a claim (or its one link to ``work_id``), with their works."""
    params = {"claim_id": claim_id, "work_id": work_id}
    return [dict(row) for row in db.query(_EVIDENCE_SQL, params)]


def claims_with_evidence(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    status: str | None = None,
    fts_query: str | None = None,
) -> list[dict[str, Any]]:
    """Claims in id order, each with its evidence, optionally filtered; two queries
    whatever the number of claims.

    :param fts_query: an FTS5 query the claim text must match
    """
    where, params = ["1 = 1"], []
    if article_id is not None:
        where.append("claims.article_id = ?")
        params.append(article_id)
    if status is not None:
        where.append("claims.status = ?")
        params.append(status)
    if fts_query:
        where.append(
            "claims.id in (select rowid from claims_fts where claims_fts match ?)"
        )
        params.append(fts_query)
    selection = " and ".join(where)
    claims = [
        dict(row)
        for row in db.query(
            f"select * from claims where {selection} order by claims.id", params
        )
    ]
    evidence: dict[int, list[dict[str, Any]]] = {claim["id"]: [] for claim in claims}
    for row in db.query(
        _EVIDENCE_OF_SELECTED_CLAIMS.format(selection=selection), params
    ):
        item = dict(row)
        evidence[item.pop("claim_id")].append(item)
    for claim in claims:
        claim["evidence"] = evidence[claim["id"]]
    return claims


def upsert_evidence(
    db: sqlite_utils.Database,
    claim_id: int,
    doi: str,
    stance: str | None,
    note: str | None,
    quote: str | None,
    actor: str,
) -> int:
    """Link a claim to the work with ``doi`` (added when new), or update the link: only
    the values given change. Return the work's id."""
    now = utc_now()
    with db.atomic():
        work_id = ensure_work(db, doi)
        db.execute(
            """
            insert into evidence
                (claim_id, work_id, stance, note, quote, created_at, updated_at,
                 reviewed_by, reviewed_at, review_note)
            values (:claim_id, :work_id, coalesce(:stance, :default_stance),
                    :note, :quote, :now, :now, :actor, :now, :note)
            on conflict (claim_id, work_id) do update set
                stance = coalesce(:stance, stance),
                note = coalesce(:note, note),
                quote = coalesce(:quote, quote),
                updated_at = :now,
                reviewed_by = :actor,
                reviewed_at = :now,
                review_note = :note
            """,
            {
                "claim_id": claim_id,
                "work_id": work_id,
                "stance": stance,
                "default_stance": DEFAULT_STANCE,
                "note": note,
                "quote": quote,
                "now": now,
                "actor": actor,
            },
        )
    return work_id


def delete_evidence(
    db: sqlite_utils.Database, claim_id: int, doi: str, actor: str
) -> bool:
    """Remove the link between a claim and the work with ``doi``; False when there
    was none."""
    link = "claim_id = ? and work_id = (select id from works where doi = ?)"
    with db.atomic():
        # Name the reviewer on the row just before it goes, for the review log.
        db.execute(
            f"update evidence set reviewed_by = ?, reviewed_at = ? where {link}",
            [actor, utc_now(), claim_id, doi],
        )
        deleted = db.execute(
            f"delete from evidence where {link}", [claim_id, doi]
        ).rowcount
    return bool(deleted)


def evidence_row(db: sqlite_utils.Database, evidence_id: int) -> dict[str, Any] | None:
    rows = list(db.query("select * from evidence where id = ?", [evidence_id]))
    return dict(rows[0]) if rows else None


def set_stance(
    db: sqlite_utils.Database,
    evidence_id: int,
    stance: str,
    note: str | None,
    actor: str,
) -> None:
    """A reviewer's stance for an evidence link (the trigger logs it with the note)."""
    now = utc_now()
    db.execute(
        "update evidence set stance = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?,"
        " updated_at = ? where id = ?",
        [stance, note, actor, now, now, evidence_id],
    )


def is_linked(db: sqlite_utils.Database, claim_id: int, work_id: int) -> bool:
    return bool(
        db.execute(
            "select 1 from evidence where claim_id = ? and work_id = ?",
            [claim_id, work_id],
        ).fetchone()
    )


def update_claim(
    db: sqlite_utils.Database, claim_id: int, changes: dict[str, Any]
) -> None:
    """Change some of a claim's columns (names from the tracker's code, values any)."""
    if changes:
        db["claims"].update(claim_id, {**changes, "updated_at": utc_now()})


def set_status(
    db: sqlite_utils.Database,
    claim_id: int,
    status: str,
    note: str | None,
    actor: str,
) -> None:
    """A reviewer's verdict on a claim (the trigger logs it with the note)."""
    now = utc_now()
    db.execute(
        "update claims set status = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?,"
        " updated_at = ? where id = ?",
        [status, note, actor, now, now, claim_id],
    )


def delete_claim(db: sqlite_utils.Database, claim_id: int) -> None:
    """Delete a claim and its evidence links (the works stay)."""
    with db.atomic():
        db.execute("delete from evidence where claim_id = ?", [claim_id])
        db.execute("delete from claims where id = ?", [claim_id])
