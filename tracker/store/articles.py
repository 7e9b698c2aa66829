"""Articles with their citations and claims, stored in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from ..vocabulary import DEFAULT_STATUS
from .database import insert_many, utc_now
from .works import add_described_work, ensure_work


@dataclass
class NewCitation:
    """A reference-list entry to store, with the work it points to: the DOI's, or a
    work described by the reference (``work_columns``, ``authors``)."""

    position: int
    raw: str
    start: int
    end: int
    label: str | None
    parsed: str | None
    doi: str | None = None
    work_columns: dict[str, Any] = field(default_factory=dict)
    authors: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class NewClaim:
    """A claim to store: its span of the article's text and the positions of the
    references its markers name (linked with stance ``cites``)."""

    start: int
    end: int
    cited: list[int] = field(default_factory=list)
    marker: str | None = None
    #: Citations that name no listed reference, as ``tracker check`` reports them.
    unmatched: list[str] = field(default_factory=list)


def article_with_text(db: sqlite_utils.Database, digest: str) -> int | None:
    """The id of the article whose text has this SHA-256, or None."""
    row = db.execute("select id from articles where sha256 = ?", [digest]).fetchone()
    return row[0] if row else None


def store_article(
    db: sqlite_utils.Database,
    article: dict[str, Any],
    citations: list[NewCitation],
    claims: Iterable[NewClaim],
) -> int:
    """Store an article (``articles`` columns), its citations and its claims with the
    links their markers make, in one transaction; return the article's id.

    ``claims`` is read once, as it comes: a generator keeps memory flat however many
    claims a long article has."""
    now = utc_now()
    text = article["text"]
    with db.atomic():
        article_id = db["articles"].insert({**article, "ingested_at": now}).last_pk
        work_of_position = {
            citation.position: _store_citation(db, article_id, citation)
            for citation in citations
        }
        next_id = db.execute("select coalesce(max(id), 0) + 1 from claims").fetchone()[
            0
        ]
        for batch in _batches(enumerate(claims, start=next_id), 500):
            claim_rows = (
                _claim_row(article_id, text, number, claim, now)
                for number, claim in batch
            )
            insert_many(db, "claims", _CLAIM_COLUMNS, claim_rows, 500)
            links = _link_rows(batch, work_of_position, now)
            insert_many(db, "evidence", _LINK_COLUMNS, links, 500)
    return article_id


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


_CLAIM_COLUMNS = (
    "id",
    "article_id",
    "text",
    "char_start",
    "char_end",
    "status",
    "created_at",
    "updated_at",
    "unmatched_citations",
)
_LINK_COLUMNS = (
    "claim_id",
    "work_id",
    "stance",
    "origin",
    "marker",
    "created_at",
    "updated_at",
)


def _claim_row(
    article_id: int, text: str, claim_id: int, claim: NewClaim, now: str
) -> tuple[Any, ...]:
    """The values of :data:`_CLAIM_COLUMNS` for one claim."""
    unmatched = (
        json.dumps(claim.unmatched, ensure_ascii=False) if claim.unmatched else None
    )
    return (
        claim_id,
        article_id,
        text[claim.start : claim.end],
        claim.start,
        claim.end,
        DEFAULT_STATUS,
        now,
        now,
        unmatched,
    )


def _link_rows(
    batch: list[tuple[int, NewClaim]], work_of_position: dict[int, int], now: str
) -> Iterator[tuple[Any, ...]]:
    """The values of :data:`_LINK_COLUMNS` for the links the claims' markers make,
    to each cited work once."""
    for claim_id, claim in batch:
        for work_id in dict.fromkeys(work_of_position[p] for p in claim.cited):
            yield (claim_id, work_id, "cites", "marker", claim.marker, now, now)


def _store_citation(db, article_id: int, citation: NewCitation) -> int:
    if citation.doi:
        work_id = ensure_work(db, citation.doi)
    else:
        work_id = add_described_work(
            db,
            {**citation.work_columns, "metadata_source": "reference"},
            citation.authors,
        )
    db.execute(
        "insert into citations (article_id, position, raw, char_start, char_end, work_id,"
        " doi_source, label, parsed) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article_id,
            citation.position,
            citation.raw,
            citation.start,
            citation.end,
            work_id,
            "text" if citation.doi else None,
            citation.label,
            citation.parsed,
        ],
    )
    return work_id


def article_summary(db: sqlite_utils.Database, article_id: int) -> dict[str, Any]:
    """What ``ingest`` reports of a stored article: title, note, counts and DOIs."""
    title, note = db.execute(
        "select title, note from articles where id = ?", [article_id]
    ).fetchone()
    claims = db.execute(
        "select count(*) from claims where article_id = ?", [article_id]
    ).fetchone()[0]
    linked = db.execute(
        "select count(distinct claims.id) from claims"
        " join evidence on evidence.claim_id = claims.id where claims.article_id = ?",
        [article_id],
    ).fetchone()[0]
    dois = [
        row[0]
        for row in db.execute(
            "select works.doi from citations join works on works.id = citations.work_id"
            " where citations.article_id = ? and works.doi is not null"
            " order by citations.position",
            [article_id],
        )
    ]
    citations = db.execute(
        "select count(*) from citations where article_id = ?", [article_id]
    ).fetchone()[0]
    return {
        "title": title,
        "note": note,
        "claims": claims,
        "citations": citations,
        "dois": dois,
        "linked_claims": linked,
    }
