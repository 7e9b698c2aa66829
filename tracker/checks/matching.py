"""Comparing what a reference says with what a record says, field by field.

Verification (is this record what the reference cites?) and resolution (which of
Crossref's candidates is the work the reference cites?) ask the same questions, so
they share these answers: how alike two titles are, whether two family names are one,
whether initials agree, whether a journal name abbreviates another, which years a
record gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

from ..text.normalize import fold, initials, plain_text
from ..text.patterns import FUNCTION_WORDS

OK, MINOR, MISMATCH, MISSING = "ok", "minor", "mismatch", "missing"

#: Dates a record may give its year in (the columns of ``works``).
DATE_COLUMNS = ("issued", "published_print", "published_online")

#: Where a journal's name gives way to a subtitle or a note.
_SUBTITLE = re.compile(r"[:(]")


def contains_words(text: str, phrase: str) -> bool:
    """True when ``phrase`` stands in ``text`` as whole words (both folded)."""
    return bool(phrase) and f" {phrase} " in f" {text} "


def record_titles(work: dict[str, Any]) -> list[str]:
    """The record's title, and title with subtitle, folded."""
    title = plain_text(work.get("title"))
    if not title:
        return []
    titles = [fold(title)]
    if work.get("subtitle"):
        titles.append(fold(f"{title} {plain_text(work['subtitle'])}"))
    return titles


def title_similarity(
    cited_title: str | None, work: dict[str, Any], reference_text: str
) -> float:
    """0-100: how alike the reference's title and the record's are.

    100 when the record's whole title stands in the reference (which a parse that cut
    the title short would miss); without a parsed title, how well the record's title
    matches any part of the reference.

    :param reference_text: the whole reference, folded
    """
    candidates = record_titles(work)
    if not candidates:
        return 0.0
    if any(
        len(candidate) > 20 and contains_words(reference_text, candidate)
        for candidate in candidates
    ):
        return 100.0
    if cited_title:
        cited = fold(cited_title)
        return max(
            max(fuzz.ratio(cited, candidate), fuzz.token_sort_ratio(cited, candidate))
            for candidate in candidates
        )
    return max(
        fuzz.partial_ratio(candidate, reference_text) for candidate in candidates
    )


def same_family(cited: str | None, recorded: str | None) -> bool:
    """One family name, however spaced or prefixed ("Di Tommaso", "DiTommaso",
    "Javed Arshed" for "Arshed")."""
    a, b = fold(cited), fold(recorded)
    if not a or not b:
        return False
    return (
        a == b
        or a.replace(" ", "") == b.replace(" ", "")
        or a.split()[-1] == b.split()[-1]
    )


def family_of(person: dict[str, Any]) -> str | None:
    """A record's author as a family name (an organisation's whole name)."""
    return person.get("family") or person.get("name")


def initials_result(cited: str, recorded: str) -> str:
    """How a reference's initials agree with the record's given names' initials."""
    if not cited or not recorded or cited == recorded:
        return OK
    if recorded.startswith(cited) or cited.startswith(recorded):
        return MINOR  # a middle initial missing (or added)
    if cited[0] == recorded[0]:
        return MINOR
    return MINOR if len(cited) == len(recorded) == 1 else MISMATCH


def recorded_initials(person: dict[str, Any]) -> str:
    return initials(person.get("given"))


def same_journal(cited: str, name: str) -> bool:
    """Equal, or one the abbreviation of the other ("Int J Environ Res Public Health",
    "Proc. R. Soc. B" for "Proceedings of the Royal Society B: Biological Sciences")."""
    variants = {name, _SUBTITLE.split(name, maxsplit=1)[0]}
    return any(
        abbreviates(cited, variant) or abbreviates(variant, cited)
        for variant in variants
    )


def abbreviates(short_name: str, full_name: str) -> bool:
    """True when every word of ``short_name`` begins a word of ``full_name``, in order."""
    a, b = fold(short_name), fold(full_name)
    if not a or not b:
        return False
    if a == b or fuzz.ratio(a, b) >= 92:
        return True
    short = [word for word in a.split() if word not in FUNCTION_WORDS]
    full = [word for word in b.split() if word not in FUNCTION_WORDS]
    return (
        bool(short)
        and len(short) == len(full)
        and all(
            word.startswith(abbreviation)
            for abbreviation, word in zip(short, full, strict=True)
        )
    )


def record_years(work: dict[str, Any]) -> set[int]:
    """Every year the record gives: of issue, of print and online publication."""
    years = {int(date[:4]) for date in _dates(work) if date}
    if work.get("year"):
        years.add(int(work["year"]))
    return years


def _dates(work: dict[str, Any]) -> Iterable[str | None]:
    return (work.get(column) for column in DATE_COLUMNS)
