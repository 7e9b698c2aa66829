"""Retractions, withdrawals, expressions of concern and corrections.

Crossref records carry them both ways: a work lists the notices that update it
(``updated-by``), and a notice lists the works it updates (``update-to``). Both are
read into ``work_notices`` (kind, the notice's DOI and date), and ``works.integrity``
holds the most serious kind a work has, for flags and facets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from .doi import is_doi, normalize_doi

#: Crossref update types (and Retraction Watch's) as notice kinds.
UPDATE_KINDS = {
    "retraction": "retracted",
    "retracted": "retracted",
    "partial_retraction": "retracted",
    "removal": "withdrawn",
    "withdrawal": "withdrawn",
    "withdrawn": "withdrawn",
    "expression_of_concern": "concern",
    "expression-of-concern": "concern",
    "correction": "corrected",
    "corrigendum": "corrected",
    "erratum": "corrected",
    "addendum": "corrected",
}
#: Most serious first.
SEVERITY = ("retracted", "withdrawn", "concern", "corrected")


@dataclass(frozen=True)
class Notice:
    kind: str
    doi: str | None
    date: str | None
    label: str | None
    source: str | None


def notices(updates: str | list | None) -> list[Notice]:
    """The notices in an ``updated-by`` or ``update-to`` list (JSON text or list)."""
    if not updates:
        return []
    entries = json.loads(updates) if isinstance(updates, str) else updates
    found = []
    for update in entries:
        kind = UPDATE_KINDS.get(str(update.get("type", "")).lower().replace(" ", "_"))
        if not kind:
            continue
        parts = (update.get("updated") or {}).get("date-parts") or [[]]
        date = "-".join(
            f"{int(part):02d}" if n else str(part)
            for n, part in enumerate(parts[0])
            if part
        )
        doi = update.get("DOI")
        found.append(
            Notice(
                kind,
                normalize_doi(doi) if doi and is_doi(doi) else None,
                date or None,
                update.get("label"),
                update.get("source"),
            )
        )
    return found


def refresh_notices(db: sqlite_utils.Database) -> int:
    """Read every stored work's notices into ``work_notices`` and set each work's
    ``integrity``; return how many works are flagged."""
    rows = list(
        db.query(
            "select id, doi, updated_by, update_to from works"
            " where updated_by is not null or update_to is not null"
        )
    )
    with db.atomic():
        for row in rows:
            for notice in notices(row["updated_by"]):
                _add(db, row["id"], notice)
            for update in notices(row["update_to"]):
                if update.doi and update.doi != row["doi"]:
                    target = db.execute(
                        "select id from works where doi = ?", [update.doi]
                    ).fetchone()
                    if target:
                        _add(
                            db,
                            target[0],
                            Notice(
                                update.kind,
                                row["doi"],
                                update.date,
                                update.label,
                                update.source,
                            ),
                        )
        db.execute(
            """
            update works set integrity = (
                select kind from work_notices where work_notices.work_id = works.id
                order by case kind when 'retracted' then 1 when 'withdrawn' then 2
                    when 'concern' then 3 else 4 end
                limit 1
            )
            where integrity is not (
                select kind from work_notices where work_notices.work_id = works.id
                order by case kind when 'retracted' then 1 when 'withdrawn' then 2
                    when 'concern' then 3 else 4 end
                limit 1
            )
            """
        )
    return db.execute(
        "select count(*) from works where integrity is not null"
    ).fetchone()[0]


def work_notices(db: sqlite_utils.Database, work_id: int) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in db.query(
            "select * from work_notices where work_id = ? order by id", [work_id]
        )
    ]


def _add(db, work_id: int, notice: Notice) -> None:
    db.execute(
        "insert into work_notices (work_id, kind, notice_doi, notice_date, label, source)"
        " select :work, :kind, :doi, :date, :label, :source where not exists ("
        " select 1 from work_notices where work_id = :work and kind = :kind"
        " and notice_doi is :doi)",
        {
            "work": work_id,
            "kind": notice.kind,
            "doi": notice.doi,
            "date": notice.date,
            "label": notice.label,
            "source": notice.source,
        },
    )
