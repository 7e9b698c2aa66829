"""Reviewers' writes beyond claims: acknowledged flags, levels set by hand, and the
review log the schema's triggers keep."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from .database import utc_now


def acknowledge(
    db: sqlite_utils.Database,
    claim_id: int,
    work_id: int,
    kind: str,
    note: str | None,
    actor: str,
) -> None:
    """Record that a claim cites a flagged work knowingly (again: the note changes)."""
    db.execute(
        "insert into acknowledgements (claim_id, work_id, kind, note, acknowledged_by,"
        " acknowledged_at) values (?, ?, ?, ?, ?, ?)"
        " on conflict (claim_id, work_id, kind) do update set note = excluded.note",
        [claim_id, work_id, kind, note, actor, utc_now()],
    )


def set_level(
    db: sqlite_utils.Database,
    work_id: int,
    level: int | None,
    design: str | None,
    reason: str,
    actor: str,
) -> dict[str, Any]:
    """A reviewer's level (and design) for a work; return what is stored now."""
    db.execute(
        "update works set evidence_level = ?, study_design = coalesce(?, study_design),"
        " evidence_level_source = 'reviewer', evidence_level_reason = ?, reviewed_by = ?,"
        " reviewed_at = ? where id = ?",
        [level, design, reason, actor, utc_now(), work_id],
    )
    row = db.execute(
        "select doi, study_design, evidence_level, evidence_level_reason from works"
        " where id = ?",
        [work_id],
    ).fetchone()
    return dict(
        zip(("doi", "study_design", "evidence_level", "reason"), row, strict=True)
    )


def review_log(db: sqlite_utils.Database, limit: int = 50) -> list[dict[str, Any]]:
    """The most recent entries of the review log, newest first."""
    return [
        dict(row)
        for row in db.query(
            "select * from review_log order by id desc limit ?", [limit]
        )
    ]
