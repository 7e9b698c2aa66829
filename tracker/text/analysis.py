"""What an article contains: its reference list and its claims, with the references
each claim's inline markers name. Pure: a :class:`~tracker.text.document.Document` in,
an :class:`Analysis` out; :mod:`tracker.ingest` stores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import HEADING, ITEM, META, PARAGRAPH, Document
from .markers import Marker, find_markers, marker_style, match_reference
from .references import (
    Entry,
    ParsedReference,
    parse_reference,
    reference_section,
    split_entries,
)
from .sentences import is_claim, sentence_spans


@dataclass
class Citation:
    entry: Entry
    parsed: ParsedReference


@dataclass
class Claim:
    """A sentence of the body that states something; ``cited`` are the positions of
    the references its markers name (1-based, as in the reference list)."""

    start: int
    end: int
    markers: list[Marker] = field(default_factory=list)
    cited: list[int] = field(default_factory=list)


@dataclass
class Analysis:
    document: Document
    citations: list[Citation]
    claims: list[Claim]
    notes: list[str] = field(default_factory=list)


def analyse(document: Document) -> Analysis:
    """Find the reference list, read each entry, and find the claims of the body."""
    notes = []
    section = reference_section(document)
    entries = split_entries(document, section) if section else []
    if not section:
        notes.append("no reference section found: claims only")
    elif not entries:
        notes.append("the reference section holds no entries")
    citations = [Citation(entry, parse_reference(entry.raw)) for entry in entries]
    body_end = _body_end(document, section)
    body = _body_blocks(document, body_end)
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
    if entries and not (
        style.brackets
        or style.parentheses
        or style.superscripts
        or style.flattened
        or style.author_year
    ):
        notes.append("no inline citation markers: claims are left for you to link")
    parsed = [citation.parsed for citation in citations]
    claims = []
    spans = sentence_spans(
        document.text, [(block.start, block.end) for block in body], style
    )
    for block_spans in spans:
        for start, end in block_spans:
            sentence = document.text[start:end]
            superscripts = [
                (s - start, e - start)
                for s, e in document.superscripts
                if start <= s and e <= end
            ]
            markers = find_markers(sentence, style, len(entries), superscripts)
            cited = _cited(markers, parsed)
            if is_claim(sentence, has_markers=bool(cited)):
                claims.append(Claim(start, end, markers, cited))
    return Analysis(document, citations, claims, notes)


def _cited(markers: list[Marker], parsed: list[ParsedReference]) -> list[int]:
    positions: list[int] = []
    for marker in markers:
        positions.extend(marker.numbers)
        for cite in marker.cites:
            index = match_reference(cite, parsed)
            if index is not None:
                positions.append(index + 1)
    return list(dict.fromkeys(positions))


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
