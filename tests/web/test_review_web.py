"""Reviewing in Datasette: permissions, the canned queries, the review views, safe
display. Requests go through Datasette's own client, with real CSRF tokens."""

import asyncio
import copy
import json
import re

import pytest

from tracker import claims
from tracker.fetch import store_crossref_message
from tracker.store.notices import refresh_notices
from tracker.web.serve import (
    datasette_app,
    datasette_metadata,
    password_hashes,
)

from ..helpers import recorded_work

CORRECTED = "10.1371/journal.pone.0033693"
ANIMAL = "10.1002/jor.1100150407"
REVIEW_PAGES = (
    "claims_without_evidence",
    "claims_on_flagged_works",
    "claims_with_weak_evidence",
    "failed_verifications",
    "article_summary",
    "review_log",
)
QUERIES = (
    "set_claim_status",
    "set_evidence_stance",
    "acknowledge_flag",
    "set_evidence_level",
)


@pytest.fixture
def review_db(db):
    """Two claims: one resting on a retracted work, one on an animal study, one bare."""
    retracted = copy.deepcopy(recorded_work(CORRECTED))
    retracted["updated-by"][0]["type"] = "retraction"
    retracted["title"] = ["Adipose <i>tissue</i> <script>alert('x')</script>"]
    store_crossref_message(db, retracted)
    store_crossref_message(db, recorded_work(ANIMAL))
    refresh_notices(db)
    claims.add_claim(
        db, "Fat tissue adapts to diet.", dois=[CORRECTED], stance="supports"
    )
    claims.add_claim(
        db, "Secretagogues restore muscle strength.", dois=[ANIMAL], stance="supports"
    )
    claims.add_claim(db, "A claim with nothing behind it.")
    db.execute(
        "insert into articles (id, title, text, sha256, ingested_at) values (1, 'A', 't', 'h', 'now')"
    )
    db.execute("update claims set article_id = 1")
    return db


@pytest.fixture
def ds(review_db, db_path):
    app = datasette_app(db_path)
    yield app


class Browser:
    """A reviewer (or nobody) talking to Datasette as a browser does."""

    def __init__(self, ds, actor=None):
        self.ds = ds
        self.cookies = {"ds_actor": ds.sign({"a": actor}, "actor")} if actor else {}

    def get(self, path):
        return asyncio.run(self.ds.client.get(path, cookies=self.cookies))

    def submit(self, query, **values):
        """Open the query's form, then post it with the form's CSRF token."""
        page = self.get(f"/tracker/{query}")
        if page.status_code != 200:
            return page, None
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
        cookies = {**self.cookies, "ds_csrftoken": page.cookies["ds_csrftoken"]}
        response = asyncio.run(
            self.ds.client.post(
                f"/tracker/{query}",
                data={**values, "csrftoken": token},
                cookies=cookies,
            )
        )
        message = response.cookies.get("ds_messages")
        return response, self.ds.unsign(message, "messages")[0][0] if message else None


def rows(db, sql, *params):
    return [tuple(row) for row in db.execute(sql, params).fetchall()]


@pytest.mark.parametrize("query", QUERIES)
def test_anonymous_users_browse_but_cannot_write(ds, review_db, query):
    anonymous = Browser(ds)
    assert anonymous.get("/tracker/claims").status_code == 200
    assert anonymous.get(f"/tracker/{query}").status_code == 403
    before = rows(review_db, "select status from claims") + rows(
        review_db, "select stance from evidence"
    )
    response = asyncio.run(
        ds.client.post(
            f"/tracker/{query}", data={"claim_id": "1", "status": "supported"}
        )
    )
    assert response.status_code == 403
    after = rows(review_db, "select status from claims") + rows(
        review_db, "select stance from evidence"
    )
    assert (
        after == before and review_db["review_log"].count == 2
    )  # the two links made above


def test_a_reviewer_records_a_verdict(ds, review_db):
    response, message = Browser(ds, {"id": "alice"}).submit(
        "set_claim_status",
        claim_id="2",
        status="partly_supported",
        note="Dogs, not people",
    )
    assert (
        response.status_code == 302
        and response.headers["location"] == "/tracker/review_log"
    )
    assert message == "Verdict recorded (see the review log)"
    assert rows(review_db, "select status, reviewed_by from claims where id = 2") == [
        ("partly_supported", "alice")
    ]
    assert rows(
        review_db,
        "select actor, entity_id, old_value, new_value, note from review_log where entity = 'claim'",
    ) == [("alice", 2, "unreviewed", "partly_supported", "Dogs, not people")]


@pytest.mark.parametrize(
    "values",
    [
        {"claim_id": "2", "status": "true"},
        {"claim_id": "99", "status": "supported"},
        {"claim_id": "", "status": "supported"},
    ],
)
def test_bad_verdicts_are_refused_with_a_message(ds, review_db, values):
    response, message = Browser(ds, {"id": "alice"}).submit(
        "set_claim_status", note="", **values
    )
    assert message.startswith("Not recorded: the claim must exist")
    assert rows(
        review_db, "select count(*) from claims where status != 'unreviewed'"
    ) == [(0,)]
    assert rows(review_db, "select count(*) from claims") == [(3,)]


def test_a_reviewer_judges_a_stance(ds, review_db):
    reviewer = Browser(ds, {"id": "bob"})
    _, message = reviewer.submit(
        "set_evidence_stance",
        evidence_id="2",
        stance="mentions",
        note="Animal model only",
    )
    assert message == "Stance recorded (see the review log)"
    assert rows(review_db, "select stance from evidence where id = 2") == [
        ("mentions",)
    ]
    _, refused = reviewer.submit(
        "set_evidence_stance", evidence_id="2", stance="agrees", note=""
    )
    assert refused.startswith("Not recorded")
    _, missing = reviewer.submit(
        "set_evidence_stance", evidence_id="42", stance="supports", note=""
    )
    assert missing.startswith("Not recorded") and review_db["evidence"].count == 2
    assert rows(
        review_db,
        "select actor, old_value, new_value from review_log where entity = 'evidence' and actor = 'bob'",
    ) == [("bob", "supports", "mentions")]


def test_a_reviewer_acknowledges_a_retraction(ds, review_db):
    reviewer = Browser(ds, {"id": "carol"})
    _, refused = reviewer.submit("acknowledge_flag", claim_id="2", work_id="2", note="")
    assert refused.startswith("Not recorded")
    _, message = reviewer.submit(
        "acknowledge_flag", claim_id="1", work_id="1", note="Cited as retracted"
    )
    assert message.startswith("Acknowledged")
    flagged = reviewer.get("/tracker/claims_on_flagged_works.json?_shape=array").json()
    assert [(r["claim_id"], r["flag"], r["acknowledged_by"]) for r in flagged] == [
        (1, "retracted", "carol")
    ]
    evidence = reviewer.get(
        "/tracker/claim_evidence.json?_shape=array&claim_id=1"
    ).json()
    assert (evidence[0]["flag"], evidence[0]["flag_status"]) == (
        "retracted",
        "acknowledged",
    )


def test_a_reviewer_overrides_a_level_with_a_reason(ds, review_db):
    reviewer = Browser(ds, {"id": "dave"})
    _, refused = reviewer.submit(
        "set_evidence_level", work_id="2", level="4", design="", reason=" "
    )
    assert refused.startswith("Not recorded")
    _, refused = reviewer.submit(
        "set_evidence_level", work_id="2", level="9", design="", reason="x"
    )
    assert refused.startswith("Not recorded")
    _, refused = reviewer.submit(
        "set_evidence_level", work_id="2", level="4", design="guesswork", reason="x"
    )
    assert refused.startswith("Not recorded")
    _, message = reviewer.submit(
        "set_evidence_level",
        work_id="2",
        level="4",
        design="case_report",
        reason="Small series",
    )
    assert message.startswith("Level recorded")
    assert rows(
        review_db,
        "select study_design, evidence_level, evidence_level_source from works where id = 2",
    ) == [("case_report", 4, "reviewer")]
    assert rows(
        review_db, "select actor, new_value, note from review_log where entity = 'work'"
    ) == [("dave", "case_report, level 4", "Small series")]


def test_review_views(ds, review_db):
    anonymous = Browser(ds)

    def view(name):
        response = anonymous.get(f"/tracker/{name}.json?_shape=array")
        assert response.status_code == 200, name
        return response.json()

    assert [r["claim_id"] for r in view("claims_without_evidence")] == [3]
    assert [(r["claim_id"], r["flag"]) for r in view("claims_on_flagged_works")] == [
        (1, "retracted")
    ]
    assert [
        (r["claim_id"], r["designs"]) for r in view("claims_with_weak_evidence")
    ] == [(1, "unknown"), (2, "animal_or_in_vitro")]
    assert view("failed_verifications") == []
    (summary,) = view("article_summary")
    assert (summary["claims"], summary["linked"], summary["reviewed"]) == (3, 2, 0)
    tables = datasette_metadata(ds.files[0])["databases"]["tracker"]["tables"]
    for name in REVIEW_PAGES:
        page = anonymous.get(f"/tracker/{name}")
        first_words = " ".join(tables[name]["description"].split()[:4])
        assert page.status_code == 200 and first_words in page.text, name


def test_titles_are_shown_safely(ds):
    page = Browser(ds).get("/tracker/works").text
    assert "<script>alert('x')</script>" not in page
    assert "Adipose <i>tissue</i>" in page
    evidence = Browser(ds).get("/tracker/claim_evidence").text
    assert "<script>alert" not in evidence


def test_every_canned_query_and_view_is_described(tmp_path):
    metadata = datasette_metadata(tmp_path / "tracker.db")
    database = metadata["databases"]["tracker"]
    for name in QUERIES:
        query = database["queries"][name]
        assert query["title"] and query["description"] and query["allow"] == {"id": "*"}
        assert query["write"] is True
    for view in REVIEW_PAGES:
        assert database["tables"][view]["description"]


def test_team_passwords_come_from_the_environment(ds, monkeypatch, tmp_path):
    from datasette_auth_passwords.utils import hash_password

    assert password_hashes({"TRACKER_PASSWORD_HASH_ALICE": "x", "OTHER": "y"}) == {
        "alice_password_hash": {"$env": "TRACKER_PASSWORD_HASH_ALICE"}
    }
    monkeypatch.setenv("TRACKER_PASSWORD_HASH_ERIN", hash_password("correct horse"))
    app = datasette_app(ds.files[0])
    login = asyncio.run(app.client.get("/-/login"))
    token = re.search(r'name="csrftoken" value="([^"]+)"', login.text).group(1)
    cookies = {"ds_csrftoken": login.cookies["ds_csrftoken"]}
    wrong = asyncio.run(
        app.client.post(
            "/-/login",
            data={"username": "erin", "password": "nope", "csrftoken": token},
            cookies=cookies,
        )
    )
    assert "ds_actor" not in wrong.cookies
    right = asyncio.run(
        app.client.post(
            "/-/login",
            data={"username": "erin", "password": "correct horse", "csrftoken": token},
            cookies=cookies,
        )
    )
    assert app.unsign(right.cookies["ds_actor"], "actor") == {"a": {"id": "erin"}}
    assert "correct horse" not in json.dumps(datasette_metadata(ds.files[0]))
