"""Addresses nobody links to, tried as a careless or hostile visitor would: every page
either works or says why, as a 400 or 404, never a 500; nothing shows where the
database lives to anyone but root; multipart posts are refused in one line."""

import asyncio

import pytest

from tracker.web.serve import datasette_app

from ..helpers import DatasetteBrowser, review_database

TABLES = ["claims", "works", "authors", "evidence", "citation_checks", "review_log"]
VIEWS = ["claim_evidence", "claims_without_evidence", "article_summary"]
QUERIES = [
    "?_sort=rowid", "?_sort=nope", "?_sort_desc=nope", "?_facet=nope", "?_next=abc",
    "?_next=-1", "?_size=abc", "?_size=99999", "?_col=nope", "?_nocol=nope",
    "?_through=x", "?_where=drop", "?id__gt=abc", "?_search=gut", "/1", "/1,1",
    "/abc", "/1.json", ".json?_shape=nope",
]  # fmt: skip
REVIEW = [
    "/-/review/articles/999", "/-/review/articles/99999999999999999999999",
    "/-/review/articles/abc", "/-/review/works/0", "/-/review/works/99999999999999999999",
]  # fmt: skip


@pytest.fixture
def ds(db, db_path):
    review_database(db)
    return datasette_app(db_path)


@pytest.mark.parametrize("query", QUERIES)
def test_odd_table_addresses_work_or_say_why(ds, query):
    browser = DatasetteBrowser(ds)
    for table in TABLES + VIEWS:
        response = browser.get(f"/tracker/{table}{query}")
        assert response.status_code in (200, 400, 404), (
            table,
            query,
            response.text[:300],
        )


@pytest.mark.parametrize(
    "address, status, reason",
    [
        ("/tracker/authors/1", 404, "several values"),
        ("/tracker/claim_evidence?_next=abc", 400, "_next must be"),
        ("/tracker/claims?_through=x", 400, "_through must be JSON"),
        ("/tracker/claims?_sort=rowid", 400, "Cannot sort"),
    ],
)
def test_the_reason_is_given(ds, address, status, reason):
    response = DatasetteBrowser(ds).get(address)
    assert response.status_code == status and reason in response.text


@pytest.mark.parametrize("address", REVIEW)
def test_review_addresses_that_name_nothing_are_404(ds, address):
    assert DatasetteBrowser(ds).get(address).status_code == 404


def test_only_root_sees_where_the_database_lives(ds, db_path):
    for suffix in (".json", ""):
        anonymous = DatasetteBrowser(ds).get(f"/-/databases{suffix}")
        assert anonymous.status_code == 200 and str(db_path) not in anonymous.text
        assert "tracker" in anonymous.text
        signed_in = DatasetteBrowser(ds, {"id": "alice"}).get(f"/-/databases{suffix}")
        assert str(db_path) not in signed_in.text
    assert (
        str(db_path)
        in DatasetteBrowser(ds, {"id": "root"}).get("/-/databases.json").text
    )


def test_a_multipart_post_is_refused_in_one_line(ds):
    browser = DatasetteBrowser(ds, {"id": "alice"})
    page = browser.get("/-/review/articles/1")
    response = asyncio.run(
        ds.client.post(
            "/-/review/articles/1",
            files={"note": ("note.txt", b"x")},
            data={"action": "status", "claim_id": "1", "status": "supported"},
            cookies={**browser.cookies, **page.cookies},
        )
    )
    assert response.status_code == 400
    assert response.text == (
        "Error: forms are posted as application/x-www-form-urlencoded;"
        " multipart/form-data is not accepted\n"
    )
