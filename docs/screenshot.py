"""Regenerate docs/review-page.png: the example article's claim_evidence page, as a
signed-in reviewer sees it after `make demo`. Needs Playwright and Chromium (the test
extras and the Debian package chromium).

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
            sign_in = None
            while sign_in is None:
                found = re.search(
                    r"http://\S+/-/auth-token\?token=\w+", server.stdout.readline()
                )
                sign_in = found and found.group()
            with sync_playwright() as driver:
                browser = driver.chromium.launch(
                    executable_path=shutil.which("chromium")
                    or shutil.which("chromium-browser"),
                    args=["--no-sandbox", "--disable-gpu"],
                )
                page = browser.new_page(viewport={"width": 2400, "height": 900})
                page.goto(sign_in)
                page.goto(
                    f"http://127.0.0.1:{PORT}/demo/claim_evidence?article_id=1&claim_id__in=3,6"
                )
                # The review columns, claim to note; the ids, article and links follow off-picture.
                table = page.locator("table.rows-and-columns").bounding_box()
                note = page.locator("th.col-note").bounding_box()
                page.screenshot(
                    path=str(REPO / "docs" / "review-page.png"),
                    full_page=True,
                    clip={
                        "x": 0,
                        "y": table["y"] - 8,
                        "width": note["x"] + note["width"] + 8,
                        "height": table["height"] + 16,
                    },
                )
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
