"""Regenerate the README's pictures of the review pages, as a signed-in reviewer sees
them after `make demo`: docs/review-overview.png (/-/review) and
docs/review-article.png (the example article, /-/review/articles/1). Needs Playwright
and Chromium (the test extras and the Debian package chromium).

    .venv/bin/python docs/screenshot.py
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = "8765"
BASE = f"http://127.0.0.1:{PORT}"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        env = {**os.environ, "TRACKER": str(BIN / "tracker")}
        subprocess.run(
            [REPO / "examples" / "demo.sh", db],
            check=True,
            env=env,
            capture_output=True,
        )
        server = subprocess.Popen(
            [BIN / "tracker", "--db", db, "serve", "--root", "--port", PORT],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            sign_in, ready = None, False
            while not (sign_in and ready):
                line = server.stdout.readline()
                found = re.search(r"http://\S+/-/auth-token\?token=\w+", line)
                sign_in = sign_in or (found and found.group())
                ready = ready or "Uvicorn running" in line
            with sync_playwright() as driver:
                browser = driver.chromium.launch(
                    executable_path=shutil.which("chromium")
                    or shutil.which("chromium-browser"),
                    args=["--no-sandbox", "--disable-gpu"],
                )
                page = browser.new_page(viewport={"width": 1300, "height": 760})
                page.goto(sign_in)
                page.goto(f"{BASE}/-/review")
                page.screenshot(path=str(REPO / "docs" / "review-overview.png"))
                page.set_viewport_size({"width": 1300, "height": 1500})
                page.goto(f"{BASE}/-/review/articles/1")
                page.screenshot(path=str(REPO / "docs" / "review-article.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
