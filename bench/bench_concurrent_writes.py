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

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.web.test_concurrent_writes import (  # noqa: E402
    cli_writes,
    reviewed_database,
    web_reviewing,
)

ROUNDS = 1_000


def timed_writes(db_file: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = cli_writes(db_file, ROUNDS)
    return time.perf_counter() - start, result.stderr.splitlines()[0]


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        alone_seconds, alone = timed_writes(reviewed_database(folder / "alone.db"))
        db_file = reviewed_database(folder / "shared.db")
        with web_reviewing(db_file) as outcome:
            shared_seconds, shared = timed_writes(db_file)
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
