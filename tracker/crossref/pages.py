"""Web pages for ingestion, read through the tracker's one HTTP session."""

from __future__ import annotations

import re
import time

import requests

from ..errors import IncompleteWork, InvalidInput
from ..settings import Settings
from ..text.reader import MAX_BYTES, Source, source_from_bytes
from .http import describe_error, make_session

_TEXT_TYPES = re.compile(r"text/|application/(?:xhtml\+xml|xml)")
#: A page must arrive whole within this many seconds, however slowly it trickles.
DEADLINE = 60.0
_CHUNK = 64 * 1024


def read_page(
    url: str, settings: Settings, limit: int = MAX_BYTES, deadline: float = DEADLINE
) -> Source:
    """The article at ``url``, read as it streams in: at most ``limit`` bytes once
    decompressed (a gzip bomb is stopped at the limit, not after), within ``deadline``
    seconds in all.

    :raises IncompleteWork: offline, the address does not answer, or too slowly
    :raises InvalidInput: the address serves something that is not text or HTML, or
        more than ``limit`` bytes
    """
    if settings.offline:
        raise IncompleteWork(f"cannot read {url}: TRACKER_OFFLINE is set")
    started = time.monotonic()
    session = make_session(settings)
    try:
        with session.get(
            url,
            headers={"Accept": "text/html, text/plain;q=0.9, */*;q=0.1"},
            stream=True,
        ) as response:
            if response.status_code >= 400:
                raise IncompleteWork(f"cannot read {url}: HTTP {response.status_code}")
            content_type = response.headers.get("Content-Type", "").lower()
            if content_type and not _TEXT_TYPES.match(content_type):
                raise InvalidInput(
                    f"{url} is {content_type.split(';')[0]}, not a text or HTML page"
                )
            body = _read_body(response, url, limit, started + deadline, deadline)
            charset = response.encoding if "charset" in content_type else None
            final_url = response.url
    except requests.RequestException as error:
        raise IncompleteWork(f"cannot read {url}: {describe_error(error)}") from error
    return source_from_bytes(body, url, None, final_url, charset, content_type)


def _read_body(
    response: requests.Response, url: str, limit: int, until: float, deadline: float
) -> bytes:
    """The decompressed body, read a piece at a time against the limit and the clock.

    ``read1`` returns as soon as any bytes arrive, so a server that drips a byte at a
    time is still held to the deadline.
    """
    too_large = InvalidInput(f"{url} is larger than {limit // 2**20} MB")
    declared = response.headers.get("Content-Length", "")
    encoded = response.headers.get("Content-Encoding", "identity") != "identity"
    if declared.isdigit() and int(declared) > limit and not encoded:
        raise too_large
    pieces, total = [], 0
    while True:
        if time.monotonic() > until:
            raise IncompleteWork(
                f"cannot read {url}: the page did not arrive within {deadline:.0f} s"
            )
        piece = response.raw.read1(_CHUNK, decode_content=True)
        if not piece:
            return b"".join(pieces)
        total += len(piece)
        if total > limit:
            raise too_large
        pieces.append(piece)
