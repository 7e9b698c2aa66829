"""``tracker check``: every problem with an article's claims and citations.

Citations are verified first (:mod:`tracker.verify`), then reported by kind:

``unresolved``   a reference without DOI (with the best candidate when there is one)
``not_found``    a DOI neither Crossref nor the DOI resolver knows
``fetch_error``  a DOI whose metadata could not be fetched
``minor`` / ``mismatch`` / ``wrong_work``  the reference disagrees with the record
``retracted`` / ``corrected`` / ``concern``  the work has been retracted, corrected or
                 given an expression of concern, as its record says
``no_evidence``  a claim linked to no work

``minor`` problems are reported but do not make the exit code 1.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from .integrity import refresh_notices
from .verify import checks_summary, verify_citations

NOT_SERIOUS = {"minor"}


def check(db: sqlite_utils.Database, article_id: int | None = None) -> dict[str, Any]:
    """Verify, then list the problems (of one article, or of everything)."""
    verify_citations(db, article_id)
    refresh_notices(db)
    scope = {"article": article_id}
    problems: list[dict[str, Any]] = []
    for row in db.query(_CITATIONS, scope):
        problems.extend(_citation_problems(db, dict(row)))
    for row in db.query(_FLAGGED_LINKS, scope):
        kind, detail = _notice_problem(row)
        problem = _problem(
            kind, row["article_id"], row["claim_id"], None, row["doi"], detail
        )
        problem["acknowledged"] = bool(row["acknowledged"])
        problems.append(problem)
    for row in db.query(_CLAIMS_WITHOUT_EVIDENCE, scope):
        problems.append(
            _problem(
                "no_evidence",
                row["article_id"],
                row["id"],
                None,
                None,
                _shorten(row["text"]),
            )
        )
    pending = [row[0] for row in db.execute(_PENDING, [article_id])]
    return {
        "problems": problems,
        "pending": pending,
        "verified": _verified(db, article_id),
    }


def serious(report: dict[str, Any]) -> bool:
    """True when some problem should make ``check`` exit with 1: anything but minor
    slips and flags a reviewer has acknowledged."""
    return any(
        problem["kind"] not in NOT_SERIOUS and not problem.get("acknowledged")
        for problem in report["problems"]
    )


def _notice_problem(row: dict[str, Any]) -> tuple[str, str]:
    """The problem kind of a work's most serious notice, and its detail."""
    kind = "retracted" if row["kind"] in ("retracted", "withdrawn") else row["kind"]
    detail = f"{row['label'] or row['kind']} {row['notice_doi'] or ''} {row['notice_date'] or ''}"
    return kind, " ".join(detail.split())


def _citation_problems(db, row: dict[str, Any]) -> list[dict[str, Any]]:
    where = f"article {row['article_id']}, reference {row['position']}"

    def problem(kind: str, detail: str) -> dict[str, Any]:
        return _problem(
            kind, row["article_id"], None, row["id"], row["doi"], detail, where
        )

    if row["doi"] is None:
        candidate = db.execute(
            "select doi, title, year from citation_candidates where citation_id = ?"
            " order by rank limit 1",
            [row["id"]],
        ).fetchone()
        if candidate:
            hint = f"best candidate {candidate[0]} ({candidate[1]}, {candidate[2]})"
        else:
            hint = "run `tracker resolve`"
        return [problem("unresolved", f"no DOI ({hint}): {_shorten(row['raw'])}")]
    if row["fetch_status"] == "not_found":
        return [
            problem("not_found", "the DOI is unknown to Crossref and the DOI resolver")
        ]
    if row["fetch_status"] == "error":
        reason = row["fetch_error"] or "the metadata could not be fetched"
        return [problem("fetch_error", reason)]
    found = []
    if row["verdict"] in ("minor", "mismatch", "wrong_work"):
        checks = [
            dict(check)
            for check in db.query(
                "select * from citation_checks where citation_id = ?", [row["id"]]
            )
        ]
        found.append(problem(row["verdict"], checks_summary(checks)))
    if row["notice_kind"] and not row["linked"]:
        found.append(problem(*_notice_problem({**row, "kind": row["notice_kind"]})))
    return found


def _problem(
    kind, article_id, claim_id, citation_id, doi, detail, where=None
) -> dict[str, Any]:
    """A problem in the SPEC's shape, with ``where`` saying where it is, for people."""
    if where is None:
        where = f"claim {claim_id}" if claim_id else f"article {article_id}"
    return {
        "kind": kind,
        "article_id": article_id,
        "claim_id": claim_id,
        "citation_id": citation_id,
        "doi": doi,
        "detail": detail,
        "where": where,
    }


def _verified(db, article_id) -> int:
    return db.execute(
        "select count(*) from citations where verdict is not null and (? is null or article_id = ?)",
        [article_id, article_id],
    ).fetchone()[0]


def _shorten(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


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
where :article is null or citations.article_id = :article
group by citations.id
order by citations.article_id, citations.position
"""

#: Claims resting on retracted, withdrawn, corrected or questioned works, and claims
#: with no evidence, read from the review views so that `check` and the Datasette
#: pages agree. An acknowledgement counts for the kind of notice it acknowledged: a
#: work acknowledged as corrected and later retracted alarms again.
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
and (?1 is null or citations.article_id = ?1)
order by works.doi
"""
