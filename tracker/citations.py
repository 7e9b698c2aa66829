"""Citations: the entries of an article's reference list, each pointing at a work."""

from __future__ import annotations

from typing import Any

import sqlite_utils


def list_citations(
    db: sqlite_utils.Database, article_id: int | None = None
) -> list[dict[str, Any]]:
    """Citations in reference-list order, with their work's DOI and title."""
    return [
        dict(row)
        for row in db.query(
            "select citations.id, citations.article_id, citations.position, citations.raw,"
            " citations.doi_source, citations.match_score, citations.verdict, works.id as work_id,"
            " works.doi, works.title, works.year, works.fetch_status"
            " from citations join works on works.id = citations.work_id"
            " where :article is null or citations.article_id = :article"
            " order by citations.article_id, citations.position",
            {"article": article_id},
        )
    ]
