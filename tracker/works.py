"""Works: the papers, books and datasets that evidence and citations point to.

A work is identified by its normalised DOI. A work that is only known by its DOI waits
with ``fetch_status`` ``pending`` until its metadata is fetched.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from .database import utc_now
from .doi import normalize_doi
from .errors import NotFound


def work_for_doi(db: sqlite_utils.Database, doi: str) -> dict[str, Any] | None:
    """The stored work with this DOI, or None."""
    rows = db.query("select * from works where doi = ?", [normalize_doi(doi)])
    return next(iter(rows), None)


def ensure_work(db: sqlite_utils.Database, doi: str) -> int:
    """The id of the work with this DOI, adding it as ``pending`` when it is new."""
    doi = normalize_doi(doi)
    db.execute(
        "insert into works (doi, fetch_status, created_at) values (?, 'pending', ?)"
        " on conflict (doi) do nothing",
        [doi, utc_now()],
    )
    return db.execute("select id from works where doi = ?", [doi]).fetchone()[0]


def require_work(db: sqlite_utils.Database, doi: str) -> dict[str, Any]:
    """The stored work with this DOI; :class:`NotFound` when there is none."""
    work = work_for_doi(db, doi)
    if work is None:
        raise NotFound(f"no work with DOI {normalize_doi(doi)}")
    return work
