"""Reviewing: verdicts on claims, acknowledged flags, evidence levels set by hand.

Every change names its reviewer (``reviewed_by``, ``reviewed_at``), so that the
database's triggers write it to ``review_log`` with who, when, what, the old and the
new value and the note. From the command line the reviewer is ``cli:<user name>``;
from Datasette it is the signed-in actor.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from .actor import current_actor
from .claims import check_status, get_claim, require_claim
from .database import STUDY_DESIGNS, utc_now
from .errors import InvalidInput, NotFound
from .works import require_work


def review_claim(
    db: sqlite_utils.Database,
    claim_id: int,
    status: str,
    note: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Set a claim's status, as a reviewer's verdict (logged)."""
    check_status(status)
    require_claim(db, claim_id)
    now = utc_now()
    db.execute(
        "update claims set status = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?,"
        " updated_at = ? where id = ?",
        [status, note, actor or current_actor(), now, now, claim_id],
    )
    return get_claim(db, claim_id)


def acknowledge(
    db: sqlite_utils.Database,
    claim_id: int,
    doi: str,
    note: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Mark a flagged work as cited knowingly for a claim: still shown, no longer
    alarming (``check`` stops counting it)."""
    require_claim(db, claim_id)
    work = require_work(db, doi)
    if not work.get("integrity"):
        raise InvalidInput(
            f"{work['doi']} has no retraction, correction or concern to acknowledge"
        )
    if not db.execute(
        "select 1 from evidence where claim_id = ? and work_id = ?",
        [claim_id, work["id"]],
    ).fetchone():
        raise NotFound(f"claim {claim_id} is not linked to {work['doi']}")
    db.execute(
        "insert into acknowledgements (claim_id, work_id, kind, note, acknowledged_by,"
        " acknowledged_at) values (?, ?, ?, ?, ?, ?)"
        " on conflict (claim_id, work_id, kind) do update set note = excluded.note",
        [
            claim_id,
            work["id"],
            work["integrity"],
            note,
            actor or current_actor(),
            utc_now(),
        ],
    )
    return {
        "claim_id": claim_id,
        "doi": work["doi"],
        "kind": work["integrity"],
        "note": note,
    }


def set_evidence_level(
    db: sqlite_utils.Database,
    doi: str,
    level: int | None,
    reason: str,
    design: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Override a work's inferred level (and design) with a reason (logged)."""
    if not (reason or "").strip():
        raise InvalidInput("give the reason for the level")
    if level is not None and level not in (1, 2, 3, 4, 5):
        raise InvalidInput(f"level {level} is not 1 to 5")
    if design is not None and design not in STUDY_DESIGNS:
        raise InvalidInput(
            f"unknown study design {design!r}: use one of {', '.join(STUDY_DESIGNS)}"
        )
    work = require_work(db, doi)
    db.execute(
        "update works set evidence_level = ?, study_design = coalesce(?, study_design),"
        " evidence_level_source = 'reviewer', evidence_level_reason = ?, reviewed_by = ?,"
        " reviewed_at = ? where id = ?",
        [
            level,
            design,
            reason.strip(),
            actor or current_actor(),
            utc_now(),
            work["id"],
        ],
    )
    row = db.execute(
        "select doi, study_design, evidence_level, evidence_level_reason from works where id = ?",
        [work["id"]],
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
