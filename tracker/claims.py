"""Claims and the evidence they rest on.

A *claim* is a statement, usually a sentence of an article; *evidence* links a claim to
a work with a stance (supports, contradicts, mentions, or cites: linked, not yet
judged), an optional note and an optional quote from the work. Each function returns
plain dicts in the shape ``--json`` prints, so the command line only formats them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from .actor import current_actor
from .database import CLAIM_STATUSES, STANCES, utc_now
from .doi import normalize_doi
from .errors import InvalidInput, NotFound
from .works import ensure_work

DEFAULT_STANCE = "cites"

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


def clean_claim_text(text: str) -> str:
    """The claim text without surrounding space; :class:`InvalidInput` when empty."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput("claim text is empty")
    return cleaned


def check_stance(stance: str) -> str:
    """``stance`` if it is one of :data:`STANCES`, else :class:`InvalidInput`."""
    if stance not in STANCES:
        raise InvalidInput(
            f"unknown stance {stance!r}: use one of {', '.join(STANCES)}"
        )
    return stance


def check_status(status: str) -> str:
    """``status`` if it is a claim status, else :class:`InvalidInput`."""
    if status not in CLAIM_STATUSES:
        raise InvalidInput(
            f"unknown status {status!r}: use one of {', '.join(CLAIM_STATUSES)}"
        )
    return status


def add_claim(
    db: sqlite_utils.Database,
    text: str,
    article_id: int | None = None,
    dois: Iterable[str] = (),
    stance: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Store a claim, linked to the works with ``dois``; return it as :func:`get_claim`.

    Everything is checked before anything is written, and the claim and its links are
    written in one transaction.
    """
    text = clean_claim_text(text)
    dois = [normalize_doi(doi) for doi in dois]
    if stance is not None:
        check_stance(stance)
    if article_id is not None:
        _require_article(db, article_id)
    now = utc_now()
    with db.atomic():
        claim_id = db.execute(
            "insert into claims (article_id, text, status, created_at, updated_at)"
            " values (?, ?, 'unreviewed', ?, ?)",
            [article_id, text, now, now],
        ).lastrowid
        for doi in dois:
            link_evidence(db, claim_id, doi, stance=stance, note=note)
    return get_claim(db, claim_id)


def get_claim(db: sqlite_utils.Database, claim_id: int) -> dict[str, Any]:
    """One claim with its ``evidence`` list (work metadata included)."""
    claim = require_claim(db, claim_id)
    claim["evidence"] = evidence_for(db, claim_id)
    return claim


def evidence_for(
    db: sqlite_utils.Database, claim_id: int, work_id: int | None = None
) -> list[dict[str, Any]]:
    """The evidence links of a claim (or its one link to ``work_id``), with their works."""
    params = {"claim_id": claim_id, "work_id": work_id}
    return [dict(row) for row in db.query(_EVIDENCE_SQL, params)]


def list_claims(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    status: str | None = None,
    search: str | None = None,
) -> list[dict[str, Any]]:
    """Claims in id order, each with its evidence, optionally filtered.

    Two queries whatever the number of claims: one for the claims, one for all
    their evidence.

    :param search: words that must all occur in the claim text (full-text search,
        with stemming: "permeable" finds "permeability")
    """
    where, params = ["1 = 1"], []
    if article_id is not None:
        where.append("claims.article_id = ?")
        params.append(article_id)
    if status is not None:
        where.append("claims.status = ?")
        params.append(check_status(status))
    if search:
        where.append(
            "claims.id in (select rowid from claims_fts where claims_fts match ?)"
        )
        params.append(_fts_query(search))
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


def link_evidence(
    db: sqlite_utils.Database,
    claim_id: int,
    doi: str,
    stance: str | None = None,
    note: str | None = None,
    quote: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Link a claim to the work with ``doi``; linking again updates the link.

    A DOI not yet stored becomes a ``pending`` work. On a new link a missing stance is
    ``cites``; on an existing link only the values given change. The link and any
    change of stance go to the review log under ``actor``.
    """
    doi = normalize_doi(doi)
    if stance is not None:
        check_stance(stance)
    require_claim(db, claim_id)
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
                "actor": actor or current_actor(),
            },
        )
    return evidence_for(db, claim_id, work_id)[0]


def unlink_evidence(
    db: sqlite_utils.Database, claim_id: int, doi: str, actor: str | None = None
) -> None:
    """Remove the link between a claim and the work with ``doi``.

    :raises NotFound: the claim does not exist or is not linked to that DOI
    """
    doi = normalize_doi(doi)
    require_claim(db, claim_id)
    link = "claim_id = ? and work_id = (select id from works where doi = ?)"
    with db.atomic():
        # Name the reviewer on the row just before it goes, for the review log.
        db.execute(
            f"update evidence set reviewed_by = ?, reviewed_at = ? where {link}",
            [actor or current_actor(), utc_now(), claim_id, doi],
        )
        deleted = db.execute(
            f"delete from evidence where {link}", [claim_id, doi]
        ).rowcount
    if not deleted:
        raise NotFound(f"claim {claim_id} is not linked to {doi}")


def edit_claim(
    db: sqlite_utils.Database,
    claim_id: int,
    text: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """Correct a claim's text or set its status.

    A claim taken from an article keeps its position only while its text still is
    the article's text at that position; a rewritten claim loses the offsets.
    """
    claim = require_claim(db, claim_id)
    changes: dict[str, Any] = {}
    if text is not None:
        changes["text"] = clean_claim_text(text)
        if claim["char_start"] is not None and not _matches_article(
            db, claim, changes["text"]
        ):
            changes["char_start"] = changes["char_end"] = None
    if status is not None:
        changes["status"] = check_status(status)
        changes["reviewed_by"] = current_actor()
        changes["reviewed_at"] = utc_now()
        changes["review_note"] = None
    if changes:
        changes["updated_at"] = utc_now()
        db["claims"].update(claim_id, changes)
    return get_claim(db, claim_id)


def delete_claim(db: sqlite_utils.Database, claim_id: int) -> None:
    """Delete a claim and its evidence links (the works stay)."""
    require_claim(db, claim_id)
    with db.atomic():
        db.execute("delete from evidence where claim_id = ?", [claim_id])
        db.execute("delete from claims where id = ?", [claim_id])


def require_claim(db: sqlite_utils.Database, claim_id: int) -> dict[str, Any]:
    rows = list(db.query("select * from claims where id = ?", [claim_id]))
    if not rows:
        raise NotFound(f"no claim with id {claim_id}")
    return dict(rows[0])


def _require_article(db: sqlite_utils.Database, article_id: int) -> None:
    if not db.execute("select 1 from articles where id = ?", [article_id]).fetchone():
        raise NotFound(f"no article with id {article_id}")


def _matches_article(
    db: sqlite_utils.Database, claim: dict[str, Any], text: str
) -> bool:
    row = db.execute(
        "select text from articles where id = ?", [claim["article_id"]]
    ).fetchone()
    return row is not None and row[0][claim["char_start"] : claim["char_end"]] == text


def _fts_query(search: str) -> str:
    """Quote each word, so that user text never becomes FTS5 syntax."""
    words = search.split()
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)
