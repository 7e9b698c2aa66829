"""Reference lists: find an article's, split it into entries, and read each entry.

Vocabulary: an *entry* is one reference exactly as the article wrote it (``raw``, an
exact substring of the article text, its list label left out) with its offsets; a
:class:`ParsedReference` is what could be read from it (authors, year, title, journal,
volume, issue, pages, DOI). Reading is heuristic and never changes ``raw``.

Styles handled: numbered (``1.``, ``[1]``, ``1)``, ``(1)``), bulleted, and unmarked
(one entry per line or paragraph, as APA, Harvard, MLA and Chicago lists are), entries
wrapped over several lines, and the debris of pasted pages (style sheets, bare ISBN
fragments, "[open_access]" badges) which is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import HEADING, ITEM, PARAGRAPH, Block, Document
from .doi import find_dois, unwrap_dois
from .patterns import LIST_NUMBER, UPPER, YEAR

_STRONG_HEADINGS = (
    r"references?|referrences?|refrences?|referances?|reference\s+list|list\s+of\s+references"
    r"|bibliography|bibliographie|works\s+cited|literature\s+cited|cited\s+literature"
    r"|literatur(?:verzeichnis)?|quellen(?:verzeichnis|angaben)?|références|referencias"
    r"|bibliografía|bibliografia|riferimenti(?:\s+bibliografici)?|referenties"
)
_WEAK_HEADINGS = (
    r"sources?|citations?|notes|notes\s+and\s+references|further\s+reading|footnotes"
    r"|endnotes|studies\s+cited|research|literature|reading\s+list"
)
_HEADING_TEXT = r"^[\W_]*(?P<word>{words})\s*(?:\[edit\])?[\W_]*$"
_STRONG = re.compile(_HEADING_TEXT.format(words=_STRONG_HEADINGS), re.IGNORECASE)
_WEAK = re.compile(_HEADING_TEXT.format(words=_WEAK_HEADINGS), re.IGNORECASE)

#: Page furniture after a reference list: it ends the list.
_FURNITURE = re.compile(
    r"^[\W_]*(?:\d+\s+)?(?:comments?|share(?:\s+this)?|related(?:\s+(?:posts|articles|reading))?"
    r"|tags?|categories|filed\s+under|about\s+the\s+authors?|leave\s+a\s+(?:reply|comment)"
    r"|subscribe|newsletter|sign\s+up|log\s*in|external\s+links|see\s+also|back\s+to\s+top"
    r"|previous\s+post|next\s+post|recent\s+posts|like\s+this|posted\s+in|follow\s+us"
    r"|copyright|all\s+rights\s+reserved|©.*|appendix|acknowledge?ments?|author\s+contributions"
    r"|competing\s+interests|conflicts?\s+of\s+interest|funding|disclaimer|footer"
    r"|you\s+may\s+also\s+like|more\s+from|read\s+more|print|email)\b.*$",
    re.IGNORECASE,
)

_CSS = re.compile(r"[.#][\w-]+\s*\{[^}]*:[^}]*\}|\.mw-parser-output")
_BADGE = re.compile(r"^\[[\w\s-]+\]\.?$")
_IDENTIFIER_ONLY = re.compile(
    r"^(?:ISBN|ISSN|PMID|PMC|OCLC|LCCN|doi:?|arXiv:?|hdl:?)[\s:]*[\w\-–./]+\.?$",
    re.IGNORECASE,
)
_ENTRY_START = re.compile(
    rf"^(?:[{UPPER}][\w'’\-]+(?:\s[{UPPER}a-z][\w'’\-]+){{0,3}},\s+[{UPPER}]"
    rf"|[{UPPER}][\w'’\-]+(?:\s[{UPPER}][\w'’\-]+)?\s[A-Z]{{1,3}}[,.])"
)


@dataclass
class Entry:
    """One reference as written: ``raw`` is ``text[start:end]``."""

    position: int
    raw: str
    start: int
    end: int
    doi: str | None = None
    #: The list label as printed ("1.", "[1]", "-"), None for unmarked entries.
    label: str | None = None


# Finding and splitting the list ------------------------------------------------------


def reference_section(document: Document) -> tuple[int, int] | None:
    """Indexes (first, last + 1) of the blocks holding the reference list, or None."""
    candidates = [
        (index, block)
        for index, block in enumerate(document.blocks)
        if _is_reference_heading(document, block)
    ]
    for pattern in (_STRONG, _WEAK):
        chosen = [
            (index, block)
            for index, block in candidates
            if pattern.match(document.content(block))
        ]
        for index, block in reversed(chosen):
            end = _section_end(document, index, block)
            if any(
                document.blocks[i].kind in (ITEM, PARAGRAPH)
                for i in range(index + 1, end)
            ):
                return index + 1, end
    return _trailing_numbered_list(document)


def split_entries(document: Document, section: tuple[int, int]) -> list[Entry]:
    """The entries of a reference section, in order, numbered from 1.

    Besides entries, a section holds things that are not: a sentence that introduces
    the list, figure captions that a PDF conversion dropped into it, lines of links
    and identifiers that belong to the entry above (``[PubMed] [Google Scholar]``),
    the rest of an entry that a stray break cut off. Each is recognised by its
    structure and by how it reads to the reference parser.
    """
    blocks = [
        block
        for block in document.blocks[section[0] : section[1]]
        if block.kind in (ITEM, PARAGRAPH)
    ]
    spans: list[list] = []
    listed = any(block.kind == ITEM for block in blocks)
    numbered = any(block.kind == ITEM and block.number for block in blocks)
    for block in blocks:
        for start, end in _entry_spans(document, block):
            text = document.text[start:end]
            previous = document.text[spans[-1][0] : spans[-1][1]] if spans else ""
            if is_caption(text):
                continue
            trailer = is_trailer(text) and not is_trailer(previous)
            if spans and (
                trailer or _continues_previous(previous, text, block, listed)
            ):
                spans[-1][1] = end
            elif (
                listed
                and block.kind != ITEM
                and not _looks_like_reference(text)
                or not (numbered and block.number)
                and not_an_entry(text)
            ):
                continue
            else:
                label = block.label
                inner = _INNER_LABEL.match(text)
                if inner and (label is None or not block.number):
                    label, start = inner.group(1), start + inner.end()
                spans.append([start, end, label])
    entries = []
    for start, end, label in spans:
        raw = document.text[start:end]
        if is_junk(raw):
            continue
        doi = doi_of(raw, document, start, end)
        entries.append(Entry(len(entries) + 1, raw, start, end, doi, label))
    return entries


_INNER_LABEL = re.compile(rf"^\s*(\[{LIST_NUMBER}\]|{LIST_NUMBER}\.)[ \t]+(?=\S)")
_CAPTION = re.compile(
    r"^\W*(?:figure|fig\.|table|tab\.|supplementa(?:l|ry)\s+(?:figure|table)|abbildung"
    r"|tabelle|tableau|tabla|figura)\s*[A-Z]?\d+[a-z]?\b",
    re.IGNORECASE,
)
#: What the links after an entry say: the databases and services that hold it.
_TRAILER_WORDS = re.compile(
    r"\b(?:pubmed(?:\s+central)?|pmc|pmcid|pmid|google\s+scholar|scholar|crossref|cas"
    r"|article|full[\s-]+text|free|pdf|html|web\s+of\s+science|wos|scopus|view|abstract"
    r"|medline|europe\s+pmc|ads|mathscinet|zbmath|isi|link|publisher|site|doi|source"
    r"|open\s+access|reference|ref|search|worldcat|jstor)\b",
    re.IGNORECASE,
)
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")


def is_caption(text: str) -> bool:
    """A figure or table caption (which conversions from PDF drop into lists)."""
    return bool(_CAPTION.match(text.strip()))


def is_trailer(text: str) -> bool:
    """A line of links and identifiers that belongs to the entry above it:
    ``[Article](https://doi.org/...) [PubMed] [Google Scholar]``,
    ``CAS Article PubMed PubMed Central Google Scholar``, ``<https://.../PMC7856758/>``."""
    flat = _MARKDOWN_LINK.sub(lambda m: f" {m.group(1)} ", text)
    flat = re.sub(r"<?(?:https?://|www\.)\S+>?", " ", flat)
    flat = re.sub(
        r"\b(?:doi|pmid|pmcid|pmc)\s*:?\s*[\w./\-]*\d[\w./\-]*", " ", flat, flags=re.I
    )
    linked = flat != text
    rest = _TRAILER_WORDS.sub(" ", flat)
    left = re.sub(r"[\W\d_]+", "", rest)
    return len(left) <= 2 and (linked or rest != flat)


def not_an_entry(text: str) -> bool:
    """True for what stands in a reference list without being a reference: a sentence
    that introduces or explains the list (it ends with a colon, or reads to the parser
    as no reference at all: no year, address or DOI, and neither a title with authors
    nor a container), or a stray word or two."""
    flat = " ".join(text.split())
    if re.search(r":\s*[•*·]*$", flat):
        return True
    if _looks_like_reference(flat):
        return False
    if len(flat.split()) < 3:
        return True
    from .parser import parse_reference

    parsed = parse_reference(flat)
    described = (
        (parsed.authors and parsed.title) or parsed.container or parsed.publisher
    )
    return not described or parsed.confidence < 0.5


def is_junk(raw: str) -> bool:
    """True for list items that are not references: style sheets, badges, stray IDs."""
    text = raw.strip()
    letters = sum(map(str.isalpha, text))
    return bool(
        letters < 3
        or _CSS.search(text)
        or _BADGE.match(text)
        or _IDENTIFIER_ONLY.match(text)
        or re.fullmatch(r"\^(?:\s*[a-z])*", text)
    )


def doi_of(
    raw: str, document: Document | None = None, start: int = 0, end: int = 0
) -> str | None:
    """The first DOI written in an entry (joined where a line break cut it), or in a
    link the entry carries."""
    found = find_dois(unwrap_dois(raw))
    if found:
        return found[0].doi
    if document is not None:
        for link_start, _link_end, href in document.links:
            if start <= link_start < end:
                in_link = find_dois(href)
                if in_link:
                    return in_link[0].doi
    return None


def is_heading_like(document: Document, block: Block) -> bool:
    """A heading, or a paragraph short enough to be one: what may stand above a
    reference list ("References", "Sources", "Referrences", "Further reading")."""
    return _is_reference_heading(document, block)


def _is_reference_heading(document: Document, block: Block) -> bool:
    text = document.content(block)
    if block.kind == HEADING:
        return True
    return block.kind == PARAGRAPH and len(text.split()) <= 5 and len(text) <= 60


def _section_end(document: Document, index: int, heading: Block) -> int:
    for position in range(index + 1, len(document.blocks)):
        block = document.blocks[position]
        text = document.content(block)
        if block.kind == HEADING and (
            heading.kind != HEADING or block.level <= heading.level
        ):
            return position
        if (
            block.kind == PARAGRAPH
            and len(text.split()) <= 8
            and _FURNITURE.match(text)
        ):
            return position
    return len(document.blocks)


def _trailing_numbered_list(document: Document) -> tuple[int, int] | None:
    """Without a heading: the numbered list that ends the article, if it reads as one."""
    end = len(document.blocks)
    while (
        end
        and document.blocks[end - 1].kind == PARAGRAPH
        and _FURNITURE.match(document.content(document.blocks[end - 1]))
    ):
        end -= 1
    start = end
    while (
        start
        and document.blocks[start - 1].kind == ITEM
        and document.blocks[start - 1].number
    ):
        start -= 1
    items = [document.content(block) for block in document.blocks[start:end]]
    if len(items) >= 2 and sum(
        _looks_like_reference(item) for item in items
    ) >= 0.6 * len(items):
        return start, end
    return None


def _entry_spans(document: Document, block: Block) -> list[tuple[int, int]]:
    """A block's text, cut where a wrapped paragraph runs several entries together."""
    if block.kind != PARAGRAPH or not document.hard_wrapped:
        return [(block.start, block.end)]
    spans, start = [], block.start
    position = block.start
    for line in document.text[block.start : block.end].split("\n"):
        line_start = position
        position += len(line) + 1
        if line_start == block.start:
            continue
        previous = document.text[start:line_start].rstrip()
        if previous.endswith((".", ")")) and _ENTRY_START.match(line.lstrip()):
            spans.append((start, line_start - 1))
            start = line_start + len(line) - len(line.lstrip())
    spans.append((start, block.end))
    return [(s, e) for s, e in spans if document.text[s:e].strip()]


def _continues_previous(previous: str, text: str, block: Block, listed: bool) -> bool:
    """True when ``text`` is the rest of the previous entry, cut off by a stray break."""
    if listed and block.kind == ITEM:
        return False
    if re.match(r"(?:https?://|www\.)", text) or re.search(
        r"(?:https?://|www\.)\S+$", previous
    ):
        return False  # entries that are (or end with) web addresses stand alone
    ends_open = previous.rstrip().endswith((",", ";", ":", "&", " and", "–", "-"))
    return ends_open or text[:1].islower()


def _looks_like_reference(text: str) -> bool:
    return bool(
        re.search(rf"\b({YEAR})\b", text)
        or re.search(r"https?://|www\.|doi", text, re.IGNORECASE)
    )
