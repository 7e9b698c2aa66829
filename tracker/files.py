"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InvalidInput


def write_file(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file renamed into place); the
    folder is created when missing."""
    path = Path(path)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
