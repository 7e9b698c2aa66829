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

import html
import re
from dataclasses import dataclass, field

from .document import HEADING, ITEM, PARAGRAPH, Block, Document
from .doi import find_dois
from .normalize import initials
from .patterns import PARTICLES, UPPER, YEAR

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
_DOI_WRAP = re.compile(
    r"(10\.\d{4,9}(?:\.\d+)*/(?:[^\s\"]*[/\-])?)[ \t]*\r?\n[ \t]*(?=[\w(])"
)
_DOI_LABEL_WRAP = re.compile(r"(doi:)[ \t]*\r?\n[ \t]*(?=10\.)", re.IGNORECASE)


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


@dataclass
class Author:
    family: str
    given: str = ""
    organisation: bool = False

    @property
    def initials(self) -> str:
        """Upper-case initials of the given names ("Xin M." -> "XM")."""
        return initials(self.given)


#: The version of :func:`parse_reference`'s reading, stored with each parse: a stored
#: parse of another version is read again.
PARSER_VERSION = 1


@dataclass
class ParsedReference:
    """What a reference says, as far as it can be read."""

    authors: list[Author] = field(default_factory=list)
    et_al: bool = False
    year: int | None = None
    year_suffix: str = ""
    years: list[int] = field(default_factory=list)
    title: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None

    @property
    def first_page(self) -> str | None:
        return re.split(r"[–\-]", self.pages)[0] if self.pages else None

    def as_dict(self) -> dict:
        return {
            "parser": PARSER_VERSION,
            "authors": [
                {"family": a.family, "given": a.given, "organisation": a.organisation}
                for a in self.authors
            ],
            "et_al": self.et_al,
            "year": self.year,
            "year_suffix": self.year_suffix,
            "title": self.title,
            "container": self.container,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "doi": self.doi,
            "years": self.years,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> ParsedReference | None:
        """The parse :meth:`as_dict` stored, or None when it is missing or was made by
        another version of the parser."""
        if not data or data.get("parser") != PARSER_VERSION:
            return None
        fields = {k: v for k, v in data.items() if k not in ("parser", "authors")}
        return cls(authors=[Author(**author) for author in data["authors"]], **fields)


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
    """The entries of a reference section, in order, numbered from 1."""
    blocks = [
        block
        for block in document.blocks[section[0] : section[1]]
        if block.kind in (ITEM, PARAGRAPH)
    ]
    spans: list[list] = []
    listed = any(block.kind == ITEM for block in blocks)
    for block in blocks:
        for start, end in _entry_spans(document, block):
            text = document.text[start:end]
            previous = document.text[spans[-1][0] : spans[-1][1]] if spans else ""
            if spans and _continues_previous(previous, text, block, listed):
                spans[-1][1] = end
            elif listed and block.kind != ITEM and not _looks_like_reference(text):
                continue
            else:
                spans.append([start, end, block.label])
    entries = []
    for start, end, label in spans:
        raw = document.text[start:end]
        if is_junk(raw):
            continue
        doi = doi_of(raw, document, start, end)
        entries.append(Entry(len(entries) + 1, raw, start, end, doi, label))
    return entries


def is_junk(raw: str) -> bool:
    """True for list items that are not references: style sheets, badges, stray IDs."""
    text = raw.strip()
    letters = sum(character.isalpha() for character in text)
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


def unwrap_dois(text: str) -> str:
    """Join DOIs that a line break split after ``doi:``, a slash or a dash."""
    text = _DOI_LABEL_WRAP.sub(r"\1", text)
    return _DOI_WRAP.sub(r"\1", text)


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


# Reading an entry ----------------------------------------------------------------------

_BACKLINKS = re.compile(rf"^\^\s*(?:(?:[a-z]\s)*[a-z](?=[{UPPER}\"“‘']))?\s*")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_IDENTIFIERS = re.compile(
    r"\b(?:doi|DOI|PMID|PMC|ISBN|ISSN|OCLC|hdl|arXiv)\s*:?\s*[\w\-–./()]+[.,;]?"
)
_MOJIBAKE = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf]{1,3}")
#: A year in parentheses, not an issue number such as the "(1855)" of "284(1855)".
_YEAR_IN_PARENS = re.compile(rf"(?<![\d;:])\(([^()]*?\b({YEAR})([a-z])?\b[^()]*?)\)")
_AMA_YEAR = re.compile(rf"\b({YEAR})([a-z])?\s*;\s*\w")
_ANY_YEAR = re.compile(rf"(?<![\d/.\-])({YEAR})([a-z])?(?![\d/\-])")
_QUOTED = re.compile(r"[\"“”]\s*(.+?)\s*[\"“”]")
_ITALIC = re.compile(r"(?<!\*)\*(?!\*)(.+?)(?<!\*)\*(?!\*)")
_INITIALS = rf"[{UPPER}](?:-?[{UPPER}]){{0,3}}"
_FAMILY = rf"[{UPPER}a-z][\w'’\-]*(?:\s+[{UPPER}a-z][\w'’\-]*){{0,2}}?"
_VANCOUVER_NAME = re.compile(rf"^(?P<family>{_FAMILY})\s+(?P<initials>{_INITIALS})$")

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


def parse_reference(raw: str) -> ParsedReference:
    """Read authors, year, title, journal, volume, issue and pages from a reference."""
    doi = doi_of(raw)
    text = clean_reference(raw)
    parsed = ParsedReference(doi=doi)
    bare = _IDENTIFIERS.sub(" ", _URL.sub(" ", text))
    _read_year(bare, parsed)
    title_span = _title_span(bare, parsed)
    author_text = bare[: title_span[0]] if title_span else ""
    if title_span:
        parsed.title = _tidy(bare[title_span[1] : title_span[2]])
        rest = bare[title_span[2] :]
    else:
        rest = bare
    year_match = _YEAR_IN_PARENS.search(author_text)
    if year_match:
        author_text = author_text[: year_match.start()]
    parsed.authors, parsed.et_al = parse_authors(author_text)
    _read_volume(rest, parsed)
    parsed.container = _container(rest)
    return parsed


def clean_reference(raw: str) -> str:
    """The reference on one line, with backlinks, markup, entities and mojibake undone."""
    text = unwrap_dois(raw)
    text = _MOJIBAKE.sub(_undo_mojibake, text)
    text = html.unescape(text)
    text = " ".join(text.replace("\u00a0", " ").split())
    text = _BACKLINKS.sub("", text)
    text = re.sub(r"\\([_*&%#\[\]])", r"\1", text)
    text = re.sub(r"(?<=\w)_(?=\w)", " ", text)
    return text.strip()


def parse_authors(text: str) -> tuple[list[Author], bool]:
    """Authors of an author segment in any of the common styles, and whether the list
    was cut short ("et al.", an ellipsis)."""
    text = re.sub(
        r"\((?:eds?|Hrsg|Hg)\.?\)|\beds?\.(?=\s|$)", " ", text, flags=re.IGNORECASE
    )
    text = text.strip(" .,:;*_")
    cut_short = r"\bet\s*al\b\.?|\bu\.\s*a\b\.?|\bet\s+alii\b"
    et_al = bool(re.search(cut_short + r"|…|\.\s?\.\s?\.", text, re.IGNORECASE))
    text = re.sub(rf",?\s*(?:{cut_short}).*$", "", text, flags=re.IGNORECASE)
    text = re.sub(r",?\s*(?:…|\.\s?\.\s?\.)\s*", ", ", text).strip(" .,;")
    if not re.search(r"[A-Za-zÀ-ÿ]{2}", text):
        return [], et_al
    if ";" in text:
        return [_person(part) for part in text.split(";") if part.strip()], et_al
    comma_pieces = [
        p.strip(" .") for p in re.split(r",\s*(?:and\s+|&\s+)?", text) if p.strip(" .")
    ]
    short_pieces = all(len(piece.split()) <= 5 for piece in comma_pieces)
    if short_pieces and _mostly_vancouver(comma_pieces):
        return [_vancouver_person(piece) for piece in comma_pieces], et_al
    if all(_is_organisation(piece) for piece in comma_pieces):
        return [Author(text, organisation=True)], et_al
    pieces = [
        p.strip(" .")
        for p in re.split(r",\s*(?:and\s+|&\s+|und\s+)?|\s+(?:and|&|und)\s+", text)
        if p.strip(" .")
    ]
    return _pair_names(pieces), et_al


def _vancouver_person(piece: str) -> Author:
    match = _VANCOUVER_NAME.match(piece)
    if match:
        return Author(match.group("family"), match.group("initials"))
    return Author(piece, organisation=_is_organisation(piece))


def _pair_names(pieces: list[str]) -> list[Author]:
    """APA and Chicago names: "Family, Given" pairs, and "Given Family" after the first.

    Where most given names are initials (APA, Harvard), a name is paired only with
    initials, so that a single-name author is not joined to the next family name.
    """
    authors: list[Author] = []
    initials_only = sum(map(_is_initials, pieces)) >= max(1, len(pieces) // 2 - 1)
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if _is_organisation(piece):
            authors.append(Author(piece, organisation=True))
            index += 1
        elif (
            following is not None
            and _is_family(piece)
            and (
                _is_initials(following)
                or (
                    not initials_only
                    and _is_given(following)
                    and (_single_name(piece) or not authors)
                )
            )
        ):
            authors.append(Author(piece, following))
            index += 2
        elif len(piece.split()) >= 2 and not _is_initials(piece):
            words = piece.split()
            family_start = len(words) - 1
            while family_start > 0 and words[family_start - 1].lower() in PARTICLES:
                family_start -= 1
            authors.append(
                Author(" ".join(words[family_start:]), " ".join(words[:family_start]))
            )
            index += 1
        else:
            authors.append(Author(piece))
            index += 1
    return authors


def _person(text: str) -> Author:
    text = text.strip(" .")
    if "," in text:
        family, given = (part.strip() for part in text.split(",", 1))
        return Author(family, given)
    match = _VANCOUVER_NAME.match(text)
    if match:
        return Author(match.group("family"), match.group("initials"))
    if _is_organisation(text):
        return Author(text, organisation=True)
    words = text.split()
    return Author(words[-1], " ".join(words[:-1])) if len(words) > 1 else Author(text)


def _is_given(piece: str) -> bool:
    """Initials ("J. A.", "XM", "Sascha-Dominik") or one or two given names."""
    words = piece.replace(".", ". ").split()
    if not words or len(words) > 3:
        return False
    return all(
        re.fullmatch(
            rf"[{UPPER}]\.?|[{UPPER}]{{1,3}}|[{UPPER}][a-zà-ÿ'’]+(?:-[{UPPER}]?[a-zà-ÿ]+)?\.?",
            word,
        )
        for word in words
    )


def _is_initials(piece: str) -> bool:
    return bool(re.fullmatch(rf"(?:[{UPPER}]\.?[\s-]?){{1,4}}", piece.strip()))


def _single_name(piece: str) -> bool:
    """One family name, perhaps with particles ("Lemke", "van Wanrooij")."""
    words = piece.split()
    return sum(word.lower() not in PARTICLES for word in words) == 1


def _is_family(piece: str) -> bool:
    words = piece.split()
    return 1 <= len(words) <= 4 and all(
        word[0].isupper() or word.lower() in PARTICLES for word in words
    )


_ORGANISATION_WORDS = {
    "organization",
    "organisation",
    "association",
    "society",
    "council",
    "commission",
    "committee",
    "institute",
    "department",
    "collaborators",
    "collaboration",
    "group",
    "agency",
    "office",
    "ministry",
    "centre",
    "center",
    "university",
    "foundation",
    "service",
    "services",
    "nations",
    "union",
    "team",
    "panel",
    "board",
    "network",
    "consortium",
    "alliance",
    "federation",
    "authority",
    "administration",
    "assembly",
    "academy",
    "universidad",
    "universidade",
    "università",
    "universität",
    "université",
    "hospital",
    "school",
    "laboratory",
    "clinic",
    "investigators",
    "college",
    "bureau",
    "program",
    "programme",
    "initiative",
    "who",
    "cdc",
}


def _is_organisation(piece: str) -> bool:
    """A body rather than a person: "World Health Organization", "GBD Collaborators"."""
    words = re.findall(r"[\w'’]+", piece)
    if not words:
        return False
    if (
        len(words) >= 2
        and piece.upper() == piece
        and all(len(word) >= 3 for word in words)
    ):
        return True
    return bool({word.lower() for word in words} & _ORGANISATION_WORDS)


def _read_year(text: str, parsed: ParsedReference) -> None:
    for pattern in (_YEAR_IN_PARENS, _AMA_YEAR, _ANY_YEAR):
        match = pattern.search(text)
        if match:
            groups = match.groups()
            year_group = 2 if pattern is _YEAR_IN_PARENS else 1
            parsed.year = int(groups[year_group - 1])
            parsed.year_suffix = groups[year_group] or ""
            break
    parsed.years = sorted({int(m.group(1)) for m in _ANY_YEAR.finditer(text)})


def _title_span(text: str, parsed: ParsedReference) -> tuple[int, int, int] | None:
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
    match = re.match(rf"^(.{{2,800}}?(?:\b{_INITIALS}|et\s+al))\.\s+(?=\S)", text)
    if not match:
        return None
    pieces = [piece.strip() for piece in match.group(1).split(",") if piece.strip()]
    if len(pieces) > 1 and not all(len(piece.split()) <= 5 for piece in pieces):
        return None
    return match.end() if _mostly_vancouver(pieces) else None


def _mostly_vancouver(pieces: list[str]) -> bool:
    """Most names read "Family AB" (organisations and "et al." aside)."""
    people = [
        p for p in pieces if not re.match(r"et\s+al", p) and not _is_organisation(p)
    ]
    named = sum(bool(_VANCOUVER_NAME.match(piece)) for piece in people)
    return named >= 1 and named >= 0.6 * len(people)


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


def _read_volume(text: str, parsed: ParsedReference) -> None:
    for pattern in _VOLUME_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        parsed.volume = groups.get("volume")
        parsed.issue = groups.get("issue") or groups.get("issue2")
        if parsed.issue and parsed.issue.strip() == str(parsed.year):
            parsed.issue = None
        pages = groups.get("pages")
        parsed.pages = re.sub(r"\s*[–\-]\s*", "–", pages) if pages else None
        return


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


def _tidy(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).strip(" .,;:\"“”‘’'")


def _undo_mojibake(match: re.Match) -> str:
    try:
        return match.group().encode("latin-1").decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return match.group()
