import pytest

from tracker import claims
from tracker.errors import InvalidDOI, InvalidInput, NotFound

BARRIER = "10.3390/ijerph182312836"
RETINOIC = "10.3390/nu10081016"
CLAIM = "Under normal and healthy circumstances, the intestinal lining is selectively permeable."


def counts(db):
    return {table: db[table].count for table in ("claims", "works", "evidence")}


def test_add_claim_with_evidence_creates_pending_works(db):
    claim = claims.add_claim(
        db,
        f"  {CLAIM}\n",
        dois=[f"https://doi.org/{BARRIER.upper()}", RETINOIC],
        stance="supports",
        note="Review",
    )
    assert claim["text"] == CLAIM
    assert claim["status"] == "unreviewed" and claim["article_id"] is None
    assert [item["doi"] for item in claim["evidence"]] == [BARRIER, RETINOIC]
    assert {item["stance"] for item in claim["evidence"]} == {"supports"}
    assert {item["note"] for item in claim["evidence"]} == {"Review"}
    works = list(db.query("select doi, fetch_status from works order by id"))
    assert works == [
        {"doi": BARRIER, "fetch_status": "pending"},
        {"doi": RETINOIC, "fetch_status": "pending"},
    ]


def test_evidence_items_carry_the_work_metadata(db):
    db.execute(
        "insert into works (doi, title, year, container_title, fetch_status)"
        " values (?, 'Intestinal Barrier in Human Health and Disease', 2021,"
        " 'International Journal of Environmental Research and Public Health', 'ok')",
        [BARRIER],
    )
    claim = claims.add_claim(db, CLAIM, dois=[BARRIER])
    (item,) = claims.get_claim(db, claim["id"])["evidence"]
    assert item["title"] == "Intestinal Barrier in Human Health and Disease"
    assert item["year"] == 2021
    assert item["container_title"].startswith("International Journal")
    assert item["stance"] == "cites"
    assert {
        "doi",
        "stance",
        "note",
        "quote",
        "title",
        "year",
        "container_title",
    } <= set(item)


def test_a_doi_already_stored_is_reused(db):
    claims.add_claim(db, "one", dois=[BARRIER])
    claims.add_claim(db, "two", dois=[f"doi:{BARRIER}"])
    assert db["works"].count == 1


def test_linking_again_updates_only_what_is_given(db):
    claim = claims.add_claim(db, CLAIM)
    first = claims.link_evidence(db, claim["id"], BARRIER, note="first", quote="q")
    assert first["stance"] == "cites"
    second = claims.link_evidence(db, claim["id"], BARRIER, stance="contradicts")
    assert (second["stance"], second["note"], second["quote"]) == (
        "contradicts",
        "first",
        "q",
    )
    third = claims.link_evidence(db, claim["id"], BARRIER, note="")
    assert (third["stance"], third["note"]) == ("contradicts", "")
    assert db["evidence"].count == 1
    assert first["id"] == third["id"]


def test_unlink(db):
    claim = claims.add_claim(db, CLAIM, dois=[BARRIER, RETINOIC])
    claims.unlink_evidence(db, claim["id"], f"DOI: {RETINOIC}")
    assert [item["doi"] for item in claims.get_claim(db, claim["id"])["evidence"]] == [
        BARRIER
    ]
    with pytest.raises(NotFound, match="not linked"):
        claims.unlink_evidence(db, claim["id"], RETINOIC)
    with pytest.raises(NotFound, match="not linked"):
        claims.unlink_evidence(db, claim["id"], "10.1000/never-seen")


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda db: claims.add_claim(db, "   "), InvalidInput),
        (lambda db: claims.add_claim(db, "x", dois=[BARRIER, "10.1000"]), InvalidDOI),
        (
            lambda db: claims.add_claim(db, "x", dois=[BARRIER], stance="agrees"),
            InvalidInput,
        ),
        (lambda db: claims.add_claim(db, "x", article_id=7, dois=[BARRIER]), NotFound),
        (lambda db: claims.link_evidence(db, 99, BARRIER), NotFound),
        (lambda db: claims.link_evidence(db, 1, "nonsense"), InvalidDOI),
        (lambda db: claims.link_evidence(db, 1, BARRIER, stance="yes"), InvalidInput),
        (lambda db: claims.edit_claim(db, 1, status="true"), InvalidInput),
        (lambda db: claims.edit_claim(db, 1, text=""), InvalidInput),
        (lambda db: claims.get_claim(db, 99), NotFound),
        (lambda db: claims.delete_claim(db, 99), NotFound),
        (lambda db: claims.list_claims(db, status="done"), InvalidInput),
    ],
)
def test_bad_input_raises_and_writes_nothing(db, call, error):
    claims.add_claim(db, CLAIM)
    before = counts(db)
    with pytest.raises(error):
        call(db)
    assert counts(db) == before
    assert claims.get_claim(db, 1)["text"] == CLAIM


def test_list_filters_and_search(db):
    claims.add_claim(db, "Tight junctions control permeability.", dois=[BARRIER])
    claims.add_claim(db, "Retinoic acid modulates immunity.", dois=[RETINOIC, BARRIER])
    claims.edit_claim(db, 2, status="supported")
    everything = claims.list_claims(db)
    assert [claim["id"] for claim in everything] == [1, 2]
    assert [len(claim["evidence"]) for claim in everything] == [1, 2]
    assert [c["id"] for c in claims.list_claims(db, status="supported")] == [2]
    assert [c["id"] for c in claims.list_claims(db, search="permeable")] == [1]
    assert [c["id"] for c in claims.list_claims(db, search='acid "OR')] == []
    assert claims.list_claims(db, article_id=1) == []
    assert claims.list_claims(db) == [claims.get_claim(db, 1), claims.get_claim(db, 2)]


def test_edit_keeps_offsets_only_while_the_text_is_the_articles(db):
    text = "Title\nThe gut leaks. Or not."
    db.execute(
        "insert into articles (id, text, sha256, ingested_at) values (1, ?, 'h', 'now')",
        [text],
    )
    db.execute(
        "insert into claims (article_id, text, char_start, char_end) values (1, ?, 6, 20)",
        [text[6:20]],
    )
    assert claims.edit_claim(db, 1, text="  The gut leaks. ")["char_start"] == 6
    edited = claims.edit_claim(db, 1, text="The gut leaks a little.")
    assert (edited["char_start"], edited["char_end"]) == (None, None)
    assert edited["article_id"] == 1


def test_delete_claim_removes_its_links_and_keeps_the_works(db):
    claims.add_claim(db, CLAIM, dois=[BARRIER])
    claims.delete_claim(db, 1)
    assert counts(db) == {"claims": 0, "works": 1, "evidence": 0}
