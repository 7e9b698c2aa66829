"""Retractions, withdrawals, expressions of concern and corrections.

Crossref records carry them both ways: a work lists the notices that update it
(``updated-by``), and a notice lists the works it updates (``update-to``). Both are
read into ``work_notices`` (kind, the notice's DOI and date) by
:func:`tracker.store.notices.refresh_notices`, and ``works.integrity`` holds the most
serious kind a work has, for flags and facets. Pure: records in, notices out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..text.doi import is_doi, normalize_doi
from ..vocabulary import NOTICE_KINDS

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
SEVERITY = NOTICE_KINDS


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
