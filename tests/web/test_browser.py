"""A reviewer at work in a real browser: Debian's Chromium driven by Playwright,
against `tracker serve --root` on the example article."""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..helpers import EXAMPLE_ARTICLE


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
CLAIM = "Increased intestinal permeability has been linked"


def run(db, *args):
    env = {**os.environ, "TRACKER_OFFLINE": "1"}
    subprocess.run(
        [TRACKER, "--db", str(db), *args], check=True, capture_output=True, env=env
    )


@pytest.fixture
def server(tmp_path):
    """The example article served with a sign-in address for root."""
    db = tmp_path / "tracker.db"
    run(db, "ingest", str(EXAMPLE_ARTICLE))
    run(db, "fetch")
    run(db, "claim", "link", "6", "10.3390/nu10081016", "--note", "Reference 2")
    with socket_port() as port:
        process = subprocess.Popen(
            [TRACKER, "--db", str(db), "serve", "--root", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        sign_in = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and sign_in is None:
            line = process.stdout.readline()
            match = re.search(
                r"(http://127\.0\.0\.1:\d+/-/auth-token\?token=\w+)", line
            )
            if match:
                sign_in = match.group(1)
        assert sign_in, "tracker serve --root printed no sign-in address"
        yield f"http://127.0.0.1:{port}", sign_in
    finally:
        process.terminate()
        process.wait(timeout=10)


class socket_port:
    """A free port on 127.0.0.1."""

    def __enter__(self):
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc_info):
        self.sock.close()


def test_a_reviewer_records_a_verdict_in_the_browser(server, tmp_path):
    base, sign_in = server
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
        page.goto(f"{base}/tracker/claim_evidence?article_id=1")
        assert CLAIM in page.content()
        page.goto(f"{base}/tracker/set_claim_status")
        assert "Forbidden" in page.content() or page.locator("text=403").count()

        page.goto(sign_in)
        page.goto(f"{base}/tracker/set_claim_status")
        page.fill("input[name=claim_id]", "6")
        page.fill("input[name=status]", "partly_supported")
        page.fill(
            "textarea[name=note], input[name=note]", "A narrative review, not trials"
        )
        page.click("form.sql input[type=submit], form.sql button[type=submit]")
        page.wait_for_url(re.compile(r".*/tracker/review_log.*"))
        content = page.content()
        assert "Verdict recorded" in content
        assert "partly_supported" in content and "root" in content
        assert "A narrative review, not trials" in content
        page.goto(f"{base}/tracker/claim_evidence?article_id=1&claim_id=6")
        assert "partly_supported" in page.content()
        page.screenshot(path=str(tmp_path / "claim-evidence.png"), full_page=True)
        browser.close()
    assert (tmp_path / "claim-evidence.png").stat().st_size > 10_000
