"""Citation keys: readable, and stable once assigned.

A key is the first author's family name, the year and the first significant word of
the title, folded to ASCII and lower case (``ditommaso2021intestinal``), as Better
BibTeX users know them. A key that is taken gets ``a``, ``b``, ... appended. As in
Better BibTeX, a work gets its key when its record is first stored (a work stored
without one gets it on its first export); the key is kept in ``works.citekey``, and
adding works, refreshing metadata or exporting again never changes it. Imported keys
are kept, and a key can be set by hand. Pure functions: the store hands keys out as it
stores records (:class:`tracker.store.works.NewCitekeys`), and
:func:`tracker.bibliography.assign_citekeys` on export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..errors import InvalidInput
from ..text.normalize import ascii_fold, plain_text

STOP_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "on",
    "in",
    "for",
    "and",
    "or",
    "to",
    "with",
    "from",
    "by",
    "at",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "its",
    "into",
    "about",
    "over",
    "under",
    "via",
    "vs",
    "versus",
    "de",
    "la",
    "le",
    "les",
    "der",
    "die",
    "das",
    "und",
    "el",
    "los",
}
_VALID_KEY = re.compile(r"[A-Za-z0-9_:.\-+/]+")


def base_key(family: str | None, year: int | None, title: str | None) -> str:
    """The key before any clash suffix: family + year + first significant title word."""
    name = re.sub(r"[^a-z0-9]", "", ascii_fold(family or "")) or "anon"
    words = re.findall(r"[a-z0-9]+", ascii_fold(plain_text(title)))
    word = next((w for w in words if w not in STOP_WORDS and not w.isdigit()), "")
    return f"{name}{year or ''}{word}"


def check_key(key: str) -> str:
    """A key BibTeX and LaTeX accept: no spaces, braces, commas, quotes, % or #."""
    if not _VALID_KEY.fullmatch(key or ""):
        raise InvalidInput(
            f"{key!r} is not a usable citation key: use letters, digits and _ : . - + /"
        )
    return key


def first_family(authors: list[dict[str, Any]]) -> str | None:
    """The family name (or organisation's first word) of the first author."""
    if not authors:
        return None
    first = authors[0]
    if first.get("family"):
        return first["family"]
    words = [
        w
        for w in re.findall(r"[\w'’]+", first.get("name") or "")
        if w.lower() not in STOP_WORDS
    ]
    return words[0] if words else None


class KeyRing:
    """The keys in use, and the suffix each base key will try next: handing keys out
    one at a time takes time linear in their number, however many of them clash."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._used = {key.lower() for key in taken}
        self._next_suffix: dict[str, int] = {}

    def take(self, family: str | None, year: int | None, title: str | None) -> str:
        """A free key for a work with this first author's family name, year and title."""
        base = base_key(family, year, title)
        key, self._next_suffix[base] = _free_key(
            base, self._used, self._next_suffix.get(base, -1)
        )
        self._used.add(key.lower())
        return key


def new_keys(
    works: Iterable[tuple[int, str | None, int | None, str | None]],
    taken: Iterable[str],
) -> dict[int, str]:
    """Keys for works that have none: ``works`` are (id, first author's family name,
    year, title); ``taken`` are the keys already in use, compared without case (BibTeX
    takes ``Smith2020`` and ``smith2020`` for one key)."""
    ring = KeyRing(taken)
    return {
        work_id: ring.take(family, year, title)
        for work_id, family, year, title in works
    }


def _free_key(base: str, used: set[str], index: int) -> tuple[str, int]:
    """The first free key ``base``, then ``base`` + a, b, ..., after suffix ``index``."""
    if index < 0 and base.lower() not in used:
        return base, -1
    index = max(index, 0)
    while (base + _letters(index)).lower() in used:
        index += 1
    return base + _letters(index), index + 1


def unique_key(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base`` with the first free suffix a, b, ..., z, aa, ab, ..."""
    return _free_key(base, {key.lower() for key in taken}, -1)[0]


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters
