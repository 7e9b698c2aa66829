"""RIS, the tagged format EndNote, Mendeley, Zotero and most databases read and write.
Pure functions: a work's columns in, ``TY - ... ER -`` records out.

One tag a line, ``XX  - value``. A value never spans lines: line breaks and other
control characters inside one are folded into spaces, so no value can start a tag.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..text.normalize import plain_text
from .formatted import journal_abbreviation

#: Crossref types as RIS reference types.
RIS_TYPES = {
    "journal-article": "JOUR",
    "proceedings-article": "CPAPER",
    "book-chapter": "CHAP",
    "book-section": "CHAP",
    "book-part": "CHAP",
    "reference-entry": "ENCYC",
    "book": "BOOK",
    "monograph": "BOOK",
    "reference-book": "BOOK",
    "book-set": "BOOK",
    "edited-book": "EDBOOK",
    "posted-content": "UNPB",
    "dissertation": "THES",
    "report": "RPRT",
    "dataset": "DATA",
    "standard": "STAND",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def ris_record(
    work: dict[str, Any], authors: list[dict[str, Any]], key: str
) -> list[tuple[str, str]]:
    """The (tag, value) lines of a work's record, ``TY`` first and ``ER`` last."""
    kind = RIS_TYPES.get(work.get("type") or "", "GEN")
    lines: list[tuple[str, str | None]] = [("TY", kind), ("ID", key)]
    lines += [("AU", _name(author)) for author in authors]
    editors = json.loads(work["editors"]) if work.get("editors") else []
    lines += [("A2", _name(editor)) for editor in editors]
    lines.append(("TI", _title(work)))
    container = work.get("container_title")
    lines.append(("T2", container))
    if kind == "JOUR":
        short = journal_abbreviation(container) or work.get("short_container_title")
        lines.append(("JO", short))
    first, last = _pages(work.get("page") or work.get("article_number"))
    lines += [
        ("PY", str(work["year"]) if work.get("year") else None),
        ("DA", _date(work.get("issued"))),
        ("VL", work.get("volume")),
        ("IS", work.get("issue")),
        ("SP", first),
        ("EP", last),
        ("PB", work.get("publisher")),
        ("CY", work.get("publisher_location")),
        ("SN", _first(work.get("issn")) or _first(work.get("isbn"))),
        ("DO", work.get("doi")),
        ("UR", _url(work)),
        ("LA", work.get("language")),
        ("AB", work.get("abstract")),
        ("ER", ""),
    ]
    return [
        (tag, _value(value))
        for tag, value in lines
        if value not in (None, "") or tag == "ER"
    ]


def write_ris(records: list[list[tuple[str, str]]]) -> str:
    """A .ris file of the records, a blank line between them."""
    return "\n".join(
        "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in record)
        for record in records
    )


def _url(work: dict[str, Any]) -> str | None:
    """The work's address; ``;`` percent-encoded, for readers split UR on it."""
    url = work.get("url") or (
        f"https://doi.org/{work['doi']}" if work.get("doi") else None
    )
    return url.replace(";", "%3B") if url else None


def _name(person: dict[str, Any]) -> str | None:
    if person.get("family"):
        given = person.get("given")
        return f"{person['family']}, {given}" if given else person["family"]
    return person.get("name")


def _title(work: dict[str, Any]) -> str | None:
    title, subtitle = work.get("title"), work.get("subtitle")
    if title and subtitle and subtitle.lower() not in title.lower():
        return f"{title}: {subtitle}"
    return title


def _pages(pages: Any) -> tuple[str | None, str | None]:
    """``61-65`` -> (``61``, ``65``); an article number is the start page alone."""
    if not pages:
        return None, None
    parts = re.split(r"\s*[-–—]+\s*", str(pages).strip(), maxsplit=1)
    return parts[0] or None, (parts[1] if len(parts) > 1 and parts[1] else None)


def _date(issued: str | None) -> str | None:
    """RIS's ``YYYY/MM/DD/`` from an ISO date (or part of one)."""
    if not issued:
        return None
    parts = issued.split("-")[:3]
    return "/".join(parts + [""] * (3 - len(parts))) + "/"


def _first(values: str | None) -> str | None:
    items = json.loads(values) if values else []
    return items[0] if items else None


def _value(value: Any) -> str:
    return " ".join(_CONTROL.sub(" ", plain_text(str(value))).split())
