"""The Crossref records shipped with the tracker: the example article's two works, so
that the demo and a first try work fully offline."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ..text.doi import normalize_doi

SOURCE = "crossref (bundled copy)"


def bundled_message(doi: str) -> dict[str, Any] | None:
    """The Crossref message shipped with the tracker for ``doi``, if there is one."""
    name = normalize_doi(doi).replace("/", "__") + ".json"
    path = resources.files(__package__) / "bundled" / name
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))["message"]
