"""BibTeX: works written as entries, and .bib files read back. Pure functions.

Vocabulary: an *entry* is a :class:`bibtexparser.model.Entry` whose field values are
complete BibTeX values as they stand in a file (``{...}``, ``"..."``, a bare number
or macro such as ``aug``); a :class:`ReadEntry` is an entry read from a file together
with its text values (enclosures removed, macros resolved, LaTeX decoded) and its line.

Writing uses bibtexparser 2 with an empty middleware stack, because every value is
encoded here, field by field (:mod:`tracker.latex`). Reading keeps the values as
written, so that an imported entry is exported unchanged.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
)
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
)
from bibtexparser.writer import BibtexFormat

from ..errors import InvalidDOI
from ..text.doi import normalize_doi
from ..text.normalize import plain_text
from .latex import escape, latex_to_text, title_to_latex, to_ascii

MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
BIBTEX_TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "incollection",
    "book-section": "incollection",
    "book-part": "incollection",
    "reference-entry": "incollection",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "posted-content": "misc",
    "dissertation": "phdthesis",
    "report": "techreport",
    "dataset": "misc",
}
BIBLATEX_TYPES = {**BIBTEX_TYPES, "posted-content": "online", "dataset": "dataset"}
#: What plain.bst needs for each type; a record without it is written as @misc.
REQUIRED = {
    "article": ("author", "title", "journal", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "book": ("title", "publisher", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "techreport": ("author", "title", "institution", "year"),
}
#: BibTeX types read from files, as Crossref types.
CROSSREF_TYPES = {
    "article": "journal-article",
    "inproceedings": "proceedings-article",
    "conference": "proceedings-article",
    "incollection": "book-chapter",
    "inbook": "book-chapter",
    "book": "book",
    "mvbook": "book",
    "collection": "edited-book",
    "proceedings": "proceedings",
    "phdthesis": "dissertation",
    "mastersthesis": "dissertation",
    "thesis": "dissertation",
    "techreport": "report",
    "report": "report",
    "online": "posted-content",
    "unpublished": "posted-content",
    "dataset": "dataset",
    "misc": "other",
}
_BRACES = re.compile(r"[{}]")
#: A bare value: a number or a macro name.
_BARE = re.compile(r"[\w.:+/\-']+")


@dataclass
class ExportOptions:
    biblatex: bool = False
    ascii: bool = False


def bibtex_entry(
    work: dict[str, Any],
    authors: list[dict[str, Any]],
    key: str,
    options: ExportOptions,
) -> Entry:
    """The BibTeX entry of a work from its (Crossref-derived) columns."""
    types = BIBLATEX_TYPES if options.biblatex else BIBTEX_TYPES
    entry_type = types.get(work.get("type") or "", "misc")
    container = work.get("container_title")
    publisher = work.get("publisher")
    institution = work.get("institution") or publisher
    values: dict[str, str | None] = {
        "author": names_value(authors, options.ascii),
        "editor": names_value(_editors(work), options.ascii)
        if entry_type in ("book", "incollection", "inproceedings")
        else None,
        "title": braced(title_to_latex(_full_title(work), options.ascii))
        if work.get("title")
        else None,
        "journal": _text(container, options) if entry_type == "article" else None,
        "booktitle": _text(container, options)
        if entry_type in ("inproceedings", "incollection")
        else None,
        "school": _text(institution, options) if entry_type == "phdthesis" else None,
        "institution": _text(institution, options)
        if entry_type == "techreport"
        else None,
        "publisher": _text(publisher, options)
        if entry_type
        in ("book", "incollection", "inproceedings", "misc", "online", "dataset")
        else None,
        "address": _text(work.get("publisher_location"), options),
        "year": str(work["year"]) if work.get("year") else None,
        "month": month_value(work.get("issued"), options.biblatex),
        "volume": _text(work.get("volume"), options),
        "number": _text(work.get("issue"), options),
        "pages": _text(pages_value(work["page"]), options)
        if work.get("page")
        else None,
        "doi": braced(verbatim(work["doi"])) if work.get("doi") else None,
        "url": braced(verbatim(work["url"])) if _useful_url(work) else None,
        "issn": _first_of(work.get("issn"), options)
        if entry_type == "article"
        else None,
        "isbn": _first_of(work.get("isbn"), options)
        if entry_type in ("book", "incollection")
        else None,
    }
    if (
        entry_type in ("misc", "online", "dataset")
        and values["publisher"]
        and not options.biblatex
    ):
        values["howpublished"], values["publisher"] = values["publisher"], None
    complete = all(values.get(name) for name in REQUIRED.get(entry_type, ()))
    if entry_type == "book":
        complete = complete and bool(values["author"] or values["editor"])
    if not complete:  # plain.bst would warn: write what there is as @misc
        return bibtex_entry({**work, "type": "other"}, authors, key, options)
    if entry_type == "book" and values["author"]:
        values["editor"] = None  # plain.bst takes one or the other
    if entry_type == "article" and values["number"] and not values["volume"]:
        # plain.bst refuses a number without a volume; keep it readable in the note.
        values["note"] = braced("no.~" + values.pop("number")[1:-1])
    if not values["author"] and not values["editor"]:
        values["key"] = braced(
            key
        )  # what plain.bst sorts and labels by without authors
    if options.biblatex:
        entry_type = _biblatex_type(entry_type, values)
        values = _biblatex_fields(entry_type, values)
    fields = [Field(name, value) for name, value in values.items() if value]
    return Entry(entry_type, key, fields)


def _biblatex_type(entry_type: str, values: dict[str, str | None]) -> str:
    """biblatex's type for what the entry holds: a chapter without editors is an
    @inbook (its @incollection needs them), a book of editors a @collection."""
    if entry_type == "incollection" and not values.get("editor"):
        return "inbook"
    if entry_type == "book" and not values.get("author") and values.get("editor"):
        return "collection"
    return entry_type


#: Fields biblatex's data model refuses for a type, and where their value goes.
_BIBLATEX_MOVED = {
    "misc": {"publisher": "organization"},
    "online": {"publisher": "organization"},
    "dataset": {},
}
_BIBLATEX_REFUSED = {
    "misc": ("volume", "number", "pages"),
    "online": ("volume", "number", "pages"),
}


def _biblatex_fields(entry_type: str, values: dict[str, str | None]) -> dict:
    """Only the fields biblatex's data model allows the type (biber validates it)."""
    values = dict(values)
    for name, target in _BIBLATEX_MOVED.get(entry_type, {}).items():
        if values.get(name) and not values.get(target):
            values[target] = values.pop(name)
        else:
            values.pop(name, None)
    for name in _BIBLATEX_REFUSED.get(entry_type, ()):
        values.pop(name, None)
    return values


def names_value(people: list[dict[str, Any]], ascii: bool = False) -> str | None:
    """``{Family, Given and {Organisation} and ...}``; particles stay with the family."""
    names = []
    for person in people:
        family = _name_part(person.get("family"), ascii)
        given = _name_part(person.get("given"), ascii)
        if family:
            names.append(f"{family}, {given}" if given else family)
        elif person.get("name"):
            names.append("{" + _name_part(person["name"], ascii) + "}")
    return braced(" and ".join(names)) if names else None


def month_value(issued: str | None, biblatex: bool) -> str | None:
    """``aug`` (a BibTeX macro, unbraced) or ``8`` (biblatex) from an issued date."""
    if not issued or len(issued) < 7:
        return None
    month = int(issued[5:7])
    if not 1 <= month <= 12:
        return None
    return str(month) if biblatex else MONTHS[month - 1]


def pages_value(pages: str) -> str:
    """``61-65`` and ``61–65`` -> ``61--65``; article numbers as they are."""
    return re.sub(r"\s*[-–—]+\s*", "--", str(pages).strip())


def verbatim(value: str) -> str:
    """A DOI or address as a field value: braces and backslashes percent-encoded (they
    are the only characters that could break the file), nothing else touched."""
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def braced(value: str) -> str:
    return "{" + value + "}"


def parents_last(entries: list[Entry]) -> list[Entry]:
    """The entries with each ``crossref`` parent after every entry that points to it
    (BibTeX's rule: a parent read before its child lends the child nothing), and
    otherwise in the order given."""
    order = parents_last_order(
        [(entry.key, crossref_parent(entry)) for entry in entries]
    )
    return [entries[index] for index in order]


def parents_last_order(keys: list[tuple[str, str | None]]) -> list[int]:
    """The positions of entries given as (key, key of the ``crossref`` parent or
    None) in the order :func:`parents_last` puts them."""
    known = {key.lower() for key, _ in keys}
    parent_of = {}
    for key, parent in keys:
        if parent is not None:
            parent = parent.lower()
            if parent in known and parent != key.lower():
                parent_of[key.lower()] = parent
    depth: dict[str, int] = {}
    for key in known:
        seen, child = {key}, key
        while child in parent_of and parent_of[child] not in seen:
            child = parent_of[child]
            seen.add(child)
            depth[child] = max(depth.get(child, 0), len(seen) - 1)
    return sorted(
        range(len(keys)),
        key=lambda index: (depth.get(keys[index][0].lower(), 0), index),
    )


def crossref_parent(entry: Entry) -> str | None:
    """The key an entry's ``crossref`` field names, or None."""
    field = entry.fields_dict.get("crossref")
    return None if field is None else field.value.strip().strip('{}"').strip()


class WrittenEntry(NamedTuple):
    """An entry as the .bib file writes it, with the keys its place depends on."""

    key: str
    parent: str | None
    text: str


def written_entry(entry: Entry) -> WrittenEntry:
    """An entry written on its own: the file is these joined by blank lines
    (:func:`join_written`), the same bytes as :func:`write_bibtex` of them all."""
    return WrittenEntry(entry.key, crossref_parent(entry), write_bibtex([entry]))


def join_written(written: list[WrittenEntry]) -> str:
    """The .bib file of entries written on their own, parents after their children."""
    order = parents_last_order([(entry.key, entry.parent) for entry in written])
    return "\n".join(written[index].text for index in order)


def write_bibtex(entries: list[Entry]) -> str:
    """A .bib file of ``entries``, in the order given."""
    bibtex_format = BibtexFormat()
    bibtex_format.indent = "  "
    bibtex_format.value_column = 0
    bibtex_format.block_separator = "\n"
    bibtex_format.trailing_comma = False
    if not entries:
        return ""
    return bibtexparser.write_string(
        Library(entries), unparse_stack=[], bibtex_format=bibtex_format
    )


# Reading .bib files ------------------------------------------------------------------


@dataclass
class ReadEntry:
    """An entry of a .bib file: as written, as text, and as the work it describes
    (:func:`describe_work`)."""

    entry_type: str
    key: str
    line: int
    raw_fields: list[tuple[str, str]]
    text: dict[str, str] = field(default_factory=dict)
    work: dict[str, Any] = field(default_factory=dict)
    people: list[dict[str, Any]] = field(default_factory=list)
    #: Why the entry's DOI is not one (the work is kept, without it), or None.
    doi_problem: str | None = None


@dataclass
class ReadFile:
    entries: list[ReadEntry] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    duplicate_keys: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Every entry the file holds: read, failed or repeating a key."""
        return len(self.entries) + len(self.failed) + len(self.duplicate_keys)


#: What entries without a key (``@article{,``, as Mendeley writes them) are called
#: while bibtexparser reads the file, so that it keeps them apart.
_NO_KEY = "tracker-no-key-"
#: What a type that begins like one of bibtexparser's own blocks is called while it
#: reads the file: it takes ``@commentary`` for a ``@comment``, ``@stringed`` for a
#: ``@string``, and drops the entry.
_KEPT_TYPE = "trackerkept"
_KEYLESS = re.compile(r"(@[A-Za-z][\w-]*\s*[{(])(\s*),")
#: EndNote writes keyless entries with a field first: ``@article{ author = {...},``.
_FIELD_FIRST = re.compile(
    r"(@(?!(?:string|preamble|comment)\b)[A-Za-z][\w-]*\s*[{(])(\s*)"
    r"(?=[A-Za-z][\w-]*\s*=)",
    re.IGNORECASE,
)
_SHADOWED_TYPE = re.compile(r"@(?=(?:comment|preamble|string)[A-Za-z])", re.IGNORECASE)


def _for_the_parser(text: str) -> str:
    """The file as bibtexparser can read it: keyless entries (``@article{,`` and
    EndNote's ``@article{ author = ...``) named, types that begin like its own blocks
    renamed. Lines stay where they are."""
    counter = iter(range(1, 1 << 62))
    text = _KEYLESS.sub(
        lambda m: f"{m.group(1)}{m.group(2)}{_NO_KEY}{next(counter)},", text
    )
    text = _FIELD_FIRST.sub(
        lambda m: f"{m.group(1)}{m.group(2)}{_NO_KEY}{next(counter)}, ", text
    )
    return _SHADOWED_TYPE.sub("@" + _KEPT_TYPE, text)


def read_bibtex(text: str) -> ReadFile:
    """The entries of a .bib file, each with its line, and what could not be read.

    Entries without a key are read with an empty key (the importer gives them one);
    a key that repeats another but for case is a repeated key, as BibTeX sees it."""
    return merge_read_chunks(map(read_bib_chunk, bib_chunks(text)))


#: A line where an entry (or other block) begins.
_BLOCK_START = re.compile(r"^@[A-Za-z][\w-]*\s*[{(]", re.MULTILINE)
#: An @string block anywhere: its macros are for every entry after it.
_STRING_BLOCK = re.compile(r"@\s*string\s*[{(]", re.IGNORECASE)


def bib_chunks(text: str, size: int | None = None) -> list[tuple[int, str]]:
    """A .bib file's text (made ready for bibtexparser) in pieces of about ``size``
    characters (None: one piece), each with the number of lines before it, that can
    be read apart: each begins where a block begins, after the previous one has
    closed, with every brace before it balanced.

    A file with @string macros stays whole, since a macro counts for every entry
    after it."""
    text = _for_the_parser(text.lstrip("\ufeff"))
    if size is None or len(text) <= size or _STRING_BLOCK.search(text):
        return [(0, text)]
    chunks, begun, counted, lines = [], 0, 0, 0
    depth = (0, 0)
    match = _BLOCK_START.search(text, size)
    while match:
        position = match.start()
        depth = _deeper(depth, text, counted, position)
        counted = position
        if depth == (0, 0) and _last_character(text, position) in ("}", ")"):
            chunks.append((lines, text[begun:position]))
            lines += text.count("\n", begun, position)
            begun = position
            match = _BLOCK_START.search(text, position + size)
        else:
            match = _BLOCK_START.search(text, position + 1)
    chunks.append((lines, text[begun:]))
    return chunks


def _last_character(text: str, end: int) -> str:
    """The last character before ``end`` that is not white space ("" if none)."""
    index = end - 1
    while index >= 0 and text[index].isspace():
        index -= 1
    return text[index] if index >= 0 else ""


def _deeper(depth: tuple[int, int], text: str, start: int, end: int) -> tuple[int, int]:
    """``depth`` (braces open, and escaped braces open, which bibtexparser counts
    apart) after ``text[start:end]``."""
    opened, escaped = depth
    return (
        opened + text.count("{", start, end) - text.count("}", start, end),
        escaped + text.count("\\{", start, end) - text.count("\\}", start, end),
    )


def read_bib_chunk(chunk: tuple[int, str]) -> ReadFile:
    """The entries of a piece of a .bib file (from :func:`bib_chunks`), with lines
    counted in the whole file; keys repeated across pieces are found by
    :func:`merge_read_chunks`."""
    offset, text = chunk
    # bibtexparser logs each failed block; they are reported here with their lines.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text, parse_stack=[])
    macros = {name: name for name in MONTHS}
    defined: dict[str, str] = {}
    for string in library.strings:
        macros[string.key.lower()] = _value_text(string.value, macros)
        defined[string.key.lower()] = _expand_macros(string.value.strip(), defined)
    result = ReadFile()
    candidates: list[tuple[Entry, int]] = [
        (entry, entry.start_line) for entry in library.entries
    ]
    for block in library.failed_blocks:
        line = offset + block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            result.duplicate_keys.append(
                {"line": line, "key": block.key, "reason": _repeated(block.key)}
            )
        elif isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            result.warnings.append(
                {
                    "line": line,
                    "warning": f"repeated field {names}: the first value is kept",
                }
            )
            candidates.append((block.ignore_error_block, block.start_line))
        else:
            reason = (
                getattr(block.error, "abort_reason", None)
                or str(block.error)
                or type(block.error).__name__
            )
            result.failed.append({"line": line, "error": reason})
    for entry, start_line in sorted(candidates, key=lambda pair: pair[1]):
        line = offset + start_line + 1
        raw_fields = _first_fields(entry)
        broken = _broken_field(raw_fields)
        if broken:
            # bibtexparser ends a quoted value at a quote inside braces and counts
            # "\{" apart; BibTeX does neither. Read the fields as BibTeX does.
            reread = _fields_as_bibtex_reads(_entry_text_at(text, start_line))
            if reread:
                raw_fields, broken = reread, _broken_field(reread)
        if broken:
            result.failed.append(
                {
                    "line": line + _field_line(entry, broken),
                    "key": entry.key,
                    "error": f"entry {entry.key!r}: the value of {broken!r} runs"
                    " into the next field (a comma missing?)",
                }
            )
            continue
        key = entry.key.strip()
        if key.startswith(_NO_KEY):
            key = ""
        # Values keep their form, with the file's own @string macros written out, so
        # that an exported entry needs no definitions from the file it came from.
        raw_fields = [
            (name, _expand_macros(value, defined)) for name, value in raw_fields
        ]
        entry_type = entry.entry_type.lower().removeprefix(_KEPT_TYPE)
        read = ReadEntry(entry_type, key, line, raw_fields)
        read.text = {name: _value_text(value, macros) for name, value in raw_fields}
        describe_work(read)
        result.entries.append(read)
    return result


def describe_work(entry: ReadEntry) -> None:
    """Set ``entry.work`` (the ``works`` columns it gives, its DOI normalised, and the
    entry as the file wrote it, as JSON), its ``people`` and any ``doi_problem``."""
    text = entry.text
    doi = None
    if text.get("doi"):
        try:
            doi = normalize_doi(text["doi"])
        except InvalidDOI as error:
            entry.doi_problem = str(error)
    entry.people = people_from_bibtex(dict(entry.raw_fields).get("author"))
    entry.work = {
        "doi": doi,
        "type": CROSSREF_TYPES.get(entry.entry_type, "other"),
        "title": text.get("title"),
        "container_title": text.get("journal")
        or text.get("journaltitle")
        or text.get("booktitle"),
        "year": year_from_bibtex(text.get("year") or text.get("date")),
        "issued": text.get("date") or None,
        "volume": text.get("volume"),
        "issue": text.get("number") or text.get("issue"),
        "page": (text.get("pages") or "").replace("–", "-") or None,
        "publisher": text.get("publisher")
        or text.get("institution")
        or text.get("school"),
        "url": text.get("url"),
        "abstract": text.get("abstract"),
        "bibtex": json.dumps(
            {"type": entry.entry_type, "fields": entry.raw_fields},
            ensure_ascii=False,
        ),
    }


def merge_read_chunks(parts: Iterable[ReadFile]) -> ReadFile:
    """The pieces of a file read by :func:`read_bib_chunk`, as one: an entry whose
    key an earlier one has (BibTeX ignores case in keys) is a repeated key."""
    result = ReadFile()
    result.entries = list(merged_entries(parts, result))
    return result


def merged_entries(parts: Iterable[ReadFile], into: ReadFile) -> Iterator[ReadEntry]:
    """The entries of the pieces, in order, as each piece comes: what could not be
    read, the warnings and the repeated keys (an entry with an earlier one's key,
    BibTeX ignoring case) go to ``into``, its repeated keys in order of line once the
    last piece is read. A caller can store the first entries while the rest are read."""
    seen_keys: dict[str, str] = {}
    for part in parts:
        into.failed.extend(part.failed)
        into.warnings.extend(part.warnings)
        into.duplicate_keys.extend(part.duplicate_keys)
        for entry in part.entries:
            first = seen_keys.get(entry.key.lower())
            if entry.key and first is not None:
                into.duplicate_keys.append(
                    {
                        "line": entry.line,
                        "key": entry.key,
                        "reason": _repeated(entry.key)
                        if first == entry.key
                        else f"key {entry.key!r} repeats {first!r}"
                        " (BibTeX ignores case in keys)",
                    }
                )
                continue
            if entry.key:
                seen_keys[entry.key.lower()] = entry.key
            yield entry
    into.duplicate_keys.sort(key=lambda duplicate: duplicate["line"])


def _repeated(key: str) -> str:
    return f"key {key!r} repeated in the file"


def _broken_field(fields: list[tuple[str, str]]) -> str | None:
    """The first field whose value is not one BibTeX value, or None."""
    return next((name for name, value in fields if not _well_formed(value)), None)


def _fields_as_bibtex_reads(raw: str) -> list[tuple[str, str]] | None:
    """The (name, value) pairs of an entry's text by BibTeX's own rules: a braced
    value ends at the brace that balances it (a backslash changes nothing), a quoted
    one at a quote outside braces; ``#`` joins pieces. None when it does not read."""
    start = raw.find(",")
    if start < 0:
        return None
    body, index, fields = raw[start + 1 :], 0, []
    closing = (
        len(body.rstrip().rstrip("})")) if body.rstrip()[-1:] in "})" else len(body)
    )
    while index < closing:
        match = _FIELD_NAME.match(body, index)
        if not match:
            return None if body[index:closing].strip() else fields
        index = match.end()
        value_start = index
        while True:
            index = _end_of_piece(body, index)
            if index is None:
                return None
            after = _CONCATENATION.match(body, index)
            if not after:
                break
            index = after.end()
        fields.append((match.group(1).lower(), body[value_start:index].strip()))
        separator = _SEPARATOR.match(body, index)
        if not separator and body[index:closing].strip():
            return None  # a comma missing: BibTeX stops reading the entry here
        index = separator.end() if separator else closing
    return fields


_FIELD_NAME = re.compile(r"\s*([^\s=,{}\"#]+)\s*=\s*")
_CONCATENATION = re.compile(r"\s*#\s*")
_SEPARATOR = re.compile(r"\s*,")


def _entry_text_at(text: str, line: int) -> str:
    """The whole entry that starts on ``line`` (0-based) of the file, to the brace
    that closes it, counting braces as BibTeX does."""
    offset = 0
    for _ in range(line):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return ""
    opening = re.compile(r"@[^{(]*[{(]").search(text, offset)
    if not opening:
        return ""
    delimiter, depth = text[opening.end() - 1], 0
    for position in range(opening.end(), len(text)):
        character = text[position]
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth < 0:
                return text[opening.start() : position + 1] if delimiter == "{" else ""
        elif character == ")" and delimiter == "(" and depth == 0:
            return text[opening.start() : position + 1]
    return ""


def _end_of_piece(body: str, index: int) -> int | None:
    """Where the value piece starting at ``index`` ends (braced, quoted or bare)."""
    if index >= len(body):
        return None
    opening = body[index]
    if opening in '{"':
        depth = 0
        for position in range(index, len(body)):
            character = body[position]
            if character == "{":
                depth += 1
            elif character == "}":
                depth -= 1
                if depth == 0 and opening == "{":
                    return position + 1
                if depth < 0:
                    return None
            elif (
                character == '"' and opening == '"' and depth == 0 and position > index
            ):
                return position + 1
        return None
    bare = re.compile(r"[\w.:+/\-']+").match(body, index)
    return bare.end() if bare else None


def _first_fields(entry: Entry) -> list[tuple[str, str]]:
    seen, fields = set(), []
    for item in entry.fields:
        name = item.key.strip().lower()
        if name in seen:
            continue
        seen.add(name)
        fields.append((name, item.value.strip()))
    return fields


def _well_formed(value: str) -> bool:
    """One BibTeX value: braced, quoted, bare, or such pieces joined with ``#``."""
    if _BARE.fullmatch(value):
        return True
    if value[:1] == "{" and "#" not in value and '"' not in value:
        return _enclosed(value, "{", "}")  # the common case, without splitting
    pieces = _split_concatenation(value)
    if pieces is None:
        return False
    return all(
        _BARE.fullmatch(piece)
        or _enclosed(piece, "{", "}")
        or _enclosed(piece, '"', '"')
        for piece in pieces
    )


def _split_concatenation(value: str) -> list[str] | None:
    """The pieces a value joins with ``#`` (braces nest, quotes count at depth 0);
    None when its braces or quotes do not balance."""
    if "#" not in value and '"' not in value:
        return [value.strip()] if _balanced(value) and value.strip() else None
    pieces, depth, current, quoted = [], 0, [], False
    for character in value:
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth < 0:
                return None
        elif character == '"' and depth == 0:
            quoted = not quoted
        if character == "#" and depth == 0 and not quoted:
            pieces.append("".join(current).strip())
            current = []
            continue
        current.append(character)
    pieces.append("".join(current).strip())
    return pieces if depth == 0 and not quoted and all(pieces) else None


def _balanced(text: str) -> bool:
    depth = 0
    for brace in _BRACES.findall(text):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _expand_macros(value: str, defined: dict[str, str]) -> str:
    """``jomch # { and more}`` -> ``{J. Chem.} # { and more}`` for @string macros."""
    if not defined:
        return value
    pieces = _split_concatenation(value)
    if pieces is None or not any(piece.lower() in defined for piece in pieces):
        return value
    return " # ".join(defined.get(piece.lower(), piece) for piece in pieces)


def _enclosed(piece: str, opening: str, closing: str) -> bool:
    """True when ``piece`` is one ``{...}`` (or ``"..."``) group, closed at its end."""
    if not (piece.startswith(opening) and piece.endswith(closing)) or len(piece) < 2:
        return False
    if opening == '"':
        return True
    braces = _BRACES.findall(piece)
    if len(braces) == 2:  # "{text}": the usual value
        return True
    depth = 0
    for number, brace in enumerate(braces):
        depth += 1 if brace == "{" else -1
        if depth == 0 and number < len(braces) - 1:
            return False
    return depth == 0


def _value_text(value: str, macros: dict[str, str]) -> str:
    """A value as text: enclosures removed, macros and ``#`` resolved, LaTeX decoded."""
    value = value.strip()
    if "#" in value or '"' in value:
        pieces = _split_concatenation(value) or [value]
    else:  # one piece, whether or not its braces balance
        pieces = [value]
    parts = []
    for piece in pieces:
        if (
            piece.startswith("{")
            and piece.endswith("}")
            or piece.startswith('"')
            and piece.endswith('"')
        ):
            parts.append(piece[1:-1])
        elif piece.lower() in macros:
            parts.append(macros[piece.lower()])
        else:
            parts.append(piece)
    return latex_to_text("".join(parts))


def _field_line(entry: Entry, name: str) -> int:
    """Lines from the entry's first line to the line that starts field ``name``."""
    raw = getattr(entry, "raw", None) or ""
    match = re.search(rf"(?im)^\s*,?\s*{re.escape(name)}\s*=", raw)
    return (
        raw[: match.start()].count("\n") + (1 if raw[match.start()] == "\n" else 0)
        if match
        else 0
    )


def _full_title(work: dict[str, Any]) -> str:
    title = work["title"]
    subtitle = work.get("subtitle")
    if subtitle and subtitle.lower() not in title.lower():
        return f"{title}: {subtitle}"
    return title


def _editors(work: dict[str, Any]) -> list[dict[str, Any]]:
    return json.loads(work["editors"]) if work.get("editors") else []


def _text(value: Any, options: ExportOptions) -> str | None:
    if value in (None, ""):
        return None
    text = escape(plain_text(str(value)))
    return braced(to_ascii(text) if options.ascii else text)


def _first_of(values: str | None, options: ExportOptions) -> str | None:
    if not values:
        return None
    items = json.loads(values)
    return _text(items[0], options) if items else None


def _name_part(value: str | None, ascii: bool) -> str:
    if not value:
        return ""
    text = plain_text(value).replace(",", " ")
    return escape(" ".join(text.split()), ascii)


def _useful_url(work: dict[str, Any]) -> bool:
    url = work.get("url") or ""
    return bool(url) and not re.match(r"https?://(?:dx\.)?doi\.org/", url)


def entry_for_work(
    work: dict[str, Any],
    authors: list[dict[str, Any]],
    key: str,
    options: ExportOptions,
) -> Entry:
    """A work as it was imported (when not fetched since), or from its columns."""
    if work.get("metadata_source") == "bibtex" and work.get("bibtex"):
        imported = json.loads(work["bibtex"])
        fields = [Field(name, value) for name, value in imported["fields"]]
        return Entry(imported["type"], key, fields)
    return bibtex_entry(work, authors, key, options)


def year_from_bibtex(value: str | None) -> int | None:
    """The year of a ``year`` or ``date`` field (``2019``, ``2019-05-01``, ``{1543}``)."""
    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", value or "")
    return int(match.group(1)) if match else None


def people_from_bibtex(raw: str | None) -> list[dict[str, Any]]:
    """Author rows from a BibTeX name list as written (braces still marking bodies)."""
    if not raw:
        return []
    value = raw.strip()
    if value[:1] in '{"' and value[-1:] in '}"':
        value = value[1:-1]
    people = []
    for name in _names_of(value):
        if name.strip().lower() in ("others", "{others}"):
            continue
        people.append(dict(_person(name)))
    return people


def _names_of(value: str) -> list[str]:
    """The names of a BibTeX name list: split at "and" between spaces, outside braces,
    a backslash taking the character after it as it is. The names are those of
    bibtexparser's splitter, which walks the list a character at a time (a tenth of
    reading a file where many lists have braces), except that a name starting with
    an accent command (``\\'Alvarez``) keeps it where that splitter drops it."""
    value = value.strip(_NAME_SPACE)
    if not value:
        return []
    names, start, depth = [], 0, 0
    for mark in _NAME_LIST_MARKS.finditer(value):
        token = mark.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif token[0] != "\\" and not depth:
            names.append(value[start : mark.start()])
            start = mark.end()
    names.append(value[start:])
    return names


#: What BibTeX takes for space between names (a tie, ``~``, is not).
_NAME_SPACE = " \t\r\n"
_NAME_LIST_MARKS = re.compile(
    rf"\\.|[{{}}]|[{_NAME_SPACE}]+and[{_NAME_SPACE}]++(?!}})", re.IGNORECASE | re.DOTALL
)


@functools.lru_cache(maxsize=65536)
def _person(name: str) -> dict[str, Any]:
    """One BibTeX name as ``family``, ``given`` and ``name`` (organisations); the
    same names come back in entry after entry, so each is read once (callers copy
    the answer)."""
    if "family=" in name:
        return _extended_name(name)
    try:
        parts = parse_single_name_into_parts(name)
    except InvalidNameError:
        return {"family": latex_to_text(name), "given": None, "name": None}
    if (
        not parts.first
        and not parts.von
        and len(parts.last) == 1
        and parts.last[0].startswith("{")
    ):
        return {"family": None, "given": None, "name": latex_to_text(parts.last[0])}
    family = latex_to_text(" ".join(parts.von + parts.last))
    given = latex_to_text(" ".join(parts.first + parts.jr)) or None
    return {"family": family, "given": given, "name": None}


def _extended_name(name: str) -> dict[str, Any]:
    """biblatex's extended name format: ``family=Smith, given=John, prefix=van``."""
    parts = dict(part.split("=", 1) for part in name.split(",") if "=" in part)
    family = " ".join(
        filter(None, [parts.get("prefix", "").strip(), parts.get("family", "").strip()])
    )
    return {
        "family": latex_to_text(family),
        "given": latex_to_text(parts.get("given", "").strip()) or None,
        "name": None,
    }
