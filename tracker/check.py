"""``tracker check``: every problem with an article's claims and citations.

Citations are verified first (:func:`verify_citations`, by
:mod:`tracker.checks.verify`), then reported by kind:

``unresolved``   a reference without DOI (with the best candidate when there is one)
``not_found``    a DOI neither Crossref nor the DOI resolver knows
``fetch_error``  a DOI whose metadata could not be fetched
``minor`` / ``mismatch`` / ``wrong_work``  the reference disagrees with the record
``retracted`` / ``corrected`` / ``concern``  the work has been retracted, corrected or
                 given an expression of concern, as its record says
``unmatched_citation``  a citation in a claim that names no listed reference (a year
                 the list does not have: "(Smith 2016)" when it lists Smith 2020)
``no_evidence``  a claim linked to no work

``minor`` problems are reported but do not make the exit code 1.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import sqlite_utils

from . import __version__
from .checks.verify import FAILED_RESULTS, checks_summary, verify_reference
from .claims import require_article
from .processes import parallel_map
from .store import citations as stored_citations
from .store import problems as stored
from .store.notices import refresh_notices
from .text.parser import ParsedReference, parse_reference
from .vocabulary import DISAGREEING_VERDICTS, NOT_SERIOUS

#: Below this many citations to verify, worker processes cost more than they save.
PARALLEL_FROM = 2_000
#: Verdicts are stored this many at a time, as they come, rather than all held.
SAVED_TOGETHER = 1_000


def verify_citations(db: sqlite_utils.Database, article_id: int | None = None) -> int:
    """Verify every citation (of one article, or all) whose work has metadata; store
    the checks and verdicts; return how many were verified.

    A citation whose reference, parse, work record and authors are as they were when
    it was last verified, by this version of the tracker, keeps its verdict: what it
    was made from is kept as a digest beside it. Each reference is read from its
    stored parse; a parse made by another version of the parser is made again and
    stored. Citations alike in all of these are verified once (:func:`_given_to_each`).
    Many are verified on every core, the workers reading the stored parses while this
    process stores the verdicts that have come back.
    """
    work = [
        row
        for row in stored_citations.citations_to_verify(db, article_id)
        if row["verdict"] is None or _input_digest(row) != row["verified_input"]
    ]
    alike = [_made_from(row) for row in work]
    first_alike: dict[tuple, dict[str, Any]] = {}
    for row, made_from in zip(work, alike, strict=True):
        first_alike.setdefault(made_from, row)
    distinct = list(first_alike.values())
    if len(distinct) >= PARALLEL_FROM:
        verified = parallel_map(_verify, distinct, chunksize=250)
    else:
        verified = map(_verify, distinct)
    results = _given_to_each(work, alike, verified)
    with db.atomic():
        while batch := list(itertools.islice(results, SAVED_TOGETHER)):
            stored_citations.save_parses(
                db, {result[0]: parse for *result, parse in batch if parse}
            )
            stored_citations.save_verdicts(db, [result for *result, _ in batch])
    return len(work)


def _made_from(row: dict[str, Any]) -> tuple[str, ...]:
    """What a citation's verdict is made from (beside the tracker's version)."""
    return row["raw"], row["parsed"], row["work"], row["authors"]


def _given_to_each(
    work: list[dict[str, Any]], alike: list[tuple], verified: Iterator[tuple]
) -> Iterator[tuple]:
    """The result of each citation of ``work``, in its order, from ``verified``: the
    results of its distinct citations (``alike``, each citation's :func:`_made_from`)
    in the order each first appears.

    Citations alike in reference, parse, record and authors (the same reference to
    the same work in several articles, or in two versions of one) get the same verdict
    and checks, so each is made once. A result is held only until the last citation
    alike; the results are stored in citation order, as the rows lie on disk (stored
    in the order results came, 50,000 verdicts took half as long again)."""
    left = Counter(alike)
    held: dict[tuple, tuple] = {}
    for row, made_from in zip(work, alike, strict=True):
        result = held.get(made_from) or held.setdefault(made_from, next(verified))
        left[made_from] -= 1
        if not left[made_from]:
            del held[made_from]
        yield (row["citation_id"], *result[1:])


def _verify(row: dict[str, Any]) -> tuple:
    """(citation id, verdict, checks, digest of what they were made from, the parse
    as JSON when it had to be made again, else None) of one citation. The checks are
    plain tuples (field, cited, recorded, result): they cross from the workers four
    times faster so. A field that neither the reference nor the record gives has
    nothing to show and is not stored (nearly a third of the rows of bench_check's
    50,000 citations). The digest is made here, on a worker: a first check of 50,000
    citations spent 0.4 s making them in the command's process."""
    parsed, fresh = ParsedReference.from_dict(json.loads(row["parsed"] or "null")), None
    if parsed is None:
        parsed = parse_reference(row["raw"])
        fresh = parsed.stored()
        row = {**row, "parsed": fresh}
    work, authors = json.loads(row["work"]), json.loads(row["authors"])
    verdict, checks = verify_reference(row["raw"], parsed, work, authors)
    as_tuples = [
        (c.field, c.cited, c.recorded, c.result)
        for c in checks
        if c.cited is not None or c.recorded is not None
    ]
    return row["citation_id"], verdict, as_tuples, _input_digest(row), fresh


def _input_digest(row: dict[str, Any]) -> str:
    """A digest of everything a citation's verdict is made from: the tracker's
    version (its rules), the reference, its parse, the work's record and authors."""
    text = "\0".join(part or "" for part in (__version__, *_made_from(row)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def check(db: sqlite_utils.Database, article_id: int | None = None) -> dict[str, Any]:
    """Verify, then list the problems (of one article, or of everything).

    :raises NotFound: there is no article ``article_id``
    """
    if article_id is not None:
        require_article(db, article_id)
    verify_citations(db, article_id)
    refresh_notices(db)
    problems: list[dict[str, Any]] = []
    states = stored.citation_states(db, article_id)
    checks = stored_citations.checks_by_citation(
        db,
        [row["id"] for row in states if row["verdict"] in DISAGREEING_VERDICTS],
        FAILED_RESULTS,
    )
    for row in states:
        problems.extend(_citation_problems(db, row, checks.get(row["id"], [])))
    for row in stored.flagged_links(db, article_id):
        kind, detail = _notice_problem(row)
        problem = _problem(
            kind, row["article_id"], row["claim_id"], None, row["doi"], detail
        )
        problem["acknowledged"] = bool(row["acknowledged"])
        problems.append(problem)
    for row in stored.unmatched_citations(db, article_id):
        for detail in row["unmatched_citations"]:
            problems.append(
                _problem(
                    "unmatched_citation",
                    row["article_id"],
                    row["id"],
                    None,
                    None,
                    detail,
                )
            )
    for row in stored.claims_without_evidence(db, article_id):
        problems.append(
            _problem(
                "no_evidence",
                row["article_id"],
                row["id"],
                None,
                None,
                _shorten(row["text"]),
            )
        )
    return {
        "problems": problems,
        "pending": stored.pending_dois(db, article_id),
        "verified": stored.verified_count(db, article_id),
    }


def serious(report: dict[str, Any]) -> bool:
    """True when some problem should make ``check`` exit with 1: anything but minor
    slips and flags a reviewer has acknowledged."""
    return any(
        problem["kind"] not in NOT_SERIOUS and not problem.get("acknowledged")
        for problem in report["problems"]
    )


def _notice_problem(row: dict[str, Any]) -> tuple[str, str]:
    """The problem kind of a work's most serious notice, and its detail."""
    kind = "retracted" if row["kind"] in ("retracted", "withdrawn") else row["kind"]
    detail = f"{row['label'] or row['kind']} {row['notice_doi'] or ''} {row['notice_date'] or ''}"
    return kind, " ".join(detail.split())


def _citation_problems(
    db, row: dict[str, Any], checks: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    where = f"article {row['article_id']}, reference {row['position']}"

    def problem(kind: str, detail: str) -> dict[str, Any]:
        return _problem(
            kind, row["article_id"], None, row["id"], row["doi"], detail, where
        )

    if row["doi"] is None:
        candidate = stored_citations.best_candidate(db, row["id"])
        if candidate:
            hint = f"best candidate {candidate[0]} ({candidate[1]}, {candidate[2]})"
        else:
            hint = "run `tracker resolve`"
        return [problem("unresolved", f"no DOI ({hint}): {_shorten(row['raw'])}")]
    if row["fetch_status"] == "not_found":
        return [
            problem("not_found", "the DOI is unknown to Crossref and the DOI resolver")
        ]
    if row["fetch_status"] == "error":
        reason = row["fetch_error"] or "the metadata could not be fetched"
        return [problem("fetch_error", reason)]
    found = []
    if row["verdict"] in DISAGREEING_VERDICTS:
        found.append(problem(row["verdict"], checks_summary(checks)))
    if row["notice_kind"] and not row["linked"]:
        found.append(problem(*_notice_problem({**row, "kind": row["notice_kind"]})))
    return found


def _problem(
    kind, article_id, claim_id, citation_id, doi, detail, where=None
) -> dict[str, Any]:
    """A problem in the SPEC's shape, with ``where`` saying where it is, for people."""
    if where is None:
        where = f"claim {claim_id}" if claim_id else f"article {article_id}"
    return {
        "kind": kind,
        "article_id": article_id,
        "claim_id": claim_id,
        "citation_id": citation_id,
        "doi": doi,
        "detail": detail,
        "where": where,
    }


def _shorten(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."
