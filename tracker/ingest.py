"""``tracker ingest``: store an article, its reference list and its claims.

Reading is :mod:`tracker.text.reader` (files, standard input) or
:mod:`tracker.crossref.pages` (web addresses), structure :mod:`tracker.text.document`
and :mod:`tracker.text.html`, analysis :mod:`tracker.text.analysis`; the store writes
the result in one transaction. Every citation gets a work at once: the DOI's work when
the reference gives a DOI, otherwise a work without DOI made from what the reference
says, which a DOI found later turns into (or merges with) the DOI's work. Claims whose
inline markers name references are linked to those works with stance ``cites``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from .errors import InvalidInput
from .settings import Settings
from .store.articles import (
    NewCitation,
    NewClaim,
    article_summary,
    article_with_text,
    store_article,
)
from .text.analysis import Analysis, Citation, analyse
from .text.document import Document, parse_text
from .text.html import html_to_document
from .text.reader import is_web_address, read_source


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
    if is_web_address(source):
        from .crossref.pages import read_page

        read = read_page(source, settings or Settings.from_env())
    else:
        read = read_source(source)
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
    digest = text_digest(document.text)
    existing = article_with_text(db, digest)
    if existing:
        return article_report(db, existing, existing=True)
    analysis = analyse(document, lazy=True)
    article_id = store_article(
        db,
        {
            "title": title or document.title,
            "url": url or article.url,
            "text": document.text,
            "sha256": digest,
            "format": article.format,
            "source": article.location,
            "note": "; ".join(analysis.notes) or None,
        },
        [_new_citation(citation) for citation in analysis.citations],
        _new_claims(analysis),
    )
    return article_report(db, article_id, existing=False, notes=analysis.notes)


def text_digest(text: str, chunk: int = 1 << 20) -> str:
    """The SHA-256 of the text's UTF-8, encoded a megabyte at a time rather than
    copied whole."""
    digest = hashlib.sha256()
    for start in range(0, len(text), chunk):
        digest.update(text[start : start + chunk].encode("utf-8"))
    return digest.hexdigest()


def article_report(
    db: sqlite_utils.Database,
    article_id: int,
    existing: bool,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    """What ``ingest --json`` prints for a stored article."""
    summary = article_summary(db, article_id)
    note = summary.pop("note")
    return {
        "article_id": article_id,
        **summary,
        "existing": existing,
        "notes": notes if notes is not None else ([note] if note else []),
    }


def _new_citation(citation: Citation) -> NewCitation:
    entry, parsed = citation.entry, citation.parsed
    new = NewCitation(
        position=entry.position,
        raw=entry.raw,
        start=entry.start,
        end=entry.end,
        label=entry.label,
        parsed=parsed.stored(),
        doi=entry.doi,
    )
    if not entry.doi:
        new.work_columns = {
            "title": parsed.title,
            "year": parsed.year,
            "container_title": parsed.container,
            "volume": parsed.volume,
            "issue": parsed.issue,
            "page": parsed.pages,
        }
        new.authors = [
            {
                "family": None if author.organisation else author.family,
                "given": author.given or None,
                "name": author.family if author.organisation else None,
            }
            for author in parsed.authors
        ]
    return new


def _new_claims(analysis: Analysis) -> Iterator[NewClaim]:
    """The claims to store, made one at a time as the store takes them."""
    for claim in analysis.claims:
        yield NewClaim(
            claim.start,
            claim.end,
            claim.cited,
            " ".join(marker.text for marker in claim.markers) or None,
            claim.unmatched,
        )
