"""Verification: does each reference say what the work's record says?

For every citation whose work has metadata, the reference is compared with the record
field by field (first author, other authors and their initials, title, journal, year,
volume, issue, pages) and given a verdict:

``ok``          everything that can be compared agrees;
``minor``       small slips: a missing middle initial, an incomplete author list, a
                different issue number, a last page off;
``mismatch``    a wrong year, volume, first page, journal, title or first author;
``wrong_work``  the DOI belongs to another paper: title and authors both disagree.

What the article said is never changed: :mod:`tracker.check` stores the comparison
beside it, in ``citation_checks`` (one row per field that the reference or the record
gives) and ``citations.verdict``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from ..text.normalize import fold, plain_text
from ..text.parser import ParsedReference, clean_reference
from .matching import (
    MINOR,
    MISMATCH,
    MISSING,
    OK,
    contains_words,
    family_of,
    initials_result,
    record_years,
    recorded_initials,
    same_family,
    same_journal,
    title_similarity,
)

_SERIOUS = ("first_author", "title", "journal", "year", "volume", "pages")
#: The results of a field check that a summary names.
FAILED_RESULTS = (MINOR, MISMATCH)


@dataclass
class FieldCheck:
    field: str
    cited: str | None
    recorded: str | None
    result: str


def verify_reference(
    raw: str,
    parsed: ParsedReference,
    work: dict[str, Any],
    authors: list[dict[str, Any]],
) -> tuple[str, list[FieldCheck]]:
    """The verdict and the field checks of one reference against its work's record."""
    text = fold(clean_reference(raw))
    checks = [
        _first_author(parsed, authors),
        _other_authors(parsed, authors),
        _title(parsed, work, text),
        _journal(parsed, work, text),
        _year(parsed, work),
        _compare("volume", parsed.volume, work.get("volume")),
        _issue(parsed, work),
        _pages(parsed, work),
    ]
    return verdict(checks), checks


def verdict(checks: list[FieldCheck]) -> str:
    results = {check.field: check.result for check in checks}
    if results.get("title") == MISMATCH and results.get("first_author") == MISMATCH:
        return "wrong_work"
    if any(results.get(field) == MISMATCH for field in _SERIOUS):
        return "mismatch"
    if any(result in (MINOR, MISMATCH) for result in results.values()):
        return "minor"
    return "ok"


# Field comparisons ---------------------------------------------------------------------


def _first_author(parsed: ParsedReference, authors: list[dict[str, Any]]) -> FieldCheck:
    recorded = family_of(authors[0]) if authors else None
    cited = parsed.authors[0].family if parsed.authors else None
    if not recorded or not cited:
        return FieldCheck("first_author", cited, recorded, MISSING)
    result = OK if same_family(cited, recorded) else MISMATCH
    return FieldCheck("first_author", cited, recorded, result)


def _other_authors(
    parsed: ParsedReference, authors: list[dict[str, Any]]
) -> FieldCheck:
    cited = "; ".join(_cited_name(author) for author in parsed.authors) or None
    recorded = "; ".join(_recorded_name(author) for author in authors) or None
    if not cited or not recorded:
        return FieldCheck("authors", cited, recorded, MISSING)
    problems = []
    for index, author in enumerate(parsed.authors):
        if author.organisation:
            continue
        if index >= len(authors):
            problems.append(MISMATCH)
            break
        record = authors[index]
        if not same_family(author.family, family_of(record)):
            last_after_ellipsis = (
                parsed.et_al
                and index == len(parsed.authors) - 1
                and same_family(author.family, family_of(authors[-1]))
            )
            problems.append(OK if last_after_ellipsis else MISMATCH)
            continue
        if fold(author.family) == fold(family_of(record)):
            problems.append(initials_result(author.initials, recorded_initials(record)))
        # else: a compound name split differently ("M. Javed Arshed"): initials not comparable
    if len(parsed.authors) < len(authors) and not parsed.et_al:
        problems.append(MINOR)  # a shortened list without "et al."
    result = MISMATCH if MISMATCH in problems else MINOR if MINOR in problems else OK
    return FieldCheck("authors", cited, recorded, result)


def _title(parsed: ParsedReference, work: dict[str, Any], text: str) -> FieldCheck:
    recorded = plain_text(work.get("title"))
    if not recorded:
        return FieldCheck("title", parsed.title, None, MISSING)
    score = title_similarity(parsed.title, work, text)
    result = OK if score >= 92 else MINOR if score >= 80 else MISMATCH
    return FieldCheck("title", parsed.title, recorded, result)


def _journal(parsed: ParsedReference, work: dict[str, Any], text: str) -> FieldCheck:
    full = plain_text(work.get("container_title"))
    short = plain_text(work.get("short_container_title"))
    if not full and not short:
        return FieldCheck("journal", parsed.container, None, MISSING)
    recorded = full or short
    names = [name for name in (full, short) if name]
    if not parsed.container:
        present = any(contains_words(text, fold(name)) for name in names)
        return FieldCheck("journal", None, recorded, OK if present else MISSING)
    cited = parsed.container
    if any(same_journal(cited, name) for name in names) or any(
        fold(cited).endswith(" " + fold(name)) for name in names
    ):  # the end of a title with periods in it may run into the journal's name
        return FieldCheck("journal", cited, recorded, OK)
    return FieldCheck("journal", cited, recorded, MISMATCH)


def _year(parsed: ParsedReference, work: dict[str, Any]) -> FieldCheck:
    years = record_years(work)
    recorded = str(work["year"]) if work.get("year") else None
    if not parsed.year or not years:
        return FieldCheck("year", _str(parsed.year), recorded, MISSING)
    result = OK if parsed.year in years else MISMATCH
    return FieldCheck("year", str(parsed.year), recorded, result)


def _issue(parsed: ParsedReference, work: dict[str, Any]) -> FieldCheck:
    check = _compare("issue", parsed.issue, work.get("issue"))
    if check.result == MISMATCH:
        check.result = MINOR
    return check


def _pages(parsed: ParsedReference, work: dict[str, Any]) -> FieldCheck:
    recorded = work.get("page") or work.get("article_number")
    if not parsed.pages or not recorded:
        return FieldCheck("pages", parsed.pages, recorded, MISSING)
    cited_first, cited_last = _page_range(parsed.pages)
    record_first, record_last = _page_range(recorded)
    numbers = {_plain(work.get("article_number"))} - {""}
    if cited_first != record_first and cited_first not in numbers:
        return FieldCheck("pages", parsed.pages, recorded, MISMATCH)
    if cited_last and record_last and not _same_last_page(cited_last, record_last):
        return FieldCheck("pages", parsed.pages, recorded, MINOR)
    return FieldCheck("pages", parsed.pages, recorded, OK)


def _compare(field: str, cited: str | None, recorded: str | None) -> FieldCheck:
    if not cited or not recorded:
        return FieldCheck(field, cited, recorded, MISSING)
    same = _plain(cited) == _plain(recorded)
    return FieldCheck(field, cited, recorded, OK if same else MISMATCH)


# Helpers ---------------------------------------------------------------------------------


def _cited_name(author) -> str:
    return f"{author.family} {author.initials}".strip()


def _recorded_name(author: dict[str, Any]) -> str:
    if author.get("name") and not author.get("family"):
        return author["name"]
    return f"{author.get('family') or ''}, {author.get('given') or ''}".strip(", ")


_PAGE_DASH = re.compile(r"\s*[–\-—]\s*")
_LEADING_ZEROS = re.compile(r"^0+(?=\w)")


def _page_range(pages: str) -> tuple[str, str]:
    parts = [part for part in _PAGE_DASH.split(str(pages)) if part]
    first = _plain(parts[0]) if parts else ""
    last = _plain(parts[-1]) if len(parts) > 1 else ""
    return first, last


def _same_last_page(cited: str, recorded: str) -> bool:
    """ "1747-57" abbreviates 1757: compare the digits the reference wrote."""
    return recorded == cited or (
        len(cited) < len(recorded) and recorded.endswith(cited)
    )


def _plain(value: Any) -> str:
    return _LEADING_ZEROS.sub("", str(value or "").strip().lower().replace(" ", ""))


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def checks_summary(checks: list[dict[str, Any]]) -> str:
    """ "year: reference 2020, record 2021; pages: ..." for the checks that failed."""
    parts = []
    for check in checks:
        if check["result"] in FAILED_RESULTS:
            parts.append(
                f"{check['field'].replace('_', ' ')}: reference {_quoted(check['cited'])},"
                f" record {_quoted(check['recorded'])} ({check['result']})"
            )
    return "; ".join(parts)


def _quoted(value: Any) -> str:
    """A value as JSON writes it (``json.dumps``, non-ASCII kept), strings the quick
    way: ``tracker check`` quotes tens of thousands."""
    return encode_basestring(value) if isinstance(value, str) else json.dumps(value)
