"""Citations: the entries of an article's reference list, each pointing at a work;
their verification against the work's record, and the DOI candidates found for them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from .database import utc_now
from .works import DESCRIBING_COLUMNS, assign_doi


def list_citations(
    db: sqlite_utils.Database, article_id: int | None = None
) -> list[dict[str, Any]]:
    """Citations in reference-list order, with their work's DOI and title."""
    return [
        dict(row)
        for row in db.query(
            "select citations.id, citations.article_id, citations.position, citations.raw,"
            " citations.doi_source, citations.match_score, citations.verdict,"
            " works.id as work_id, works.doi, works.title, works.year, works.fetch_status"
            " from citations join works on works.id = citations.work_id"
            " where :article is null or citations.article_id = :article"
            " order by citations.article_id, citations.position",
            {"article": article_id},
        )
    ]


def citation_work(db: sqlite_utils.Database, citation_id: int) -> int | None:
    """The id of the work a citation points to, or None without the citation."""
    row = db.execute(
        "select work_id from citations where id = ?", [citation_id]
    ).fetchone()
    return row[0] if row else None


#: The columns of ``works`` a reference is compared with.
VERIFIED_COLUMNS = DESCRIBING_COLUMNS + ("published_print", "published_online")


def citations_to_verify(
    db: sqlite_utils.Database, article_id: int | None = None
) -> list[dict[str, Any]]:
    """Citations whose works have metadata, each with the work's columns (``work``),
    its authors (``authors``) and the stored parse (``parsed``, JSON)."""
    columns = ", ".join(f"works.{column}" for column in VERIFIED_COLUMNS)
    rows = [
        dict(row)
        for row in db.query(
            "select citations.id as citation_id, citations.raw, citations.parsed,"
            f" {columns} from citations join works on works.id = citations.work_id"
            " where works.fetch_status = 'ok' and works.doi is not null"
            " and (:article is null or citations.article_id = :article)",
            {"article": article_id},
        )
    ]
    authors: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
        "select authors.* from authors where work_id in (select works.id"
        " from citations join works on works.id = citations.work_id"
        " where works.fetch_status = 'ok' and works.doi is not null"
        " and (:article is null or citations.article_id = :article))"
        " order by work_id, position",
        {"article": article_id},
    ):
        authors.setdefault(row["work_id"], []).append(dict(row))
    for row in rows:
        row["authors"] = authors.get(row["id"], [])
    return rows


def save_parses(db: sqlite_utils.Database, parses: dict[int, str]) -> None:
    """Store fresh parses (JSON) of citations, by citation id."""
    db.conn.executemany(
        "update citations set parsed = ? where id = ?",
        [(parsed, citation_id) for citation_id, parsed in parses.items()],
    )


def save_verdicts(
    db: sqlite_utils.Database,
    results: Iterable[tuple[int, str, list[dict[str, Any]]]],
) -> None:
    """Store (citation id, verdict, field checks) for many citations, in bulk."""
    now = utc_now()
    results = list(results)
    ids = json.dumps([citation_id for citation_id, _, _ in results])
    db.execute(
        "delete from citation_checks where citation_id in (select value from json_each(?))",
        [ids],
    )
    db["citation_checks"].insert_all(
        (
            {"citation_id": citation_id, **check}
            for citation_id, _, checks in results
            for check in checks
        ),
        batch_size=1000,
    )
    db.conn.executemany(
        "update citations set verdict = ?, checked_at = ? where id = ?",
        [(verdict, now, citation_id) for citation_id, verdict, _ in results],
    )


def checks_of(db: sqlite_utils.Database, citation_id: int) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in db.query(
            "select * from citation_checks where citation_id = ?", [citation_id]
        )
    ]


def citations_without_doi(
    db: sqlite_utils.Database, article_id: int | None = None
) -> list[dict[str, Any]]:
    """Citations whose works have no DOI, in reference-list order."""
    return [
        dict(row)
        for row in db.query(
            "select citations.id, citations.raw, citations.parsed, citations.work_id"
            " from citations join works on works.id = citations.work_id"
            " where works.doi is null"
            " and (:article is null or citations.article_id = :article)"
            " order by citations.article_id, citations.position",
            {"article": article_id},
        )
    ]


def set_citation_doi(
    db: sqlite_utils.Database,
    citation_id: int,
    doi: str,
    source: str,
    score: float | None,
) -> int:
    """Point a citation at the work with ``doi`` (its own work takes the DOI, or merges
    into the work that has it); return that work's id."""
    work_id = assign_doi(db, citation_work(db, citation_id), doi)
    db.execute(
        "update citations set work_id = ?, doi_source = ?, match_score = ? where id = ?",
        [work_id, source, score, citation_id],
    )
    return work_id


def keep_candidates(
    db: sqlite_utils.Database, citation_id: int, candidates: list[dict[str, Any]]
) -> None:
    """Replace a citation's candidates by these (``citation_candidates`` columns, best
    first)."""
    db.execute("delete from citation_candidates where citation_id = ?", [citation_id])
    db["citation_candidates"].insert_all(
        {"citation_id": citation_id, "rank": rank, **candidate}
        for rank, candidate in enumerate(candidates, start=1)
    )


def candidate_message(
    db: sqlite_utils.Database, citation_id: int, doi: str
) -> dict[str, Any] | None:
    """The Crossref record kept with a candidate, if the DOI is one."""
    row = db.execute(
        "select raw from citation_candidates where citation_id = ? and doi = ?",
        [citation_id, doi],
    ).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def best_candidate(
    db: sqlite_utils.Database, citation_id: int
) -> tuple[str, str, int] | None:
    """(DOI, title, year) of a citation's best candidate, or None."""
    return db.execute(
        "select doi, title, year from citation_candidates where citation_id = ?"
        " order by rank limit 1",
        [citation_id],
    ).fetchone()
