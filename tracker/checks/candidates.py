"""Candidates for a reference without DOI: how well each record fits it.

A candidate is accepted only when its title is close to the reference's, its first
author's surname is the reference's first author's and its year is the reference's
year: Crossref's own relevance score is not a confidence (it grows with the length of
the query), so it only orders candidates that pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..text.normalize import fold
from ..text.parser import ParsedReference, clean_reference
from .matching import (
    contains_words,
    family_of,
    record_years,
    same_family,
    title_similarity,
)

#: Title similarity (0-100) a candidate needs to be accepted.
TITLE_THRESHOLD = 90


@dataclass
class Candidate:
    doi: str
    title: str | None
    year: int | None
    first_author: str | None
    crossref_score: float | None
    title_similarity: float
    author_ok: bool
    year_ok: bool
    message: dict[str, Any]

    @property
    def accepted(self) -> bool:
        return (
            self.title_similarity >= TITLE_THRESHOLD and self.author_ok and self.year_ok
        )


def judge(
    raw: str,
    parsed: ParsedReference,
    record: dict[str, Any],
    authors: list[dict[str, Any]],
    score: float | None = None,
    message: dict[str, Any] | None = None,
) -> Candidate:
    """How well a record (``works`` columns and author rows) fits a reference.

    :param score: the search's relevance score, kept for ordering and display
    :param message: the record as the service gave it, kept to store when accepted
    """
    text = fold(clean_reference(raw))
    named = [person for person in authors if family_of(person)]
    first = family_of(named[0]) if named else None
    if parsed.authors and first:
        author_ok = same_family(parsed.authors[0].family, first)
    else:
        author_ok = bool(first) and contains_words(text, fold(first))
    years = record_years(record)
    return Candidate(
        doi=record["doi"],
        title=record.get("title"),
        year=min(years) if years else None,
        first_author=first,
        crossref_score=score,
        title_similarity=float(title_similarity(parsed.title, record, text)),
        author_ok=author_ok,
        year_ok=parsed.year is not None and parsed.year in years,
        message=message or {},
    )
