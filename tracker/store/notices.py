"""Retraction and correction notices: read from the stored records into
``work_notices``, and each work's most serious kind into ``works.integrity``."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from ..checks.integrity import SEVERITY, Notice, notices


def _severity_order() -> str:
    """``CASE kind WHEN 'retracted' THEN 1 ... END`` from the vocabulary's order."""
    cases = " ".join(
        f"WHEN '{kind}' THEN {rank}" for rank, kind in enumerate(SEVERITY, start=1)
    )
    return f"CASE kind {cases} ELSE {len(SEVERITY) + 1} END"


_MOST_SERIOUS = f"""
    select kind from work_notices where work_notices.work_id = works.id
    order by {_severity_order()} limit 1
"""


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
                if not update.doi or update.doi == row["doi"]:
                    continue
                target = db.execute(
                    "select id from works where doi = ?", [update.doi]
                ).fetchone()
                if target:
                    notice = Notice(
                        update.kind,
                        row["doi"],
                        update.date,
                        update.label,
                        update.source,
                    )
                    _add(db, target[0], notice)
        db.execute(
            f"update works set integrity = ({_MOST_SERIOUS})"
            f" where integrity is not ({_MOST_SERIOUS})"
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
