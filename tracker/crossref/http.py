"""The one place HTTP sessions are made: User-Agent, retries, timeouts.

Retries are urllib3's :class:`~urllib3.util.retry.Retry`: 429 (honouring Retry-After),
500/502/503/504, refused connections and read timeouts, with exponential back-off and
jitter, up to a bound. Two additions: the first retry also waits (urllib3 retries at
once, which hammers a server that has just said it is overloaded), and every retry is
reported to a :class:`RequestCounter`, so callers know how many requests they really
made and how many were refused with 429, and announced to whoever waits (``on_retry``),
so a slow run is never silent. A connection that is refused, or a host name that does
not resolve, is not retried: the service is unreachable, and the caller says so at once.
"""

from __future__ import annotations

import platform
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader, MaxRetryError, NewConnectionError
from urllib3.util.retry import Retry

from .. import __version__
from ..settings import Settings

RETRY_STATUSES = (429, 500, 502, 503, 504)
#: The statuses urllib3 retries for the Crossref client, which retries 429 itself so
#: that the retry waits outside its slot and starts within the pool's pace.
SERVER_ERRORS = (500, 502, 503, 504)
#: A host that does not answer a connection within the timeout is tried this many
#: more times; one that refuses, or whose name does not resolve, is not tried again.
CONNECT_RETRIES = 2
#: Waits shorter than this are not announced.
ANNOUNCED_WAIT = 1.0

RetryNotice = Callable[[str], None]


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

    def retried(self, status: int | None, resent: bool = True) -> None:
        """A retry; ``resent=False`` when the request is counted when it is sent again."""
        with self._lock:
            self.requests += int(resent)
            self.retries += 1
            if status == 429:
                self.too_many += 1

    def refused(self) -> None:
        """A 429 that ended the retries (the final answer, not retried)."""
        with self._lock:
            self.too_many += 1


class CountedRetry(Retry):
    """urllib3's Retry that reports each retry, never retries without waiting, and
    gives up at once on a host that refuses connections."""

    counter: RequestCounter | None = None
    on_retry: RetryNotice | None = None

    def new(self, **kwargs) -> CountedRetry:
        retry = super().new(**kwargs)
        retry.counter = self.counter
        retry.on_retry = self.on_retry
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
        if isinstance(error, NewConnectionError) and not _timed_out(error):
            raise MaxRetryError(_pool, url, error)
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if self.counter is not None:
            self.counter.retried(response.status if response is not None else None)
        if self.on_retry is not None:
            wait = retry.get_backoff_time()
            if response is not None:
                wait = max(wait, retry.get_retry_after(response) or 0)
            if wait >= ANNOUNCED_WAIT:
                self.on_retry(_retry_message(_pool, url, response, error, wait))
        return retry

    def is_retry(
        self, method: str, status_code: int, has_retry_after: bool = False
    ) -> bool:
        """Only the statuses asked for: urllib3 would retry any 429 or 503 that carries
        Retry-After, even when the caller handles 429 itself."""
        if self.status_forcelist and status_code not in self.status_forcelist:
            return False
        return super().is_retry(method, status_code, has_retry_after)

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
    on_retry: RetryNotice | None = None,
    statuses: tuple[int, ...] = RETRY_STATUSES,
) -> CountedRetry:
    """The retry policy for read-only requests to metadata services."""
    retry = CountedRetry(
        total=total,
        connect=min(total, CONNECT_RETRIES),
        read=total,
        status=total,
        other=0,
        backoff_factor=backoff_factor,
        backoff_max=backoff_max,
        backoff_jitter=backoff_factor / 2,
        status_forcelist=statuses,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        retry_after_max=120,
        raise_on_status=False,
    )
    retry.counter = counter
    retry.on_retry = on_retry
    return retry


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The seconds a ``Retry-After`` header asks for (read as urllib3 reads it, at most
    two minutes); None when there is none or it cannot be read."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return make_retry().parse_retry_after(value)
    except InvalidHeader:
        return None


def retry_message(host: str, reason: str, wait: float) -> str:
    """What a person waiting reads: ``api.crossref.org: HTTP 429; trying again in 2 s``."""
    return f"{host}: {reason}; trying again in {wait:.0f} s"


def _timed_out(error: Exception) -> bool:
    return "timed out" in str(error).lower()


def _retry_message(pool, url, response, error, wait: float) -> str:
    host = getattr(pool, "host", None) or urlsplit(url or "").hostname or "the server"
    if response is not None:
        reason = f"HTTP {response.status}"
    elif error is not None and _timed_out(error):
        reason = "timed out"
    else:
        reason = "no answer"
    return retry_message(host, reason, wait)


def describe_error(error: requests.RequestException) -> str:
    """A request's failure in a few words, for one-line errors."""
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.ConnectionError):
        reason = getattr(error.args[0], "reason", error) if error.args else error
        return f"no answer (connection failed: {_short_reason(reason)})"
    return str(error)


def unreachable(error: requests.RequestException) -> bool:
    """True when the host could not be reached at all: refused, unknown, or silent
    through every connection attempt."""
    return isinstance(error, requests.ConnectTimeout) or (
        isinstance(error, requests.ConnectionError)
        and isinstance(getattr(error.args[0], "reason", None), NewConnectionError)
    )


def _short_reason(reason: object) -> str:
    """``Failed to establish a new connection: [Errno 111] Connection refused`` ->
    ``connection refused``."""
    text = str(reason)
    for known in (
        "Connection refused",
        "Name or service not known",
        "nodename nor servname provided",
        "Temporary failure in name resolution",
        "Network is unreachable",
        "No route to host",
    ):
        if known.lower() in text.lower():
            return known.lower()
    return text.split(": ", 1)[-1] if ": " in text else text


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
    on_retry: RetryNotice | None = None,
    statuses: tuple[int, ...] = RETRY_STATUSES,
) -> requests.Session:
    """A session that identifies the tracker, retries politely and always times out."""
    session = _TimeoutSession((settings.connect_timeout, settings.read_timeout))
    session.headers["User-Agent"] = user_agent(settings.mailto)
    adapter = HTTPAdapter(
        max_retries=retry
        if retry is not None
        else make_retry(
            counter,
            backoff_factor=settings.backoff_factor,
            on_retry=on_retry,
            statuses=statuses,
        ),
        pool_connections=pool_size,
        pool_maxsize=pool_size,
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
