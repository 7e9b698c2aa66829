"""Settings read from the environment (the SPEC's TRACKER_* variables)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import InvalidInput

CROSSREF_API = "https://api.crossref.org"
DOI_RESOLVER = "https://doi.org"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Settings:
    """Where the tracker looks things up, who it says it is, and whether it may."""

    crossref_api: str = CROSSREF_API
    doi_resolver: str = DOI_RESOLVER
    mailto: str | None = None
    offline: bool = False
    connect_timeout: float = 3.05
    read_timeout: float = 30.0
    #: First retry after this many seconds, doubling with each further retry.
    backoff_factor: float = 0.5

    @property
    def polite(self) -> bool:
        """True when Crossref's polite pool applies (a contact address is sent)."""
        return bool(self.mailto)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from TRACKER_CROSSREF_API, TRACKER_DOI_RESOLVER, TRACKER_MAILTO,
        TRACKER_OFFLINE and TRACKER_RETRY_BACKOFF; :class:`InvalidInput` names a
        variable with a bad value."""
        env = os.environ if environ is None else environ
        mailto = env.get("TRACKER_MAILTO", "").strip() or None
        if mailto and not _EMAIL.fullmatch(mailto):
            raise InvalidInput(f"TRACKER_MAILTO={mailto!r} is not an e-mail address")
        return cls(
            crossref_api=_base_url(env, "TRACKER_CROSSREF_API", CROSSREF_API),
            doi_resolver=_base_url(env, "TRACKER_DOI_RESOLVER", DOI_RESOLVER),
            mailto=mailto,
            offline=env.get("TRACKER_OFFLINE", "").strip().lower()
            in {"1", "true", "yes"},
            backoff_factor=_seconds(env, "TRACKER_RETRY_BACKOFF", cls.backoff_factor),
        )


def _base_url(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip() or default
    if not re.match(r"https?://[^/\s]+", value):
        raise InvalidInput(f"{name}={value!r} is not an http(s) address")
    return value.rstrip("/")


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 60:
        raise InvalidInput(f"{name}={value!r} is not a number of seconds from 0 to 60")
    return seconds
