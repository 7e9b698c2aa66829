"""``tracker resolve``: find DOIs for cited references that have none.

Each reference is sent to Crossref's ``query.bibliographic``. Crossref's relevance
score is not a calibrated confidence (it grows with the length of the query), so a
candidate is accepted only when its title is close to the reference's, its first
author's surname is the reference's first author's, and its year is the reference's
year. Otherwise the best candidates are kept in ``citation_candidates`` for the user
to accept (``tracker citation accept``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from rapidfuzz import fuzz

from .crossref import Crossref
from .doi import normalize_doi
from .errors import NotFound, ServiceError
from .metadata import partial_date
from .references import ParsedReference, clean_reference, fold, parse_reference
from .settings import Settings
from .works import assign_doi, store_crossref_message

#: Title similarity (0-100) a candidate needs to be accepted.
TITLE_THRESHOLD = 90
CANDIDATES_KEPT = 3


@dataclass
class Candidate:
    doi: str
    title: str | None
    year: int | None
    first_author: str | None
    crossref_score: float | None
    title_similarity: float
    author_ok: bool
    year_ok: bool
    message: dict[str, Any]

    @property
    def accepted(self) -> bool:
        return (
            self.title_similarity >= TITLE_THRESHOLD and self.author_ok and self.year_ok
        )


def judge(raw: str, parsed: ParsedReference, message: dict[str, Any]) -> Candidate:
    """How well a Crossref record fits a reference."""
    title = " ".join(((message.get("title") or [None])[0] or "").split()) or None
    folded_title = fold(title or "")
    if parsed.title and folded_title:
        similarity = max(
            fuzz.ratio(fold(parsed.title), folded_title),
            fuzz.token_sort_ratio(fold(parsed.title), folded_title),
        )
    elif folded_title:
        similarity = fuzz.partial_ratio(folded_title, fold(clean_reference(raw)))
    else:
        similarity = 0.0
    people = [
        a for a in message.get("author") or [] if a.get("family") or a.get("name")
    ]
    first = (people[0].get("family") or people[0].get("name")) if people else None
    if parsed.authors and first:
        author_ok = (
            fold(parsed.authors[0].family).split()[-1:] == fold(first).split()[-1:]
        )
    else:
        author_ok = (
            bool(first) and f" {fold(first)} " in f" {fold(clean_reference(raw))} "
        )
    years = {
        int(date[:4])
        for key in ("issued", "published-print", "published-online")
        if (date := partial_date(message.get(key)))
    }
    year = min(years) if years else None
    return Candidate(
        doi=normalize_doi(message["DOI"]),
        title=title,
        year=year,
        first_author=first,
        crossref_score=message.get("score"),
        title_similarity=float(similarity),
        author_ok=author_ok,
        year_ok=parsed.year is not None and parsed.year in years,
        message=message,
    )


def resolve_citations(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    settings: Settings | None = None,
    client: Crossref | None = None,
) -> dict[str, Any]:
    """Look up DOIs for the citations without one; store matches and candidates."""
    settings = settings or Settings.from_env()
    rows = list(
        db.query(
            "select citations.id, citations.raw, citations.work_id from citations"
            " join works on works.id = citations.work_id"
            " where works.doi is null and (:article is null or citations.article_id = :article)"
            " order by citations.article_id, citations.position",
            {"article": article_id},
        )
    )
    report: dict[str, Any] = {
        "citations": len(rows),
        "matched": [],
        "unresolved": [],
        "failed": [],
    }
    if settings.offline:
        report["unresolved"] = [row["id"] for row in rows]
        report["offline"] = True
        report["requests"] = 0
        return report
    client = client or Crossref(settings)
    parsed = {row["id"]: parse_reference(row["raw"]) for row in rows}
    by_id = {row["id"]: row for row in rows}

    def lookup(citation_id: int) -> list[dict[str, Any]]:
        return client.bibliographic(query_for(by_id[citation_id]["raw"]))

    for citation_id, future in client.each("list", lookup, list(by_id)):
        try:
            messages = future.result()
        except ServiceError as error:
            report["failed"].append({"citation_id": citation_id, "error": str(error)})
            continue
        row = by_id[citation_id]
        candidates = [
            judge(row["raw"], parsed[citation_id], message) for message in messages
        ]
        candidates.sort(key=lambda c: (c.accepted, c.title_similarity), reverse=True)
        with db.atomic():
            _keep_candidates(db, citation_id, candidates[:CANDIDATES_KEPT])
            if candidates and candidates[0].accepted:
                best = candidates[0]
                _accept(
                    db,
                    citation_id,
                    best.doi,
                    "matched",
                    best.crossref_score,
                    best.message,
                )
                report["matched"].append(
                    {
                        "citation_id": citation_id,
                        "doi": best.doi,
                        "score": best.crossref_score,
                    }
                )
            else:
                report["unresolved"].append(citation_id)
    report["requests"] = client.counter.requests
    return report


def accept_candidate(
    db: sqlite_utils.Database, citation_id: int, doi: str
) -> dict[str, Any]:
    """Set a citation's DOI by hand (``doi_source`` ``manual``)."""
    row = db.execute(
        "select work_id from citations where id = ?", [citation_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"no citation with id {citation_id}")
    doi = normalize_doi(doi)
    message = _candidate_message(db, citation_id, doi)
    with db.atomic():
        work_id = _accept(db, citation_id, doi, "manual", None, message)
    return {
        "citation_id": citation_id,
        "doi": doi,
        "work_id": work_id,
        "metadata": bool(message),
    }


def query_for(raw: str) -> str:
    """The reference as Crossref should see it: one line, no web addresses."""
    text = clean_reference(raw)
    return " ".join(
        word
        for word in text.split()
        if "://" not in word and not word.startswith("www.")
    )


def _accept(db, citation_id, doi, source, score, message) -> int:
    work_id = db.execute(
        "select work_id from citations where id = ?", [citation_id]
    ).fetchone()[0]
    work_id = assign_doi(db, work_id, doi)
    db.execute(
        "update citations set work_id = ?, doi_source = ?, match_score = ? where id = ?",
        [work_id, source, score, citation_id],
    )
    if message:
        store_crossref_message(db, message, doi=doi)
    return work_id


def _keep_candidates(db, citation_id: int, candidates: list[Candidate]) -> None:
    db.execute("delete from citation_candidates where citation_id = ?", [citation_id])
    db["citation_candidates"].insert_all(
        {
            "citation_id": citation_id,
            "rank": rank,
            "doi": candidate.doi,
            "title": candidate.title,
            "year": candidate.year,
            "first_author": candidate.first_author,
            "crossref_score": candidate.crossref_score,
            "title_similarity": round(candidate.title_similarity, 1),
            "author_ok": int(candidate.author_ok),
            "year_ok": int(candidate.year_ok),
            "raw": json.dumps(candidate.message, ensure_ascii=False),
        }
        for rank, candidate in enumerate(candidates, start=1)
    )


def _candidate_message(db, citation_id: int, doi: str) -> dict[str, Any] | None:
    row = db.execute(
        "select raw from citation_candidates where citation_id = ? and doi = ?",
        [citation_id, doi],
    ).fetchone()
    return json.loads(row[0]) if row and row[0] else None
