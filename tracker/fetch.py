"""``tracker fetch``: metadata for many DOIs with few requests, without losing any.

The plan for a run:

1. list requests (up to :data:`~tracker.crossref.client.MAX_DOIS_PER_LIST` DOIs each,
   URLs under 4 KB), as many at a time as Crossref allows;
2. a single-record request for each DOI no list returned, which tells "not in
   Crossref" (404) from "not listed";
3. DOI content negotiation for the DOIs Crossref does not know (DataCite, mEDRA, ...).

HTTP runs in worker threads; results are written by the calling thread as each request
completes, one transaction per request, so a run killed half-way keeps everything it
fetched and the next run continues with what is missing. A DOI that fails is marked
``error`` with the reason and never stops the others; a service that cannot be reached
at all stops the run with one line (:class:`~tracker.errors.IncompleteWork`), keeping
what was stored before.

Offline (``TRACKER_OFFLINE=1``) no request is made: DOIs whose records ship with the
tracker (the example article's) are stored from those copies, the rest are reported
missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from .checks.designs import classify
from .crossref.bundled import SOURCE as BUNDLED
from .crossref.bundled import bundled_message
from .crossref.client import Crossref, Unreachable
from .crossref.records import (
    authors_from_csl,
    authors_from_message,
    record_from_csl,
    record_from_message,
)
from .errors import IncompleteWork, ServiceError
from .settings import Settings
from .store import works as stored
from .store.notices import refresh_notices
from .text.doi import normalize_doi

Progress = Callable[[int], None]
NOT_ANYWHERE = "unknown to Crossref and to the DOI resolver"


@dataclass
class FetchReport:
    """What a fetch did: the SPEC's four lists of DOIs and the number of requests."""

    requested: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    requests: int = 0
    already_stored: list[str] = field(default_factory=list)
    missing_offline: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    too_many_requests: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "requested": self.requested,
            "fetched": self.fetched,
            "not_found": self.not_found,
            "failed": self.failed,
            "requests": self.requests,
            "already_stored": self.already_stored,
            "missing_offline": self.missing_offline,
            "errors": self.errors,
            "sources": self.sources,
            "too_many_requests": self.too_many_requests,
        }

    @property
    def bundled(self) -> list[str]:
        """DOIs stored from the records shipped with the tracker."""
        return [doi for doi, source in self.sources.items() if source == BUNDLED]

    @property
    def complete(self) -> bool:
        """True when every requested DOI got an answer (found or not found)."""
        return not self.failed and not self.missing_offline


def store_record(
    db: sqlite_utils.Database,
    doi: str,
    record: dict[str, Any],
    authors: list[dict[str, Any]],
    source: str,
    keys: stored.NewCitekeys | None = None,
) -> int:
    """Store a work's metadata with the study design its title and abstract name, and
    a citation key from ``keys`` if it has none."""
    design = classify(record.get("type"), record.get("title"), record.get("abstract"))
    return stored.store_metadata(
        db,
        doi,
        record,
        authors,
        source,
        (design.design, design.reason, design.level),
        keys,
    )


def store_crossref_message(
    db: sqlite_utils.Database,
    message: dict[str, Any],
    source: str = "crossref",
    doi: str | None = None,
    keys: stored.NewCitekeys | None = None,
) -> int:
    """Store a Crossref work message (fetched, or a stored copy of one) for its work."""
    return store_record(
        db,
        doi or message["DOI"],
        record_from_message(message),
        authors_from_message(message),
        source,
        keys,
    )


def fetch_works(
    db: sqlite_utils.Database,
    dois: Iterable[str] | None = None,
    refresh: bool = False,
    settings: Settings | None = None,
    client: Crossref | None = None,
    progress: Progress | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_retry: Callable[[str], None] | None = None,
) -> FetchReport:
    """Fetch metadata for ``dois`` (added as works when new), or for every stored work
    still without metadata; with ``refresh``, fetch stored works again.

    :param progress: called with the number of DOIs settled as the run advances
    :param on_plan: called once with the number of DOIs that will be looked up
    :param on_retry: called with a line whenever a request waits to be tried again
    :raises IncompleteWork: Crossref or the resolver could not be reached at all
    """
    settings = settings or Settings.from_env()
    report = FetchReport()
    targets = _plan(db, dois, refresh, report)
    if on_plan:
        on_plan(len(targets))
    advance = progress or (lambda count: None)
    if not targets:
        return report
    run = _Run(db, report, advance, stored.NewCitekeys(db))
    if settings.offline:
        _fetch_from_bundle(run, targets)
        refresh_notices(db)
        return report
    client = client or Crossref(settings, on_retry=on_retry)
    try:
        unknown = _fetch_singles(run, client, _fetch_lists(run, client, targets))
        _negotiate(run, client, unknown)
    except Unreachable as error:
        raise IncompleteWork(_stopped(error, report)) from error
    finally:
        report.requests = client.counter.requests
        report.too_many_requests = client.counter.too_many
        refresh_notices(db)
    return report


def _stopped(error: ServiceError, report: FetchReport) -> str:
    kept = (
        f" ({len(report.fetched)} fetched before are stored)" if report.fetched else ""
    )
    return f"{error}{kept}"


def _plan(db, dois, refresh: bool, report: FetchReport) -> list[str]:
    if dois is None:
        targets = stored.dois_to_fetch(db, refresh)
        report.requested = list(targets)
        return targets
    wanted = list(dict.fromkeys(normalize_doi(doi) for doi in dois))
    report.requested = wanted
    stored.ensure_works(db, wanted)
    have = stored.dois_with_metadata(db, wanted)
    report.already_stored = [doi for doi in wanted if doi in have and not refresh]
    return [doi for doi in wanted if refresh or doi not in have]


@dataclass
class _Run:
    """What every step of one fetch shares: the database it stores in, the report it
    notes in, the progress it advances and the ring new citation keys come from."""

    db: sqlite_utils.Database
    report: FetchReport
    advance: Progress
    keys: stored.NewCitekeys

    def store(self, messages: dict[str, dict], source: str) -> None:
        """Store Crossref messages in one transaction and note them in the report."""
        with self.db.atomic():
            for doi, message in messages.items():
                store_crossref_message(self.db, message, source, doi, self.keys)
        self.report.fetched.extend(messages)
        self.report.sources.update(dict.fromkeys(messages, source))

    def store_item(self, doi: str, item: dict[str, Any], agency: str) -> None:
        """Store the CSL item a registration agency answered for ``doi``."""
        with self.db.atomic():
            store_record(
                self.db,
                doi,
                record_from_csl(item),
                authors_from_csl(item),
                agency,
                self.keys,
            )
        self.report.fetched.append(doi)
        self.report.sources[doi] = agency

    def not_found(self, doi: str) -> None:
        with self.db.atomic():
            stored.record_fetch_failure(self.db, doi, "not_found", NOT_ANYWHERE)
        self.report.not_found.append(doi)

    def fail(self, doi: str, reason: str) -> None:
        with self.db.atomic():
            stored.record_fetch_failure(self.db, doi, "error", reason)
        self.report.failed.append(doi)
        self.report.errors[doi] = reason


def _fetch_from_bundle(run: _Run, targets: list[str]) -> None:
    for doi in targets:
        message = bundled_message(doi)
        if message is None:
            run.report.missing_offline.append(doi)
        else:
            run.store({doi: message}, BUNDLED)
        run.advance(1)


def _fetch_lists(run: _Run, client: Crossref, targets: list[str]) -> list[str]:
    """List requests for all targets; returns the DOIs the lists did not return."""
    chunks = client.chunks(targets)
    unlisted = [doi for doi in targets if not client.listable(doi)]
    for chunk, future in client.each("list", client.works, chunks):
        try:
            messages = future.result()
        except Unreachable:
            raise
        except ServiceError:
            unlisted.extend(chunk)  # looked up one by one instead
            continue
        returned = {doi: messages[doi] for doi in chunk if doi in messages}
        run.store(returned, "crossref")
        unlisted.extend(doi for doi in chunk if doi not in messages)
        run.advance(len(returned))
    return unlisted


def _fetch_singles(run: _Run, client: Crossref, dois: list[str]) -> list[str]:
    """One request per DOI; returns the DOIs Crossref does not know."""
    unknown = []
    for doi, future in client.each("single", client.work, dois):
        try:
            message = future.result()
        except Unreachable:
            raise
        except ServiceError as error:
            run.fail(doi, str(error))
        else:
            if message is None:
                unknown.append(doi)
                continue
            run.store({doi: message}, "crossref")
        run.advance(1)
    return unknown


def _negotiate(run: _Run, client: Crossref, dois: list[str]) -> None:
    """Content negotiation for the DOIs Crossref does not know."""
    for doi, future in client.each("negotiation", client.negotiate, dois):
        try:
            answer = future.result()
        except Unreachable:
            raise
        except ServiceError as error:
            run.fail(doi, f"content negotiation: {error}")
        else:
            if answer is None:
                run.not_found(doi)
            else:
                run.store_item(doi, *answer)
        run.advance(1)
