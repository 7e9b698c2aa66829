"""Who is acting: the name the review log records for changes made here."""

from __future__ import annotations

import getpass


def current_actor() -> str:
    """The reviewer the command line acts for: ``cli:<user name>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in this environment (getpass raises several kinds)
        return "cli"
