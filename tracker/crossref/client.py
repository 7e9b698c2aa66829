"""Crossref's REST API and DOI content negotiation, throttled and retried.

Three lookups, from cheapest to dearest per DOI:

* :meth:`Crossref.works`: many DOIs in one list request,
  ``/works?filter=doi:A,doi:B,...&rows=N`` (a *list* request under Crossref's limits);
* :meth:`Crossref.work`: one DOI, ``/works/{doi}``; a 404 means Crossref does not
  know it (its body is the plain text ``Resource not found.``, whatever the
  content type says, so it is never parsed);
* :meth:`Crossref.negotiate`: DOI content negotiation at the resolver, which answers
  for DataCite, mEDRA and the other agencies in CSL-JSON.

Every request goes through a :class:`~tracker.crossref.throttle.Throttle` for its kind
and the session's urllib3 retries; answers whose body is cut short or is not JSON are
retried with the same policy. A service that cannot be reached at all raises
:class:`Unreachable` at once, so that a run stops with one clear line instead of
failing every DOI in turn.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import requests
from urllib3.exceptions import MaxRetryError, ProtocolError

from ..errors import ServiceError
from ..settings import Settings
from ..text.doi import normalize_doi
from .http import (
    ANNOUNCED_WAIT,
    SERVER_ERRORS,
    RequestCounter,
    RetryNotice,
    describe_error,
    make_retry,
    make_session,
    retry_after,
    retry_message,
    unreachable,
)
from .throttle import Throttle, crossref_limits

#: 429s in a row for one request before its lookup fails.
MAX_REFUSALS = 8

CSL_JSON = "application/vnd.citationstyles.csl+json"
#: Crossref reads about 4 KB of request line; stay under it with room for the method.
MAX_URL_BYTES = 4000
MAX_DOIS_PER_LIST = 100

_AGENCY_HOSTS = {
    "api.crossref.org": "crossref",
    "data.crosscite.org": "datacite",
    "api.datacite.org": "datacite",
    "data.medra.org": "medra",
    "ra.publications.europa.eu": "op",
    "data.jalc.jp": "jalc",
}


class NotFound(Exception):
    """The service answered 404 for this DOI."""


class Unreachable(ServiceError):
    """The service's host refused the connection, is unknown, or never answered."""

    def __init__(self, host: str, reason: str):
        super().__init__(
            f"cannot reach {host} ({reason}); check the network, or set"
            " TRACKER_OFFLINE=1 to work with what is stored"
        )
        self.host = host


#: Lookups running per request the limits allow at once: the next starts as the
#: caller takes an answer, so answers never pile up faster than they are stored.
_AHEAD = 1


class Crossref:
    """A client for Crossref and the DOI resolver that keeps within their limits."""

    def __init__(
        self,
        settings: Settings,
        counter: RequestCounter | None = None,
        session: requests.Session | None = None,
        on_retry: RetryNotice | None = None,
    ):
        self.settings = settings
        self.counter = counter or RequestCounter()
        self.on_retry = on_retry
        self.session = session or make_session(
            settings, self.counter, on_retry=on_retry, statuses=SERVER_ERRORS
        )
        limits = crossref_limits(settings.polite)
        self.throttles = {
            "list": Throttle(limits["list"]),
            "single": Throttle(limits["single"]),
            "negotiation": Throttle(limits["single"]),
        }

    # Lookups -----------------------------------------------------------------------

    def works(self, dois: list[str]) -> dict[str, dict[str, Any]]:
        """Crossref messages for the DOIs Crossref lists, keyed by normalised DOI.

        DOIs missing from the answer are either unknown to Crossref or not listed;
        :meth:`work` tells which.
        """
        try:
            data = self._get_json(self.list_url(dois), "list")
        except NotFound as error:
            raise ServiceError("the list route answered 404") from error
        items = data.get("message", {}).get("items")
        if not isinstance(items, list):
            raise ServiceError("the list answer has no items")
        return {normalize_doi(item["DOI"]): item for item in items if item.get("DOI")}

    def work(self, doi: str) -> dict[str, Any] | None:
        """The Crossref message for ``doi``, or None when Crossref does not know it."""
        try:
            data = self._get_json(self.work_url(doi), "single")
        except NotFound:
            return None
        message = data.get("message")
        if not isinstance(message, dict) or not message.get("DOI"):
            raise ServiceError("the answer has no work in it")
        return message

    def negotiate(self, doi: str) -> tuple[dict[str, Any], str] | None:
        """CSL-JSON for ``doi`` from the resolver, with the agency it came from;
        None when the resolver does not know the DOI either."""
        url = f"{self.settings.doi_resolver}/{quote(doi, safe='/')}"
        try:
            item, final_url = self._get_json(
                url, "negotiation", headers={"Accept": CSL_JSON}, with_url=True
            )
        except NotFound:
            return None
        if not isinstance(item, dict) or not item.get("DOI"):
            raise ServiceError("the resolver's answer is not CSL-JSON")
        return item, self.agency(doi, final_url)

    def agency(self, doi: str, answered_by: str = "") -> str:
        """The registration agency of ``doi``: Crossref's agency route when it answers,
        else the host that served the metadata."""
        try:
            data = self._get_json(f"{self.work_url(doi)}/agency", "single")
            return data["message"]["agency"]["id"]
        except (NotFound, ServiceError, KeyError, TypeError):
            host = urlsplit(answered_by).hostname or "unknown"
            return _AGENCY_HOSTS.get(host, host)

    def bibliographic(self, reference: str, rows: int = 5) -> list[dict[str, Any]]:
        """Crossref's best candidates for a reference string (``query.bibliographic``),
        best first; Crossref suggests 2 to 5 rows for matching."""
        params = {"query.bibliographic": reference[:1000], "rows": rows}
        if self.settings.mailto:
            params["mailto"] = self.settings.mailto
        url = f"{self.settings.crossref_api}/works?{urlencode(params, quote_via=quote)}"
        try:
            data = self._get_json(url, "list")
        except NotFound as error:
            raise ServiceError("the query route answered 404") from error
        items = data.get("message", {}).get("items")
        if not isinstance(items, list):
            raise ServiceError("the query answer has no items")
        return [item for item in items if item.get("DOI")]

    def each(self, kind: str, lookup, items: list):
        """Run ``lookup`` on every item, as many at a time as ``kind`` allows; yield
        ``(item, future)`` as each completes. Only a few lookups run ahead of the
        caller, and each answer is let go once handed out, so memory does not grow
        with the number of items however slowly the caller stores them. Interrupted,
        it cancels what has not started."""
        if not items:
            return
        concurrency = self.throttles[kind].limit.concurrency
        pool = ThreadPoolExecutor(max_workers=concurrency)
        waiting = iter(items)
        running: dict = {}

        def start_next() -> None:
            for item in itertools.islice(waiting, 1):
                running[pool.submit(lookup, item)] = item

        try:
            for _ in range(concurrency * _AHEAD):
                start_next()
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                while done:
                    future = done.pop()
                    item = running.pop(future)
                    start_next()
                    yield item, future
                    del future
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    # Addresses -----------------------------------------------------------------------

    def work_url(self, doi: str) -> str:
        return f"{self.settings.crossref_api}/works/{quote(doi, safe='/')}"

    def list_url(self, dois: Iterable[str]) -> str:
        dois = list(dois)
        params = {"filter": ",".join(f"doi:{doi}" for doi in dois), "rows": len(dois)}
        if self.settings.mailto:
            params["mailto"] = self.settings.mailto
        return f"{self.settings.crossref_api}/works?{urlencode(params, safe=':/,@', quote_via=quote)}"

    @staticmethod
    def listable(doi: str) -> bool:
        """Whether a list request can ask for ``doi`` (a comma would split it)."""
        return "," not in doi

    def chunks(self, dois: Iterable[str]) -> list[list[str]]:
        """DOIs grouped for list requests, each URL under :data:`MAX_URL_BYTES`.

        DOIs with a comma cannot be told apart inside a filter: they are left out, to be
        looked up one by one.
        """
        chunks: list[list[str]] = [[]]
        for doi in dois:
            if not self.listable(doi):
                continue
            candidate = [*chunks[-1], doi]
            too_long = len(self.list_url(candidate).encode()) > MAX_URL_BYTES
            if chunks[-1] and (too_long or len(candidate) > MAX_DOIS_PER_LIST):
                chunks.append([doi])
            else:
                chunks[-1] = candidate
        return [chunk for chunk in chunks if chunk]

    # Transport -----------------------------------------------------------------------

    def _get_json(self, url: str, kind: str, headers=None, with_url: bool = False):
        """GET ``url`` within the limits of ``kind`` and return its JSON.

        :raises NotFound: the answer was 404
        :raises ServiceError: no usable answer after the retries
        """
        throttle = self.throttles[kind]
        # Broken bodies are retried here, by the same policy as urllib3's retries;
        # the re-sent request is counted when it is sent, so this policy counts nothing.
        body_retry = make_retry(
            backoff_factor=self.settings.backoff_factor, on_retry=self.on_retry
        )
        params = (
            {"mailto": self.settings.mailto}
            if self.settings.mailto and kind == "single"
            else None
        )
        refusals = 0
        while True:
            with throttle.slot():
                self.counter.sent()
                try:
                    response = self.session.get(url, params=params, headers=headers)
                    data = response.json() if response.status_code == 200 else None
                except (requests.exceptions.ChunkedEncodingError, ValueError) as error:
                    broken: Exception | None = error
                except requests.RequestException as error:
                    if unreachable(error):
                        host = urlsplit(url).hostname or url
                        raise Unreachable(host, _unreachable_reason(error)) from error
                    raise ServiceError(describe_error(error)) from error
                else:
                    broken = None
            if broken is not None:
                body_retry = self._retry_body(body_retry, url, broken)
                continue
            self.counter.followed(len(response.history))
            throttle.observe(response.headers)
            if response.status_code == 429 and refusals < MAX_REFUSALS:
                refusals += 1
                self._wait_after_refusal(throttle, response, url, refusals)
                continue
            if response.status_code == 429:
                self.counter.refused()
                throttle.refused()
            else:
                throttle.answered()
            if response.status_code == 404:
                raise NotFound(url)
            if response.status_code != 200:
                raise ServiceError(
                    f"HTTP {response.status_code} {response.reason or ''}".strip()
                )
            return (data, response.url) if with_url else data

    def _retry_body(self, retry, url: str, error: Exception):
        """Count a broken body against the read retries, wait, and return the new policy."""
        try:
            retry = retry.increment(
                method="GET", url=url, error=ProtocolError(f"unusable body: {error}")
            )
        except MaxRetryError as exhausted:
            raise ServiceError(f"unusable answer after retries: {error}") from exhausted
        retry.sleep()
        return retry

    def _wait_after_refusal(
        self, throttle: Throttle, response: requests.Response, url: str, number: int
    ) -> None:
        """After a 429: slow the pool, then wait what the server asks (Retry-After) or
        an exponential backoff, outside the slot, so that the retry starts in the
        pool's new pace like any other request."""
        throttle.refused()
        self.counter.retried(429, resent=False)
        wait = retry_after(response.headers)
        if wait is None:
            backoff = self.settings.backoff_factor * 2 ** (number - 1)
            wait = min(30.0, backoff * (1 + random.random() / 2))
        if self.on_retry is not None and wait >= ANNOUNCED_WAIT:
            host = urlsplit(url).hostname or url
            self.on_retry(retry_message(host, "HTTP 429", wait))
        time.sleep(wait)


def _unreachable_reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.ConnectTimeout):
        return "no answer to the connection"
    return (
        describe_error(error).removeprefix("no answer (connection failed: ").rstrip(")")
    )
