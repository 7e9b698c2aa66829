"""The installed ``tracker`` executable and ``python -m tracker``, run as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

TRACKER = Path(sys.executable).parent / "tracker"


def run(*args, cwd=None):
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=60)


@pytest.mark.parametrize("command", [[str(TRACKER)], [sys.executable, "-m", "tracker"]])
def test_add_then_show(tmp_path, command):
    db = str(tmp_path / "t.db")
    added = run(
        *command,
        "--db",
        db,
        "claim",
        "add",
        "The gut leaks.",
        "--doi",
        "doi:10.3390/nu10081016",
        "--json",
    )
    assert added.returncode == 0, added.stderr
    claim = json.loads(added.stdout)
    shown = run(*command, "--db", db, "claim", "show", str(claim["id"]), "--json")
    assert json.loads(shown.stdout)["evidence"][0]["doi"] == "10.3390/nu10081016"


def test_bad_input_from_the_executable(tmp_path):
    result = run(
        str(TRACKER),
        "--db",
        str(tmp_path / "t.db"),
        "claim",
        "add",
        "x",
        "--doi",
        "10.1000",
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_default_database_is_db_tracker_db_in_the_working_folder(tmp_path):
    result = run(str(TRACKER), "init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db" / "tracker.db").exists()
