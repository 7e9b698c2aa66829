"""The web and the command line write the same database at once: a real
``tracker serve`` takes reviewers' status changes while ``tracker`` commands link,
review and add claims in another process. No command may fail as "database is locked"."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tracker.store.database import open_database

from ..helpers import BARRIER, RETINOIC, review_database, served

#: Runs ``tracker`` commands in one process, each opening the database as the command
#: line does, and prints how many failed and the first errors.
CLI_WRITES = """
import sys
from tracker.cli import cli
from tracker.errors import TrackerError
db, rounds, doi, other = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
failures = []
for number in range(rounds):
    claim = 1 + number % 7
    commands = [
        ["claim", "link", str(claim), doi, "--stance", "supports"],
        ["claim", "review", str(claim), "--status", "unsupported", "--note", f"cli {number}"],
        ["claim", "add", f"Claim number {number} from the command line.", "--doi", other],
    ]
    args = commands[number % 3]
    try:
        cli.main(["--db", db, *args], standalone_mode=False)
    except Exception as error:
        failures.append(f"{type(error).__name__}: {error}")
sys.stderr.write(f"failures: {len(failures)}\\n" + "\\n".join(failures[:5]))
"""


def web_reviewer(base: str, sign_in: str, stop: threading.Event, outcome: dict) -> None:
    session = requests.Session()
    session.get(sign_in, timeout=30)
    page = f"{base}/-/review/articles/1"
    statuses = ["supported", "partly_supported", "unsupported", "contradicted"]
    while not stop.is_set():
        opened = session.get(page, timeout=30)
        token = re.search(r'name="csrftoken" value="([^"]+)"', opened.text).group(1)
        claim = 1 + outcome["posts"] % 7
        answer = session.post(
            page,
            data={
                "csrftoken": token,
                "action": "status",
                "claim_id": str(claim),
                "status": statuses[outcome["posts"] % 4],
                "note": f"web {outcome['posts']}",
            },
            allow_redirects=False,
            timeout=30,
        )
        outcome["posts"] += 1
        if answer.status_code != 302 or "recorded" not in answer.headers.get(
            "location", ""
        ):
            outcome["failures"].append((answer.status_code, answer.text[:200]))


def reviewed_database(path: Path) -> Path:
    """The review database of the other web tests, at ``path``."""
    database = open_database(path)
    review_database(database)
    database.close()
    return path


def cli_writes(db_file: Path, rounds: int) -> subprocess.CompletedProcess:
    """``rounds`` tracker commands in another process; its stderr starts with
    ``failures: N``."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            CLI_WRITES,
            str(db_file),
            str(rounds),
            RETINOIC,
            BARRIER,
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )


@contextmanager
def web_reviewing(db_file: Path) -> Iterator[dict]:
    """``tracker serve`` on ``db_file`` and a signed-in reviewer posting status changes
    until the block ends; yields ``{"posts": N, "failures": [...]}``."""
    outcome = {"posts": 0, "failures": []}
    stop = threading.Event()
    with served(db_file) as (base, sign_in):
        reviewer = threading.Thread(
            target=web_reviewer, args=(base, sign_in, stop, outcome)
        )
        reviewer.start()
        try:
            yield outcome
        finally:
            stop.set()
            reviewer.join(60)


@pytest.mark.parametrize("rounds", [300])
def test_cli_and_web_write_side_by_side(tmp_path, rounds):
    db_file = reviewed_database(tmp_path / "tracker.db")
    with web_reviewing(db_file) as outcome:
        cli = cli_writes(db_file, rounds)
    assert cli.returncode == 0, cli.stderr
    assert cli.stderr.startswith("failures: 0"), cli.stderr[-2000:]
    assert outcome["posts"] >= 10 and outcome["failures"] == []
    log = open_database(db_file, create=False)
    by_web = list(log.query("select actor from review_log where note like 'web %'"))
    by_cli = list(log.query("select actor from review_log where note like 'cli %'"))
    # a status set to what it already is logs nothing, so at most one row per post
    assert 0 < len(by_web) <= outcome["posts"]
    assert {row["actor"] for row in by_web} == {"root"}
    assert 0 < len(by_cli) <= rounds // 3
    added = log.execute("select count(*) from claims where text like 'Claim number %'")
    assert added.fetchone()[0] == rounds // 3
