"""The one place HTTP sessions are made: User-Agent, retries, timeouts.

Retries are urllib3's :class:`~urllib3.util.retry.Retry`: 429 (honouring Retry-After),
500/502/503/504, refused connections and read timeouts, with exponential back-off and
jitter, up to a bound. Two additions: the first retry also waits (urllib3 retries at
once, which hammers a server that has just said it is overloaded), and every retry is
reported to a :class:`RequestCounter`, so callers know how many requests they really
made and how many were refused with 429.
"""

from __future__ import annotations

import platform
import random
import threading
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from . import __version__
from .settings import Settings

RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass
class RequestCounter:
    """Counts HTTP requests, retries and 429 answers across threads."""

    requests: int = 0
    retries: int = 0
    too_many: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def sent(self) -> None:
        with self._lock:
            self.requests += 1

    def followed(self, redirects: int) -> None:
        """Redirects followed: each one was a request too."""
        with self._lock:
            self.requests += redirects

    def retried(self, status: int | None) -> None:
        with self._lock:
            self.requests += 1
            self.retries += 1
            if status == 429:
                self.too_many += 1

    def refused(self) -> None:
        """A 429 that ended the retries (the final answer, not retried)."""
        with self._lock:
            self.too_many += 1


class CountedRetry(Retry):
    """urllib3's Retry that reports each retry and never retries without waiting."""

    counter: RequestCounter | None = None

    def new(self, **kwargs) -> CountedRetry:
        retry = super().new(**kwargs)
        retry.counter = self.counter
        return retry

    def increment(
        self,
        method=None,
        url=None,
        response=None,
        error=None,
        _pool=None,
        _stacktrace=None,
    ):
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if self.counter is not None:
            self.counter.retried(response.status if response is not None else None)
        return retry

    def get_backoff_time(self) -> float:
        backoff = super().get_backoff_time()
        first_error = (
            backoff == 0 and self.history and not self.history[-1].redirect_location
        )
        if first_error:
            return min(
                self.backoff_max,
                self.backoff_factor + random.random() * self.backoff_jitter,
            )
        return backoff


def make_retry(
    counter: RequestCounter | None = None,
    total: int = 5,
    backoff_factor: float = 0.5,
    backoff_max: float = 30.0,
) -> CountedRetry:
    """The retry policy for read-only requests to metadata services."""
    retry = CountedRetry(
        total=total,
        connect=total,
        read=total,
        status=total,
        other=0,
        backoff_factor=backoff_factor,
        backoff_max=backoff_max,
        backoff_jitter=backoff_factor / 2,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        retry_after_max=120,
        raise_on_status=False,
    )
    retry.counter = counter
    return retry


def user_agent(mailto: str | None = None) -> str:
    """``evidence-tracker/<version> (mailto:<address>)`` plus the runtime, as Crossref asks."""
    contact = f" (mailto:{mailto})" if mailto else ""
    return (
        f"evidence-tracker/{__version__}{contact} "
        f"python-requests/{requests.__version__} Python/{platform.python_version()}"
    )


class _TimeoutSession(requests.Session):
    """A session whose requests time out unless told otherwise (requests has no default)."""

    def __init__(self, timeout: tuple[float, float]):
        super().__init__()
        self.default_timeout = timeout

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


def make_session(
    settings: Settings,
    counter: RequestCounter | None = None,
    retry: Retry | None = None,
    pool_size: int = 10,
) -> requests.Session:
    """A session that identifies the tracker, retries politely and always times out."""
    session = _TimeoutSession((settings.connect_timeout, settings.read_timeout))
    session.headers["User-Agent"] = user_agent(settings.mailto)
    adapter = HTTPAdapter(
        max_retries=retry
        if retry is not None
        else make_retry(counter, backoff_factor=settings.backoff_factor),
        pool_connections=pool_size,
        pool_maxsize=pool_size,
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
