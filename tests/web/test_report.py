"""`tracker report`: an article's review as one self-contained HTML file, or as
Markdown, with everything from the article and from Crossref shown as text."""

import re

import pytest

from tracker.errors import InvalidInput, NotFound
from tracker.web.report import article_report, md

from ..helpers import review_database


@pytest.fixture
def ids(db):
    return review_database(db)


def test_the_html_report_is_self_contained(db, ids):
    html = article_report(db, ids["article"])
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html and "mark.claim.status-supported" in html
    assert html.count('<svg class="chart"') == 2
    # Nothing runs and nothing is fetched: no scripts, no style sheets or images from
    # elsewhere (links to the DOIs are links, not assets).
    assert "<script" not in html
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html)
    assert not re.search(r"<[^>]*\ssrc=|@import|url\(", html)
    assert "<form" not in html and "Sign in" not in html
    assert "/-/review/" not in html  # no links into a server the reader cannot reach


def test_the_html_report_holds_the_article_page(db, ids):
    html = article_report(db, ids["article"])
    assert '<mark class="claim status-partly_supported"' in html
    assert html.count('class="claim-card') == 9
    assert html.count('<li id="ref-') == 2
    assert "<td>authors</td><td>Abdelhamid L; Luo X</td>" in html
    assert 'href="https://doi.org/10.3390/nu10081016"' in html


def test_hostile_text_is_inert_in_the_html_report(db, ids):
    html = article_report(db, ids["article"])
    assert "<script>window" not in html and "<img" not in html
    assert "Hostile &lt;script&gt;window.__pwned=1&lt;/script&gt;" in html


def test_the_markdown_report(db, ids):
    text = article_report(db, ids["article"], "md")
    assert text.startswith("# What is Leaky Gut?\n")
    assert "### Claim 6: partly supported\n" in text
    assert "### Claim 5: unreviewed, no evidence\n" in text
    assert "| Work | Stance | Design and level | Flag | Reference |" in text
    assert "[10.3390/nu10081016](<https://doi.org/10.3390/nu10081016>)" in text
    assert (
        "   | authors | Abdelhamid L; Luo X | Abdelhamid, Leila; Luo, Xin M. | minor |"
        in text
    )
    # Every table row has as many cells as its header: no text breaks a table.
    for line in text.splitlines():
        if line.lstrip().startswith("| ") and "Work" not in line and "---" not in line:
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            assert len(cells) in (4, 5), line


def test_hostile_text_is_inert_in_the_markdown_report(db, ids):
    text = article_report(db, ids["article"], "md")
    assert "<script" not in text and "<img" not in text
    assert r"Hostile &lt;script&gt;window.\_\_pwned=1&lt;/script&gt;" in text


def test_markdown_escaping():
    assert (
        md("a|b *c* _d_ [e](f) <g> & #h")
        == r"a\|b \*c\* \_d\_ \[e\](f) &lt;g&gt; &amp; \#h"
    )
    assert md("two\nlines") == "two lines"
    assert md(None) == ""


def test_errors(db, ids):
    with pytest.raises(NotFound, match="no article 99"):
        article_report(db, 99)
    with pytest.raises(InvalidInput, match="unknown format 'pdf'"):
        article_report(db, ids["article"], "pdf")


def test_the_command_writes_the_report(tracker, db, ids, tmp_path):
    target = tmp_path / "review.html"
    result = tracker("report", "--article", "1", "-o", str(target))
    assert result.exit_code == 0
    assert result.stderr == f"Wrote the report on article 1 to {target}.\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    markdown = tracker("report", "--article", "1", "--format", "md")
    assert markdown.exit_code == 0 and markdown.stdout.startswith(
        "# What is Leaky Gut?"
    )


def test_the_command_refuses_a_missing_article_and_writes_nothing(
    tracker, db, ids, tmp_path
):
    target = tmp_path / "review.html"
    result = tracker("report", "--article", "99", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == "Error: no article 99\n"
    assert not target.exists()
