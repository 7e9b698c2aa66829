"""What an article contains: its reference list and its claims, with the references
each claim's inline markers name. Pure: a :class:`~tracker.text.document.Document` in,
an :class:`Analysis` out; :mod:`tracker.ingest` stores it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .document import HEADING, ITEM, META, PARAGRAPH, Document
from .links import cited_by_link, index_references, keys_of_reference
from .markers import (
    FOOTNOTE,
    FOOTNOTE_DEFINITION,
    AuthorYear,
    Marker,
    MarkerStyle,
    author_page_markers,
    bare_cites,
    cites_in_note,
    find_markers,
    marker_style,
    match_by_names,
    match_reference,
    named_number_markers,
    same_name,
)
from .normalize import fold
from .parser import ParsedReference, parse_references
from .patterns import LIST_NUMBER
from .references import Entry, reference_section, split_entries
from .sentences import block_sentences, is_claim


@dataclass
class Citation:
    entry: Entry
    parsed: ParsedReference


@dataclass(slots=True)
class Claim:
    """A sentence of the body that states something; ``cited`` are the positions of
    the references its markers name (1-based, as in the reference list)."""

    start: int
    end: int
    markers: Sequence[Marker] = ()
    cited: Sequence[int] = ()
    #: Citations that name no listed reference, with what the list has instead (a
    #: year it does not have, a name it does not hold): ``tracker check`` reports them.
    unmatched: Sequence[str] = ()


@dataclass
class Analysis:
    document: Document
    citations: list[Citation]
    #: A list; with ``analyse(..., lazy=True)`` an iterator, read once.
    claims: Iterable[Claim]
    notes: list[str] = field(default_factory=list)


def analyse(document: Document, lazy: bool = False) -> Analysis:
    """Find the reference list, read each entry, and find the claims of the body.

    With ``lazy`` the claims are found as they are read: a long article's can be
    stored while the rest are still being found, and are never all held at once."""
    notes = []
    section = reference_section(document)
    entries = split_entries(document, section) if section else []
    if not section:
        notes.append("no reference section found: claims only")
    elif not entries:
        notes.append("the reference section holds no entries")
    parsed = parse_references(entry.raw for entry in entries)
    citations = [Citation(e, p) for e, p in zip(entries, parsed, strict=True)]
    body_end = _body_end(document, section)
    footnotes = _footnote_texts(document)
    body = [
        block
        for block in _body_blocks(document, body_end)
        if not FOOTNOTE_DEFINITION.match(document.content(block))
    ]
    numbered = bool(entries) and all(
        entry.label and re.search(r"\d", entry.label) for entry in entries
    )
    body_text = "\n".join(document.content(block) for block in body)
    tagged = sum(
        1
        for start, end in document.superscripts
        if re.fullmatch(r"[\d,\s–\-\[\]]+", document.text[start:end])
    )
    style = marker_style(body_text, numbered, len(entries), tagged)
    style.footnotes = bool(footnotes) and bool(FOOTNOTE.search(body_text))
    del body_text  # a copy of the body: let a long article's go before segmenting it
    reader = MarkerReader(document, citations, footnotes, section)
    if entries and not (style.any() or reader.links_cite()):
        notes.append("no inline citation markers: claims are left for you to link")
    claims = _claims(
        document,
        [(block.start, block.end) for block in body],
        style,
        reader,
        len(entries),
    )
    if not lazy:
        claims = list(claims)
    return Analysis(document, citations, claims, notes)


def _claims(
    document: Document,
    blocks: list[tuple[int, int]],
    style: MarkerStyle,
    reader: MarkerReader,
    reference_count: int,
) -> Iterator[Claim]:
    """The claims of the body's blocks, in order, found as they are asked for."""
    superscripts = sorted(document.superscripts)
    superscript_starts = [start for start, _ in superscripts]
    for sentences in block_sentences(document.text, blocks, style):
        for start, end, states in sentences:
            sentence = document.text[start:end]
            inside = [
                (s - start, e - start)
                for s, e in _spans_within(superscripts, superscript_starts, start, end)
            ]
            markers = find_markers(sentence, style, reference_count, inside)
            markers += reader.link_markers(start, end)
            markers += reader.name_markers(sentence, markers)
            cited, unmatched = reader.cited(markers)
            if style.brackets:
                unmatched += _numbers_beyond_the_list(sentence, reference_count)
            if is_claim(sentence, has_markers=True) if cited or unmatched else states:
                # Most claims cite nothing: one shared empty tuple instead of three
                # empty lists each keeps a long article's claims small.
                yield Claim(start, end, markers or (), cited or (), unmatched or ())


class MarkerReader:
    """Which references an article's markers name: by number (the list's own numbers
    when it numbers its entries out of order), by author and year, through a footnote
    whose note cites them, or by a link to an address that identifies them."""

    def __init__(
        self,
        document: Document,
        citations: list[Citation],
        footnotes: dict[str, str],
        section: tuple[int, int] | None,
    ):
        self.document = document
        self.parsed = [citation.parsed for citation in citations]
        self.footnotes = footnotes
        entries = [citation.entry for citation in citations]
        self.by_number = numbers_to_positions(entries)
        self.numbered = bool(entries) and all(
            entry.label and re.search(r"\d", entry.label) for entry in entries
        )
        self.index = index_references(
            [
                keys_of_reference(
                    entry.raw,
                    [h for s, _, h in document.links if entry.start <= s < entry.end],
                )
                for entry in entries
            ]
        )
        list_start = (
            document.blocks[section[0]].start if section else len(document.text)
        )
        self.body_links = sorted(
            link for link in document.links if link[0] < list_start
        )
        self.body_link_starts = [link[0] for link in self.body_links]

    def links_cite(self) -> bool:
        """True when some link of the body points to a listed reference."""
        return any(cited_by_link(href, self.index) for _, _, href in self.body_links)

    def link_markers(self, start: int, end: int) -> list[Marker]:
        """Links of ``text[start:end]`` that identify listed references, as markers."""
        markers = []
        first = bisect_left(self.body_link_starts, start)
        for index in range(first, len(self.body_links)):
            link_start, link_end, href = self.body_links[index]
            if link_start >= end:
                break
            positions = cited_by_link(href, self.index)
            if positions:
                written = self.document.text[link_start:link_end]
                span = (link_start - start, link_end - start)
                markers.append(Marker(*span, written, href=href, positions=positions))
        return markers

    def name_markers(self, sentence: str, taken: list[Marker]) -> list[Marker]:
        """Author-page citations ("(Pereira Zazo 32)") that name one listed work."""
        if not self.parsed:
            return []
        markers = []
        for start, end, names in author_page_markers(sentence, taken):
            index = match_by_names(names, self.parsed)
            if index is not None:
                text = sentence[start:end]
                markers.append(Marker(start, end, text, positions=[index + 1]))
        if not self.numbered:
            markers += self._page_markers(sentence, taken)
            markers += self._bare_markers(sentence, taken + markers)
        for start, end, name, number in named_number_markers(sentence, taken):
            position = self.by_number.get(number, number)
            if 0 < position <= len(self.parsed):
                reference = self.parsed[position - 1]
                if reference.authors and same_name(
                    fold(name), reference.authors[0].family
                ):
                    markers.append(Marker(start, end, sentence[start:end], [number]))
        return markers

    def _bare_markers(self, sentence: str, taken: list[Marker]) -> list[Marker]:
        """Author-year citations without parentheses ("as Mansuy, 2022 argues") that
        name a listed work: a name and a year the list holds together."""
        markers = []
        for start, end, cites in bare_cites(sentence):
            if any(m.start < end and start < m.end for m in taken):
                continue
            positions = [
                index + 1
                for cite in cites
                if (index := match_reference(cite, self.parsed)) is not None
            ]
            if positions:
                text = sentence[start:end]
                markers.append(Marker(start, end, text, positions=positions))
        return markers

    def _page_markers(self, sentence: str, taken: list[Marker]) -> list[Marker]:
        """MLA's page-only citation, "(12)", after the author was named in the
        sentence ("Para Antonio R. Damasio, las emociones son ... (12)")."""
        markers = []
        for match in _PAGE_ONLY.finditer(sentence):
            if any(m.start <= match.start() < m.end for m in taken):
                continue
            before = fold(sentence[: match.start()])
            named = [
                position
                for position, reference in enumerate(self.parsed, start=1)
                if reference.authors
                and f" {fold(reference.authors[0].family)} " in f" {before} "
            ]
            if len(named) == 1:
                span = (match.start(), match.end())
                markers.append(Marker(*span, match.group(), positions=named))
        return markers

    def cited(self, markers: list[Marker]) -> tuple[list[int], list[str]]:
        """(positions of the references the markers name, citations that name none)."""
        positions: list[int] = []
        unmatched: list[str] = []
        for marker in markers:
            positions += [self.by_number.get(n, n) for n in marker.numbers]
            positions += marker.positions
            noted = []
            if marker.note is not None:
                noted = cites_in_note(self.footnotes.get(marker.note, ""))
            for cite in [*marker.cites, *noted]:
                index = match_reference(cite, self.parsed)
                if index is not None:
                    positions.append(index + 1)
                elif cite in marker.cites or _listed_name(cite, self.parsed):
                    # A note's prose may read like a citation ("L'année 1950"): only
                    # names the list holds count there.
                    unmatched.append(why_unmatched(marker.text, cite, self.parsed))
        return list(dict.fromkeys(positions)), unmatched


def _spans_within(
    spans: list[tuple[int, int]], starts: list[int], start: int, end: int
) -> Iterator[tuple[int, int]]:
    """The spans, sorted by start, that lie inside ``start``-``end``: found by
    bisection, so a long article's sentences do not each walk every span."""
    for index in range(bisect_left(starts, start), len(spans)):
        span = spans[index]
        if span[0] >= end:
            return
        if span[1] <= end:
            yield span


def _numbers_beyond_the_list(sentence: str, count: int) -> list[str]:
    """Bracketed reference numbers the list does not reach ("[11]" of 8 references)."""
    return [
        f"{match.group()}: the list has {count} references"
        for match in re.finditer(rf"\[({LIST_NUMBER})\]", sentence)
        if int(match.group(1)) > count
    ]


_PAGE_ONLY = re.compile(r"\((?:p{1,2}\.\s*)?\d{1,4}(?:\s*[-–]\s*\d{1,4})?\)")


def _listed_name(cite: AuthorYear, parsed: list[ParsedReference]) -> bool:
    """True when some listed reference's first author has the citation's name."""
    name = fold(cite.names[0])
    return any(
        reference.authors and same_name(name, reference.authors[0].family)
        for reference in parsed
    )


def numbers_to_positions(entries: list[Entry]) -> dict[int, int]:
    """Marker numbers as list positions. They are the same, unless the list numbers
    its entries itself, each number once, out of order (as lists converted from PDF
    can): then a marker's number is the entry's own."""
    numbers = []
    for entry in entries:
        digits = re.sub(r"\D", "", entry.label or "")
        numbers.append(int(digits) if digits else None)
    in_order = list(range(1, len(entries) + 1))
    if None in numbers or sorted(numbers) != in_order or numbers == in_order:
        return {}
    return {number: position for position, number in enumerate(numbers, start=1)}


def why_unmatched(marker: str, cite: AuthorYear, parsed: list[ParsedReference]) -> str:
    """What a citation the list does not hold says, and what the list has instead."""
    name = fold(cite.names[0]).split()[-1:]
    years = sorted(
        {
            str(reference.year)
            for reference in parsed
            if reference.authors
            and reference.year
            and fold(reference.authors[0].family).split()[-1:] == name
        }
    )
    written = (
        f"{cite.names[0]}{' et al.' if cite.et_al else ''} {cite.year}{cite.suffix}"
    )
    instead = f", which has {cite.names[0]} {', '.join(years)}" if years else ""
    return f"{marker.strip()}: {written} is not in the list{instead}"


def _footnote_texts(document: Document) -> dict[str, str]:
    """Each Markdown footnote's text, by its name."""
    texts = {}
    for block in document.blocks:
        content = document.content(block)
        match = FOOTNOTE_DEFINITION.match(content)
        if match:
            texts[match.group(1)] = content[match.end() :]
    return texts


def _body_end(document: Document, section: tuple[int, int] | None) -> int:
    """Index of the first block after the body: the reference heading, or the list."""
    if section is None:
        return len(document.blocks)
    first = section[0]
    if first > 0 and document.blocks[first - 1].kind in (HEADING, PARAGRAPH):
        heading = document.blocks[first - 1]
        if heading.kind == HEADING or len(document.content(heading).split()) <= 5:
            return first - 1
    return first


def _body_blocks(document: Document, body_end: int):
    """Paragraphs and list items of the body, without the title."""
    blocks = []
    title_seen = False
    for block in document.blocks[:body_end]:
        if block.kind in (HEADING, PARAGRAPH) and not title_seen:
            title_seen = True
            if (
                document.title
                and " ".join(document.content(block).split()).strip("*_ ")
                == document.title
            ):
                continue
        if block.kind in (PARAGRAPH, ITEM) and block.kind != META:
            blocks.append(block)
    return blocks
