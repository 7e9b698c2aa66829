"""Verification: does each reference say what the work's record says?

For every citation whose work has metadata, the reference is compared with the record
field by field (first author, other authors and their initials, title, journal, year,
volume, issue, pages) and given a verdict:

``ok``          everything that can be compared agrees;
``minor``       small slips: a missing middle initial, an incomplete author list, a
                different issue number, a last page off;
``mismatch``    a wrong year, volume, first page, journal, title or first author;
``wrong_work``  the DOI belongs to another paper: title and authors both disagree.

What the article said is never changed: the comparison is stored beside it, in
``citation_checks`` (one row per field) and ``citations.verdict``.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from rapidfuzz import fuzz

from .database import utc_now
from .references import ParsedReference, clean_reference, fold, parse_reference

OK, MINOR, MISMATCH, MISSING = "ok", "minor", "mismatch", "missing"
_STOP_WORDS = {
    "of",
    "the",
    "and",
    "for",
    "in",
    "on",
    "a",
    "an",
    "&",
    "de",
    "la",
    "der",
    "und",
    "et",
}
_SERIOUS = ("first_author", "title", "journal", "year", "volume", "pages")


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


def verify_citations(db: sqlite_utils.Database, article_id: int | None = None) -> int:
    """Verify every citation (of one article, or all) whose work has metadata; store
    the checks and verdicts; return how many were verified."""
    rows = list(
        db.query(
            "select citations.id, citations.raw, citations.parsed, works.* from citations"
            " join works on works.id = citations.work_id"
            " where works.fetch_status = 'ok' and works.doi is not null"
            " and (:article is null or citations.article_id = :article)",
            {"article": article_id},
        )
    )
    now = utc_now()
    with db.atomic():
        for row in rows:
            citation_id = row["id"]
            work = dict(row)
            authors = list(
                db.query(
                    "select * from authors where work_id = (select work_id from citations where id = ?)"
                    " order by position",
                    [citation_id],
                )
            )
            parsed = parse_reference(row["raw"])
            result, checks = verify_reference(row["raw"], parsed, work, authors)
            db.execute(
                "delete from citation_checks where citation_id = ?", [citation_id]
            )
            db["citation_checks"].insert_all(
                {
                    "citation_id": citation_id,
                    "field": check.field,
                    "cited": check.cited,
                    "recorded": check.recorded,
                    "result": check.result,
                }
                for check in checks
            )
            db.execute(
                "update citations set verdict = ?, checked_at = ? where id = ?",
                [result, now, citation_id],
            )
    return len(rows)


# Field comparisons ---------------------------------------------------------------------


def _first_author(parsed: ParsedReference, authors: list[dict[str, Any]]) -> FieldCheck:
    recorded = _family(authors[0]) if authors else None
    cited = parsed.authors[0].family if parsed.authors else None
    if not recorded or not cited:
        return FieldCheck("first_author", cited, recorded, MISSING)
    result = OK if _same_family(cited, recorded) else MISMATCH
    return FieldCheck("first_author", cited, recorded, result)


def _other_authors(
    parsed: ParsedReference, authors: list[dict[str, Any]]
) -> FieldCheck:
    if not parsed.authors or not authors:
        return FieldCheck("authors", None, None, MISSING)
    cited = "; ".join(_cited_name(author) for author in parsed.authors)
    recorded = "; ".join(_recorded_name(author) for author in authors)
    problems = []
    for index, author in enumerate(parsed.authors):
        if author.organisation:
            continue
        if index >= len(authors):
            problems.append(MISMATCH)
            break
        record = authors[index]
        if not _same_family(author.family, _family(record)):
            last_after_ellipsis = (
                parsed.et_al
                and index == len(parsed.authors) - 1
                and _same_family(author.family, _family(authors[-1]))
            )
            problems.append(OK if last_after_ellipsis else MISMATCH)
            continue
        if fold(author.family) == fold(_family(record)):
            problems.append(
                _initials_result(author.initials, _initials(record.get("given")))
            )
        # else: a compound name split differently ("M. Javed Arshed"): initials not comparable
    if len(parsed.authors) < len(authors) and not parsed.et_al:
        problems.append(MINOR)  # a shortened list without "et al."
    result = MISMATCH if MISMATCH in problems else MINOR if MINOR in problems else OK
    return FieldCheck("authors", cited, recorded, result)


def _initials_result(cited: str, recorded: str) -> str:
    if not cited or not recorded or cited == recorded:
        return OK
    if recorded.startswith(cited) or cited.startswith(recorded):
        return MINOR  # a middle initial missing (or added)
    if cited[0] == recorded[0]:
        return MINOR
    return MINOR if len(cited) == len(recorded) == 1 else MISMATCH


def _title(parsed: ParsedReference, work: dict[str, Any], text: str) -> FieldCheck:
    recorded = _strip_markup(work.get("title"))
    if not recorded:
        return FieldCheck("title", parsed.title, None, MISSING)
    candidates = [fold(recorded)]
    if work.get("subtitle"):
        candidates.append(fold(f"{recorded} {_strip_markup(work['subtitle'])}"))
    if any(
        len(candidate) > 20 and _contains_words(text, candidate)
        for candidate in candidates
    ):
        score = 100.0  # the record's whole title stands in the reference
    elif parsed.title:
        score = max(
            fuzz.ratio(fold(parsed.title), candidate) for candidate in candidates
        )
        if score < 90:
            score = max(
                score,
                max(fuzz.token_sort_ratio(fold(parsed.title), c) for c in candidates),
            )
    else:
        score = max(fuzz.partial_ratio(candidate, text) for candidate in candidates)
    result = OK if score >= 92 else MINOR if score >= 80 else MISMATCH
    return FieldCheck("title", parsed.title, recorded, result)


def _journal(parsed: ParsedReference, work: dict[str, Any], text: str) -> FieldCheck:
    full = _strip_markup(work.get("container_title"))
    short = _strip_markup(work.get("short_container_title"))
    if not full and not short:
        return FieldCheck("journal", parsed.container, None, MISSING)
    recorded = full or short
    names = [name for name in (full, short) if name]
    if not parsed.container:
        present = any(_contains_words(text, fold(name)) for name in names)
        return FieldCheck("journal", None, recorded, OK if present else MISSING)
    cited = parsed.container
    if any(_same_journal(cited, name) for name in names) or any(
        fold(cited).endswith(" " + fold(name)) for name in names
    ):  # the end of a title with periods in it may run into the journal's name
        return FieldCheck("journal", cited, recorded, OK)
    return FieldCheck("journal", cited, recorded, MISMATCH)


def _year(parsed: ParsedReference, work: dict[str, Any]) -> FieldCheck:
    years = {
        int(date[:4])
        for date in (
            work.get("issued"),
            work.get("published_print"),
            work.get("published_online"),
        )
        if date
    }
    if work.get("year"):
        years.add(int(work["year"]))
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


def _contains_words(text: str, phrase: str) -> bool:
    """True when ``phrase`` stands in ``text`` as whole words (both folded)."""
    return bool(phrase) and f" {phrase} " in f" {text} "


def _same_journal(cited: str, name: str) -> bool:
    """Equal, or one the abbreviation of the other ("Int J Environ Res Public Health",
    "Proc. R. Soc. B" for "Proceedings of the Royal Society B: Biological Sciences")."""
    variants = {name, re.split(r"[:(]", name)[0]}
    return any(
        _abbreviates(cited, variant) or _abbreviates(variant, cited)
        for variant in variants
    )


def _abbreviates(short_name: str, full_name: str) -> bool:
    a, b = fold(short_name), fold(full_name)
    if not a or not b:
        return False
    if a == b or fuzz.ratio(a, b) >= 92:
        return True
    short = [word for word in a.split() if word not in _STOP_WORDS]
    full = [word for word in b.split() if word not in _STOP_WORDS]
    return (
        bool(short)
        and len(short) == len(full)
        and all(
            word.startswith(abbreviation)
            for abbreviation, word in zip(short, full, strict=True)
        )
    )


def _same_family(cited: str, recorded: str | None) -> bool:
    a, b = fold(cited), fold(recorded or "")
    if not a or not b:
        return False
    return (
        a == b
        or a.replace(" ", "") == b.replace(" ", "")
        or a.split()[-1] == b.split()[-1]
    )


def _family(author: dict[str, Any]) -> str | None:
    return author.get("family") or author.get("name")


def _initials(given: str | None) -> str:
    if not given:
        return ""
    return "".join(
        part[0].upper()
        for part in re.split(r"[\s.\-]+", given)
        if part and part[0].isalpha()
    )


def _cited_name(author) -> str:
    return f"{author.family} {author.initials}".strip()


def _recorded_name(author: dict[str, Any]) -> str:
    if author.get("name") and not author.get("family"):
        return author["name"]
    return f"{author.get('family') or ''}, {author.get('given') or ''}".strip(", ")


def _page_range(pages: str) -> tuple[str, str]:
    parts = [part for part in re.split(r"\s*[–\-—]\s*", str(pages)) if part]
    first = _plain(parts[0]) if parts else ""
    last = _plain(parts[-1]) if len(parts) > 1 else ""
    return first, last


def _same_last_page(cited: str, recorded: str) -> bool:
    """ "1747-57" abbreviates 1757: compare the digits the reference wrote."""
    return recorded == cited or (
        len(cited) < len(recorded) and recorded.endswith(cited)
    )


def _plain(value: Any) -> str:
    return re.sub(r"^0+(?=\w)", "", str(value or "").strip().lower().replace(" ", ""))


def _strip_markup(value: str | None) -> str | None:
    """Text without tags or entities (some records escape them twice)."""
    if not value:
        return value
    for _ in range(2):
        value = html.unescape(value)
    return " ".join(re.sub(r"<[^>]+>", "", value).split())


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def stored_checks(db: sqlite_utils.Database, citation_id: int) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in db.query(
            "select * from citation_checks where citation_id = ?", [citation_id]
        )
    ]


def checks_summary(checks: list[dict[str, Any]]) -> str:
    """ "year: reference 2020, record 2021; pages: ..." for the checks that failed."""
    parts = []
    for check in checks:
        if check["result"] in (MINOR, MISMATCH):
            parts.append(
                f"{check['field'].replace('_', ' ')}: reference {json.dumps(check['cited'], ensure_ascii=False)},"
                f" record {json.dumps(check['recorded'], ensure_ascii=False)} ({check['result']})"
            )
    return "; ".join(parts)
