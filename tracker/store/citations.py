"""Citations: the entries of an article's reference list, each pointing at a work;
their verification against the work's record, and the DOI candidates found for them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from .database import insert_many, utc_now
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


#: What verification reads of a work's authors, in order.
AUTHOR_FIELDS = ("family", "given", "name")


def citations_to_verify(
    db: sqlite_utils.Database, article_id: int | None = None
) -> list[dict[str, Any]]:
    """Citations whose works have metadata, each with its stored parse (``parsed``),
    its work's :data:`VERIFIED_COLUMNS` (``work``, a JSON object) and authors
    (``authors``, a JSON list of :data:`AUTHOR_FIELDS` objects), its verdict and the
    digest of what the verdict was made from (``verified_input``), in citation order.

    The work and its authors come as the JSON SQLite writes, so that what a verdict
    rests on can be compared as text without building a dict per author. Each work's
    JSON is made once and shared by its citations: made per citation, it was 0.8 of
    1.2 s of loading 50,000 citations of 5,000 works."""
    params = {"article": article_id}
    records = _verified_records(db, params)
    rows = []
    for citation_id, raw, parsed, verdict, verified_input, work_id in db.execute(
        "select id, raw, parsed, verdict, verified_input, work_id from citations"
        " where :article is null or article_id = :article order by id",
        params,
    ):
        if record := records.get(work_id):
            rows.append(
                {
                    "citation_id": citation_id,
                    "raw": raw,
                    "parsed": parsed,
                    "verdict": verdict,
                    "verified_input": verified_input,
                    "work": record[0],
                    "authors": record[1],
                }
            )
    return rows


def _verified_records(
    db: sqlite_utils.Database, params: dict[str, Any]
) -> dict[int, tuple[str, str]]:
    """(work JSON, authors JSON) of each cited work that has metadata, by work id."""
    work = ", ".join(f"'{column}', works.{column}" for column in VERIFIED_COLUMNS)
    author = ", ".join(f"'{field}', {field}" for field in AUTHOR_FIELDS)
    return {
        work_id: (record, authors)
        for work_id, record, authors in db.execute(
            f"select works.id, json_object({work}),"
            f" (select json_group_array(json_object({author})) from (select * from"
            " authors where authors.work_id = works.id order by position))"
            " from works where works.fetch_status = 'ok' and works.doi is not null"
            " and exists (select 1 from citations where citations.work_id = works.id"
            " and (:article is null or citations.article_id = :article))",
            params,
        )
    }


def save_parses(db: sqlite_utils.Database, parses: dict[int, str]) -> None:
    """Store fresh parses (JSON) of citations, by citation id."""
    db.conn.executemany(
        "update citations set parsed = ? where id = ?",
        [(parsed, citation_id) for citation_id, parsed in parses.items()],
    )


def save_verdicts(
    db: sqlite_utils.Database,
    results: Iterable[tuple[int, str, Iterable[Any], str | None]],
) -> None:
    """Store (citation id, verdict, field checks, digest of what they were made from)
    for many citations, in bulk; a check is (field, cited, recorded, result)."""
    now = utc_now()
    results = list(results)
    ids = json.dumps([citation_id for citation_id, *_ in results])
    db.execute(
        "delete from citation_checks where citation_id in (select value from json_each(?))",
        [ids],
    )
    insert_many(
        db,
        "citation_checks",
        ("citation_id", "field", "cited", "recorded", "result"),
        (
            (citation_id, *check)
            for citation_id, _, checks, _ in results
            for check in checks
        ),
    )
    db.conn.executemany(
        "update citations set verdict = ?, checked_at = ?, verified_input = ?"
        " where id = ?",
        [
            (verdict, now, digest, citation_id)
            for citation_id, verdict, _, digest in results
        ],
    )


def checks_by_citation(
    db: sqlite_utils.Database, citation_ids: Iterable[int], results: Iterable[str]
) -> dict[int, list[dict[str, Any]]]:
    """The field checks of many citations that came out as one of ``results``, by
    citation id, read in one query."""
    checks: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
        "select * from citation_checks where citation_id in"
        " (select value from json_each(:ids))"
        " and result in (select value from json_each(:results))"
        " order by citation_id, field",
        {"ids": json.dumps(list(citation_ids)), "results": json.dumps(list(results))},
    ):
        checks.setdefault(row["citation_id"], []).append(row)
    return checks


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
