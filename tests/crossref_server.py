"""A real HTTP server on 127.0.0.1 that speaks the parts of Crossref's REST API and of
the DOI resolver the tracker uses, serving recorded Crossref responses.

It enforces rate and concurrency limits per request kind (answering 429 like Crossref
when they are exceeded), announces them in the ``x-rate-limit-*`` headers, counts
requests, and injects faults on demand: 429 with Retry-After, 5xx, slow answers,
truncated or invalid bodies, dropped connections. The tests and the benchmark share it.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

NOT_FOUND_BODY = b"Resource not found."


def load_messages(folder: Path) -> dict[str, dict]:
    """Recorded Crossref work messages in ``folder``, keyed by lower-cased DOI."""
    messages = {}
    for path in sorted(folder.glob("*.json")):
        message = json.loads(path.read_text(encoding="utf-8"))["message"]
        messages[message["DOI"].lower()] = message
    return messages


def work_list(items: list[dict], rows: int, total: int | None = None) -> bytes:
    """A Crossref work-list response body, as the API shapes it."""
    body = {
        "status": "ok",
        "message-type": "work-list",
        "message-version": "1.0.0",
        "message": {
            "facets": {},
            "total-results": len(items) if total is None else total,
            "items": items,
            "items-per-page": rows,
            "query": {"start-index": 0, "search-terms": None},
        },
    }
    return json.dumps(body).encode()


@dataclass
class Fault:
    """Misbehave on the next ``times`` requests of ``kind`` (``None``: any kind)."""

    action: str  # "status", "retry-after", "truncate", "invalid-json", "slow", "reset"
    times: int = 1
    kind: str | None = None
    status: int = 503
    seconds: float = 0.0
    doi: str | None = None


class FakeCrossref:
    def __init__(
        self,
        messages: dict[str, dict],
        csl: dict[str, dict] | None = None,
        agencies: dict[str, str] | None = None,
        limits: dict[str, tuple[float, int]] | None = None,
        latency: float = 0.0,
        pool: str = "polite",
        unlisted: set[str] | None = None,
        refusal_share: float = 0.0,
        refusal_wait: str = "1",
    ):
        self.messages = {doi.lower(): message for doi, message in messages.items()}
        self.csl = {doi.lower(): item for doi, item in (csl or {}).items()}
        self.agencies = agencies or {}
        self.limits = limits or {}
        self.latency = latency
        self.pool = pool
        #: Works /works/{doi} knows but list queries do not return (not indexed yet).
        self.unlisted = unlisted or set()
        #: Answer this share of admitted requests 429 with ``Retry-After: refusal_wait``
        #: whatever the rate: a server under load elsewhere (seeded, so runs repeat).
        self.refusal_share = refusal_share
        self.refusal_wait = refusal_wait
        self._chance = random.Random(20251201)
        self.faults: list[Fault] = []
        self.requests: Counter = Counter()
        self.too_many: Counter = Counter()
        self.refused_by_chance: Counter = Counter()
        self.peak_in_flight: Counter = Counter()
        self.log: list[tuple[str, str]] = []
        self.user_agents: set[str] = set()
        self._in_flight: Counter = Counter()
        self._starts: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # Life cycle ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def resolver_url(self) -> str:
        return f"{self.url}/resolver"

    def __enter__(self) -> FakeCrossref:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self.faults.extend(faults)

    # Request handling ---------------------------------------------------------------

    def _take_fault(self, kind: str, doi: str | None) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.kind not in (None, kind) or (fault.doi and fault.doi != doi):
                    continue
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _admit(self, kind: str) -> bool:
        """Count the request against its kind's limits; False when it is over them."""
        rate, concurrency = self.limits.get(kind, (None, None))
        now = time.monotonic()
        with self._lock:
            self.requests[kind] += 1
            starts = self._starts[kind]
            while starts and now - starts[0] >= 1.0:
                starts.popleft()
            over = (rate is not None and len(starts) >= rate) or (
                concurrency is not None and self._in_flight[kind] >= concurrency
            )
            starts.append(now)
            if over:
                self.too_many[kind] += 1
                return False
            self._in_flight[kind] += 1
            self.peak_in_flight[kind] = max(
                self.peak_in_flight[kind], self._in_flight[kind]
            )
            return True

    def _refuse_by_chance(self, kind: str) -> bool:
        with self._lock:
            refused = self._chance.random() < self.refusal_share
            if refused:
                self.too_many[kind] += 1
                self.refused_by_chance[kind] += 1
            return refused

    def _release(self, kind: str) -> None:
        with self._lock:
            self._in_flight[kind] -= 1

    def _route(self, path: str, query: dict, accept: str):
        """(kind, doi, status, content type, body, extra headers) for a request."""
        if path.startswith("/resolver/"):
            doi = unquote(path[len("/resolver/") :]).lower()
            if doi in self.csl and "citationstyles.csl+json" in accept:
                return (
                    "negotiation",
                    doi,
                    302,
                    "text/html",
                    b"",
                    {"Location": f"/cn/{path[len('/resolver/') :]}"},
                )
            return (
                "negotiation",
                doi,
                404,
                "text/html",
                b"<html><body>DOI Not Found</body></html>",
                {},
            )
        if path.startswith("/cn/"):
            doi = unquote(path[len("/cn/") :]).lower()
            body = json.dumps(self.csl[doi]).encode()
            return (
                "negotiation",
                doi,
                200,
                "application/vnd.citationstyles.csl+json; charset=utf-8",
                body,
                {},
            )
        if path == "/works" and "query.bibliographic" in query:
            rows = int(query.get("rows", ["20"])[0])
            items = self._search(query["query.bibliographic"][0])[:rows]
            return "list", None, 200, "application/json", work_list(items, rows), {}
        if path == "/works" and "filter" in query:
            dois = [
                part[4:].lower()
                for part in query["filter"][0].split(",")
                if part.startswith("doi:")
            ]
            items = [
                self.messages[doi]
                for doi in dois
                if doi in self.messages and doi not in self.unlisted
            ]
            rows = int(query.get("rows", ["20"])[0])
            body = work_list(items[:rows], rows, total=len(items))
            return "list", None, 200, "application/json", body, {}
        if path.startswith("/works/") and path.endswith("/agency"):
            doi = unquote(path[len("/works/") : -len("/agency")]).lower()
            agency = "crossref" if doi in self.messages else self.agencies.get(doi)
            if agency is None:
                return "single", doi, 404, "application/json", NOT_FOUND_BODY, {}
            body = {
                "status": "ok",
                "message-type": "work-agency",
                "message-version": "1.0.0",
                "message": {
                    "DOI": doi,
                    "agency": {"id": agency, "label": agency.title()},
                },
            }
            return "single", doi, 200, "application/json", json.dumps(body).encode(), {}
        if path.startswith("/works/"):
            doi = unquote(path[len("/works/") :]).lower()
            if doi not in self.messages:
                # Crossref's quirk: a plain-text body under a JSON content type.
                return (
                    "single",
                    doi,
                    404,
                    "application/json;charset=utf-8",
                    NOT_FOUND_BODY,
                    {},
                )
            body = {
                "status": "ok",
                "message-type": "work",
                "message-version": "1.0.0",
                "message": self.messages[doi],
            }
            return "single", doi, 200, "application/json", json.dumps(body).encode(), {}
        return (
            "other",
            None,
            404,
            "application/json",
            b'{"status":"error","message-type":"route-not-found"}',
            {},
        )

    def _search(self, text: str) -> list[dict]:
        """Records ranked by how many of their words the query shares, with a
        relevance score like Crossref's (it grows with the query's length)."""
        words = set(re.findall(r"\w{3,}", text.lower()))
        ranked = []
        for message in self.messages.values():
            fields = [
                *(message.get("title") or []),
                *(message.get("container-title") or []),
            ]
            fields += [
                a.get("family") or a.get("name") or ""
                for a in message.get("author") or []
            ]
            issued = (message.get("issued") or {}).get("date-parts") or [[None]]
            fields.append(str(issued[0][0]))
            shared = words & set(re.findall(r"\w{3,}", " ".join(fields).lower()))
            if shared:
                ranked.append((len(shared) * 4.2, message))
        ranked.sort(key=lambda pair: -pair[0])
        return [{**message, "score": score} for score, message in ranked]

    def _handler(server_self):  # noqa: N805 - the handler class closes over the server
        fake = server_self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                kind, doi, status, content_type, body, headers = fake._route(
                    parts.path, parse_qs(parts.query), self.headers.get("Accept", "")
                )
                fake.log.append((kind, self.path))
                fake.user_agents.add(self.headers.get("User-Agent", ""))
                if not fake._admit(kind):
                    self._send(
                        429,
                        "text/html",
                        b"<html><body><h1>429 Too Many Requests</h1></body></html>",
                        {"Retry-After": "1"},
                        kind,
                    )
                    return
                try:
                    if fake.latency:
                        time.sleep(fake.latency)
                    if fake._refuse_by_chance(kind):
                        self._send(
                            429,
                            "text/html",
                            b"Too Many Requests",
                            {"Retry-After": fake.refusal_wait},
                            kind,
                        )
                        return
                    fault = fake._take_fault(kind, doi)
                    if fault is None:
                        self._send(status, content_type, body, headers, kind)
                    else:
                        self._misbehave(
                            fault, status, content_type, body, headers, kind
                        )
                finally:
                    fake._release(kind)

            def _misbehave(self, fault, status, content_type, body, headers, kind):
                if fault.action == "status":
                    self._send(
                        fault.status,
                        "text/html",
                        b"<html><body>error</body></html>",
                        {},
                        kind,
                    )
                elif fault.action == "retry-after":
                    self._send(
                        429,
                        "text/html",
                        b"Too Many Requests",
                        {"Retry-After": str(int(fault.seconds))},
                        kind,
                    )
                elif fault.action == "slow":
                    time.sleep(fault.seconds)
                    self._send(status, content_type, body, headers, kind)
                elif fault.action == "truncate":
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                elif fault.action == "invalid-json":
                    self._send(
                        status,
                        content_type,
                        body[: len(body) // 2] + b"}}garbage",
                        headers,
                        kind,
                    )
                elif fault.action == "reset":
                    self.close_connection = True
                    self.connection.close()

            def _send(self, status, content_type, body, headers, kind):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                rate, concurrency = fake.limits.get(kind, (None, None))
                if rate is not None:
                    self.send_header("x-rate-limit-limit", str(int(rate)))
                    self.send_header("x-rate-limit-interval", "1s")
                if concurrency is not None:
                    self.send_header("x-concurrency-limit", str(concurrency))
                self.send_header(
                    "x-api-pool",
                    f"{fake.pool}-{'array' if kind == 'list' else 'single'}",
                )
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler
