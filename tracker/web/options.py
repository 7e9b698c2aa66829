"""The options of a drop-down, built once per choice list and selection."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markupsafe import Markup


@lru_cache(maxsize=256)
def options(choices: tuple[str, ...], selected: Any) -> Markup:
    """The ``<option>`` elements of a drop-down, ``selected`` chosen; an empty choice
    reads "(keep)". Cached: an article page repeats the same few thousands of times."""
    chosen = "" if selected is None else str(selected)
    return Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            choice,
            Markup(" selected") if choice == chosen else "",
            choice.replace("_", " ") if choice else "(keep)",
        )
        for choice in choices
    )
