"""A hand-written reading of a reference: where its title and its container most
likely stand, by the rules of the common styles (a quoted title, the sentence after
"(2019).", the sentence after Vancouver names, the journal before the volume).

It is not the parser (:mod:`.parser` is): its guesses are features the labeller weighs
among the others (:mod:`.features`), so the rules help where they are right and are
outvoted where they are not.
"""

from __future__ import annotations

import re

from .names import INITIALS, mostly_vancouver
from .patterns import UPPER, YEAR

_URL = re.compile(r"(?:https?://|www\.)\S+")
_IDENTIFIERS = re.compile(
    r"\b(?:doi|DOI|PMID|PMC|ISBN|ISSN|OCLC|hdl|arXiv)\s*:?\s*[\w\-–./()]+[.,;]?"
)

#: A year in parentheses, not an issue number such as the "(1855)" of "284(1855)".
_YEAR_IN_PARENS = re.compile(rf"(?<![\d;:])\(([^()]*?\b({YEAR})([a-z])?\b[^()]*?)\)")
_AMA_YEAR = re.compile(rf"\b({YEAR})([a-z])?\s*;\s*\w")
_ANY_YEAR = re.compile(rf"(?<![\d/.\-])({YEAR})([a-z])?(?![\d/\-])")
_QUOTED = re.compile(r"[\"“”]\s*(.+?)\s*[\"“”]")
_ITALIC = re.compile(r"(?<!\*)\*(?!\*)(.+?)(?<!\*)\*(?!\*)")


def _title_span(text: str, parsed=None) -> tuple[int, int, int] | None:
    """(end of authors, start, end) of the title: quoted, after "(year).", or the
    sentence after the authors."""
    quoted = _QUOTED.search(text)
    if quoted:
        prefix = text[: quoted.start()].rstrip()
        if not prefix or prefix.endswith((".", ",", ":")):
            return quoted.start(), quoted.start(1), quoted.end(1)
    authors_end = _vancouver_authors_end(text)
    if authors_end is not None:
        end = _sentence_end(text, authors_end)
        if end > authors_end:
            return authors_end, authors_end, end
    year = _YEAR_IN_PARENS.search(text)
    if year and year.start() > 0 and re.match(r"\s*[.,:]", text[year.end() :]):
        after = text[year.end() :]
        start = year.end() + len(after) - len(after.lstrip(" .,:"))
        italic = _ITALIC.match(text, start)
        if italic:
            return year.start(), italic.start(1), italic.end(1)
        end = _sentence_end(text, start)
        if end > start:
            return year.start(), start, end
    chicago = re.match(
        rf"^(.{{2,200}}?(?:[a-z\]\)]|\b[A-Z](?=\.\s+[*\"“])))\.\s+(?=[*\"“{UPPER}])",
        text,
    )
    if chicago:
        start = chicago.end()
        italic = _ITALIC.match(text, start)
        if italic:
            return chicago.end(1), italic.start(1), italic.end(1)
        end = _sentence_end(text, start)
        return (chicago.end(1), start, end) if end > start else None
    italic = _ITALIC.search(text)
    if italic:
        return italic.start(), italic.start(1), italic.end(1)
    return None


def _vancouver_authors_end(text: str) -> int | None:
    """End of a "Family AB, Family C." author list (AMA, Vancouver, eLife): the first
    initials followed by a period, when everything before reads as names."""
    match = re.match(rf"^(.{{2,800}}?(?:\b{INITIALS}|et\s+al))\.\s+(?=\S)", text)
    if not match:
        return None
    pieces = [piece.strip() for piece in match.group(1).split(",") if piece.strip()]
    if len(pieces) > 1 and not all(len(piece.split()) <= 5 for piece in pieces):
        return None
    return match.end() if mostly_vancouver(pieces) else None


def _sentence_end(text: str, start: int) -> int:
    """The end of the sentence that starts at ``start`` (a title), before its period."""
    depth = 0
    for position in range(start, len(text)):
        character = text[position]
        if character in "([":
            depth += 1
        elif character in ")]":
            depth = max(0, depth - 1)
        elif (
            depth == 0
            and character in ".?!"
            and (position + 1 == len(text) or text[position + 1] == " ")
        ):
            previous_word = text[start:position].split()[-1:] or [""]
            if re.fullmatch(
                r"[A-Z]|[A-Z][a-z]{0,2}|vs|al|e\.g|i\.e|St", previous_word[0]
            ):
                continue  # an initial or abbreviation inside the title
            return position + (1 if character in "?!" else 0)
    return len(text)


_CONTAINER_PATTERNS = [
    # AMA: Journal. 2021;18(23)   /   Journal. 2021 Aug;18
    re.compile(
        rf"^(?P<c>.+?)\.?\s+{YEAR}[a-z]?\s*(?:[A-Z][a-z]{{2}}(?:\s\d{{1,2}})?)?\s*;"
    ),
    # eLife: Journal 37:W202–W208 (2009)
    re.compile(rf"^(?P<c>.+?)\s+[A-Z]?\d+\s*:\s*[\w–\-]+\s*\({YEAR}"),
    # Chicago / CS1: Journal 34, no. 1   /   Journal. 43 (2): 61   /  Journal 12 (2019): 5
    re.compile(rf"^(?P<c>.+?)\.?\s+\d+(?:,?\s*no\.|\s*\([^)]*\)\s*:|\s*\({YEAR}\))"),
    # APA: Journal, 12(3), 45   /   Journal, 12, 45
    re.compile(r"^(?P<c>.+?),\s*\d+\s*(?:\(|,)"),
    # Nature: Journal 123, 456–459 (2020)
    re.compile(rf"^(?P<c>.+?)\s+\d+,\s*[\w–\-]+\s*\({YEAR}\)"),
]


def _container(rest: str) -> str | None:
    """The journal or book a reference names after its title."""
    rest = rest.lstrip(' .,"”“')
    italic = _ITALIC.search(rest)
    if italic and italic.start() < 10:
        return _tidy(italic.group(1))
    for pattern in _CONTAINER_PATTERNS:
        match = pattern.match(rest)
        if (
            match
            and len(match.group("c")) <= 200
            and not re.search(r"https?://", match.group("c"))
        ):
            return _clean_container(match.group("c"))
    match = re.match(
        r"^(?:In:?\s+)?([^.;]*?[A-Za-zÀ-ÿ)])\s*(?:[.,;]|\s+\d|\s+\(|$)", rest
    )
    return _clean_container(match.group(1)) if match else None


def _clean_container(text: str) -> str | None:
    container = _tidy(
        re.sub(r"\((?:PDF|HTML|online)\)", " ", text, flags=re.IGNORECASE)
    )
    if (
        not container
        or re.fullmatch(r"[\d\s]+", container)
        or len(container) < 2
        or re.match(
            r"(?:retrieved|archived|accessed|available|last\s+revised)\b",
            container,
            re.IGNORECASE,
        )
    ):
        return None
    return container


_VOLUME_PATTERNS = [
    # AMA / Vancouver: 2021;18(23):12836
    re.compile(
        rf"{YEAR}[a-z]?\s*(?:[A-Z][a-z]{{2}}(?:\s\d{{1,2}})?)?\s*;\s*(?P<volume>\d+)(?:\s*\((?P<issue>[^)]+)\))?(?:\s*:\s*(?P<pages>[A-Za-z]?\d+(?:\s*[–\-]\s*[A-Za-z]?\d+)?))?"
    ),
    # Chicago: 34, no. 1 (1997): 23-36
    re.compile(
        r"(?P<volume>\d+),?\s+no\.\s*(?P<issue>[\w\-–/]+)[^():]*?(?:\((?:[^()]*?)\))?\s*[:,]\s*(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+(?:\s*[–\-]\s*[A-Za-z]?\d+)?)"
    ),
    # Wikipedia CS1: 43 (2): 61–65  /  32 Suppl 1: 78–81
    re.compile(
        r"(?<![\w(])(?P<volume>\d+)(?:\s*\((?P<issue>[^)]+)\)|\s+(?P<issue2>Suppl\.?\s*\d+))\s*:\s*(?P<pages>[A-Za-z]?\d+(?:\s*[–\-]\s*[A-Za-z]?\d+)?)"
    ),
    # APA: 18(23), 12836  /  12(3), 45–67
    re.compile(
        r"(?<![\w(])(?P<volume>\d+)\s*\((?P<issue>[^)]+)\)\s*,\s*(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+(?:\s*[–\-]\s*[A-Za-z]?\d+)?)"
    ),
    # eLife: 37:W202–W208 (2009)
    re.compile(
        rf"(?<![\w(])(?P<volume>[A-Z]?\d+)\s*:\s*(?P<pages>[A-Za-z]*\d+(?:\s*[–\-]\s*[A-Za-z]*\d+)?)\s*\({YEAR}"
    ),
    # Nature: 123, 456–459 (2020)
    re.compile(
        rf"(?<![\w(])(?P<volume>\d+),\s*(?P<pages>[A-Za-z]?\d+(?:\s*[–\-]\s*[A-Za-z]?\d+)?)\s*\({YEAR}\)"
    ),
    # APA without an issue: Journal, 605, 138–149.
    re.compile(
        r"(?<![\w(])(?P<volume>\d+)\s*,\s*(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+(?:\s*[–\-]\s*[A-Za-z]?\d+)?)\s*(?:[.,;]|$)"
    ),
    # Harvard: vol. 12, no. 3, pp. 45-67
    re.compile(
        r"vol\.?\s*(?P<volume>\d+)(?:,?\s*(?:no|iss(?:ue)?)\.?\s*(?P<issue>[\w\-–]+))?(?:,?\s*pp?\.\s*(?P<pages>[A-Za-z]?\d+(?:\s*[–\-]\s*[A-Za-z]?\d+)?))?",
        re.IGNORECASE,
    ),
]


def _blank(match: re.Match) -> str:
    return " " * len(match.group())


def rule_spans(text: str) -> tuple[dict[str, tuple[int, int]], str]:
    """(start, end) in ``text`` of the authors, title and container the rules find,
    and the style of the names: ``vancouver`` ("Family AB, Family C.") or ``other``."""
    bare = _IDENTIFIERS.sub(_blank, _URL.sub(_blank, text))
    style = "vancouver" if _vancouver_authors_end(bare) is not None else "other"
    spans: dict[str, tuple[int, int]] = {}
    title = _title_span(bare, None)
    if title is None:
        return spans, style
    authors_end, start, end = title
    year = _YEAR_IN_PARENS.search(bare[:authors_end])
    if year:
        spans["date"] = (year.start(), year.end())
        authors_end = year.start()
    if authors_end > 0:
        spans["author"] = (0, authors_end)
    spans["title"] = (start, end)
    rest = bare[end:]
    container = _container(rest)
    if container:
        position = rest.find(container)
        if position >= 0:
            spans["container"] = (end + position, end + position + len(container))
    return spans, style


def number_spans(text: str) -> dict[str, tuple[int, int]]:
    """(start, end) of the volume, issue and pages the common styles' patterns find."""
    bare = _IDENTIFIERS.sub(_blank, _URL.sub(_blank, text))
    for pattern in _VOLUME_PATTERNS:
        match = pattern.search(bare)
        if match:
            return {
                name: match.span(name)
                for name, value in match.groupdict().items()
                if value is not None
            }
    return {}


def _tidy(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).strip(" .,;:\"“”‘’'")
