"""Reading an article from a file or standard input, as text.

Bytes are decoded without loss: a byte-order mark decides when there is one, then
UTF-8, then Windows-1252 (with the five bytes it leaves undefined read as Latin-1).
Binary files are refused rather than turned into noise. Web pages are fetched by
:func:`tracker.crossref.pages.read_page`, which hands their bytes to :func:`source_from_bytes`.
"""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput
from ..files import read_capped, read_file
from .html import looks_like_html

#: Larger inputs are refused: no article is this long, and SQLite would still store it.
MAX_BYTES = 200 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


@dataclass
class Source:
    """An article's text as read, before its structure is parsed."""

    text: str
    format: str  # "text", "markdown" or "html"
    location: str  # the path or address as given, or "-"
    url: str | None = None


def is_web_address(source: str) -> bool:
    """True for an http(s) address, which :mod:`tracker.crossref.pages` reads."""
    return bool(re.match(r"(?i)^https?://", source))


def read_source(source: str) -> Source:
    """Read ``source``: a path, or ``-`` for standard input.

    :raises InvalidInput: missing, empty, binary or unsupported input
    """
    if source == "-":
        data = read_capped(sys.stdin.buffer, MAX_BYTES)
        return source_from_bytes(data, "-", None, None)
    data = read_file(source, MAX_BYTES)
    return source_from_bytes(data, source, Path(source).suffix.lower(), None)


def decode(data: bytes, declared: str | None = None) -> str:
    """Text from bytes in any common encoding; :class:`InvalidInput` for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _require_text(data[len(bom) :].decode(encoding, errors="replace"))
    if _is_binary(data):
        raise InvalidInput("binary data, not text")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_cp1252(data)


def _decode_cp1252(data: bytes) -> str:
    """Windows-1252, with the bytes it leaves undefined read as Latin-1 (no loss)."""
    pieces, start = [], 0
    for index, byte in enumerate(data):
        if byte in _CP1252_UNDEFINED:
            pieces.append(data[start:index].decode("cp1252"))
            pieces.append(chr(byte))
            start = index + 1
    pieces.append(data[start:].decode("cp1252"))
    return "".join(pieces)


#: Characters no text is made of: unassigned, private-use, surrogates, U+FFFD.
_NOT_TEXT = frozenset({"Cn", "Co", "Cs"})


def _require_text(text: str, sample: int = 65536) -> str:
    """``text``, unless more than 5% of it is what random bytes decode to.

    A byte-order mark makes any bytes decode; noise behind one (a UTF-16 mark and then
    anything) decodes to unassigned and private-use code points, which text lacks.
    """
    head = text[:sample]
    noise = sum(
        1
        for character in head
        if character == "\ufffd" or unicodedata.category(character) in _NOT_TEXT
    )
    if head and noise / len(head) > 0.05:
        raise InvalidInput("binary data, not text")
    return text


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(
        1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27)
    )
    return bool(sample) and controls / len(sample) > 0.05


def source_from_bytes(
    data: bytes,
    location: str,
    suffix: str | None,
    url: str | None,
    charset: str | None = None,
    content_type: str | None = None,
) -> Source:
    """The article in ``data``, its format read from the suffix, the content type or
    the text itself."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{location} is larger than {MAX_BYTES // 2**20} MB")
    try:
        text = decode(data, charset)
    except InvalidInput as error:
        raise InvalidInput(f"{location} is {error}") from error
    if not text.strip():
        raise InvalidInput(f"{location} is empty")
    if (
        suffix in (".html", ".htm", ".xhtml")
        or (content_type and "html" in content_type)
        or looks_like_html(text)
    ):
        kind = "html"
    elif suffix in (".md", ".markdown") or _has_heading(text):
        kind = "markdown"
    else:
        kind = "text"
    return Source(text, kind, location, url)


def _has_heading(text: str) -> bool:
    """True when a line starts with a Markdown heading ("## Methods")."""
    # A line that starts with "#" is looked for first: a long text without one is
    # not searched line by line.
    return (text.startswith("#") or "\n#" in text) and bool(
        re.search(r"^#{1,6} \S", text, re.MULTILINE)
    )
