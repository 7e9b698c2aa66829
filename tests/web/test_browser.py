"""A reviewer at work in a real browser: Debian's Chromium driven by Playwright,
against `tracker serve --root` on the example article (with a retracted work of
hostile title, and a hostile claim, beside it)."""

import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tracker.store.database import open_database

from ..helpers import FLAGGED, review_database, served


def working_chromium() -> str | None:
    """Chromium's path, if it is installed and starts (Ubuntu's chromium-browser can be
    a stub that only asks for snap)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        return None
    try:
        done = subprocess.run([path, "--version"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if done.returncode == 0 and b"Chromium" in done.stdout else None


CHROMIUM = working_chromium()
playwright = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed"
)
pytestmark = pytest.mark.skipif(
    not CHROMIUM, reason="no working Chromium (Debian package chromium)"
)

TRACKER = str(Path(sys.executable).parent / "tracker")
#: Reports every form control (input, select, textarea, button) no label names.
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(e => e.type !== 'hidden' && e.type !== 'submit')
    .filter(e => !(e.id && document.querySelector(`label[for="${e.id}"]`))
                 && !e.closest('label') && !e.getAttribute('aria-label'))
    .map(e => e.outerHTML.slice(0, 120))"""


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "tracker.db"
    database = open_database(path)
    review_database(database)
    database.close()
    return path


@pytest.fixture
def server(db_file):
    """The review database served, with the sign-in address --root printed."""
    with served(db_file) as addresses:
        yield addresses


@contextmanager
def browser_page():
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs = []
        page.on(
            "dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss())
        )
        page.dialogs = dialogs
        try:
            yield page
        finally:
            browser.close()


def test_a_reviewer_changes_a_claim_status_in_the_browser(server, db_file, tmp_path):
    base, sign_in = server
    with browser_page() as page:
        page.goto(f"{base}/")
        page.click("text=Start reviewing")
        page.click("text=What is Leaky Gut?")
        assert page.url == f"{base}/-/review/articles/1"
        assert page.locator("form.review-form").count() == 0
        assert page.locator("select").count() == 0

        page.click("text=Sign in to review")
        assert page.locator("h1").inner_text() == "Sign in to review"
        page.goto(sign_in)
        page.goto(f"{base}/-/review/sign-in?next=/-/review/articles/1")
        assert page.url == f"{base}/-/review/articles/1"

        card = page.locator("#claim-7")
        card.get_by_label("Status").select_option("supported")
        page.fill("#status-note-7", "Reference 2 says so")
        card.locator("button", has_text="Record verdict").click()
        page.wait_for_url(re.compile(r".*recorded=7#claim-7$"))

        card = page.locator("#claim-7")
        assert "Recorded: claim 7 is supported." in card.inner_text()
        assert card.locator(".badge.status-supported").inner_text() == "supported"
        assert "by root" in card.inner_text()
        assert (
            page.locator('mark.claim.status-supported a[href="#claim-7"]').count() == 1
        )
        page.screenshot(path=str(tmp_path / "article.png"), full_page=True)

    with sqlite3.connect(db_file) as conn:
        logged = conn.execute(
            "select actor, entity, entity_id, new_value, note from review_log"
            " where actor = 'root'"
        ).fetchall()
    assert logged == [("root", "claim", 7, "supported", "Reference 2 says so")]
    assert (tmp_path / "article.png").stat().st_size > 50_000


def test_a_form_of_the_stock_pages_still_records(server, db_file):
    base, sign_in = server
    with browser_page() as page:
        page.goto(sign_in)
        page.goto(f"{base}/tracker/set_evidence_level?work_id=1")
        assert page.locator("h1").inner_text() == "Set a work's level of evidence"
        page.select_option("#qp-level", "none")
        page.fill("#qp-reason", "No systematic search")
        page.click("form.tracker-form button[type=submit]")
        page.wait_for_url(re.compile(r".*/tracker/review_log.*"))
        assert "Level recorded" in page.content()
    with sqlite3.connect(db_file) as conn:
        assert conn.execute(
            "select evidence_level, evidence_level_source, reviewed_by from works where id = 1"
        ).fetchone() == (None, "reviewer", "root")


def test_every_form_control_has_a_label(server):
    base, sign_in = server
    with browser_page() as page:
        page.goto(sign_in)
        for path in (
            "/-/review/articles/1",
            "/tracker/set_claim_status",
            "/tracker/set_evidence_stance",
            "/tracker/acknowledge_flag",
            "/tracker/set_evidence_level",
        ):
            page.goto(base + path)
            page.eval_on_selector_all(
                "details", "all => all.forEach(d => d.open = true)"
            )
            assert page.locator("form input:not([type=hidden])").count() > 0, path
            assert page.evaluate(UNLABELLED) == [], path


def test_hostile_text_stays_inert_everywhere(server, db_file, tmp_path):
    base, sign_in = server
    report = tmp_path / "report.html"
    subprocess.run(
        [TRACKER, "--db", str(db_file), "report", "--article", "1", "-o", str(report)],
        check=True,
        capture_output=True,
    )
    with sqlite3.connect(db_file) as conn:
        work_id = conn.execute(
            "select id from works where doi = ?", [FLAGGED]
        ).fetchone()[0]
    pages = ["/-/review", "/-/review/articles/1", f"/-/review/works/{work_id}"]
    with browser_page() as page:
        for signed_in in (False, True):
            if signed_in:
                page.goto(sign_in)
            for path in pages:
                page.goto(base + path)
                assert page.evaluate("window.__pwned") is None, path
        page.goto(report.as_uri())
        assert page.evaluate("window.__pwned") is None
        assert "Hostile <script>window.__pwned=1</script>" in page.inner_text("body")
        assert page.locator("script").count() == 0
        assert page.dialogs == []
