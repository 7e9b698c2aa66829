"""Metadata records mapped to rows of ``works`` and ``authors``. Pure functions.

Vocabulary: a *message* is a Crossref REST API work (the ``message`` of
``/works/{doi}``, or an item of a list); a *CSL item* is CSL-JSON, as DOI content
negotiation returns it for DataCite, mEDRA and other agencies; a *record* is the dict of
``works`` columns made from either, and *author rows* are the ``authors`` rows.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

from ..text.doi import normalize_doi

#: CSL types mapped to the nearest Crossref type, so that every work speaks one vocabulary.
CSL_TO_CROSSREF_TYPE = {
    "article-journal": "journal-article",
    "article": "posted-content",
    "post": "posted-content",
    "post-weblog": "posted-content",
    "book": "book",
    "chapter": "book-chapter",
    "paper-conference": "proceedings-article",
    "report": "report",
    "thesis": "dissertation",
    "dataset": "dataset",
    "entry": "reference-entry",
    "entry-encyclopedia": "reference-entry",
    "entry-dictionary": "reference-entry",
    "standard": "standard",
    "software": "software",
    "review": "peer-review",
    "webpage": "other",
}


def record_from_message(message: dict[str, Any]) -> dict[str, Any]:
    """The ``works`` columns for a Crossref work message (``raw`` keeps all of it)."""
    issued = (
        partial_date(message.get("issued"))
        or partial_date(message.get("published"))
        or partial_date(message.get("published-print"))
        or partial_date(message.get("published-online"))
        or partial_date(message.get("approved"))
    )
    institutions = [
        i.get("name") for i in message.get("institution") or [] if i.get("name")
    ]
    return {
        "doi": normalize_doi(message["DOI"]),
        "type": message.get("type"),
        "title": first(message.get("title")),
        "subtitle": first(message.get("subtitle")),
        "container_title": first(message.get("container-title")),
        "short_container_title": first(message.get("short-container-title")),
        "year": year_of(issued),
        "issued": issued,
        "published_print": partial_date(message.get("published-print")),
        "published_online": partial_date(message.get("published-online")),
        "volume": _text(message.get("volume")),
        "issue": _text(message.get("issue")),
        "page": message.get("page") or message.get("article-number"),
        "article_number": message.get("article-number"),
        "publisher": message.get("publisher"),
        "publisher_location": message.get("publisher-location"),
        "institution": institutions[0] if institutions else None,
        "issn": json_list(message.get("ISSN")),
        "isbn": json_list(message.get("ISBN")),
        "abstract": jats_to_text(message.get("abstract")),
        "language": message.get("language"),
        "license_url": license_url(message.get("license")),
        "url": message.get("URL"),
        "references_count": message.get(
            "references-count", message.get("reference-count")
        ),
        "is_referenced_by_count": message.get("is-referenced-by-count"),
        "subjects": json_list(message.get("subject")),
        "update_to": json_or_none(message.get("update-to")),
        "updated_by": json_or_none(message.get("updated-by")),
        "relation": json_or_none(message.get("relation")),
        "editors": json_or_none(
            [_person(editor) for editor in message.get("editor") or []]
        ),
        "raw": json.dumps(message, ensure_ascii=False, sort_keys=True),
    }


def authors_from_message(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Author rows in the order the record gives them, positions from 1.

    Entries without any name (some records have them) are left out.
    """
    return _numbered(_person(author) for author in message.get("author") or [])


def record_from_csl(item: dict[str, Any]) -> dict[str, Any]:
    """The ``works`` columns for a CSL-JSON item from content negotiation."""
    issued = partial_date(item.get("issued"))
    csl_type = item.get("type")
    return {
        "doi": normalize_doi(item["DOI"]),
        "type": CSL_TO_CROSSREF_TYPE.get(csl_type, "other") if csl_type else None,
        "title": first(item.get("title")),
        "subtitle": first(item.get("subtitle")),
        "container_title": first(item.get("container-title")),
        "short_container_title": first(item.get("container-title-short")),
        "year": year_of(issued),
        "issued": issued,
        "published_print": partial_date(item.get("published-print")),
        "published_online": partial_date(item.get("published-online")),
        "volume": _text(item.get("volume")),
        "issue": _text(item.get("issue")),
        "page": _text(item.get("page") or item.get("number")),
        "article_number": _text(item.get("number")),
        "publisher": item.get("publisher"),
        "publisher_location": item.get("publisher-place"),
        "institution": None,
        "issn": json_list(_as_list(item.get("ISSN"))),
        "isbn": json_list(_as_list(item.get("ISBN"))),
        "abstract": jats_to_text(item.get("abstract")),
        "language": item.get("language"),
        "license_url": None,
        "url": item.get("URL"),
        "references_count": None,
        "is_referenced_by_count": None,
        "subjects": json_list(_as_list(item.get("categories"))),
        "update_to": None,
        "updated_by": None,
        "relation": None,
        "editors": json_or_none(
            [_csl_person(editor) for editor in item.get("editor") or []]
        ),
        "raw": json.dumps(item, ensure_ascii=False, sort_keys=True),
    }


def authors_from_csl(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Author rows of a CSL-JSON item, positions from 1."""
    return _numbered(_csl_person(author) for author in item.get("author") or [])


def partial_date(value: dict[str, Any] | None) -> str | None:
    """A Crossref/CSL date as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None if absent."""
    if not isinstance(value, dict):
        return None
    parts = (value.get("date-parts") or [[None]])[0] or [None]
    numbers = []
    for part in parts[:3]:
        try:
            numbers.append(int(part))
        except (TypeError, ValueError):
            break
    if not numbers:
        return None
    year, *rest = numbers
    return "-".join([f"{year:04d}", *(f"{number:02d}" for number in rest)])


def year_of(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def first(value: Any) -> str | None:
    """The first string of a Crossref list field (or the string itself), stripped."""
    if isinstance(value, list):
        value = next(
            (item for item in value if isinstance(item, str) and item.strip()), None
        )
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return None


def json_list(values: Any) -> str | None:
    """A non-empty list as JSON text (how list columns are stored), else None."""
    values = [value for value in values or [] if value]
    return json.dumps(values, ensure_ascii=False) if values else None


def json_or_none(value: Any) -> str | None:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None


def license_url(licenses: list[dict[str, Any]] | None) -> str | None:
    """The licence of the version of record when given, else the first one."""
    licenses = [item for item in licenses or [] if item.get("URL")]
    if not licenses:
        return None
    vor = [item for item in licenses if item.get("content-version") == "vor"]
    return (vor or licenses)[0]["URL"]


def normalize_orcid(value: str | None) -> str | None:
    """``https://orcid.org/0000-0002-3302-9497`` -> ``0000-0002-3302-9497``."""
    if not value:
        return None
    match = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dXx])", value)
    return match.group(1).upper() if match else None


class _JATSText(HTMLParser):
    """Collects the text of a JATS fragment, one paragraph per block element."""

    BLOCKS = {"p", "title", "sec", "list-item", "list", "abstract", "div", "br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag.split(":")[-1] in self.BLOCKS:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag.split(":")[-1] in self.BLOCKS:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        self.paragraphs[-1].append(data)


def jats_to_text(value: str | None) -> str | None:
    """Plain text of a JATS (or HTML) abstract: paragraphs separated by a blank line,
    entities decoded, a leading "Abstract" heading dropped."""
    if not value or not isinstance(value, str):
        return None
    parser = _JATSText()
    parser.feed(value)
    parser.close()
    paragraphs = [" ".join("".join(parts).split()) for parts in parser.paragraphs]
    paragraphs = [html.unescape(text) for text in paragraphs if text]
    if paragraphs and paragraphs[0].lower() in {"abstract", "summary"}:
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs) or None


def _numbered(people: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    named = [p for p in people if p["family"] or p["given"] or p["name"]]
    return [
        {"position": position, **person}
        for position, person in enumerate(named, start=1)
    ]


def _person(person: dict[str, Any]) -> dict[str, Any]:
    affiliations = [
        a.get("name") for a in person.get("affiliation") or [] if a.get("name")
    ]
    return {
        "given": first(person.get("given")),
        "family": first(person.get("family")),
        "name": first(person.get("name")),
        "orcid": normalize_orcid(person.get("ORCID")),
        "affiliation": "; ".join(affiliations) or None,
        "sequence": person.get("sequence"),
    }


def _csl_person(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "given": first(person.get("given")),
        "family": first(person.get("family")),
        "name": first(person.get("literal")),
        "orcid": normalize_orcid(person.get("ORCID")),
        "affiliation": None,
        "sequence": None,
    }


def _text(value: Any) -> str | None:
    """A field as text; None for empty values and the literal "null" some records hold."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text.lower() in ("", "null", "none") else text


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
