"""The command line and the web writing one database at once.

A real ``tracker serve`` takes a reviewer's status changes in a loop (sign in, open
the article page, post its form with the CSRF token) while another process runs 1,000
``tracker`` commands (claim link, claim review, claim add), each opening the database
as the command line does. Then the same 1,000 commands run alone, as the baseline.

Printed: failed commands (target 0; "database is locked" before write transactions
began IMMEDIATE), web posts and their failures, and the commands' time beside the web
against alone, as a ratio.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.helpers import BARRIER, RETINOIC, review_database, served  # noqa: E402
from tests.web.test_concurrent_writes import CLI_WRITES, web_reviewer  # noqa: E402
from tracker.store.database import open_database  # noqa: E402

ROUNDS = 1_000


def fresh_database(folder: Path, name: str) -> Path:
    path = folder / name
    database = open_database(path)
    review_database(database)
    database.close()
    return path


def cli_writes(db_file: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            CLI_WRITES,
            str(db_file),
            str(ROUNDS),
            RETINOIC,
            BARRIER,
        ],
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, result.stderr.splitlines()[0]


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        alone_seconds, alone = cli_writes(fresh_database(folder, "alone.db"))
        db_file = fresh_database(folder, "shared.db")
        outcome = {"posts": 0, "failures": []}
        stop = threading.Event()
        with served(db_file) as (base, sign_in):
            reviewer = threading.Thread(
                target=web_reviewer, args=(base, sign_in, stop, outcome)
            )
            reviewer.start()
            try:
                shared_seconds, shared = cli_writes(db_file)
            finally:
                stop.set()
                reviewer.join(60)
    print(f"concurrent writes: {ROUNDS:,} tracker commands while the web takes reviews")
    print(f"  commands alone:        {alone_seconds:6.2f} s  {alone}")
    print(
        f"  commands beside web:   {shared_seconds:6.2f} s  {shared}"
        f"  ({shared_seconds / alone_seconds:.2f}x alone)"
    )
    print(f"  web posts: {outcome['posts']}, failed: {len(outcome['failures'])}")
    return 0 if shared == "failures: 0" and not outcome["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
