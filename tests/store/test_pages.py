"""What the review pages read: few queries, plain dicts."""

from tracker import claims
from tracker.store import pages

from ..helpers import BARRIER, FLAGGED, review_database


def test_the_overview_counts_claims_links_statuses_verdicts_and_flags(db):
    review_database(db)
    claims.add_claim(db, "A claim of nobody's article.")
    data = pages.overview(db)
    (article,) = data["articles"]
    assert (article["claims"], article["linked"], article["references"]) == (9, 6, 2)
    assert article["statuses"] == {
        "unreviewed": 8,
        "supported": 0,
        "partly_supported": 1,
        "unsupported": 0,
        "contradicted": 0,
    }
    assert article["verdicts"] == {"ok": 1, "minor": 1}
    assert article["flagged"] == {}  # the retracted work is evidence, not a reference
    assert data["hand_added_claims"] == 1
    assert data["claims_by_status"]["unreviewed"] == 9
    assert sum(data["evidence_by_level"].values()) == 7
    assert data["verdict_names"] == (
        "ok",
        "minor",
        "mismatch",
        "wrong_work",
        "unresolved",
        "unchecked",
    )


def test_an_article_with_its_claims_evidence_and_references(db):
    ids = review_database(db)
    page = pages.article(db, ids["article"])
    assert page["title"] == "What is Leaky Gut?"
    assert [c["id"] for c in page["claims"]][:8] == list(range(1, 9))
    assert (
        page["claims"][-1]["id"] == ids["hostile_claim"]
    )  # no place in the text: last
    six = page["claims"][5]
    assert [
        (e["doi"], e["stance"], e["reference"], e["verdict"]) for e in six["evidence"]
    ] == [
        (BARRIER, "cites", 1, "ok"),
        ("10.3390/nu10081016", "supports", 2, "minor"),
    ]
    assert six["evidence"][0]["authors"] == [
        "Di Tommaso N",
        "Gasbarrini A",
        "Ponziani FR",
    ]
    four = page["claims"][3]["evidence"][0]
    assert (four["doi"], four["integrity"], four["reference"]) == (
        FLAGGED,
        "retracted",
        None,
    )
    assert not four["acknowledged"]
    assert page["references_start"] == page["text"].index("Di Tommaso N, Gasbarrini")
    assert [r["position"] for r in page["references"]] == [1, 2]
    assert [c["field"] for c in page["references"][1]["checks"]] == ["authors"]
    assert pages.article(db, 99) is None


def test_a_work_with_every_claim_that_rests_on_it(db):
    review_database(db)
    work_id = db.execute("select id from works where doi = ?", [BARRIER]).fetchone()[0]
    page = pages.work(db, work_id)
    assert [a["family"] for a in page["authors"]] == [
        "Di Tommaso",
        "Gasbarrini",
        "Ponziani",
    ]
    assert [c["claim_id"] for c in page["claims"]] == [1, 2, 3, 6]
    assert page["notices"] == []
    assert pages.work(db, 9999) is None
