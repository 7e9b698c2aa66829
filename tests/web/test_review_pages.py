"""The review pages in Datasette: the overview, an article with its claims, evidence
and references, a work, signing in, and the forms a signed-in reviewer posts there.
Requests go through Datasette's own client, with real CSRF tokens."""

import html
import re

import pytest

from tracker.web.serve import datasette_app

from ..helpers import BARRIER, FLAGGED, HOSTILE, DatasetteBrowser, review_database


@pytest.fixture
def ids(db):
    return review_database(db)


@pytest.fixture
def ds(ids, db_path):
    return datasette_app(db_path)


@pytest.fixture
def reviewer(ds):
    return DatasetteBrowser(ds, {"id": "alice"})


@pytest.fixture
def anonymous(ds):
    return DatasetteBrowser(ds)


ARTICLE = "/-/review/articles/1"


def claim_card(html: str, claim_id: int) -> str:
    start = html.index(f'id="claim-{claim_id}"')
    return html[start : html.index("</article>", start)]


def choices(html_text: str, select_id: str) -> list[str]:
    """The option values of the first drop-down whose id matches ``select_id``."""
    found = re.search(
        rf'<select id="{select_id}" name="\w+">(.*?)</select>', html_text, re.S
    )
    return re.findall(r'<option value="(\w*)"', found.group(1))


def rows(db, sql, *params):
    return [tuple(row) for row in db.execute(sql, params).fetchall()]


# The overview ------------------------------------------------------------------------


def test_the_overview_counts_each_article(anonymous, ids):
    page = anonymous.get("/-/review")
    assert page.status_code == 200
    html = page.text
    row = html[
        html.index("What is Leaky Gut?") : html.index(
            "</tr>", html.index("What is Leaky Gut?")
        )
    ]
    numbers = re.findall(r'<td class="number[^"]*">(\d*)</td>', row)
    # 9 claims (8 read, 1 added), 6 linked; statuses: 8 unreviewed, 1 partly supported;
    # references: 1 ok, 1 minor (the authors' initials).
    assert numbers[:2] == ["9", "6"]
    assert numbers[2:7] == ["8", "", "1", "", ""]
    assert numbers[7:9] == ["1", "1"]
    assert 'href="/-/review/articles/1"' in html


def test_the_overview_draws_two_charts_as_inline_svg(anonymous):
    html = anonymous.get("/-/review").text
    charts = re.findall(r'<svg class="chart" role="img" aria-label="([^"]+)"', html)
    assert charts == ["Claims by status", "Evidence by level (Oxford CEBM)"]
    assert "<script" not in html.split("<footer")[0].split("</header>")[1]


# The article page --------------------------------------------------------------------


def test_the_article_is_shown_with_each_claim_marked_by_status(anonymous):
    html = anonymous.get(ARTICLE).text
    marks = re.findall(
        r'<mark class="claim status-(\w+)( bare)?" title="Claim (\d+)', html
    )
    assert ("partly_supported", "", "6") in marks
    assert ("unreviewed", " bare", "5") in marks  # nothing backs claim 5
    assert ("unreviewed", "", "1") in marks
    # The reference list is shown once, entry by entry, not as article text as well.
    assert (
        html.count("Intestinal Barrier in Human Health and Disease. Int J Environ") == 1
    )
    assert "Referrences</p>" not in html


def test_each_claim_shows_its_evidence(anonymous):
    card = claim_card(anonymous.get(ARTICLE).text, 6)
    assert "Intestinal Barrier in Human Health and Disease" in card
    assert "Di Tommaso N, Gasbarrini A, Ponziani FR" in card
    assert f'href="https://doi.org/{BARRIER}"' in card
    assert 'class="badge stance-supports"' in card
    assert "ref. 1</a>" in card and 'class="badge verdict-ok"' in card
    assert 'class="badge verdict-minor"' in card  # reference 2's initials
    assert 'href="/-/review/works/' in card


def test_a_flagged_work_shows_its_flag_and_its_acknowledgement(anonymous, reviewer, db):
    card = claim_card(anonymous.get(ARTICLE).text, 4)
    assert 'class="badge flag flag-retracted"' in card and "acknowledged" not in card
    work_id = rows(db, "select id from works where doi = ?", FLAGGED)[0][0]
    evidence_id = rows(db, "select id from evidence where claim_id = 4")[0][0]
    response = reviewer.post_form(
        ARTICLE,
        {
            "action": "acknowledge",
            "claim_id": "4",
            "evidence_id": str(evidence_id),
            "work_id": str(work_id),
            "note": "Cited as the retracted paper it is",
        },
    )
    assert response.status_code == 302
    card = claim_card(anonymous.get(ARTICLE).text, 4)
    assert '<span class="acknowledged">acknowledged</span>' in card


def test_the_reference_list_shows_verdicts_and_differences(anonymous):
    html = anonymous.get(ARTICLE).text
    references = html[html.index('id="references"') :]
    assert references.count('<li id="ref-') == 2
    assert (
        "Abdelhamid L, Luo X. Retinoic Acid, Leaky Gut, and Autoimmune Diseases."
        in references
    )
    differences = references[references.index('<table class="differences">') :]
    assert (
        "<td>authors</td><td>Abdelhamid L; Luo X</td><td>Abdelhamid, Leila; Luo, Xin M.</td><td>minor</td>"
        in differences
    )


def test_an_unresolved_reference_shows_its_candidates(anonymous, db):
    from tracker.store.works import add_described_work  # noqa: F401  (the store's own)

    citation = rows(db, "select id, work_id from citations where position = 2")[0]
    db.execute(
        "insert into works (title, fetch_status, created_at) values ('Described', 'pending', 'now')"
    )
    described = rows(db, "select max(id) from works")[0][0]
    db.execute(
        "update citations set work_id = ?, verdict = null where id = ?",
        [described, citation[0]],
    )
    db.execute(
        "insert into citation_candidates (citation_id, rank, doi, title, year, first_author,"
        " title_similarity, author_ok, year_ok) values (?, 1, '10.1/x', ?, 2018, 'Abdelhamid', 97.5, 1, 0)",
        [citation[0], "Retinoic <i>acid</i>"],
    )
    references = anonymous.get(ARTICLE).text.split('id="references"')[1]
    entry = references[references.index('id="ref-2"') :]
    assert 'class="badge verdict-unresolved"' in entry
    assert (
        "Best candidates" in entry
        and "Retinoic <i>acid</i>, Abdelhamid (2018)" in entry
    )
    assert "title 98% alike" in entry and "year differs" in entry


def test_hostile_text_is_shown_as_text_on_every_page(anonymous, reviewer, ids, db):
    work_id = rows(db, "select id from works where doi = ?", FLAGGED)[0][0]
    for browser in (anonymous, reviewer):
        for path in ("/-/review", ARTICLE, f"/-/review/works/{work_id}"):
            html = browser.get(path).text
            assert "<script>window.__pwned" not in html, path
            assert "onerror=" not in html.replace("onerror=&#34;", "").replace(
                "onerror=&quot;", ""
            ), path
    article = anonymous.get(ARTICLE).text
    # Claim text and notes are escaped; a title keeps its italics and loses other tags.
    assert "Hostile &lt;script&gt;window.__pwned=1&lt;/script&gt;" in article
    assert "Adipose <i>tissue</i> window.__pwned=1</a>" in article


def test_claims_outside_the_text_are_listed_after_it(anonymous, ids):
    html = anonymous.get(ARTICLE).text
    other = html[html.index('id="other-claims"') : html.index('id="references"')]
    assert f'id="claim-{ids["hostile_claim"]}"' in other


def test_a_missing_article_or_work_is_404(anonymous):
    assert anonymous.get("/-/review/articles/99").status_code == 404
    assert anonymous.get("/-/review/works/9999").status_code == 404


# Forms ------------------------------------------------------------------------------


def test_anonymous_visitors_get_no_forms_and_a_sign_in_link(anonymous):
    html = anonymous.get(ARTICLE).text
    assert '<form class="review-form"' not in html and "<select" not in html
    link = re.search(r'<a href="([^"]+)">Sign in to review</a>', html).group(1)
    assert link == "/-/review/sign-in?next=/-/review/articles/1"
    page = anonymous.get(link.replace("&amp;", "&"))
    assert page.status_code == 200 and "auth-token?token=" in page.text


def test_a_signed_in_reviewer_is_sent_back_from_the_sign_in_page(reviewer):
    page = reviewer.get("/-/review/sign-in?next=/-/review/articles/1")
    assert page.status_code == 302 and page.headers["location"] == ARTICLE
    elsewhere = reviewer.get("/-/review/sign-in?next=//example.org/")
    assert elsewhere.status_code == 200  # no redirect off the site


def test_a_reviewer_sees_a_form_per_claim_and_per_link(reviewer, db):
    html = reviewer.get(ARTICLE).text
    claims = rows(db, "select count(*) from claims")[0][0]
    links = rows(db, "select count(*) from evidence")[0][0]
    assert html.count('<select id="status-') == claims
    assert html.count('<select id="stance-') == links
    assert html.count('<select id="level-') == links
    assert (
        html.count('value="acknowledge"') == 1
    )  # the one flagged, unacknowledged link
    assert choices(html, "status-6") == [
        "unreviewed",
        "supported",
        "partly_supported",
        "unsupported",
        "contradicted",
    ]
    assert '<option value="partly_supported" selected>' in html
    assert choices(html, r"level-\d+") == ["1", "2", "3", "4", "5", "none"]


def test_a_verdict_is_recorded_under_the_reviewer_and_shown_at_the_claim(reviewer, db):
    response = reviewer.post_form(
        ARTICLE,
        {
            "action": "status",
            "claim_id": "7",
            "status": "supported",
            "note": "Read both",
        },
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/-/review/articles/1?recorded=7#claim-7"
    assert reviewer.messages(response) == ["Recorded: claim 7 is supported."]
    assert rows(
        db, "select status, reviewed_by, review_note from claims where id = 7"
    ) == [("supported", "alice", "Read both")]
    assert rows(
        db,
        "select actor, new_value, note from review_log where entity = 'claim' and entity_id = 7",
    ) == [("alice", "supported", "Read both")]


def test_the_message_is_shown_in_the_claim_it_is_about(reviewer, ds):
    response = reviewer.post_form(
        ARTICLE,
        {"action": "status", "claim_id": "7", "status": "supported", "note": ""},
    )
    cookies = {**reviewer.cookies, "ds_messages": response.cookies["ds_messages"]}
    import asyncio

    page = asyncio.run(ds.client.get(response.headers["location"], cookies=cookies))
    assert "Recorded: claim 7 is supported." in claim_card(page.text, 7)


@pytest.mark.parametrize(
    "values, reason",
    [
        (
            {"action": "status", "claim_id": "7", "status": "true", "note": "typed"},
            "unknown status 'true'",
        ),
        (
            {
                "action": "status",
                "claim_id": "99",
                "status": "supported",
                "note": "typed",
            },
            "no claim 99",
        ),
        (
            {
                "action": "stance",
                "claim_id": "7",
                "evidence_id": "999",
                "stance": "supports",
                "note": "typed",
            },
            "no evidence link 999",
        ),
        (
            {
                "action": "level",
                "claim_id": "7",
                "evidence_id": "1",
                "work_id": "1",
                "level": "3",
                "design": "",
                "reason": " ",
            },
            "give the reason for the level",
        ),
        (
            {
                "action": "level",
                "claim_id": "7",
                "evidence_id": "1",
                "work_id": "1",
                "level": "7",
                "design": "",
                "reason": "typed",
            },
            "level 7 is not 1 to 5",
        ),
        (
            {
                "action": "acknowledge",
                "claim_id": "7",
                "evidence_id": "1",
                "work_id": "1",
                "note": "typed",
            },
            "has no retraction, correction or concern",
        ),
    ],
)
def test_a_refusal_names_the_reason_and_keeps_what_was_typed(
    reviewer, db, values, reason
):
    before = rows(db, "select count(*) from review_log")
    response = reviewer.post_form(ARTICLE, values)
    assert response.status_code == 400
    refusals = re.findall(r'<p class="refusal" role="alert">(.*?)</p>', response.text)
    assert len(refusals) == 1
    assert html.unescape(refusals[0]).startswith("Not recorded: ")
    assert reason in html.unescape(refusals[0])
    if values["action"] == "status" and values["claim_id"] == "7":
        card = claim_card(response.text, 7)
        assert 'value="typed"' in card
    assert rows(db, "select count(*) from review_log") == before


def test_anonymous_posts_change_nothing(anonymous, ds, db):
    before = rows(db, "select status from claims") + rows(
        db, "select count(*) from review_log"
    )
    # Without cookies Datasette asks for no CSRF token; with one (from any page that
    # has a form) neither: the page itself refuses whoever is not signed in.
    import asyncio

    values = {"action": "status", "claim_id": "7", "status": "supported", "note": ""}
    bare = asyncio.run(ds.client.post(ARTICLE, data=values))
    with_token = anonymous.post_form("/-/login", values, action=ARTICLE)
    for response in (bare, with_token):
        assert response.status_code == 403
        assert "Not recorded: sign in to review" in response.text
    assert (
        rows(db, "select status from claims")
        + rows(db, "select count(*) from review_log")
        == before
    )


def test_a_stance_and_a_level_are_recorded_through_the_library(reviewer, db):
    evidence_id, work_id = rows(
        db, "select id, work_id from evidence where claim_id = 7"
    )[0]
    reviewer.post_form(
        ARTICLE,
        {
            "action": "stance",
            "claim_id": "7",
            "evidence_id": str(evidence_id),
            "stance": "contradicts",
            "note": "Says the opposite",
        },
    )
    response = reviewer.post_form(
        ARTICLE,
        {
            "action": "level",
            "claim_id": "7",
            "evidence_id": str(evidence_id),
            "work_id": str(work_id),
            "level": "none",
            "design": "narrative_review",
            "reason": "No systematic search",
        },
    )
    assert response.status_code == 302
    assert rows(db, "select stance from evidence where id = ?", evidence_id) == [
        ("contradicts",)
    ]
    assert rows(
        db,
        "select evidence_level, study_design, evidence_level_source from works where id = ?",
        work_id,
    ) == [(None, "narrative_review", "reviewer")]
    logged = rows(
        db,
        "select entity, field, new_value from review_log where actor = 'alice' order by id",
    )
    assert ("evidence", "stance", "contradicts") in logged
    assert ("work", "evidence_level", "narrative_review, level none") in logged


# The work page ----------------------------------------------------------------------


def test_the_work_page_lists_every_claim_resting_on_it(anonymous, db):
    work_id = rows(db, "select id from works where doi = ?", BARRIER)[0][0]
    html = anonymous.get(f"/-/review/works/{work_id}").text
    assert "Natalia Di Tommaso; Antonio Gasbarrini; Francesca Romana Ponziani" in html
    assert html.count('href="/-/review/articles/1#claim-') == 4  # claims 1, 2, 3, 6
    assert f'<a class="doi" href="https://doi.org/{BARRIER}">' in html


def test_the_work_page_shows_notices(anonymous, db):
    work_id = rows(db, "select id from works where doi = ?", FLAGGED)[0][0]
    html = anonymous.get(f"/-/review/works/{work_id}").text
    assert 'class="badge flag flag-retracted"' in html
    assert HOSTILE not in html
