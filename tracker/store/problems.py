"""What ``tracker check`` reports, read from the tables and the review views, so that
the command line and the Datasette pages agree."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from ..vocabulary import DISAGREEING_VERDICTS

_CITATIONS = """
select citations.id, citations.article_id, citations.position, citations.raw, citations.verdict,
    works.doi, works.fetch_status, works.fetch_error,
    notice.kind as notice_kind, notice.notice_doi, notice.notice_date, notice.label,
    exists (
        select 1 from evidence join claims on claims.id = evidence.claim_id
        where evidence.work_id = works.id and claims.article_id = citations.article_id
    ) as linked
from citations join works on works.id = citations.work_id
left join work_notices as notice on notice.work_id = works.id and notice.kind = works.integrity
where (:article is null or citations.article_id = :article)
and (works.doi is null or works.fetch_status in ('not_found', 'error')
    or citations.verdict in (select value from json_each(:disagreeing))
    or works.integrity is not null)
group by citations.id
order by citations.article_id, citations.position
"""

#: An acknowledgement counts for the kind of notice it acknowledged: a work
#: acknowledged as corrected and later retracted alarms again.
_FLAGGED_LINKS = """
select claim_id, article_id, doi, flag as kind, notice_doi, notice_date,
    notice_label as label, acknowledged_by is not null as acknowledged
from claims_on_flagged_works
where :article is null or article_id = :article
order by claim_id
"""

_CLAIMS_WITHOUT_EVIDENCE = """
select claim_id as id, article_id, claim as text from claims_without_evidence
where :article is null or article_id = :article
order by claim_id
"""

_PENDING = """
select distinct works.doi from works
join citations on citations.work_id = works.id
where works.doi is not null and works.fetch_status = 'pending'
and (:article is null or citations.article_id = :article)
order by works.doi
"""


def _rows(db: sqlite_utils.Database, sql: str, article_id: int | None, **params):
    return [dict(row) for row in db.query(sql, {"article": article_id, **params})]


def citation_states(
    db: sqlite_utils.Database, article_id: int | None = None
) -> list[dict[str, Any]]:
    """The citations that may have a problem to report, with their DOI, fetch status,
    verdict and their work's most serious notice, and whether a claim of their article
    rests on the work: those without DOI or metadata, with a disagreeing verdict or on
    a flagged work. (Reading every citation was a fifth of checking 50,000 again.)"""
    return _rows(
        db, _CITATIONS, article_id, disagreeing=json.dumps(DISAGREEING_VERDICTS)
    )


def flagged_links(
    db: sqlite_utils.Database, article_id: int | None = None
) -> list[dict[str, Any]]:
    """Claims resting on retracted, withdrawn, corrected or questioned works."""
    return _rows(db, _FLAGGED_LINKS, article_id)


def claims_without_evidence(
    db: sqlite_utils.Database, article_id: int | None = None
) -> list[dict[str, Any]]:
    return _rows(db, _CLAIMS_WITHOUT_EVIDENCE, article_id)


_UNMATCHED = """
select claims.id, claims.article_id, claims.unmatched_citations from claims
where claims.unmatched_citations is not null
and (:article is null or claims.article_id = :article)
order by claims.id
"""


def unmatched_citations(
    db: sqlite_utils.Database, article_id: int | None = None
) -> list[dict[str, Any]]:
    """Claims whose citations name no listed reference, with what each says."""
    return [
        {**row, "unmatched_citations": json.loads(row["unmatched_citations"])}
        for row in _rows(db, _UNMATCHED, article_id)
    ]


def pending_dois(db: sqlite_utils.Database, article_id: int | None = None) -> list[str]:
    """DOIs cited (by the article) whose works have no metadata yet."""
    return [row["doi"] for row in _rows(db, _PENDING, article_id)]


def verified_count(db: sqlite_utils.Database, article_id: int | None = None) -> int:
    return db.execute(
        "select count(*) from citations where verdict is not null"
        " and (:article is null or article_id = :article)",
        {"article": article_id},
    ).fetchone()[0]
