"""Citation keys: readable, and stable once assigned.

A key is the first author's family name, the year and the first significant word of
the title, folded to ASCII and lower case (``ditommaso2021intestinal``), as Better
BibTeX users know them. A key that is taken gets ``a``, ``b``, ... appended. Keys are
assigned once and stored in ``works.citekey``; adding works, refreshing metadata or
exporting again never changes them. Imported keys are kept, and a key can be set by
hand.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import sqlite_utils

from .errors import InvalidInput, NotFound

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
_FOLDS = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
    }
)
_VALID_KEY = re.compile(r"[A-Za-z0-9_:.\-+/]+")


def ascii_fold(text: str) -> str:
    """``Müller-Łukasz`` -> ``muller-lukasz``: lower case, accents removed."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_FOLDS))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def base_key(family: str | None, year: int | None, title: str | None) -> str:
    """The key before any clash suffix: family + year + first significant title word."""
    name = re.sub(r"[^a-z0-9]", "", ascii_fold(family or "")) or "anon"
    words = re.findall(r"[a-z0-9]+", ascii_fold(re.sub(r"<[^>]+>", " ", title or "")))
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


def assign_citekeys(db: sqlite_utils.Database, work_ids: list[int]) -> dict[int, str]:
    """Give each of these works a key if it has none; return every work's key."""
    rows = list(
        db.query(
            "select id, citekey, year, title from works where id in"
            " (select value from json_each(?)) order by id",
            [json.dumps(list(work_ids))],
        )
    )
    taken = {
        row[0]
        for row in db.execute("select citekey from works where citekey is not null")
    }
    keys = {}
    with db.atomic():
        for row in rows:
            if row["citekey"]:
                keys[row["id"]] = row["citekey"]
                continue
            authors = list(
                db.query(
                    "select family, name from authors where work_id = ? order by position",
                    [row["id"]],
                )
            )
            key = unique_key(
                base_key(first_family(authors), row["year"], row["title"]), taken
            )
            db.execute(
                "update works set citekey = ?, citekey_source = 'generated' where id = ?",
                [key, row["id"]],
            )
            taken.add(key)
            keys[row["id"]] = key
    return keys


def unique_key(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` with the first free suffix a, b, ..., z, aa, ab, ..."""
    if base not in taken:
        return base
    index = 0
    while True:
        suffix = _letters(index)
        if base + suffix not in taken:
            return base + suffix
        index += 1


def set_citekey(db: sqlite_utils.Database, work: int | str, key: str) -> dict[str, Any]:
    """Set a work's key by hand; ``work`` is its id or DOI."""
    from .works import work_for_doi

    check_key(key)
    if isinstance(work, int):
        row = db.execute("select id from works where id = ?", [work]).fetchone()
        work_id = row[0] if row else None
    else:
        found = work_for_doi(db, work)
        work_id = found["id"] if found else None
    if work_id is None:
        raise NotFound(f"no work {work}")
    other = db.execute(
        "select id from works where citekey = ? and id != ?", [key, work_id]
    ).fetchone()
    if other:
        raise InvalidInput(f"the key {key!r} is already work {other[0]}'s")
    db.execute(
        "update works set citekey = ?, citekey_source = 'manual' where id = ?",
        [key, work_id],
    )
    return {"work_id": work_id, "citekey": key}


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters
