"""Inline citation markers, and which reference each one names.

Vocabulary: a :class:`Marker` is a citation as the article's sentence writes it, with
its span: numeric (``[1]``, ``[1,2]``, ``[1–3]``, ``(1)``, superscript digits) or
author-year (``(Smith et al., 2020)``, ``Smith and Jones (2019)``, ``(Lemke 2002,
21)``, ``(Müller u. a. 2019)``). :func:`marker_style` decides once per article which
kinds its text uses, so that "(2)" in an author-year article or "H3K9me3" in a
numbered one is not read as a citation.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .needs import may_match
from .normalize import fold
from .parser import ParsedReference
from .patterns import LIST_NUMBER, NAME_PARTICLES, PARTICLES, UPPER, YEAR

_NUMBERS = rf"{LIST_NUMBER}(?:\s*[-–—,]\s*{LIST_NUMBER})*"
#: Flattened superscripts ("permeable12") stay short: longer runs are part of a word.
_SHORT_NUMBERS = r"\d{1,4}(?:\s*[-–—,]\s*\d{1,4})*"
_BRACKET = re.compile(rf"\[({_NUMBERS})\](?::\s*[\w–\-]+)?")
_PAREN_NUMBER = re.compile(rf"\(({_NUMBERS})\)")
_SUPERSCRIPT_HTML = re.compile(rf"<sup>\s*\[?({_NUMBERS})\]?\s*</sup>", re.IGNORECASE)
_SUPERSCRIPT_FLAT = re.compile(
    rf"(?<=[a-z\)\]\.,;:’”\"'])({_SHORT_NUMBERS})(?=[\s.,;:)]|$)"
)
_UNICODE_SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[,˒⁻–-][⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹˒⁻", "0123456789,-")
_AUTHOR_YEAR_PAREN = re.compile(rf"\(([^()]*?\b{YEAR}[a-z]?\b[^()]*?)\)")
_NAME = (
    rf"(?:\b(?:{NAME_PARTICLES})\s+)?[{UPPER}][\w'’\-]*"
    rf"(?:\s+(?:{NAME_PARTICLES})\s+[{UPPER}][\w'’\-]*)*"
)
#: What separates the citations inside one pair of parentheses: semicolons, and
#: "vgl.", "cf.", "see also" after a comma.
_PARTS = re.compile(
    r";|,\s*(?=(?:vgl\.|cf\.|see(?:\s+also)?|siehe|voir|véase|ver)\s)", re.IGNORECASE
)
_PREFIX = re.compile(
    r"^(?:e\.\s?g\.,?|i\.\s?e\.,?|see(?:\s+also)?|cf\.|vgl\.|reviewed\s+in|as\s+in|for\s+example,?|z\.\s?B\.)\s*",
    re.IGNORECASE,
)
_CITE_PART = re.compile(
    rf"^(?P<names>{_NAME}(?:\s*(?:,|and|&|und)\s*{_NAME})*(?:,?\s*(?:et\s+al\.?|u\.\s*a\.|and\s+colleagues))?)"
    rf"[,\s]+(?P<years>{YEAR}[a-z]?(?:\s*,\s*{YEAR}[a-z]?)*)(?:\s*,\s*(?:pp?\.|S\.)?\s*[\w–\-]+)?\s*$"
)
_NARRATIVE = re.compile(
    rf"(?P<names>{_NAME}(?:\s+(?:and|&|und|et|y|e)\s+{_NAME}|\s+\*?et\s+al\.?\*?|\s+u\.\s*a\.)?)\s*"
    rf"\((?P<years>{YEAR}[a-z]?(?:\s*,\s*{YEAR}[a-z]?)*)(?:\s*,\s*[^)]*)?\)"
)


@dataclass
class AuthorYear:
    """One author-year citation: surnames as written, the year and its letter."""

    names: list[str]
    year: int
    suffix: str = ""
    et_al: bool = False


@dataclass
class Marker:
    start: int
    end: int
    text: str
    numbers: list[int] = field(default_factory=list)
    cites: list[AuthorYear] = field(default_factory=list)
    #: A footnote's name (``[^3]``: ``3``), whose text holds the citations.
    note: str | None = None
    #: A link's target (a sentence that links to a listed work cites it).
    href: str | None = None
    #: List positions the marker names directly (a link's or a name's), as opposed to
    #: ``numbers``, which the article writes and the list may number its own way.
    positions: list[int] = field(default_factory=list)


@dataclass
class MarkerStyle:
    """Which kinds of markers an article uses."""

    brackets: bool = False
    parentheses: bool = False
    superscripts: bool = False
    #: Digits glued to the text where superscripts were flattened ("disease.1,2").
    flattened: bool = False
    author_year: bool = False
    #: Markdown footnotes (``[^3]``) whose notes cite the references.
    footnotes: bool = False

    def any(self) -> bool:
        """True when the article marks its citations in some way."""
        return any(
            (
                self.brackets,
                self.parentheses,
                self.superscripts,
                self.flattened,
                self.author_year,
                self.footnotes,
            )
        )


def marker_style(
    body: str,
    numbered_references: bool,
    reference_count: int,
    tagged_superscripts: int = 0,
) -> MarkerStyle:
    """Decide from the body text which kinds of markers to read.

    :param tagged_superscripts: superscripts the source marked (HTML ``<sup>``) that
        hold reference numbers
    """
    brackets = _numbers_at_least(1, _BRACKET, body, reference_count)
    author_year = _at_least(1, _author_year_matches(body))
    style = MarkerStyle(brackets=brackets, author_year=author_year)
    if not numbered_references or brackets:
        return style
    html_sup = _at_least(1, _SUPERSCRIPT_HTML.finditer(body)) or bool(
        _UNICODE_SUPERSCRIPT.search(body)
    )
    if html_sup or tagged_superscripts:
        style.superscripts = True
    elif not author_year:
        style.parentheses = _numbers_at_least(2, _PAREN_NUMBER, body, reference_count)
        style.flattened = not style.parentheses and _numbers_at_least(
            2, _SUPERSCRIPT_FLAT, body, reference_count
        )
    return style


def _at_least(count: int, found: Iterable[object]) -> bool:
    """True when ``found`` yields ``count`` things; stops looking once it has."""
    return sum(1 for _ in itertools.islice(found, count)) == count


def _numbers_at_least(
    count: int, pattern: re.Pattern[str], body: str, reference_count: int
) -> bool:
    """True when ``pattern`` finds ``count`` markers of numbers in the list."""
    return _at_least(
        count,
        (m for m in pattern.finditer(body) if _in_range(m.group(1), reference_count)),
    )


def find_markers(
    text: str,
    style: MarkerStyle,
    reference_count: int,
    superscripts: list[tuple[int, int]] = (),
) -> list[Marker]:
    """The markers in ``text`` (a sentence), in order.

    :param superscripts: spans of ``text`` the source marked as superscript
    """
    markers: list[Marker] = []
    if style.superscripts:
        for start, end in superscripts:
            numbers = _expand(text[start:end].strip(" []()"), reference_count)
            if numbers:
                markers.append(Marker(start, end, text[start:end], numbers))
    if style.brackets:
        markers += _numeric(text, _BRACKET, reference_count)
    if style.parentheses:
        markers += _numeric(text, _PAREN_NUMBER, reference_count)
    if style.superscripts:
        markers += _numeric(text, _SUPERSCRIPT_HTML, reference_count)
        for match in _UNICODE_SUPERSCRIPT.finditer(text):
            numbers = _expand(
                match.group().translate(_SUPERSCRIPT_DIGITS), reference_count
            )
            if numbers:
                markers.append(
                    Marker(match.start(), match.end(), match.group(), numbers)
                )
    if style.flattened:
        markers += _numeric(text, _SUPERSCRIPT_FLAT, reference_count)
    if style.author_year:
        for start, end, cites in _author_year_matches(text):
            markers.append(Marker(start, end, text[start:end], cites=cites))
    if style.footnotes:
        for match in FOOTNOTE.finditer(text):
            markers.append(
                Marker(match.start(), match.end(), match.group(), note=match.group(1))
            )
    markers.sort(key=lambda marker: marker.start)
    return _without_overlaps(markers)


#: A Markdown footnote marker, ``[^3]``, and a note's definition, ``[^3]: text``.
FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*", re.MULTILINE)
_BARE_CITE = re.compile(
    rf"(?P<names>{_NAME}(?:(?:\s*,\s*|\s+(?:and|&|und|et|y)\s+){_NAME})*"
    rf"(?:,?\s+\*?(?:et\s+al\.?|u\.\s*a\.)\*?)?)[,\s]+"
    rf"(?P<years>{YEAR}[a-z]?(?:\s*,\s*{YEAR}[a-z]?)*)"
)


def cites_in_note(note: str) -> list[AuthorYear]:
    """The author-year citations a footnote's text makes: in parentheses or
    narrative ("voir Walsh et Schwalbe (2020)"), and bare ("Anderson *et al.* 1947.",
    "Scott, Cook et Naysmith, 2007"). Bare ones may be prose ("L'année 1950"): the
    caller keeps only those whose names the reference list holds."""
    flat = note.replace("*", "")
    spans = list(_author_year_matches(flat))
    found = [cite for _, _, cites in spans for cite in cites]
    for start, end, cites in bare_cites(flat):
        if not any(s < end and start < e for s, e, _ in spans):
            found += cites
    return found


def leading_markers(text: str, style: MarkerStyle) -> int:
    """How many characters at the start of a sentence are markers that belong to the
    sentence before (``[1][5]`` pushed onto the next line, ``1,2 `` after a period)."""
    patterns = (
        _LEADING_SUPERSCRIPTS if style.flattened or style.superscripts else _LEADING
    )
    for pattern in patterns:
        match = pattern.match(text)
        if match and match.group().strip():
            return match.end()
    return 0


#: Markers at the start of a sentence that belong to the one before it.
_LEADING = tuple(
    re.compile(pattern)
    for pattern in (
        r"\s*(?:\[\d[^\]]*\]\s*)+",
        r"\s*[⁰¹²³⁴⁵⁶⁷⁸⁹˒⁻]+",
        r"(?:\[\^[^\]\s]+\])+",
    )
)
#: ... and, where digits after a period are superscripts, those digits.
_LEADING_SUPERSCRIPTS = _LEADING + (
    re.compile(r"\s*\d{1,3}(?:[,–\-]\d{1,3})*(?=\s+[A-Z])"),
)


def match_reference(cite: AuthorYear, references: list[ParsedReference]) -> int | None:
    """The index of the reference an author-year citation names, or None."""
    first = fold(cite.names[0])
    candidates = [
        index
        for index, reference in enumerate(references)
        if reference.authors
        and same_name(first, reference.authors[0].family)
        and (
            reference.year == cite.year
            or (not reference.year and cite.year in reference.years)
        )
    ]
    if len(cite.names) > 1 and len(candidates) > 1:
        second = fold(cite.names[1])
        narrowed = [
            i
            for i in candidates
            if len(references[i].authors) > 1
            and same_name(second, references[i].authors[1].family)
        ]
        candidates = narrowed or candidates
    if len(candidates) > 1 and cite.suffix:
        lettered = [i for i in candidates if references[i].year_suffix == cite.suffix]
        if lettered:
            candidates = lettered
        elif all(not references[i].year_suffix for i in candidates):
            position = ord(cite.suffix) - ord("a")
            candidates = candidates[position : position + 1] or candidates
    if len(candidates) > 1:
        counted = [
            i
            for i in candidates
            if (len(references[i].authors) >= 3 or references[i].et_al) == cite.et_al
            and (cite.et_al or len(references[i].authors) == len(cite.names))
        ]
        candidates = counted or candidates
    return candidates[0] if candidates else None


def same_name(folded_marker: str, family: str) -> bool:
    """True when a marker's name is the family name (or the body's acronym); a
    particle the running text put before the name may be the sentence's ("de Millot"
    in "le manuel de Millot")."""
    family = fold(family)
    if not family or not folded_marker:
        return False
    if family == folded_marker or family.endswith(" " + folded_marker):
        return True
    words = folded_marker.split()
    if len(words) > 1 and words[0] in PARTICLES and " ".join(words[1:]) == family:
        return True
    acronym = "".join(
        word[0] for word in family.split() if word not in {"of", "the", "and", "for"}
    )
    return len(folded_marker) >= 2 and acronym == folded_marker.replace(" ", "")


def _numeric(text: str, pattern: re.Pattern, reference_count: int) -> list[Marker]:
    markers = []
    for match in pattern.finditer(text):
        numbers = _expand(match.group(1), reference_count)
        if numbers:
            markers.append(Marker(match.start(), match.end(), match.group(), numbers))
    return markers


def _expand(numbers: str, reference_count: int) -> list[int]:
    """``1,3–5`` -> [1, 3, 4, 5]; empty when any number is out of range."""
    result: list[int] = []
    for part in re.split(r"\s*,\s*", numbers.strip()):
        bounds = re.split(r"\s*[-–—]\s*", part)
        if not all(bound.isdigit() for bound in bounds):
            return []
        low, high = int(bounds[0]), int(bounds[-1])
        if high < low or high - low > 50:
            return []
        result.extend(range(low, high + 1))
    if not result or any(number < 1 or number > reference_count for number in result):
        return []
    return list(dict.fromkeys(result))


def _in_range(numbers: str, reference_count: int) -> bool:
    return bool(_expand(numbers, reference_count))


def _author_year_matches(text: str):
    """(start, end, cites) for parenthetical and narrative author-year citations."""
    taken: list[tuple[int, int]] = []
    narratives = _NARRATIVE.finditer(text) if may_match(_NARRATIVE, text) else ()
    for match in narratives:
        cites = _cites(match.group("names"), match.group("years"))
        if cites:
            taken.append((match.start(), match.end()))
            yield match.start(), match.end(), cites
    if not may_match(_AUTHOR_YEAR_PAREN, text):
        return
    for match in _AUTHOR_YEAR_PAREN.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        cites = []
        for part in _PARTS.split(match.group(1)):
            part = _PREFIX.sub("", re.sub(r"[*_]", "", part).strip())
            parsed = _CITE_PART.match(part)
            if parsed:
                cites += _cites(parsed.group("names"), parsed.group("years"))
        if cites:
            yield match.start(), match.end(), cites


def _cites(names_text: str, years_text: str) -> list[AuthorYear]:
    names_text = names_text.replace("*", "")
    et_al = bool(re.search(r"et\s+al|u\.\s*a\.|and\s+colleagues", names_text))
    names_text = re.sub(
        r",?\s*(?:et\s+al\.?|u\.\s*a\.|and\s+colleagues)\s*$", "", names_text
    )
    names = [
        name.strip()
        for name in re.split(r"\s*(?:,|\band\b|&|\bund\b|\bet\b|\by\b)\s*", names_text)
        if name.strip()
    ]
    if not names or any(not name.split()[-1][0].isupper() for name in names):
        return []
    cites = []
    for year in re.findall(rf"({YEAR})([a-z]?)", years_text):
        cites.append(AuthorYear(names, int(year[0]), year[1], et_al))
    return cites


def _without_overlaps(markers: list[Marker]) -> list[Marker]:
    kept: list[Marker] = []
    for marker in markers:
        if kept and marker.start < kept[-1].end:
            continue
        kept.append(marker)
    return kept


#: MLA's author-page citation, "(Pereira Zazo 32)", "(Mohammad y Turney)": names (and a
#: page), no year.
_AUTHOR_PAGE = re.compile(
    rf"\((?P<names>{_NAME}(?:\s+{_NAME})?(?:\s+(?:and|&|und|et|y|e)\s+{_NAME})?)"
    r"(?:,?\s+(?:p{1,2}\.\s*)?\d+(?:\s*[-–]\s*\d+)?)?\)"
)


def author_page_markers(
    text: str, taken: list[Marker]
) -> list[tuple[int, int, list[str]]]:
    """(start, end, names) of the author-page citations of ``text`` outside ``taken``."""
    found: list[tuple[int, int, list[str]]] = []
    if not may_match(_AUTHOR_PAGE, text):
        return found
    for match in _AUTHOR_PAGE.finditer(text):
        if any(m.start <= match.start() < m.end for m in taken):
            continue
        names = [
            name.strip()
            for name in re.split(r"\s+(?:and|&|und|et|y|e)\s+", match.group("names"))
        ]
        found.append((match.start(), match.end(), names))
    return found


def match_by_names(names: list[str], references: list[ParsedReference]) -> int | None:
    """The one reference whose authors begin with these names, or None."""
    wanted = [fold(name) for name in names]
    candidates = [
        index
        for index, reference in enumerate(references)
        if len(reference.authors) >= len(wanted)
        and all(
            fold(author.family) == name
            for author, name in zip(reference.authors, wanted, strict=False)
        )
    ]
    return candidates[0] if len(candidates) == 1 else None


#: A name followed by a reference number, "Slade & Spencer (5)", in numbered articles
#: that otherwise cite with brackets.
_NAMED_NUMBER = re.compile(
    rf"(?P<names>{_NAME}(?:\s+(?:and|&|und|et|y)\s+{_NAME}|\s+\*?et\s+al\.?\*?)?)"
    rf"\s+\((?P<number>{LIST_NUMBER})\)"
)


def named_number_markers(
    text: str, taken: list[Marker]
) -> list[tuple[int, int, str, int]]:
    """(start, end, first name, number) of "Name (n)" citations outside ``taken``."""
    found: list[tuple[int, int, str, int]] = []
    if not may_match(_NAMED_NUMBER, text):
        return found
    for match in _NAMED_NUMBER.finditer(text):
        start = match.start("number") - 1
        if any(m.start <= start < m.end for m in taken):
            continue
        first = re.split(r"\s+(?:and|&|und|et|y)\s+", match.group("names"))[0]
        found.append((start, match.end(), first, int(match.group("number"))))
    return found


def bare_cites(text: str) -> list[tuple[int, int, list[AuthorYear]]]:
    """(start, end, cites) of author-year citations without parentheses ("as Mansuy,
    2022 argues"); the caller keeps those the reference list holds."""
    found: list[tuple[int, int, list[AuthorYear]]] = []
    if not may_match(_BARE_CITE, text):
        return found
    for match in _BARE_CITE.finditer(text):
        cites = _cites(match.group("names"), match.group("years"))
        if cites:
            found.append((match.start(), match.end(), cites))
    return found
