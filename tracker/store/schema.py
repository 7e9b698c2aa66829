"""The schema, in one place: tables, indexes, triggers and views, as upgrade steps.

``PRAGMA user_version`` holds the number of upgrade steps applied; :data:`UPGRADES`
lists them in order, and :func:`migrate` runs the missing ones, each in its own
transaction, so a database written by any earlier version of the tracker is brought up
to date in place, and a database from a newer tracker is refused rather than damaged.
A step, once released, never changes: a new schema is a new step.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlite_utils

from ..errors import DatabaseError
from ..vocabulary import (
    CITEKEY_SOURCES,
    CLAIM_STATUSES,
    DOI_SOURCES,
    EVIDENCE_LEVELS,
    FETCH_STATUSES,
    FIELD_RESULTS,
    LEVEL_SOURCES,
    NOTICE_KINDS,
    STANCES,
    STUDY_DESIGNS,
    SUPPORTING_STANCES,
    VERDICTS,
)


def _sql_literal(value: str | int) -> str:
    """A constant of :mod:`tracker.vocabulary` in SQL (never user input)."""
    return str(value) if isinstance(value, int) else f"'{value}'"


def _sql_values(values) -> str:
    """Constants of :mod:`tracker.vocabulary` as an SQL list (never user input)."""
    return ", ".join(_sql_literal(value) for value in values)


def _one_of(expression: str, values) -> str:
    """``expression IN (values)``, written as comparisons joined by OR.

    In a trigger or a CHECK constraint SQLite builds an IN list's lookup table again
    each time it tests the condition, that is for every row written: storing the field
    checks of 50,000 citations (400,000 rows) took 4.4 s with ``result IN (...)`` and
    1.8 s with comparisons, and each vocabulary trigger cost twice what it does now.
    Queries and views keep IN, which SQLite builds once per statement."""
    return (
        "("
        + " OR ".join(f"{expression} = {_sql_literal(value)}" for value in values)
        + ")"
    )


def _none_of(expression: str, values) -> str:
    return f"NOT {_one_of(expression, values)}"


def _in_list(expression: str, values) -> str:
    """``expression IN (values)``, as the steps before :func:`_one_of` wrote it."""
    return f"{expression} IN ({_sql_values(values)})"


def _not_in_list(expression: str, values) -> str:
    return f"{expression} NOT IN ({_sql_values(values)})"


#: How a test that ``expression`` is (or is not) one of ``values`` is written:
#: :func:`_in_list` and :func:`_not_in_list` as the released steps wrote it,
#: :func:`_one_of` and :func:`_none_of` as the step after them does.
Membership = Callable[[str, tuple], str]


_SUPPORTING = _sql_values(SUPPORTING_STANCES)


def schema_version(db: sqlite_utils.Database) -> int:
    """The number of upgrade steps applied to ``db``."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the upgrade steps ``db`` lacks; return the resulting schema version."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"the database has schema version {version}, newer than this tracker "
            f"understands ({SCHEMA_VERSION}); upgrade the tracker"
        )
    if version < SCHEMA_VERSION and db.journal_mode != "wal":
        db.enable_wal()
    for number, step in enumerate(UPGRADES[version:], start=version + 1):
        with db.atomic():
            step(db)
            # PRAGMA takes no parameters; number is an int from enumerate().
            db.execute(f"PRAGMA user_version = {int(number)}")
    return SCHEMA_VERSION


# Upgrade steps ---------------------------------------------------------------------


def _vocabulary_triggers(
    table: str,
    column: str,
    allowed: tuple[str, ...],
    outside: Membership = _not_in_list,
) -> str:
    """Triggers that refuse values outside ``allowed``, whoever writes the row.

    SQLite cannot add CHECK constraints to an existing table, and sqlite-utils does
    not create them; triggers guard the web interface's writes as well as ours.
    ``outside`` writes the test: the released steps' IN list, or comparisons.
    """
    refused = outside(f'NEW."{column}"', allowed)
    message = _vocabulary_message(column, allowed)
    return "\n".join(
        f"""
        CREATE TRIGGER "{table}_{column}_valid_on_{event.split()[0].lower()}"
        BEFORE {event} ON "{table}"
        WHEN NEW."{column}" IS NOT NULL AND {refused}
        BEGIN SELECT RAISE(ABORT, '{message}'); END;
        """
        for event in ("INSERT", f'UPDATE OF "{column}"')
    )


def _vocabulary_message(column: str, allowed: tuple[str, ...]) -> str:
    """What a write of a value outside a column's vocabulary is refused with."""
    return f"{column} must be one of: {', '.join(allowed)}"


CLAIM_EVIDENCE_VIEW = """
CREATE VIEW claim_evidence AS
SELECT
    evidence.id AS evidence_id,
    claims.id AS claim_id,
    claims.text AS claim,
    claims.status AS claim_status,
    articles.id AS article_id,
    articles.title AS article,
    evidence.stance,
    evidence.note,
    evidence.quote,
    works.id AS work_id,
    works.title AS work_title,
    works.year,
    works.container_title AS journal,
    works.doi,
    CASE WHEN works.doi IS NOT NULL THEN 'https://doi.org/' || works.doi END AS doi_url
FROM evidence
JOIN claims ON claims.id = evidence.claim_id
JOIN works ON works.id = evidence.work_id
LEFT JOIN articles ON articles.id = claims.article_id
"""


def _create_initial_schema(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "title": str,
            "url": str,
            "text": str,
            "sha256": str,
            "ingested_at": str,
        },
        pk="id",
        not_null={"text", "sha256", "ingested_at"},
    )
    db["articles"].create_index(["sha256"], unique=True)
    db["claims"].create(
        {
            "id": int,
            "article_id": int,
            "text": str,
            "char_start": int,
            "char_end": int,
            "status": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"text", "status"},
        defaults={"status": "unreviewed"},
    )
    db["works"].create(
        {
            "id": int,
            "doi": str,
            "type": str,
            "title": str,
            "container_title": str,
            "year": int,
            "volume": str,
            "issue": str,
            "page": str,
            "publisher": str,
            "citekey": str,
            "fetched_at": str,
            "fetch_status": str,
            "raw": str,
            "created_at": str,
        },
        pk="id",
        not_null={"fetch_status"},
        defaults={"fetch_status": "pending"},
    )
    db["works"].create_index(["doi"], unique=True)
    db["works"].create_index(["citekey"], unique=True)
    db["authors"].create(
        {
            "work_id": int,
            "position": int,
            "given": str,
            "family": str,
            "name": str,
            "orcid": str,
        },
        pk=("work_id", "position"),
        foreign_keys=[("work_id", "works", "id")],
        not_null={"work_id", "position"},
    )
    db["evidence"].create(
        {
            "id": int,
            "claim_id": int,
            "work_id": int,
            "stance": str,
            "note": str,
            "quote": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id"), ("work_id", "works", "id")],
        not_null={"claim_id", "work_id", "stance"},
        defaults={"stance": "cites"},
    )
    db["evidence"].create_index(["claim_id", "work_id"], unique=True)
    db["citations"].create(
        {
            "id": int,
            "article_id": int,
            "position": int,
            "raw": str,
            "char_start": int,
            "char_end": int,
            "work_id": int,
            "doi_source": str,
            "match_score": float,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("work_id", "works", "id")],
        not_null={"article_id", "position", "raw", "work_id"},
    )
    db["citations"].create_index(["article_id", "position"], unique=True)
    db.index_foreign_keys()
    db["claims"].enable_fts(["text"], create_triggers=True, tokenize="porter")
    db["works"].enable_fts(["title"], create_triggers=True, tokenize="porter")
    db.executescript(
        "\n".join(
            [
                _vocabulary_triggers("claims", "status", CLAIM_STATUSES),
                _vocabulary_triggers("evidence", "stance", STANCES),
                _vocabulary_triggers("works", "fetch_status", FETCH_STATUSES),
                _vocabulary_triggers("citations", "doi_source", DOI_SOURCES),
            ]
        )
    )
    db.execute(CLAIM_EVIDENCE_VIEW)


#: Columns filled from fetched metadata, beyond the SPEC's. List columns hold JSON.
FETCHED_WORK_COLUMNS = {
    "subtitle": str,
    "short_container_title": str,
    "issued": str,
    "published_print": str,
    "published_online": str,
    "article_number": str,
    "publisher_location": str,
    "issn": str,
    "isbn": str,
    "abstract": str,
    "language": str,
    "license_url": str,
    "url": str,
    "references_count": int,
    "is_referenced_by_count": int,
    "subjects": str,
    "update_to": str,
    "updated_by": str,
    "relation": str,
    "editors": str,
    "metadata_source": str,
    "fetch_error": str,
}


def _add_columns(
    db: sqlite_utils.Database, table: str, columns: dict[str, type]
) -> None:
    for column, kind in columns.items():
        db[table].add_column(column, kind)


def _add_fetched_metadata_columns(db: sqlite_utils.Database) -> None:
    _add_columns(db, "works", FETCHED_WORK_COLUMNS)
    _add_columns(db, "authors", {"affiliation": str, "sequence": str})
    db["works"].create_index(["fetch_status"])


def _add_ingestion_and_verification(db: sqlite_utils.Database) -> None:
    _add_columns(db, "articles", {"format": str, "source": str, "note": str})
    _add_columns(
        db,
        "citations",
        {"label": str, "parsed": str, "verdict": str, "checked_at": str},
    )
    _add_columns(db, "evidence", {"origin": str, "marker": str})
    db["citation_checks"].create(
        {
            "citation_id": int,
            "field": str,
            "cited": str,
            "recorded": str,
            "result": str,
        },
        pk=("citation_id", "field"),
        foreign_keys=[("citation_id", "citations", "id")],
        not_null={"citation_id", "field", "result"},
    )
    db["citation_candidates"].create(
        {
            "citation_id": int,
            "rank": int,
            "doi": str,
            "title": str,
            "year": int,
            "first_author": str,
            "crossref_score": float,
            "title_similarity": float,
            "author_ok": int,
            "year_ok": int,
            "raw": str,
        },
        pk=("citation_id", "rank"),
        foreign_keys=[("citation_id", "citations", "id")],
        not_null={"citation_id", "rank", "doi"},
    )
    db.executescript(
        "\n".join(
            [
                _vocabulary_triggers("citations", "verdict", VERDICTS),
                _vocabulary_triggers("citation_checks", "result", FIELD_RESULTS),
            ]
        )
    )


def _add_bibliography_columns(db: sqlite_utils.Database) -> None:
    # The entry as an imported .bib file wrote it (JSON), exported unchanged until the
    # work's metadata is fetched; and where the citation key came from.
    _add_columns(
        db, "works", {"bibtex": str, "citekey_source": str, "institution": str}
    )
    db.executescript(_vocabulary_triggers("works", "citekey_source", CITEKEY_SOURCES))


#: The review log: who changed what, when, from what to what. Triggers write it, so no
#: path can skip it; other triggers refuse to change or delete its rows. A writer
#: names itself by setting reviewed_by, reviewed_at and review_note with the change; a
#: change that leaves all three as they were is logged with actor "unknown".
_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
_NAMED_NOBODY = (
    "NEW.reviewed_at IS OLD.reviewed_at AND NEW.reviewed_by IS OLD.reviewed_by"
)
_UPDATE_ACTOR = (
    f"CASE WHEN {_NAMED_NOBODY} AND NEW.review_note IS OLD.review_note THEN 'unknown'"
    " ELSE coalesce(NEW.reviewed_by, 'unknown') END"
)
_UPDATE_NOTE = f"CASE WHEN {_NAMED_NOBODY} THEN NULL ELSE NEW.review_note END"


def _log_trigger(name: str, event: str, when: str, values: str) -> str:
    """A trigger that appends one row to review_log; ``values`` in the log's column
    order: at, actor, entity, entity_id, field, old_value, new_value, note."""
    return f"""
    CREATE TRIGGER {name} {event}
    WHEN {when}
    BEGIN
        INSERT INTO review_log (at, actor, entity, entity_id, field, old_value, new_value, note)
        VALUES ({values});
    END
    """


def _log_update_trigger(
    name: str,
    event: str,
    when: str,
    entity: str,
    field: str,
    old: str,
    new: str,
    note: str,
) -> str:
    at = f"coalesce(NEW.reviewed_at, {_NOW})"
    return _log_trigger(
        name,
        event,
        when,
        f"{at}, {_UPDATE_ACTOR}, '{entity}', NEW.id, '{field}', {old}, {new}, {note}",
    )


def _evidence_level_trigger(outside: Membership) -> str:
    return f"""
    CREATE TRIGGER works_evidence_level_valid BEFORE UPDATE OF evidence_level ON works
    WHEN NEW.evidence_level IS NOT NULL AND {outside("NEW.evidence_level", EVIDENCE_LEVELS)}
    BEGIN SELECT RAISE(ABORT, 'evidence_level must be 1 to 5, or empty'); END
    """


REVIEW_LOG_TRIGGERS = [
    _log_update_trigger(
        "review_log_claim_status",
        "AFTER UPDATE OF status ON claims",
        "OLD.status IS NOT NEW.status",
        "claim",
        "status",
        "OLD.status",
        "NEW.status",
        _UPDATE_NOTE,
    ),
    _log_update_trigger(
        "review_log_evidence_stance",
        "AFTER UPDATE OF stance ON evidence",
        "OLD.stance IS NOT NEW.stance",
        "evidence",
        "stance",
        "OLD.stance",
        "NEW.stance",
        _UPDATE_NOTE,
    ),
    _log_trigger(
        "review_log_evidence_link",
        "AFTER INSERT ON evidence",
        "NEW.origin IS NOT 'marker'",
        f"coalesce(NEW.reviewed_at, {_NOW}), coalesce(NEW.reviewed_by, 'unknown'),"
        " 'evidence', NEW.id, 'stance', NULL, NEW.stance, NEW.review_note",
    ),
    _log_trigger(
        "review_log_evidence_unlink",
        "AFTER DELETE ON evidence",
        "1",
        f"{_NOW}, CASE WHEN OLD.reviewed_at = {_NOW} THEN coalesce(OLD.reviewed_by, 'unknown')"
        " ELSE 'unknown' END, 'evidence', OLD.id, 'stance', OLD.stance, NULL, NULL",
    ),
    _log_update_trigger(
        "review_log_evidence_level",
        "AFTER UPDATE OF evidence_level, study_design ON works",
        "(OLD.evidence_level IS NOT NEW.evidence_level OR OLD.study_design IS NOT NEW.study_design)"
        " AND NEW.evidence_level_source = 'reviewer'",
        "work",
        "evidence_level",
        "coalesce(OLD.study_design, 'unknown') || ', level ' || coalesce(OLD.evidence_level, 'none')",
        "coalesce(NEW.study_design, 'unknown') || ', level ' || coalesce(NEW.evidence_level, 'none')",
        "NEW.evidence_level_reason",
    ),
    _log_trigger(
        "review_log_acknowledgement",
        "AFTER INSERT ON acknowledgements",
        "1",
        "NEW.acknowledged_at, coalesce(NEW.acknowledged_by, 'unknown'), 'claim',"
        " NEW.claim_id, 'acknowledged', NULL, NEW.kind, NEW.note",
    ),
    """
    CREATE TRIGGER review_log_is_append_only_update BEFORE UPDATE ON review_log
    BEGIN SELECT RAISE(ABORT, 'the review log cannot be changed'); END
    """,
    """
    CREATE TRIGGER review_log_is_append_only_delete BEFORE DELETE ON review_log
    BEGIN SELECT RAISE(ABORT, 'the review log cannot be changed'); END
    """,
    """
    CREATE TRIGGER works_reviewer_level_needs_a_reason BEFORE UPDATE OF evidence_level_source ON works
    WHEN NEW.evidence_level_source = 'reviewer'
        AND trim(coalesce(NEW.evidence_level_reason, '')) = ''
    BEGIN SELECT RAISE(ABORT, 'a level set by a reviewer needs a reason'); END
    """,
    _evidence_level_trigger(_not_in_list),
]

#: The work and article columns are subqueries rather than joins: Datasette counts the
#: rows of every page it shows, and SQLite does not skip a join the count does not need,
#: so joining works made each count look up every linked work (0.7 s for 300,000 links).
#: Subqueries are evaluated only for the rows on the page. Claims stay joined so that
#: filtering by article or status can start from their indexes.
CLAIM_EVIDENCE_VIEW_2 = """
CREATE VIEW claim_evidence AS
SELECT
    evidence.id AS evidence_id,
    claims.id AS claim_id,
    claims.text AS claim,
    claims.status AS claim_status,
    evidence.stance,
    (SELECT title FROM works WHERE works.id = evidence.work_id) AS work_title,
    (SELECT year FROM works WHERE works.id = evidence.work_id) AS year,
    (SELECT container_title FROM works WHERE works.id = evidence.work_id) AS journal,
    (SELECT doi FROM works WHERE works.id = evidence.work_id) AS doi,
    (SELECT study_design FROM works WHERE works.id = evidence.work_id) AS study_design,
    (SELECT evidence_level FROM works WHERE works.id = evidence.work_id) AS evidence_level,
    (SELECT integrity FROM works WHERE works.id = evidence.work_id) AS flag,
    (SELECT CASE WHEN EXISTS (SELECT 1 FROM acknowledgements
                              WHERE acknowledgements.claim_id = evidence.claim_id
                              AND acknowledgements.work_id = evidence.work_id
                              AND acknowledgements.kind = works.integrity)
                 THEN 'acknowledged' ELSE 'open' END
     FROM works WHERE works.id = evidence.work_id AND works.integrity IS NOT NULL) AS flag_status,
    evidence.note,
    evidence.quote,
    claims.article_id,
    (SELECT title FROM articles WHERE articles.id = claims.article_id) AS article,
    evidence.work_id,
    (SELECT 'https://doi.org/' || doi FROM works WHERE works.id = evidence.work_id) AS doi_url
FROM evidence
JOIN claims ON claims.id = evidence.claim_id
"""


#: claim_support keeps, per claim, what the review views ask about every claim: how many
#: evidence links it has, how many support it, and the best evidence level among those.
#: Triggers keep it current on every path (CLI, browser, ingest), so the views read one
#: indexed row per claim instead of aggregating all the evidence on each page view.
def _recount_support(where: str, among: Membership = _in_list) -> str:
    """The statement that recounts claim_support for the claims ``where`` selects."""
    claim = "claim_support.claim_id"
    supporting = among("evidence.stance", SUPPORTING_STANCES)
    return f"""
    UPDATE claim_support SET
        links = (SELECT count(*) FROM evidence WHERE evidence.claim_id = {claim}),
        supporting_links = (SELECT count(*) FROM evidence WHERE evidence.claim_id = {claim}
                            AND {supporting}),
        strongest_level = (SELECT min(works.evidence_level) FROM evidence
                           JOIN works ON works.id = evidence.work_id
                           WHERE evidence.claim_id = {claim}
                           AND {supporting})
    WHERE {where};
    """


def _claim_support_triggers(among: Membership) -> list[str]:
    """The triggers that keep claim_support current; ``among`` writes their test of
    a supporting stance. (Their text is as the released steps wrote it.)"""
    return [
        """
    CREATE TRIGGER claim_support_new_claim AFTER INSERT ON claims
    BEGIN INSERT INTO claim_support (claim_id) VALUES (NEW.id); END
    """,
        """
    CREATE TRIGGER claim_support_deleted_claim BEFORE DELETE ON claims
    BEGIN DELETE FROM claim_support WHERE claim_id = OLD.id; END
    """,
        f"""
    CREATE TRIGGER claim_support_new_link AFTER INSERT ON evidence
    BEGIN {_recount_support("claim_support.claim_id = NEW.claim_id", among)} END
    """,
        f"""
    CREATE TRIGGER claim_support_deleted_link AFTER DELETE ON evidence
    BEGIN {_recount_support("claim_support.claim_id = OLD.claim_id", among)} END
    """,
        f"""
    CREATE TRIGGER claim_support_changed_link AFTER UPDATE OF claim_id, work_id, stance ON evidence
    BEGIN
        {_recount_support("claim_support.claim_id IN (OLD.claim_id, NEW.claim_id)", among)}
    END
    """,
        f"""
    CREATE TRIGGER claim_support_changed_level AFTER UPDATE OF evidence_level ON works
    WHEN OLD.evidence_level IS NOT NEW.evidence_level
    BEGIN
        {_recount_support(_LINKS_OF_THE_WORK, among)}
    END
    """,
    ]


_LINKS_OF_THE_WORK = (
    "claim_support.claim_id IN (SELECT claim_id FROM evidence WHERE work_id = NEW.id)"
)


#: Supported only by level-5 or unlevelled works. The same words make the view's WHERE
#: and a partial index, so SQLite counts the view from that index alone.
WEAK_SUPPORT = (
    "supporting_links > 0 AND (strongest_level IS NULL OR strongest_level >= 5)"
)

REVIEW_VIEWS = {
    "claims_without_evidence": """
        CREATE VIEW claims_without_evidence AS
        SELECT claim_support.claim_id,
               (SELECT text FROM claims WHERE claims.id = claim_support.claim_id) AS claim,
               (SELECT status FROM claims WHERE claims.id = claim_support.claim_id) AS status,
               (SELECT article_id FROM claims WHERE claims.id = claim_support.claim_id) AS article_id,
               (SELECT articles.title FROM claims JOIN articles ON articles.id = claims.article_id
                WHERE claims.id = claim_support.claim_id) AS article
        FROM claim_support
        WHERE claim_support.links = 0
    """,
    "claims_on_flagged_works": """
        CREATE VIEW claims_on_flagged_works AS
        SELECT evidence.claim_id,
               (SELECT text FROM claims WHERE claims.id = evidence.claim_id) AS claim,
               (SELECT status FROM claims WHERE claims.id = evidence.claim_id) AS status,
               (SELECT article_id FROM claims WHERE claims.id = evidence.claim_id) AS article_id,
               works.id AS work_id, works.title AS work_title, works.doi,
               works.integrity AS flag,
               (SELECT label FROM work_notices WHERE work_notices.work_id = works.id
                AND work_notices.kind = works.integrity
                ORDER BY notice_date DESC LIMIT 1) AS notice_label,
               (SELECT notice_doi FROM work_notices WHERE work_notices.work_id = works.id
                AND work_notices.kind = works.integrity
                ORDER BY notice_date DESC LIMIT 1) AS notice_doi,
               (SELECT notice_date FROM work_notices WHERE work_notices.work_id = works.id
                AND work_notices.kind = works.integrity
                ORDER BY notice_date DESC LIMIT 1) AS notice_date,
               (SELECT acknowledged_by FROM acknowledgements
                WHERE acknowledgements.claim_id = evidence.claim_id
                AND acknowledgements.work_id = works.id
                AND acknowledgements.kind = works.integrity) AS acknowledged_by,
               (SELECT note FROM acknowledgements
                WHERE acknowledgements.claim_id = evidence.claim_id
                AND acknowledgements.work_id = works.id
                AND acknowledgements.kind = works.integrity) AS acknowledgement
        FROM works CROSS JOIN evidence ON evidence.work_id = works.id
        WHERE works.integrity IS NOT NULL
    """,
    "claims_with_weak_evidence": f"""
        CREATE VIEW claims_with_weak_evidence AS
        SELECT claim_support.claim_id,
               (SELECT text FROM claims WHERE claims.id = claim_support.claim_id) AS claim,
               (SELECT status FROM claims WHERE claims.id = claim_support.claim_id) AS status,
               claim_support.supporting_links AS links,
               (SELECT group_concat(coalesce(works.study_design, 'unknown'), ', ')
                FROM evidence JOIN works ON works.id = evidence.work_id
                WHERE evidence.claim_id = claim_support.claim_id
                AND evidence.stance IN ({_SUPPORTING})) AS designs
        FROM claim_support
        WHERE """
    + WEAK_SUPPORT
    + """
    """,
    "failed_verifications": """
        CREATE VIEW failed_verifications AS
        SELECT citations.id AS citation_id, citations.article_id, citations.position,
               citations.verdict,
               (SELECT doi FROM works WHERE works.id = citations.work_id) AS doi,
               citations.raw AS reference,
               (SELECT group_concat(field || ': ' || coalesce(cited, '') || ' / '
                                    || coalesce(recorded, ''), '; ')
                FROM citation_checks WHERE citation_checks.citation_id = citations.id
                AND result IN ('minor', 'mismatch')) AS disagreements
        FROM citations
        WHERE citations.verdict IN ('minor', 'mismatch', 'wrong_work')
    """,
    "article_summary": """
        CREATE VIEW article_summary AS
        SELECT articles.id AS article_id, articles.title,
            (SELECT count(*) FROM claims WHERE claims.article_id = articles.id) AS claims,
            (SELECT count(*) FROM claims JOIN claim_support ON claim_support.claim_id = claims.id
                WHERE claims.article_id = articles.id AND claim_support.links > 0) AS linked,
            (SELECT count(*) FROM claims WHERE claims.article_id = articles.id
                AND claims.status != 'unreviewed') AS reviewed,
            (SELECT count(*) FROM citations WHERE citations.article_id = articles.id) AS references_listed,
            (SELECT count(*) FROM citations WHERE citations.article_id = articles.id
                AND citations.verdict IN ('mismatch', 'wrong_work')) AS reference_problems,
            (SELECT count(*) FROM citations JOIN works ON works.id = citations.work_id
                WHERE citations.article_id = articles.id AND works.integrity IS NOT NULL) AS flagged_works
        FROM articles
    """,
}


def _add_review(db: sqlite_utils.Database) -> None:
    for table in ("claims", "evidence", "works"):
        _add_columns(
            db, table, {"reviewed_by": str, "reviewed_at": str, "review_note": str}
        )
    _add_columns(
        db,
        "works",
        {
            "study_design": str,
            "study_design_reason": str,
            "evidence_level": int,
            "evidence_level_source": str,
            "evidence_level_reason": str,
            "integrity": str,
        },
    )
    db["review_log"].create(
        {
            "id": int,
            "at": str,
            "actor": str,
            "entity": str,
            "entity_id": int,
            "field": str,
            "old_value": str,
            "new_value": str,
            "note": str,
        },
        pk="id",
        not_null={"at", "actor", "entity", "entity_id", "field"},
    )
    db["work_notices"].create(
        {
            "id": int,
            "work_id": int,
            "kind": str,
            "notice_doi": str,
            "notice_date": str,
            "label": str,
            "source": str,
        },
        pk="id",
        foreign_keys=[("work_id", "works", "id")],
        not_null={"work_id", "kind"},
    )
    db["work_notices"].create_index(["work_id", "kind", "notice_doi"], unique=True)
    db["acknowledgements"].create(
        {
            "id": int,
            "claim_id": int,
            "work_id": int,
            "kind": str,
            "note": str,
            "acknowledged_by": str,
            "acknowledged_at": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id"), ("work_id", "works", "id")],
        not_null={"claim_id", "work_id", "kind", "acknowledged_at"},
    )
    db["acknowledgements"].create_index(["claim_id", "work_id", "kind"], unique=True)
    db.index_foreign_keys()
    for table, column in (
        ("review_log", "entity_id"),
        ("works", "integrity"),
        ("works", "evidence_level"),
        ("evidence", "stance"),
        ("claims", "status"),
        ("citations", "verdict"),
    ):
        db[table].create_index([column], if_not_exists=True)
    db.executescript(
        "\n".join(
            [
                _vocabulary_triggers("works", "study_design", STUDY_DESIGNS),
                _vocabulary_triggers("works", "integrity", NOTICE_KINDS),
                _vocabulary_triggers("work_notices", "kind", NOTICE_KINDS),
                _vocabulary_triggers("acknowledgements", "kind", NOTICE_KINDS),
                _vocabulary_triggers("works", "evidence_level_source", LEVEL_SOURCES),
            ]
        )
    )
    for trigger in REVIEW_LOG_TRIGGERS:
        db.execute(trigger)
    db["claim_support"].create(
        {
            "claim_id": int,
            "links": int,
            "supporting_links": int,
            "strongest_level": int,
        },
        pk="claim_id",
        foreign_keys=[("claim_id", "claims", "id")],
        not_null={"links", "supporting_links"},
        defaults={"links": 0, "supporting_links": 0},
    )
    db["claim_support"].create_index(["links"])
    db.execute(
        "CREATE INDEX idx_claim_support_weak ON claim_support (claim_id) "
        f"WHERE {WEAK_SUPPORT}"
    )
    db["claims"].create_index(["article_id", "status"])
    db.execute("INSERT INTO claim_support (claim_id) SELECT id FROM claims")
    db.execute(_recount_support("1"))
    for trigger in _claim_support_triggers(_in_list):
        db.execute(trigger)
    db.execute("DROP VIEW claim_evidence")
    db.execute(CLAIM_EVIDENCE_VIEW_2)
    for view in REVIEW_VIEWS.values():
        db.execute(view)


def _add_unmatched_citations(db: sqlite_utils.Database) -> None:
    # Citations in a claim that name no listed reference (JSON list of what each
    # says and what the list has instead), for `tracker check`.
    _add_columns(db, "claims", {"unmatched_citations": str})


def _seal_review_log(db: sqlite_utils.Database) -> None:
    """REPLACE deletes the row it replaces without firing delete triggers (SQLite
    fires them only with recursive_triggers on, which no other client sets): refuse
    any insert that reuses an id, whatever the statement (REPLACE, INSERT OR REPLACE,
    INSERT OR IGNORE, an upsert)."""
    db.execute(
        """
        CREATE TRIGGER review_log_ids_are_never_reused BEFORE INSERT ON review_log
        WHEN EXISTS (SELECT 1 FROM review_log WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'the review log cannot be changed'); END
        """
    )


def _speed_up_review_pages(db: sqlite_utils.Database) -> None:
    """Two plans that grew with the database (measured at 300,000 links, bench_review):

    - counting claim_evidence by stance (a facet, a stance filter) joins each link to
      its claim: with the claim beside the stance in one index the count reads that
      index alone instead of every evidence row (231 -> 71 ms). It replaces the index
      on stance alone, its prefix;
    - claims_on_flagged_works starts from the flagged works (CROSS JOIN keeps SQLite to
      that order): without statistics, which a tracker database never gathers, SQLite
      walked every link to find the 1 in 100 on a flagged work (92 -> 3 ms to count).
    """
    db.execute("DROP INDEX IF EXISTS idx_evidence_stance")
    db["evidence"].create_index(["stance", "claim_id"], if_not_exists=True)
    db.execute("DROP VIEW IF EXISTS claims_on_flagged_works")
    db.execute(REVIEW_VIEWS["claims_on_flagged_works"])


def _remember_what_verdicts_were_made_from(db: sqlite_utils.Database) -> None:
    # A digest of a citation's reference, parse, work record and authors and of the
    # tracker's version when it was verified: `tracker check` verifies again only the
    # citations whose digest has changed.
    _add_columns(db, "citations", {"verified_input": str})


def _full_text_follows_only_its_columns(db: sqlite_utils.Database) -> None:
    """sqlite-utils' update triggers re-index a row's text on every update of the row:
    storing 20,000 citation keys re-indexed 20,000 titles (2.3 of 3.7 s), and each
    verdict on a claim its text. Re-index when the text (or the row's id) changes."""
    for table, column in (("claims", "text"), ("works", "title")):
        db.execute(f'DROP TRIGGER IF EXISTS "{table}_au"')
        db.execute(
            f"""
            CREATE TRIGGER "{table}_au" AFTER UPDATE OF "{column}", id ON "{table}"
            BEGIN
              INSERT INTO "{table}_fts" ("{table}_fts", rowid, "{column}")
              VALUES ('delete', old.rowid, old."{column}");
              INSERT INTO "{table}_fts" (rowid, "{column}") VALUES (new.rowid, new."{column}");
            END
            """
        )


def _check_results_with_a_constraint(db: sqlite_utils.Database) -> None:
    """citation_checks takes about eight rows per verified citation, and a trigger runs
    as a program of its own for each row: the vocabulary triggers were 2.7 of 4.5 s
    of storing the checks of 50,000 citations (bench_check). A CHECK constraint does
    the same work inline."""
    _rebuild_citation_checks(db, _in_list)


def _rebuild_citation_checks(db: sqlite_utils.Database, among: Membership) -> None:
    """Build citation_checks anew, with its rows, under the constraint written now:
    SQLite changes a CHECK constraint only so. The index on citation_id goes with the
    old table, since the primary key starts with that column. The view that reads the
    table is made again, as renaming a table checks every view."""
    message = _vocabulary_message("result", FIELD_RESULTS)
    db.execute("DROP VIEW failed_verifications")
    db.execute(
        f"""
        CREATE TABLE citation_checks_rebuilt (
            citation_id INTEGER NOT NULL REFERENCES citations(id),
            field TEXT NOT NULL,
            cited TEXT,
            recorded TEXT,
            result TEXT NOT NULL CONSTRAINT "{message}" CHECK ({among("result", FIELD_RESULTS)}),
            PRIMARY KEY (citation_id, field)
        )
        """
    )
    columns = "citation_id, field, cited, recorded, result"
    db.execute(
        f"INSERT INTO citation_checks_rebuilt ({columns}) SELECT {columns} FROM citation_checks"
    )
    db.execute("DROP TABLE citation_checks")
    db.execute("ALTER TABLE citation_checks_rebuilt RENAME TO citation_checks")
    db.execute(REVIEW_VIEWS["failed_verifications"])


#: Every column held to a vocabulary by triggers (citation_checks.result is held by a
#: CHECK constraint).
VOCABULARY_COLUMNS = (
    ("claims", "status", CLAIM_STATUSES),
    ("evidence", "stance", STANCES),
    ("works", "fetch_status", FETCH_STATUSES),
    ("citations", "doi_source", DOI_SOURCES),
    ("citations", "verdict", VERDICTS),
    ("works", "citekey_source", CITEKEY_SOURCES),
    ("works", "study_design", STUDY_DESIGNS),
    ("works", "integrity", NOTICE_KINDS),
    ("work_notices", "kind", NOTICE_KINDS),
    ("acknowledgements", "kind", NOTICE_KINDS),
    ("works", "evidence_level_source", LEVEL_SOURCES),
)

_TRIGGER_NAME = re.compile(r"CREATE TRIGGER\s+\"?(\w+)")


def _vocabularies_tested_by_comparison(db: sqlite_utils.Database) -> None:
    """Every trigger and constraint that tested a value against a list of constants
    with IN, written again with comparisons (:func:`_one_of`): a row written to
    works paid for five IN lists, a link to evidence for three."""
    for table, column, allowed in VOCABULARY_COLUMNS:
        for event in ("insert", "update"):
            db.execute(f'DROP TRIGGER IF EXISTS "{table}_{column}_valid_on_{event}"')
        db.executescript(_vocabulary_triggers(table, column, allowed, _none_of))
    for trigger in [
        _evidence_level_trigger(_none_of),
        *_claim_support_triggers(_one_of),
    ]:
        name = _TRIGGER_NAME.search(trigger)[1]
        db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        db.execute(trigger)
    _rebuild_citation_checks(db, _one_of)


#: How long after a reviewer's stamp a deletion is still theirs. The stamp and the
#: delete are two statements: a clock tick between them must not lose the name.
_UNLINK_STAMP_WINDOW = "-5 seconds"


def _unlinks_credited_across_a_clock_tick(db: sqlite_utils.Database) -> None:
    """The unlink log names the reviewer who stamped the row within the last few
    seconds, not only in the same second (which a tick between the stamp and the
    delete defeated)."""
    db.execute('DROP TRIGGER IF EXISTS "review_log_evidence_unlink"')
    db.execute(
        _log_trigger(
            "review_log_evidence_unlink",
            "AFTER DELETE ON evidence",
            "1",
            f"{_NOW}, CASE WHEN OLD.reviewed_at >= strftime('%Y-%m-%dT%H:%M:%SZ',"
            f" 'now', '{_UNLINK_STAMP_WINDOW}') THEN coalesce(OLD.reviewed_by, 'unknown')"
            " ELSE 'unknown' END, 'evidence', OLD.id, 'stance', OLD.stance, NULL, NULL",
        )
    )


def _checks_only_of_fields_given(db: sqlite_utils.Database) -> None:
    """Verification no longer stores a check of a field that neither the reference
    nor the record gives; such rows stored before go too."""
    db.execute("DELETE FROM citation_checks WHERE cited IS NULL AND recorded IS NULL")


def redundant_indexes(db: sqlite_utils.Database) -> list[str]:
    """Indexes that another index of their table (or its primary key) begins with
    the same columns as: each only costs writes, as every lookup it serves the longer
    one serves too. Unique and partial indexes are never taken for redundant, nor
    does a partial index stand in for a whole one."""
    redundant = []
    for table in db.table_names():
        indexes = {
            row[1]: (bool(row[2]), row[3], bool(row[4]))
            for row in db.execute("SELECT * FROM pragma_index_list(?)", [table])
        }
        columns = {
            name: [
                row[0]
                for row in db.execute(
                    "SELECT name FROM pragma_index_info(?) ORDER BY seqno", [name]
                )
            ]
            for name in indexes
        }
        for name, (unique, origin, partial) in indexes.items():
            if unique or partial or origin != "c":
                continue
            mine = columns[name]
            if any(
                other != name
                and not indexes[other][2]
                and len(columns[other]) > len(mine)
                and columns[other][: len(mine)] == mine
                for other in indexes
            ):
                redundant.append(name)
    return redundant


#: The tracker's indexes that a longer index (or the primary key) begins with, as
#: :func:`redundant_indexes` found them in a database made by the steps before.
_INDEXES_ANOTHER_BEGINS = (
    "idx_authors_work_id",
    "idx_claims_article_id",
    "idx_evidence_claim_id",
    "idx_citations_article_id",
    "idx_citation_candidates_citation_id",
    "idx_acknowledgements_claim_id",
    "idx_work_notices_work_id",
)


def _no_index_another_begins(db: sqlite_utils.Database) -> None:
    """Indexes made before a longer one that begins with them (the authors' on
    work_id, the claims' on article_id, and others) cost every insert a B-tree
    more: a BibTeX import of 20,000 entries takes 0.9x the time without them. The
    step drops the tracker's own by name, so that an index someone added to their
    database is left to them."""
    for name in _INDEXES_ANOTHER_BEGINS:
        db.execute(f'DROP INDEX IF EXISTS "{name}"')


UPGRADES: list[Callable[[sqlite_utils.Database], None]] = [
    _create_initial_schema,
    _add_fetched_metadata_columns,
    _add_ingestion_and_verification,
    _add_bibliography_columns,
    _add_review,
    _add_unmatched_citations,
    _seal_review_log,
    _speed_up_review_pages,
    _remember_what_verdicts_were_made_from,
    _full_text_follows_only_its_columns,
    _check_results_with_a_constraint,
    _vocabularies_tested_by_comparison,
    _unlinks_credited_across_a_clock_tick,
    _checks_only_of_fields_given,
    _no_index_another_begins,
]
SCHEMA_VERSION = len(UPGRADES)
