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

import json
from typing import Any

import sqlite_utils

from .verify import checks_summary, verify_citations

NOT_SERIOUS = {"minor"}
_UPDATE_KINDS = {
    "retraction": "retracted",
    "retracted": "retracted",
    "withdrawal": "retracted",
    "withdrawn": "retracted",
    "removal": "retracted",
    "partial_retraction": "retracted",
    "correction": "corrected",
    "corrigendum": "corrected",
    "erratum": "corrected",
    "addendum": "corrected",
    "expression_of_concern": "concern",
    "expression-of-concern": "concern",
}


def check(db: sqlite_utils.Database, article_id: int | None = None) -> dict[str, Any]:
    """Verify, then list the problems (of one article, or of everything)."""
    verify_citations(db, article_id)
    scope = {"article": article_id}
    problems: list[dict[str, Any]] = []
    for row in db.query(_CITATIONS, scope):
        problems.extend(_citation_problems(db, dict(row)))
    for row in db.query(_LINKED_WORKS, scope):
        for kind, detail in update_problems(row["updated_by"]):
            problems.append(
                _problem(kind, None, row["claim_id"], None, row["doi"], detail)
            )
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
    """True when some problem should make ``check`` exit with 1."""
    return any(problem["kind"] not in NOT_SERIOUS for problem in report["problems"])


def update_problems(updated_by: str | None) -> list[tuple[str, str]]:
    """(kind, detail) for the retraction, correction and concern notices of a work."""
    if not updated_by:
        return []
    found = []
    for update in json.loads(updated_by):
        kind = _UPDATE_KINDS.get(str(update.get("type", "")).lower())
        if kind:
            date = "-".join(
                str(part)
                for part in (update.get("updated") or {}).get("date-parts", [[]])[0]
            )
            label = update.get("label") or update.get("type")
            found.append((kind, f"{label} {update.get('DOI', '')} {date}".strip()))
    return found


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
    for kind, detail in update_problems(row["updated_by"]):
        found.append(problem(kind, detail))
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
    works.doi, works.fetch_status, works.fetch_error, works.updated_by
from citations join works on works.id = citations.work_id
where :article is null or citations.article_id = :article
order by citations.article_id, citations.position
"""

#: Works linked to claims by hand (not through a citation of the same article).
_LINKED_WORKS = """
select evidence.claim_id, works.doi, works.updated_by
from evidence
join claims on claims.id = evidence.claim_id
join works on works.id = evidence.work_id
where works.updated_by is not null
and (:article is null or claims.article_id = :article)
and not exists (
    select 1 from citations
    where citations.work_id = works.id and citations.article_id is claims.article_id
)
order by evidence.claim_id
"""

_CLAIMS_WITHOUT_EVIDENCE = """
select claims.id, claims.article_id, claims.text from claims
where not exists (select 1 from evidence where evidence.claim_id = claims.id)
and (:article is null or claims.article_id = :article)
order by claims.id
"""

_PENDING = """
select distinct works.doi from works
join citations on citations.work_id = works.id
where works.doi is not null and works.fetch_status = 'pending'
and (?1 is null or citations.article_id = ?1)
order by works.doi
"""
