"""Reading an article from a file, a web address or standard input, as text.

Bytes are decoded without loss: a byte-order mark decides when there is one, then
UTF-8, then Windows-1252 (with the five bytes it leaves undefined read as Latin-1).
Binary files are refused rather than turned into noise.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import requests

from .errors import IncompleteWork, InvalidInput
from .html_text import looks_like_html
from .http import make_session
from .settings import Settings

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


def read_source(source: str, settings: Settings | None = None) -> Source:
    """Read ``source``: a path, an http(s) address, or ``-`` for standard input.

    :raises InvalidInput: missing, empty, binary or unsupported input
    :raises IncompleteWork: a web address that does not answer
    """
    if source == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return _source(data, "-", None, None)
    if re.match(r"(?i)^https?://", source):
        return _read_url(source, settings or Settings.from_env())
    path = Path(source)
    if not path.exists():
        raise InvalidInput(f"{source}: no such file")
    if path.is_dir():
        raise InvalidInput(f"{source} is a folder, not an article")
    if path.stat().st_size > MAX_BYTES:
        raise InvalidInput(f"{source} is larger than {MAX_BYTES // 2**20} MB")
    return _source(path.read_bytes(), source, path.suffix.lower(), None)


def decode(data: bytes, declared: str | None = None) -> str:
    """Text from bytes in any common encoding; :class:`InvalidInput` for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
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


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(
        1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27)
    )
    return bool(sample) and controls / len(sample) > 0.05


def _source(
    data: bytes,
    location: str,
    suffix: str | None,
    url: str | None,
    charset: str | None = None,
    content_type: str | None = None,
) -> Source:
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
    elif suffix in (".md", ".markdown") or re.search(r"^#{1,6} \S", text, re.MULTILINE):
        kind = "markdown"
    else:
        kind = "text"
    return Source(text, kind, location, url)


def _read_url(url: str, settings: Settings) -> Source:
    if settings.offline:
        raise IncompleteWork(f"cannot read {url}: TRACKER_OFFLINE is set")
    session = make_session(settings)
    try:
        response = session.get(
            url, headers={"Accept": "text/html, text/plain;q=0.9, */*;q=0.1"}
        )
    except requests.RequestException as error:
        raise IncompleteWork(f"cannot read {url}: {_reason(error)}") from error
    if response.status_code >= 400:
        raise IncompleteWork(f"cannot read {url}: HTTP {response.status_code}")
    content_type = response.headers.get("Content-Type", "").lower()
    if content_type and not re.match(
        r"text/|application/(?:xhtml\+xml|xml)", content_type
    ):
        raise InvalidInput(
            f"{url} is {content_type.split(';')[0]}, not a text or HTML page"
        )
    charset = response.encoding if "charset" in content_type else None
    return _source(response.content, url, None, response.url, charset, content_type)


def _reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.ConnectionError):
        return "no answer (connection failed)"
    return str(error)
