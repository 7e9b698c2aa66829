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
from .claims import check_stance, check_status, get_claim, one_of, require_claim
from .errors import InvalidInput, NotFound
from .store import claims as stored_claims
from .store import review as stored
from .store.works import require_work, work_by_id
from .vocabulary import EVIDENCE_LEVELS, STUDY_DESIGNS

review_log = stored.review_log


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
    stored_claims.set_status(db, claim_id, status, note, actor or current_actor())
    return get_claim(db, claim_id)


def set_evidence_stance(
    db: sqlite_utils.Database,
    evidence_id: int,
    stance: str,
    note: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Judge how a linked work bears on its claim (logged); return the link."""
    check_stance(stance)
    if stored_claims.evidence_row(db, evidence_id) is None:
        raise NotFound(f"no evidence link {evidence_id}")
    stored_claims.set_stance(db, evidence_id, stance, note, actor or current_actor())
    return stored_claims.evidence_row(db, evidence_id)


def _require_work(db: sqlite_utils.Database, work: int | str) -> dict[str, Any]:
    """A work named by its id (from the web forms) or its DOI (from the command line)."""
    if isinstance(work, int):
        found = work_by_id(db, work)
        if found is None:
            raise NotFound(f"no work {work}")
        return dict(found)
    return require_work(db, work)


def acknowledge(
    db: sqlite_utils.Database,
    claim_id: int,
    work: int | str,
    note: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Mark a flagged work as cited knowingly for a claim: still shown, no longer
    alarming (``check`` stops counting it)."""
    require_claim(db, claim_id)
    work = _require_work(db, work)
    name = work["doi"] or f"work {work['id']}"
    if not work.get("integrity"):
        raise InvalidInput(
            f"{name} has no retraction, correction or concern to acknowledge"
        )
    if not stored_claims.is_linked(db, claim_id, work["id"]):
        raise NotFound(f"claim {claim_id} is not linked to {name}")
    stored.acknowledge(
        db, claim_id, work["id"], work["integrity"], note, actor or current_actor()
    )
    return {
        "claim_id": claim_id,
        "doi": work["doi"],
        "kind": work["integrity"],
        "note": note,
    }


def set_evidence_level(
    db: sqlite_utils.Database,
    work: int | str,
    level: int | None,
    reason: str,
    design: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Override a work's inferred level (and design) with a reason (logged)."""
    if not (reason or "").strip():
        raise InvalidInput("give the reason for the level")
    if level is not None and level not in EVIDENCE_LEVELS:
        raise InvalidInput(f"level {level} is not 1 to 5")
    if design is not None:
        one_of(design, STUDY_DESIGNS, "study design")
    work = _require_work(db, work)
    return stored.set_level(
        db, work["id"], level, design, reason.strip(), actor or current_actor()
    )
