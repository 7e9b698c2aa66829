"""Verdicts, the review log, retractions and corrections, levels set by hand."""

import copy
import sqlite3

import pytest

from tracker import claims, review
from tracker.check import check, serious
from tracker.checks.integrity import notices
from tracker.errors import InvalidInput, NotFound
from tracker.fetch import store_crossref_message
from tracker.store.notices import refresh_notices
from tracker.store.works import ensure_work

from .helpers import recorded_work

CORRECTED = "10.1371/journal.pone.0033693"
NOTICE = "10.1371/journal.pone.0129989"  # a correction notice, with update-to


def log(db):
    return [
        dict(row)
        for row in db.query(
            "select actor, entity, entity_id, field, old_value, new_value, note from review_log order by id"
        )
    ]


def test_a_verdict_is_logged_with_who_and_why(db):
    claim = claims.add_claim(db, "Fibre feeds the gut microbiota.")
    review.review_claim(
        db, claim["id"], "supported", "Two cohort studies", actor="alice"
    )
    review.review_claim(db, claim["id"], "partly_supported", actor="bob")
    assert log(db) == [
        {
            "actor": "alice",
            "entity": "claim",
            "entity_id": 1,
            "field": "status",
            "old_value": "unreviewed",
            "new_value": "supported",
            "note": "Two cohort studies",
        },
        {
            "actor": "bob",
            "entity": "claim",
            "entity_id": 1,
            "field": "status",
            "old_value": "supported",
            "new_value": "partly_supported",
            "note": None,
        },
    ]


def test_every_path_is_logged_and_a_silent_writer_is_unknown(db):
    claims.add_claim(db, "A claim.", dois=["10.1000/a"], stance="supports")
    claims.link_evidence(db, 1, "10.1000/a", stance="contradicts", actor="carol")
    claims.edit_claim(db, 1, status="unsupported")
    db.execute(
        "update claims set status = 'contradicted' where id = 1"
    )  # a writer that names nobody
    claims.unlink_evidence(db, 1, "10.1000/a", actor="dave")
    entries = log(db)
    assert [(e["entity"], e["old_value"], e["new_value"]) for e in entries] == [
        ("evidence", None, "supports"),
        ("evidence", "supports", "contradicts"),
        ("claim", "unreviewed", "unsupported"),
        ("claim", "unsupported", "contradicted"),
        ("evidence", "contradicts", None),
    ]
    assert entries[1]["actor"] == "carol" and entries[2]["actor"].startswith("cli")
    assert entries[3]["actor"] == "unknown" and entries[4]["actor"] == "dave"


@pytest.mark.parametrize(
    "stamped_ago, actor", [("-2 seconds", "dave"), ("-1 minutes", "unknown")]
)
def test_an_unlink_keeps_its_reviewer_across_a_clock_tick(db, stamped_ago, actor):
    """The stamp and the delete are two statements; a second may pass between them."""
    claims.add_claim(db, "A claim.", dois=["10.1000/a"], stance="supports")
    with db.atomic():
        db.execute(
            "update evidence set reviewed_by = 'dave',"
            " reviewed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?) where claim_id = 1",
            [stamped_ago],
        )
        db.execute("delete from evidence where claim_id = 1")
    unlink = log(db)[-1]
    assert (unlink["old_value"], unlink["new_value"]) == ("supports", None)
    assert unlink["actor"] == actor


FORGED = (
    "(id, at, actor, entity, entity_id, field, old_value, new_value, note)"
    " values (1, '2020-01-01T00:00:00Z', 'mallory', 'claim', 1, 'status',"
    " 'unreviewed', 'contradicted', 'forged')"
)
REWRITES = [
    "update review_log set actor = 'mallory'",
    "update or replace review_log set actor = 'mallory'",
    "delete from review_log",
    "delete from review_log where id = 1",
    f"replace into review_log {FORGED}",
    f"insert or replace into review_log {FORGED}",
    f"insert or ignore into review_log {FORGED}",
    f"insert into review_log {FORGED} on conflict(id) do update set actor = 'mallory'",
    f"insert into review_log {FORGED} on conflict do nothing",
]


@pytest.mark.parametrize("statement", REWRITES, ids=lambda s: s.split(" (")[0][:40])
def test_the_log_cannot_be_rewritten(db, statement):
    claims.add_claim(db, "A claim.")
    review.review_claim(db, 1, "supported", actor="alice")
    before = log(db)
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        db.execute(statement)
    assert log(db) == before and before[0]["actor"] == "alice"


def test_the_log_grows_by_appending(db):
    claims.add_claim(db, "A claim.")
    review.review_claim(db, 1, "supported", actor="alice")
    db.execute(
        "insert into review_log (at, actor, entity, entity_id, field, new_value)"
        " values ('2026-01-01T00:00:00Z', 'bob', 'claim', 1, 'note', 'by hand')"
    )
    assert [entry["actor"] for entry in log(db)] == ["alice", "bob"]


def test_markers_from_ingestion_are_not_review_events(db):
    claim = claims.add_claim(db, "A claim.")
    work_id = ensure_work(db, "10.1000/a")
    db.execute(
        "insert into evidence (claim_id, work_id, stance, origin) values (?, ?, 'cites', 'marker')",
        [claim["id"], work_id],
    )
    assert log(db) == []


def test_bad_verdicts_are_refused(db):
    claims.add_claim(db, "A claim.")
    with pytest.raises(InvalidInput):
        review.review_claim(db, 1, "true")
    with pytest.raises(NotFound):
        review.review_claim(db, 9, "supported")
    assert log(db) == []


def test_notices_from_a_real_record():
    message = recorded_work(CORRECTED)
    (notice,) = notices(message["updated-by"])
    assert (notice.kind, notice.doi, notice.date) == (
        "corrected",
        "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda",
        "2012-05-08",
    )


def test_works_are_flagged_from_updated_by_and_from_update_to(db):
    store_crossref_message(db, recorded_work(CORRECTED))
    target = recorded_work(NOTICE)["update-to"][0]["DOI"]
    ensure_work(db, target)
    store_crossref_message(db, recorded_work(NOTICE))
    assert refresh_notices(db) == 2
    flagged = dict(
        db.execute(
            "select doi, integrity from works where integrity is not null"
        ).fetchall()
    )
    assert flagged == {CORRECTED: "corrected", target.lower(): "corrected"}
    notice = next(db.query("select * from work_notices where notice_doi = ?", [NOTICE]))
    assert notice["kind"] == "corrected"
    refresh_notices(db)
    assert db["work_notices"].count == 2  # refreshing adds nothing twice


def retracted(db):
    """The corrected record, with its notice turned into a retraction (no full real
    record of a retracted article could be found)."""
    message = copy.deepcopy(recorded_work(CORRECTED))
    message["updated-by"][0]["type"] = "retraction"
    message["updated-by"][0]["label"] = "Retraction"
    store_crossref_message(db, message)
    refresh_notices(db)


def test_claims_on_a_retracted_work_are_flagged_until_acknowledged(db):
    retracted(db)
    claims.add_claim(db, "Adipose tissue adapts.", dois=[CORRECTED], stance="supports")
    report = check(db)
    (problem,) = [p for p in report["problems"] if p["kind"] == "retracted"]
    assert (problem["claim_id"], problem["doi"], problem["acknowledged"]) == (
        1,
        CORRECTED,
        False,
    )
    assert serious(report)
    review.acknowledge(
        db, 1, CORRECTED, "Cited as an example of a retracted study", actor="alice"
    )
    again = check(db)
    (problem,) = [p for p in again["problems"] if p["kind"] == "retracted"]
    assert problem["acknowledged"] is True
    assert not serious(again)
    assert log(db)[-1] == {
        "actor": "alice",
        "entity": "claim",
        "entity_id": 1,
        "field": "acknowledged",
        "old_value": None,
        "new_value": "retracted",
        "note": "Cited as an example of a retracted study",
    }
    row = next(db.query("select flag, flag_status from claim_evidence"))
    assert row == {"flag": "retracted", "flag_status": "acknowledged"}


def test_an_acknowledged_correction_alarms_again_when_retracted(db):
    store_crossref_message(db, recorded_work(CORRECTED))
    refresh_notices(db)
    claims.add_claim(db, "Adipose tissue adapts.", dois=[CORRECTED], stance="supports")
    review.acknowledge(db, 1, CORRECTED, "The correction is minor")
    assert not serious(check(db))
    retracted(db)
    report = check(db)
    (problem,) = [p for p in report["problems"] if p["kind"] == "retracted"]
    assert problem["acknowledged"] is False and serious(report)
    row = next(db.query("select flag, flag_status from claim_evidence"))
    assert row == {"flag": "retracted", "flag_status": "open"}


def test_only_flagged_and_linked_works_can_be_acknowledged(db):
    store_crossref_message(db, recorded_work("10.1002/jor.1100150407"))
    claims.add_claim(db, "A claim.", dois=["10.1002/jor.1100150407"])
    with pytest.raises(InvalidInput, match="nothing|no retraction"):
        review.acknowledge(db, 1, "10.1002/jor.1100150407")
    retracted(db)
    with pytest.raises(NotFound, match="not linked"):
        review.acknowledge(db, 1, CORRECTED)


def test_designs_are_inferred_and_a_reviewer_can_override_them(db):
    store_crossref_message(db, recorded_work("10.1002/jor.1100150407"))
    work = next(db.query("select * from works"))
    assert (
        work["study_design"],
        work["evidence_level"],
        work["evidence_level_source"],
    ) == (
        "animal_or_in_vitro",
        5,
        "inferred",
    )
    assert work["study_design_reason"].startswith("abstract:")
    with pytest.raises(InvalidInput, match="reason"):
        review.set_evidence_level(db, "10.1002/jor.1100150407", 2, " ")
    result = review.set_evidence_level(
        db, "10.1002/jor.1100150407", 4, "Dogs, not humans: downgraded", actor="erin"
    )
    assert result["evidence_level"] == 4
    store_crossref_message(
        db, recorded_work("10.1002/jor.1100150407")
    )  # a refresh keeps the reviewer's level
    assert db.execute("select evidence_level from works").fetchone()[0] == 4
    assert (
        log(db)[-1]["actor"] == "erin"
        and log(db)[-1]["new_value"] == "animal_or_in_vitro, level 4"
    )
    with pytest.raises(sqlite3.IntegrityError, match="reason"):
        db.execute(
            "update works set evidence_level_source = 'reviewer', evidence_level_reason = null"
        )


def test_cli_review(tracker):
    tracker("claim", "add", "A claim.", "--doi", "10.1000/a")
    reviewed = tracker.json(
        "claim", "review", "1", "--status", "supported", "--note", "Checked"
    )
    assert reviewed["status"] == "supported"
    assert tracker("claim", "review", "1", "--status", "maybe").exit_code == 2
    assert tracker("claim", "acknowledge", "1", "10.1000/a").exit_code == 2
    assert (
        tracker(
            "work", "level", "10.1000/a", "--level", "3", "--reason", "Cohort"
        ).exit_code
        == 0
    )
    assert (
        tracker("work", "level", "10.1000/a", "--level", "9", "--reason", "x").exit_code
        == 2
    )


def support(db, claim_id):
    (row,) = db.query(
        "select links, supporting_links, strongest_level from claim_support where claim_id = ?",
        [claim_id],
    )
    return row["links"], row["supporting_links"], row["strongest_level"]


def test_claim_support_follows_every_change(db):
    store_crossref_message(db, recorded_work(CORRECTED))
    claim = claims.add_claim(db, "Permeability rises with gliadin.")["id"]
    assert support(db, claim) == (0, 0, None)
    claims.link_evidence(db, claim, CORRECTED, stance="supports")
    level = next(
        db.query("select evidence_level from works where doi = ?", [CORRECTED])
    )["evidence_level"]
    assert support(db, claim) == (1, 1, level)
    claims.link_evidence(db, claim, "10.1000/no-metadata-yet", stance="mentions")
    assert support(db, claim) == (2, 1, level)
    review.set_evidence_level(
        db, CORRECTED, 2, "a randomised trial, read in full", actor="erin"
    )
    assert support(db, claim) == (2, 1, 2)
    claims.link_evidence(db, claim, CORRECTED, stance="contradicts")
    assert support(db, claim) == (2, 0, None)
    claims.unlink_evidence(db, claim, "10.1000/no-metadata-yet")
    assert support(db, claim) == (1, 0, None)
    claims.delete_claim(db, claim)
    assert db["claim_support"].count == 0


def test_claim_support_is_built_for_claims_made_before_it(db_path):
    import sqlite_utils

    from tracker.store import database, schema

    old = sqlite_utils.Database(db_path)
    for step in schema.UPGRADES[:4]:
        step(old)
    old.execute("PRAGMA user_version = 4")
    old.execute("insert into claims (id, text) values (1, 'Linked.'), (2, 'Alone.')")
    old.execute(
        "insert into works (id, doi, fetch_status) values (1, '10.1000/a', 'pending')"
    )
    old.execute(
        "insert into evidence (claim_id, work_id, stance) values (1, 1, 'supports')"
    )
    old.conn.commit()
    old.close()
    db = database.open_database(db_path)
    assert support(db, 1) == (1, 1, None) and support(db, 2) == (0, 0, None)
    assert [
        row["claim_id"]
        for row in db.query("select claim_id from claims_without_evidence")
    ] == [2]
    assert [
        row["claim_id"]
        for row in db.query("select claim_id from claims_with_weak_evidence")
    ] == [1]


def test_a_stance_is_judged_by_link_id_and_logged(db):
    claims.add_claim(db, "A claim.", dois=["10.1000/a"])
    evidence_id = db.execute("select id from evidence").fetchone()[0]
    link = review.set_evidence_stance(db, evidence_id, "contradicts", "Says no", "dana")
    assert (link["stance"], link["reviewed_by"]) == ("contradicts", "dana")
    assert log(db)[-1] == {
        "actor": "dana",
        "entity": "evidence",
        "entity_id": evidence_id,
        "field": "stance",
        "old_value": "cites",
        "new_value": "contradicts",
        "note": "Says no",
    }
    with pytest.raises(InvalidInput, match="unknown stance 'agrees'"):
        review.set_evidence_stance(db, evidence_id, "agrees")
    with pytest.raises(NotFound, match="no evidence link 99"):
        review.set_evidence_stance(db, 99, "supports")


def test_a_work_is_named_by_its_id_or_its_doi(db):
    store_crossref_message(db, recorded_work("10.1002/jor.1100150407"))
    work_id = db.execute("select id from works").fetchone()[0]
    by_id = review.set_evidence_level(db, work_id, None, "No level: dogs", actor="erin")
    assert (by_id["doi"], by_id["evidence_level"]) == ("10.1002/jor.1100150407", None)
    with pytest.raises(NotFound, match="no work 42"):
        review.set_evidence_level(db, 42, 3, "reason")
    retracted(db)
    claims.add_claim(db, "A claim.", dois=[CORRECTED])
    flagged = db.execute("select id from works where doi = ?", [CORRECTED]).fetchone()[
        0
    ]
    assert review.acknowledge(db, 1, flagged, "Knowingly")["kind"] == "retracted"
