"""Works as CSL-JSON items, the format citation processors (citeproc-py, citeproc-js,
pandoc, Zotero) read. Pure functions."""

from __future__ import annotations

import json
from typing import Any

from ..text.normalize import plain_text

#: Crossref types as CSL types.
CSL_TYPES = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "reference-entry": "entry-encyclopedia",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "posted-content": "article",
    "dissertation": "thesis",
    "report": "report",
    "dataset": "dataset",
    "standard": "standard",
    "peer-review": "review",
}


def csl_item(
    work: dict[str, Any], authors: list[dict[str, Any]], key: str
) -> dict[str, Any]:
    """The CSL-JSON item of a work, its id the work's citation key."""
    item: dict[str, Any] = {
        "id": key,
        "type": CSL_TYPES.get(work.get("type") or "", "document"),
    }
    people = [_person(author) for author in authors]
    if people:
        item["author"] = people
    editors = json.loads(work["editors"]) if work.get("editors") else []
    if editors:
        item["editor"] = [_person(editor) for editor in editors]
    text_fields = {
        "title": work.get("title"),
        "container-title": work.get("container_title"),
        "container-title-short": work.get("short_container_title"),
        "publisher": work.get("publisher"),
        "publisher-place": work.get("publisher_location"),
        "volume": work.get("volume"),
        "issue": work.get("issue"),
        "page": work.get("page"),
        "DOI": work.get("doi"),
        "URL": work.get("url"),
        "language": work.get("language"),
        "abstract": work.get("abstract"),
    }
    for name, value in text_fields.items():
        if value not in (None, ""):
            item[name] = plain_text(str(value))
    if work.get("article_number"):
        item["number"] = work["article_number"]
    for name, column in (("ISSN", "issn"), ("ISBN", "isbn")):
        if work.get(column):
            values = json.loads(work[column])
            if values:
                item[name] = values[0]
    issued = _date_parts(work.get("issued")) or (
        [[work["year"]]] if work.get("year") else None
    )
    if issued:
        item["issued"] = {"date-parts": issued}
    return item


def _person(person: dict[str, Any]) -> dict[str, str]:
    if person.get("family"):
        name = {"family": person["family"]}
        if person.get("given"):
            name["given"] = person["given"]
        return name
    return {"literal": person.get("name") or ""}


def _date_parts(date: str | None) -> list[list[int]] | None:
    if not date:
        return None
    return [[int(part) for part in date.split("-")]]
