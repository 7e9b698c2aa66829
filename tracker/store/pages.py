"""What the review pages show, read in few queries: the overview of every article,
one article with its claims, evidence and references, one work with every claim that
rests on it. Plain dicts and lists; the web package renders them."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import sqlite_utils

from ..text.names import short_name
from ..vocabulary import CLAIM_STATUSES, EVIDENCE_LEVELS, VERDICTS

_WORK_COLUMNS = """
    works.id as work_id, works.doi, works.title, works.container_title, works.year,
    works.type, works.study_design, works.study_design_reason, works.evidence_level,
    works.evidence_level_source, works.evidence_level_reason, works.integrity,
    works.fetch_status,
    exists (select 1 from authors where authors.work_id = works.id and authors.position > 3)
        as more_authors,
    (select group_concat(person, char(30)) from (
        select coalesce(family, '') || char(31) || coalesce(given, '') || char(31)
            || coalesce(name, '') as person
        from authors where authors.work_id = works.id and authors.position <= 3
        order by authors.position)) as first_authors
"""
#: (The first three authors of a work travel packed in one column, people apart by
#: char(30), family, given and name by char(31): one query for a page of thousands.)


def _rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict[str, Any]]:
    """Rows as dicts, straight from the cursor (an article page reads thousands)."""
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _by_citation(
    db: sqlite_utils.Database, sql: str, article_id: int
) -> dict[int, list[dict[str, Any]]]:
    """The rows of ``sql`` (about an article's citations) grouped by ``citation_id``."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in _rows(db, sql, [article_id]):
        grouped.setdefault(row["citation_id"], []).append(row)
    return grouped


def _first_authors(packed: str | None) -> list[str]:
    """The names :data:`_FIRST_AUTHORS` packs, as "Family GN" (Vancouver style) or an
    organisation's name."""
    if not packed:
        return []
    names = (short_name(*person.split("\x1f")) for person in packed.split("\x1e"))
    return [name for name in names if name]


def overview(db: sqlite_utils.Database) -> dict[str, Any]:
    """Every article with its counts, and the totals the charts draw."""
    articles = _rows(
        db,
        "select id, title, url, ingested_at from articles order by id",
    )
    status_counts: dict[int | None, Counter] = {}
    for row in db.query(
        "select article_id, status, count(*) as n from claims group by 1, 2"
    ):
        status_counts.setdefault(row["article_id"], Counter())[row["status"]] = row["n"]
    linked = {
        row["article_id"]: row["n"]
        for row in db.query(
            "select claims.article_id, count(*) as n from claims"
            " join claim_support on claim_support.claim_id = claims.id"
            " where claim_support.links > 0 group by 1"
        )
    }
    verdicts: dict[int, Counter] = {}
    for row in db.query(
        "select citations.article_id,"
        " case when works.doi is null then 'unresolved'"
        "      else coalesce(citations.verdict, 'unchecked') end as verdict,"
        " count(*) as n from citations join works on works.id = citations.work_id"
        " group by 1, 2"
    ):
        verdicts.setdefault(row["article_id"], Counter())[row["verdict"]] = row["n"]
    flagged: dict[int, Counter] = {}
    for row in db.query(
        "select citations.article_id, works.integrity, count(distinct works.id) as n"
        " from citations join works on works.id = citations.work_id"
        " where works.integrity is not null group by 1, 2"
    ):
        flagged.setdefault(row["article_id"], Counter())[row["integrity"]] = row["n"]
    for article in articles:
        statuses = status_counts.get(article["id"], Counter())
        article["claims"] = sum(statuses.values())
        article["linked"] = linked.get(article["id"], 0)
        article["statuses"] = {status: statuses[status] for status in CLAIM_STATUSES}
        article["verdicts"] = dict(verdicts.get(article["id"], Counter()))
        article["references"] = sum(article["verdicts"].values())
        article["flagged"] = dict(flagged.get(article["id"], Counter()))
    claims_by_status = Counter(
        {
            row["status"]: row["n"]
            for row in db.query("select status, count(*) as n from claims group by 1")
        }
    )
    evidence_by_level = Counter(
        {
            (row["level"] if row["level"] is not None else "none"): row["n"]
            for row in db.query(
                "select works.evidence_level as level, count(*) as n from evidence"
                " join works on works.id = evidence.work_id group by 1"
            )
        }
    )
    hand_added = status_counts.get(None, Counter())
    return {
        "articles": articles,
        "claims_by_status": {s: claims_by_status[s] for s in CLAIM_STATUSES},
        "evidence_by_level": {
            **{str(level): evidence_by_level[level] for level in EVIDENCE_LEVELS},
            "none": evidence_by_level["none"],
        },
        "hand_added_claims": sum(hand_added.values()),
        "verdict_names": (*VERDICTS, "unresolved", "unchecked"),
    }


def article(db: sqlite_utils.Database, article_id: int) -> dict[str, Any] | None:
    """One article: its text, its claims each with its evidence (work, stance, design,
    level, flag, acknowledgement, the verdict of the reference behind it) and its
    reference list with each entry's checks and candidates. None without it."""
    found = _rows(
        db,
        "select id, title, url, text, source, ingested_at, note from articles where id = ?",
        [article_id],
    )
    if not found:
        return None
    page = found[0]
    page["claims"] = _rows(
        db,
        "select claims.id, claims.text, claims.char_start, claims.char_end,"
        " claims.status, claims.review_note, claims.reviewed_by, claims.reviewed_at,"
        " claims.unmatched_citations from claims where article_id = ?"
        " order by coalesce(char_start, 1e18), id",
        [article_id],
    )
    evidence = _rows(
        db,
        "with cited as (select work_id, min(position) as position from citations"
        "  where article_id = :article group by work_id)"
        " select evidence.id as evidence_id, evidence.claim_id, evidence.stance,"
        f" evidence.note, evidence.quote, {_WORK_COLUMNS},"
        " acknowledgements.id is not null as acknowledged,"
        " citations.verdict as verdict, cited.position as reference"
        " from evidence join claims on claims.id = evidence.claim_id"
        " join works on works.id = evidence.work_id"
        " left join cited on cited.work_id = works.id"
        " left join citations on citations.article_id = :article"
        "  and citations.position = cited.position"
        " left join acknowledgements on acknowledgements.claim_id = evidence.claim_id"
        "  and acknowledgements.work_id = works.id"
        "  and acknowledgements.kind = works.integrity"
        " where claims.article_id = :article order by evidence.id",
        {"article": article_id},
    )
    page["references"] = _rows(
        db,
        f"select citations.id as citation_id, citations.position, citations.raw,"
        f" citations.char_start, citations.label, citations.verdict, citations.doi_source, {_WORK_COLUMNS}"
        " from citations join works on works.id = citations.work_id"
        " where citations.article_id = ? order by citations.position",
        [article_id],
    )
    starts = [
        r["char_start"] for r in page["references"] if r["char_start"] is not None
    ]
    page["references_start"] = min(starts, default=None)
    checks = _by_citation(
        db,
        "select * from citation_checks where citation_id in"
        " (select id from citations where article_id = ?)"
        " and result in ('minor', 'mismatch') order by citation_id, field",
        article_id,
    )
    candidates = _by_citation(
        db,
        "select citation_id, rank, doi, title, year, first_author, title_similarity,"
        " author_ok, year_ok from citation_candidates where citation_id in"
        " (select id from citations where article_id = ?) order by citation_id, rank",
        article_id,
    )
    by_claim: dict[int, list[dict[str, Any]]] = {}
    for item in evidence:
        item["authors"] = _first_authors(item.pop("first_authors"))
        by_claim.setdefault(item.pop("claim_id"), []).append(item)
    for claim in page["claims"]:
        claim["evidence"] = by_claim.get(claim["id"], [])
        claim["unmatched"] = json.loads(claim.pop("unmatched_citations") or "[]")
    for reference in page["references"]:
        reference["authors"] = _first_authors(reference.pop("first_authors"))
        reference["checks"] = checks.get(reference["citation_id"], [])
        reference["candidates"] = candidates.get(reference["citation_id"], [])
    return page


def work(db: sqlite_utils.Database, work_id: int) -> dict[str, Any] | None:
    """One work: its metadata, abstract, notices, design and level with the reason,
    and every claim in every article that rests on it. None without it."""
    found = _rows(
        db,
        f"select {_WORK_COLUMNS}, works.subtitle, works.abstract, works.publisher,"
        " works.volume, works.issue, works.page, works.issued, works.url, works.citekey"
        " from works where works.id = ?",
        [work_id],
    )
    if not found:
        return None
    page = found[0]
    page["authors"] = [
        dict(row)
        for row in db.query(
            "select position, family, given, name, orcid from authors where work_id = ?"
            " order by position",
            [work_id],
        )
    ]
    page["notices"] = _rows(
        db,
        "select kind, notice_doi, notice_date, label from work_notices where work_id = ?"
        " order by notice_date",
        [work_id],
    )
    page["claims"] = _rows(
        db,
        "select evidence.id as evidence_id, evidence.stance, evidence.note,"
        " claims.id as claim_id, claims.text, claims.status, claims.article_id,"
        " articles.title as article"
        " from evidence join claims on claims.id = evidence.claim_id"
        " left join articles on articles.id = claims.article_id"
        " where evidence.work_id = ? order by claims.article_id, claims.id",
        [work_id],
    )
    return page
