"""Text normalised for comparing and for keys: folding, markup removed, initials.

``fold`` is how names and titles are compared everywhere (verification, resolution,
author-year markers); ``ascii_fold`` is the same letters kept as a word (citation
keys); ``plain_text`` is a record's title or name without its markup.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from html.parser import HTMLParser

from .patterns import UPPER

#: Letters that Unicode decomposition leaves alone, and their ASCII spellings.
_LETTERS = str.maketrans(
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
_NOT_WORD = re.compile(r"[\W_]+")
_GIVEN_SEPARATORS = re.compile(r"[\s.\-]+")
_JOINED_INITIALS = re.compile(rf"[{UPPER}]{{1,4}}")


def ascii_fold(text: str | None) -> str:
    """``Müller-Łukasz`` -> ``muller-lukasz``: lower case, accents removed."""
    if not text or text.isascii():  # nothing to decompose (most names and titles)
        return (text or "").lower()
    text = unicodedata.normalize("NFKD", (text or "").translate(_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@functools.lru_cache(maxsize=4096)
def fold(text: str | None) -> str:
    """Lower case, accents removed, punctuation to spaces: for comparing names and
    titles (``"Di Tommaso, N."`` and ``"di tommaso n"`` fold alike).

    Remembered for recent texts: verifying one reference folds each name it compares
    two or three times."""
    return " ".join(_NOT_WORD.sub(" ", ascii_fold(text)).split())


@functools.lru_cache(maxsize=4096)
def initials(given: str | None) -> str:
    """Upper-case initials of given names: ``"Xin M."`` -> ``"XM"``; initials written
    together (``"XM"``) stay as they are. Remembered: verifying a reference takes the
    initials of every recorded author, and the works' authors recur."""
    if not given:
        return ""
    if _JOINED_INITIALS.fullmatch(given):
        return given
    return "".join(
        part[0].upper()
        for part in _GIVEN_SEPARATORS.split(given)
        if part and part[0].isalpha()
    )


def unescape_entities(value: str) -> str:
    """Entities decoded, twice: some records escape them twice (``&amp;amp;``)."""
    for _ in range(2):
        if "&" in value:
            value = html.unescape(value)
    return value


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(value: str | None) -> str | None:
    """Text without tags or entities, white space collapsed (``<i>E. coli</i>`` ->
    ``E. coli``); None stays None."""
    if value is None:
        return None
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    parser = _Text()
    parser.feed(unescape_entities(value))
    parser.close()
    return " ".join("".join(parser.parts).split())
