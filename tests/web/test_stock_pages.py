"""Datasette's own pages of a tracker database, tidied for the people who use them:
rows before column descriptions, no JSON dumped into a cell, the views first, the
forms with their titles and drop-downs. Other databases keep Datasette's pages."""

import asyncio
import json
import re

import pytest
from datasette.app import Datasette

from tracker.store.database import open_database
from tracker.web.plugins import json_cell
from tracker.web.serve import datasette_app, datasette_metadata

from ..helpers import DatasetteBrowser, review_database


@pytest.fixture
def ds(db, db_path):
    review_database(db)
    return datasette_app(db_path)


@pytest.fixture
def anonymous(ds):
    return DatasetteBrowser(ds)


@pytest.fixture
def reviewer(ds):
    return DatasetteBrowser(ds, {"id": "alice"})


def test_a_table_page_starts_with_its_rows(anonymous):
    html = anonymous.get("/tracker/works").text
    folded = html.index('<details class="column-notes"><summary>What the columns mean')
    assert folded < html.index('<table class="rows-and-columns">')
    # Datasette's own list stays in the page for scripts, hidden by the style sheet.
    assert (
        "dl.column-descriptions { display: none; }"
        in anonymous.get("/-/static-plugins/evidence-tracker/review.css").text
    )


def test_json_lists_read_as_words_and_records_are_folded(anonymous, db):
    work_id = db.execute(
        "select id from works where doi = '10.3390/nu10081016'"
    ).fetchone()[0]
    html = anonymous.get(f"/tracker/works/{work_id}").text
    assert re.search(r'<td class="col-issn type-str">2072-6643</td>', html)
    assert "[&#34;2072-6643&#34;]" not in html and '["2072-6643"]' not in html
    assert re.search(
        r'<details class="json"><summary>JSON record, [\d.]+ (KB|bytes)</summary><pre>\{',
        html,
    )


def test_json_cell():
    assert json_cell('["1660-4601", "1661-7827"]') == "1660-4601, 1661-7827"
    assert json_cell("[Retracted] A title") is None
    folded = json_cell(json.dumps({"title": ["<script>alert(1)</script>"]}))
    assert folded.startswith('<details class="json"><summary>JSON record, ')
    assert "<script>" not in folded and "&lt;script&gt;" in folded
    assert json_cell(json.dumps([{"DOI": "10.1/x"}])).startswith(
        '<details class="json"><summary>JSON 1 items'
    )


def test_a_row_page_shows_its_fields_with_what_they_mean(anonymous):
    html = anonymous.get("/tracker/works/1").text
    assert '<table class="row-fields">' in html
    assert '<th scope="row">issn</th>' in html
    assert '<td class="column-meaning">ISSNs (JSON list)</td>' in html
    assert 'href="/-/review/works/1">This work in the review pages</a>' in html
    assert (
        'href="/-/review/articles/1">Review this article</a>'
        in anonymous.get("/tracker/articles/1").text
    )


def test_the_database_page_lists_views_first_with_their_descriptions(reviewer):
    html = reviewer.get("/tracker").text
    views, forms, tables = (
        html.index('id="views"'),
        html.index('id="queries"'),
        html.index('id="tables"'),
    )
    assert views < forms < tables
    listed = re.findall(r"<code>(\w+)</code>", html)
    assert listed[:6] == [
        "claim_evidence",
        "claims_without_evidence",
        "claims_on_flagged_works",
        "claims_with_weak_evidence",
        "failed_verifications",
        "article_summary",
    ]
    assert listed.index("claims") < listed.index("acknowledgements")
    assert "Record a verdict on a claim</a> <code>set_claim_status</code>" in html
    assert 'href="/-/review">Review articles</a>' in html


def test_a_form_page_shows_its_title_description_and_choices(reviewer):
    html = reviewer.get("/tracker/set_claim_status?claim_id=6").text
    assert "<h1>Record a verdict on a claim</h1>" in html
    assert "The change, your name and your note go to the review log." in html
    assert "insert into" not in html.lower()  # the SQL stays out of the way
    status = re.search(
        r'<select id="qp-status" name="status">(.*?)</select>', html, re.S
    )
    assert re.findall(r'<option value="(\w*)"', status.group(1)) == [
        "",
        "unreviewed",
        "supported",
        "partly_supported",
        "unsupported",
        "contradicted",
    ]
    assert '<input id="qp-claim_id" name="claim_id" value="6"' in html
    assert '<label for="qp-note">note</label>' in html


def test_none_is_a_level_in_the_form(reviewer, db):
    response = reviewer.post_form(
        "/tracker/set_evidence_level",
        {
            "work_id": "1",
            "level": "none",
            "design": "",
            "reason": "No systematic search",
        },
    )
    assert reviewer.messages(response) == ["Level recorded (see the review log)"]
    assert db.execute(
        "select evidence_level, evidence_level_source from works where id = 1"
    ).fetchone() == (None, "reviewer")


def test_a_refused_visitor_is_told_how_to_sign_in(anonymous):
    page = anonymous.get("/tracker/set_claim_status")
    assert page.status_code == 403
    assert "<h1>Sign in to review</h1>" in page.text
    assert "tracker serve --root" in page.text


def test_other_databases_keep_datasettes_pages(db_path, tmp_path):
    open_database(db_path)
    other = tmp_path / "other.db"
    open_database(other)
    ds = Datasette([str(db_path), str(other)], metadata=datasette_metadata(db_path))
    html = asyncio.run(ds.client.get("/other/works")).text
    assert "column-notes" not in html and "evidence-tracker/review.css" not in html
    database = asyncio.run(ds.client.get("/other")).text
    assert "Views for review" not in database
    assert "Views for review" in asyncio.run(ds.client.get("/tracker")).text
