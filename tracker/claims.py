"""Claims and the evidence they rest on: ``tracker claim``.

A *claim* is a statement, usually a sentence of an article; *evidence* links a claim to
a work with a stance (supports, contradicts, mentions, or cites: linked, not yet
judged), an optional note and an optional quote from the work. Each function checks
its input before anything is written and returns plain dicts in the shape ``--json``
prints, so the command line only formats them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from .actor import current_actor
from .errors import InvalidInput, NotFound
from .store import claims as stored
from .store.database import utc_now
from .text.doi import normalize_doi
from .vocabulary import CLAIM_STATUSES, STANCES


def clean_claim_text(text: str) -> str:
    """The claim text without surrounding space; :class:`InvalidInput` when empty."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput("claim text is empty")
    return cleaned


def one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    """``value`` if it is one of ``allowed``, else :class:`InvalidInput` naming them."""
    if value not in allowed:
        raise InvalidInput(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return value


def check_stance(stance: str) -> str:
    return one_of(stance, STANCES, "stance")


def check_status(status: str) -> str:
    return one_of(status, CLAIM_STATUSES, "status")


def require_claim(db: sqlite_utils.Database, claim_id: int) -> dict[str, Any]:
    claim = stored.claim_row(db, claim_id)
    if claim is None:
        raise NotFound(f"no claim {claim_id}")
    return claim


def require_article(db: sqlite_utils.Database, article_id: int) -> None:
    if not stored.article_exists(db, article_id):
        raise NotFound(f"no article {article_id}")


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
        require_article(db, article_id)
    with db.atomic():
        claim_id = stored.insert_claim(db, text, article_id)
        for doi in dois:
            link_evidence(db, claim_id, doi, stance=stance, note=note)
    return get_claim(db, claim_id)


def get_claim(db: sqlite_utils.Database, claim_id: int) -> dict[str, Any]:
    """One claim with its ``evidence`` list (work metadata included)."""
    claim = require_claim(db, claim_id)
    claim["evidence"] = stored.evidence_for(db, claim_id)
    return claim


def list_claims(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    status: str | None = None,
    search: str | None = None,
) -> list[dict[str, Any]]:
    """Claims in id order, each with its evidence, optionally filtered.

    :param search: words that must all occur in the claim text (full-text search,
        with stemming: "permeable" finds "permeability")
    """
    if status is not None:
        check_status(status)
    return stored.claims_with_evidence(
        db, article_id, status, _fts_query(search) if search else None
    )


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
    work_id = stored.upsert_evidence(
        db, claim_id, doi, stance, note, quote, actor or current_actor()
    )
    return stored.evidence_for(db, claim_id, work_id)[0]


def unlink_evidence(
    db: sqlite_utils.Database, claim_id: int, doi: str, actor: str | None = None
) -> None:
    """Remove the link between a claim and the work with ``doi``.

    :raises NotFound: the claim does not exist or is not linked to that DOI
    """
    doi = normalize_doi(doi)
    require_claim(db, claim_id)
    if not stored.delete_evidence(db, claim_id, doi, actor or current_actor()):
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
        if claim["char_start"] is not None and changes["text"] != stored.text_at(
            db, claim["article_id"], claim["char_start"], claim["char_end"]
        ):
            changes["char_start"] = changes["char_end"] = None
    if status is not None:
        changes["status"] = check_status(status)
        changes["reviewed_by"] = current_actor()
        changes["reviewed_at"] = utc_now()
        changes["review_note"] = None
    stored.update_claim(db, claim_id, changes)
    return get_claim(db, claim_id)


def delete_claim(db: sqlite_utils.Database, claim_id: int) -> None:
    """Delete a claim and its evidence links (the works stay)."""
    require_claim(db, claim_id)
    stored.delete_claim(db, claim_id)


def _fts_query(search: str) -> str:
    """Quote each word, so that user text never becomes FTS5 syntax."""
    words = search.split()
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)
