"""``tracker ingest``: store an article, its reference list and its claims.

Reading is :mod:`tracker.reader`, structure :mod:`tracker.document` and
:mod:`tracker.html_text`, analysis :mod:`tracker.article`; this module writes the
result in one transaction. Every citation gets a work at once: the DOI's work when the
reference gives a DOI, otherwise a work without DOI made from what the reference says,
which a DOI found later turns into (or merges with) the DOI's work. Claims whose
inline markers name references are linked to those works with stance ``cites``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from .article import Analysis, analyse
from .database import utc_now
from .document import Document, parse_text
from .errors import InvalidInput
from .html_text import html_to_document
from .reader import read_source
from .references import ParsedReference
from .settings import Settings
from .works import ensure_work


@dataclass
class ReadArticle:
    """An article read and parsed, not yet stored."""

    document: Document
    format: str
    location: str
    url: str | None


def read_article(source: str, settings: Settings | None = None) -> ReadArticle:
    """Read and parse ``source`` (a path, an http(s) address or ``-``).

    Nothing is written: bad input fails here, before the database is touched.
    """
    read = read_source(source, settings)
    document = (
        html_to_document(read.text) if read.format == "html" else parse_text(read.text)
    )
    if not document.text.strip():
        raise InvalidInput(f"{source} has no text")
    return ReadArticle(document, read.format, read.location, read.url)


def ingest_article(
    db: sqlite_utils.Database,
    article: ReadArticle,
    title: str | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """Store an article with its citations and claims, in one transaction; the same
    text again changes nothing and reports the stored article.

    :returns: ``{"article_id", "claims", "citations", "dois", ...}``
    """
    document = article.document
    digest = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    existing = db.execute(
        "select id from articles where sha256 = ?", [digest]
    ).fetchone()
    if existing:
        return article_report(db, existing[0], existing=True)
    analysis = analyse(document)
    with db.atomic():
        article_id = _store(
            db,
            analysis,
            title=title or document.title,
            url=url or article.url,
            digest=digest,
            kind=article.format,
            source=article.location,
        )
    return article_report(db, article_id, existing=False, notes=analysis.notes)


def article_report(
    db: sqlite_utils.Database,
    article_id: int,
    existing: bool,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    """What ``ingest --json`` prints for a stored article."""
    article = db.execute(
        "select title, note from articles where id = ?", [article_id]
    ).fetchone()
    claims = db.execute(
        "select count(*) from claims where article_id = ?", [article_id]
    ).fetchone()[0]
    linked = db.execute(
        "select count(distinct claims.id) from claims join evidence on evidence.claim_id = claims.id"
        " where claims.article_id = ?",
        [article_id],
    ).fetchone()[0]
    dois = [
        row[0]
        for row in db.execute(
            "select works.doi from citations join works on works.id = citations.work_id"
            " where citations.article_id = ? and works.doi is not null order by citations.position",
            [article_id],
        )
    ]
    citations = db.execute(
        "select count(*) from citations where article_id = ?", [article_id]
    ).fetchone()[0]
    return {
        "article_id": article_id,
        "title": article[0],
        "claims": claims,
        "citations": citations,
        "dois": dois,
        "linked_claims": linked,
        "existing": existing,
        "notes": notes if notes is not None else ([article[1]] if article[1] else []),
    }


def _store(db, analysis: Analysis, title, url, digest, kind, source) -> int:
    now = utc_now()
    text = analysis.document.text
    article_id = db.execute(
        "insert into articles (title, url, text, sha256, ingested_at, format, source, note)"
        " values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            title,
            url,
            text,
            digest,
            now,
            kind,
            source,
            "; ".join(analysis.notes) or None,
        ],
    ).lastrowid
    work_of_position: dict[int, int] = {}
    for citation in analysis.citations:
        entry = citation.entry
        if entry.doi:
            work_id = ensure_work(db, entry.doi)
        else:
            work_id = create_reference_work(db, citation.parsed, now)
        work_of_position[entry.position] = work_id
        db.execute(
            "insert into citations (article_id, position, raw, char_start, char_end, work_id,"
            " doi_source, label, parsed) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                article_id,
                entry.position,
                entry.raw,
                entry.start,
                entry.end,
                work_id,
                "text" if entry.doi else None,
                entry.label,
                json.dumps(citation.parsed.as_dict(), ensure_ascii=False),
            ],
        )
    claim_rows, links = [], []
    next_id = (db.execute("select coalesce(max(id), 0) from claims").fetchone()[0]) + 1
    for offset, claim in enumerate(analysis.claims):
        claim_id = next_id + offset
        claim_rows.append(
            {
                "id": claim_id,
                "article_id": article_id,
                "text": text[claim.start : claim.end],
                "char_start": claim.start,
                "char_end": claim.end,
                "status": "unreviewed",
                "created_at": now,
                "updated_at": now,
            }
        )
        marker_text = " ".join(marker.text for marker in claim.markers) or None
        for work_id in dict.fromkeys(work_of_position[p] for p in claim.cited):
            links.append(
                {
                    "claim_id": claim_id,
                    "work_id": work_id,
                    "stance": "cites",
                    "origin": "marker",
                    "marker": marker_text,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    db["claims"].insert_all(claim_rows, batch_size=500)
    db["evidence"].insert_all(links, batch_size=500)
    return article_id


def create_reference_work(db, parsed: ParsedReference, now: str) -> int:
    """A work without DOI, described by what its reference says."""
    work_id = db.execute(
        "insert into works (title, year, container_title, volume, issue, page, fetch_status,"
        " metadata_source, created_at) values (?, ?, ?, ?, ?, ?, 'pending', 'reference', ?)",
        [
            parsed.title,
            parsed.year,
            parsed.container,
            parsed.volume,
            parsed.issue,
            parsed.pages,
            now,
        ],
    ).lastrowid
    authors = [
        {
            "work_id": work_id,
            "position": position,
            "family": None if author.organisation else author.family,
            "given": author.given or None,
            "name": author.family if author.organisation else None,
        }
        for position, author in enumerate(parsed.authors, start=1)
    ]
    if authors:
        db["authors"].insert_all(authors)
    return work_id
