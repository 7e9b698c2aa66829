"""``tracker parse``: reference strings, one per line, read into fields, as
``anystyle parse`` does, and written as JSON, BibTeX or CSL-JSON.

Nothing is stored: this is the parser on its own, for a pasted reference list.
"""

from __future__ import annotations

import json
from typing import Any

from .bib.bibtex import ExportOptions, bibtex_entry, write_bibtex
from .bib.citekeys import first_family, new_keys
from .bib.csl import csl_item
from .text.names import Author
from .text.parser import ParsedReference, parse_references

#: CSL types guessed by the parser, as the Crossref types works are stored with.
CROSSREF_TYPES = {
    "article-journal": "journal-article",
    "chapter": "book-chapter",
    "book": "book",
    "paper-conference": "proceedings-article",
    "thesis": "dissertation",
    "report": "report",
    "webpage": "other",
    "document": "other",
}


def reference_lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, each a reference, in order."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_lines(text: str) -> list[tuple[str, ParsedReference]]:
    """(line, parse) for every reference line of ``text``."""
    lines = reference_lines(text)
    return list(zip(lines, parse_references(lines), strict=True))


def _person(author: Author) -> dict[str, str]:
    if author.organisation:
        return {"literal": author.family}
    person = {"family": author.family}
    if author.given:
        person["given"] = author.given
    return person


def as_json(raw: str, parsed: ParsedReference) -> dict[str, Any]:
    """A parse in the shape ``tracker parse --json`` prints (the SPEC's keys first)."""
    return {
        "raw": raw,
        "authors": [_person(author) for author in parsed.authors],
        "editors": [_person(editor) for editor in parsed.editors],
        "year": parsed.year,
        "title": parsed.title,
        "container": parsed.container,
        "volume": parsed.volume,
        "issue": parsed.issue,
        "pages": parsed.pages,
        "publisher": parsed.publisher,
        "location": parsed.location,
        "doi": parsed.doi,
        "url": parsed.url,
        "type": parsed.type,
        "edition": parsed.edition,
        "note": parsed.note,
        "year_suffix": parsed.year_suffix or None,
        "et_al": parsed.et_al,
        "confidence": parsed.confidence,
    }


def as_work(parsed: ParsedReference) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A parse as a work's columns and author rows, as the exports read them."""
    work = {
        "type": CROSSREF_TYPES.get(parsed.type or "", "other"),
        "title": parsed.title,
        "container_title": parsed.container,
        "year": parsed.year,
        "volume": parsed.volume,
        "issue": parsed.issue,
        "page": parsed.pages,
        "publisher": parsed.publisher,
        "publisher_location": parsed.location,
        "doi": parsed.doi,
        "url": parsed.url,
        "editors": None,
    }
    if parsed.editors:
        work["editors"] = json.dumps(
            [_row(editor) for editor in parsed.editors], ensure_ascii=False
        )
    return work, [_row(author) for author in parsed.authors]


def _row(author: Author) -> dict[str, Any]:
    if author.organisation:
        return {"family": None, "given": None, "name": author.family}
    return {"family": author.family, "given": author.given or None, "name": None}


def _keys(works: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> list[str]:
    """Citation keys for the parsed works, as exports make them, distinct."""
    keys = new_keys(
        (
            (number, first_family(authors), work["year"], work["title"])
            for number, (work, authors) in enumerate(works)
        ),
        taken=(),
    )
    return [keys[number] for number in range(len(works))]


def to_bibtex(
    parses: list[tuple[str, ParsedReference]], options: ExportOptions | None = None
) -> str:
    """The parses as a .bib file, in input order."""
    works = [as_work(parsed) for _, parsed in parses]
    entries = [
        bibtex_entry(work, authors, key, options or ExportOptions())
        for (work, authors), key in zip(works, _keys(works), strict=True)
    ]
    return write_bibtex(entries)


def to_csl(parses: list[tuple[str, ParsedReference]]) -> list[dict[str, Any]]:
    """The parses as CSL-JSON items, in input order."""
    works = [as_work(parsed) for _, parsed in parses]
    return [
        csl_item(work, authors, key)
        for (work, authors), key in zip(works, _keys(works), strict=True)
    ]
