"""``tracker resolve``: find DOIs for cited references that have none.

Each reference is sent to Crossref's ``query.bibliographic``. Crossref's relevance
score is not a calibrated confidence (it grows with the length of the query), so a
candidate is accepted only when its title is close to the reference's, its first
author's surname is the reference's first author's, and its year is the reference's
year (:func:`tracker.checks.candidates.judge`). Otherwise the best candidates are
kept in ``citation_candidates`` for the user to accept (``tracker citation accept``).
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from .checks.candidates import Candidate, judge
from .claims import require_article
from .crossref.client import Crossref, Unreachable
from .crossref.records import authors_from_message, record_from_message
from .errors import IncompleteWork, NotFound, ServiceError
from .fetch import store_crossref_message
from .settings import Settings
from .store import citations as stored
from .store.works import NewCitekeys
from .text.doi import normalize_doi
from .text.parser import ParsedReference, clean_reference, parse_reference

#: How many of Crossref's candidates are kept for a reference it did not match.
CANDIDATES_KEPT = 3


def judge_message(
    raw: str, parsed: ParsedReference, message: dict[str, Any]
) -> Candidate:
    """How well a Crossref record fits a reference."""
    return judge(
        raw,
        parsed,
        record_from_message(message),
        authors_from_message(message),
        message.get("score"),
        message,
    )


def resolve_citations(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    settings: Settings | None = None,
    client: Crossref | None = None,
) -> dict[str, Any]:
    """Look up DOIs for the citations without one; store matches and candidates.

    :raises NotFound: there is no article ``article_id``
    :raises IncompleteWork: Crossref could not be reached at all
    """
    if article_id is not None:
        require_article(db, article_id)
    settings = settings or Settings.from_env()
    rows = stored.citations_without_doi(db, article_id)
    report: dict[str, Any] = {
        "citations": len(rows),
        "matched": [],
        "unresolved": [],
        "failed": [],
    }
    if settings.offline:
        report["unresolved"] = [row["id"] for row in rows]
        report["offline"] = True
        report["requests"] = 0
        return report
    client = client or Crossref(settings)
    by_id = {row["id"]: row for row in rows}
    keys = NewCitekeys(db)

    def lookup(citation_id: int) -> list[dict[str, Any]]:
        return client.bibliographic(query_for(by_id[citation_id]["raw"]))

    try:
        for citation_id, future in client.each("list", lookup, list(by_id)):
            try:
                messages = future.result()
            except Unreachable:
                raise
            except ServiceError as error:
                report["failed"].append(
                    {"citation_id": citation_id, "error": str(error)}
                )
                continue
            _judge_and_keep(db, by_id[citation_id], messages, report, keys)
    except Unreachable as error:
        raise IncompleteWork(str(error)) from error
    report["requests"] = client.counter.requests
    return report


def _judge_and_keep(
    db, row, messages, report: dict[str, Any], keys: NewCitekeys
) -> None:
    parsed = _parse(row)
    candidates = [judge_message(row["raw"], parsed, message) for message in messages]
    candidates.sort(key=lambda c: (c.accepted, c.title_similarity), reverse=True)
    with db.atomic():
        stored.keep_candidates(
            db, row["id"], [_candidate_row(c) for c in candidates[:CANDIDATES_KEPT]]
        )
        if candidates and candidates[0].accepted:
            best = candidates[0]
            _accept(
                db,
                row["id"],
                best.doi,
                "matched",
                best.crossref_score,
                best.message,
                keys,
            )
            report["matched"].append(
                {
                    "citation_id": row["id"],
                    "doi": best.doi,
                    "score": best.crossref_score,
                }
            )
        else:
            report["unresolved"].append(row["id"])


def accept_candidate(
    db: sqlite_utils.Database, citation_id: int, doi: str
) -> dict[str, Any]:
    """Set a citation's DOI by hand (``doi_source`` ``manual``)."""
    if stored.citation_work(db, citation_id) is None:
        raise NotFound(f"no citation {citation_id}")
    doi = normalize_doi(doi)
    message = stored.candidate_message(db, citation_id, doi)
    with db.atomic():
        work_id = _accept(
            db, citation_id, doi, "manual", None, message, NewCitekeys(db)
        )
    return {
        "citation_id": citation_id,
        "doi": doi,
        "work_id": work_id,
        "metadata": bool(message),
    }


def query_for(raw: str) -> str:
    """The reference as Crossref should see it: one line, no web addresses."""
    text = clean_reference(raw)
    return " ".join(
        word
        for word in text.split()
        if "://" not in word and not word.startswith("www.")
    )


def _parse(row: dict[str, Any]) -> ParsedReference:
    """The stored parse of a citation, or a fresh one when it is missing or stale."""
    parsed = ParsedReference.from_dict(json.loads(row["parsed"] or "null"))
    return parsed if parsed is not None else parse_reference(row["raw"])


def _accept(db, citation_id, doi, source, score, message, keys: NewCitekeys) -> int:
    work_id = stored.set_citation_doi(db, citation_id, doi, source, score)
    if message:
        store_crossref_message(db, message, doi=doi, keys=keys)
    return work_id


def _candidate_row(candidate: Candidate) -> dict[str, Any]:
    return {
        "doi": candidate.doi,
        "title": candidate.title,
        "year": candidate.year,
        "first_author": candidate.first_author,
        "crossref_score": candidate.crossref_score,
        "title_similarity": round(candidate.title_similarity, 1),
        "author_ok": int(candidate.author_ok),
        "year_ok": int(candidate.year_ok),
        "raw": json.dumps(candidate.message, ensure_ascii=False),
    }
