"""Web pages for ingestion, read through the tracker's one HTTP session."""

from __future__ import annotations

import re

import requests

from ..errors import IncompleteWork, InvalidInput
from ..settings import Settings
from ..text.reader import Source, source_from_bytes
from .http import describe_error, make_session

_TEXT_TYPES = re.compile(r"text/|application/(?:xhtml\+xml|xml)")


def read_page(url: str, settings: Settings) -> Source:
    """The article at ``url``.

    :raises IncompleteWork: offline, or the address does not answer
    :raises InvalidInput: the address serves something that is not text or HTML
    """
    if settings.offline:
        raise IncompleteWork(f"cannot read {url}: TRACKER_OFFLINE is set")
    session = make_session(settings)
    try:
        response = session.get(
            url, headers={"Accept": "text/html, text/plain;q=0.9, */*;q=0.1"}
        )
    except requests.RequestException as error:
        raise IncompleteWork(f"cannot read {url}: {describe_error(error)}") from error
    if response.status_code >= 400:
        raise IncompleteWork(f"cannot read {url}: HTTP {response.status_code}")
    content_type = response.headers.get("Content-Type", "").lower()
    if content_type and not _TEXT_TYPES.match(content_type):
        raise InvalidInput(
            f"{url} is {content_type.split(';')[0]}, not a text or HTML page"
        )
    charset = response.encoding if "charset" in content_type else None
    return source_from_bytes(
        response.content, url, None, response.url, charset, content_type
    )
