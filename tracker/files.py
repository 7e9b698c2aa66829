"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from .errors import InvalidInput


def write_file(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file renamed into place); the
    folder is created when missing."""
    path = Path(path)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {_reason(error)}") from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {path}: {_reason(error)}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_file(source: str | Path, limit: int) -> bytes:
    """The bytes of the regular file at ``source``, at most ``limit`` of them.

    Devices (``/dev/zero``), FIFOs and sockets are refused before they are opened, so
    that reading neither runs for ever nor waits for a writer.

    :raises InvalidInput: missing, not a regular file, unreadable or larger than ``limit``
    """
    path = Path(source)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput(f"{source}: no such file") from None
    except OSError as error:
        raise InvalidInput(f"cannot read {source}: {_reason(error)}") from error
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"{source} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{source} is not a regular file")
    if info.st_size > limit:
        raise InvalidInput(f"{source} is larger than {limit // 2**20} MB")
    try:
        with path.open("rb") as handle:
            data = read_capped(handle, limit)
    except OSError as error:
        raise InvalidInput(f"cannot read {source}: {_reason(error)}") from error
    if len(data) > limit:
        raise InvalidInput(f"{source} is larger than {limit // 2**20} MB")
    return data


def read_capped(stream: BinaryIO, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``stream``, a megabyte at a time (``read(n)``
    reserves n bytes at once, whatever the stream holds)."""
    pieces, total = [], 0
    while total <= limit:
        piece = stream.read(min(2**20, limit + 1 - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    return b"".join(pieces)


def _reason(error: OSError) -> str:
    """``permission denied``, ``not a directory``: the system's reason, in lower case."""
    reason = error.strerror or type(error).__name__
    return reason[0].lower() + reason[1:]
