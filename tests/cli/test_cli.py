import json

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.store.database import open_database

from ..helpers import all_commands

BARRIER = "10.3390/ijerph182312836"
RETINOIC = "10.3390/nu10081016"
CLAIM = "Under normal and healthy circumstances, the intestinal lining is selectively permeable."


@pytest.mark.parametrize("command", list(all_commands()), ids=" ".join)
def test_every_command_has_help(command):
    for flag in ("-h", "--help"):
        result = CliRunner().invoke(cli, [*command, flag])
        assert result.exit_code == 0
        assert "Usage: " in result.output
        assert len(result.output.splitlines()) > 3


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "tracker, version" in result.output


def test_init_reports_and_is_idempotent(tracker, db_path):
    first = tracker("init")
    assert first.exit_code == 0 and "Created" in first.output
    again = tracker.json("init")
    assert again["created"] is False and again["schema_version"] >= 1
    assert "up to date" in tracker("init").output


def test_claim_add_json_shape(tracker):
    added = tracker.json(
        "claim",
        "add",
        CLAIM,
        "--doi",
        f"doi:{BARRIER}",
        "--stance",
        "supports",
        "--note",
        "Section 2",
    )
    assert set(added) >= {"id", "text", "article_id", "status", "evidence"}
    assert (added["text"], added["article_id"], added["status"]) == (
        CLAIM,
        None,
        "unreviewed",
    )
    (item,) = added["evidence"]
    assert set(item) >= {"doi", "stance", "note", "title", "year", "container_title"}
    assert (item["doi"], item["stance"], item["note"]) == (
        BARRIER,
        "supports",
        "Section 2",
    )
    assert item["fetch_status"] == "pending"


def test_claim_show_and_list(tracker):
    tracker("claim", "add", CLAIM, "--doi", BARRIER, "--doi", RETINOIC)
    tracker("claim", "add", "Retinoic acid helps.")
    shown = tracker.json("claim", "show", "1")
    assert [item["doi"] for item in shown["evidence"]] == [BARRIER, RETINOIC]
    listed = tracker.json("claim", "list")
    assert [claim["id"] for claim in listed] == [1, 2]
    assert listed[0] == shown
    text = tracker("claim", "list").output
    assert "2 evidence" in text and "no evidence" in text
    show_text = tracker("claim", "show", "1").output
    assert BARRIER in show_text and "metadata not fetched yet" in show_text
    assert tracker.json("claim", "list", "--status", "supported") == []
    assert [c["id"] for c in tracker.json("claim", "list", "--search", "retinoic")] == [
        2
    ]


def test_link_twice_updates_and_never_duplicates(tracker, db_path):
    tracker("claim", "add", CLAIM)
    first = tracker.json(
        "claim", "link", "1", BARRIER, "--stance", "supports", "--note", "n1"
    )
    second = tracker.json(
        "claim", "link", "1", f"https://doi.org/{BARRIER}", "--quote", "Tight junctions"
    )
    assert first["id"] == second["id"]
    assert (second["stance"], second["note"], second["quote"]) == (
        "supports",
        "n1",
        "Tight junctions",
    )
    assert open_database(db_path)["evidence"].count == 1


def test_unlink(tracker):
    tracker("claim", "add", CLAIM, "--doi", BARRIER)
    result = tracker.json("claim", "unlink", "1", BARRIER)
    assert result == {"claim_id": 1, "doi": BARRIER, "unlinked": True}
    assert tracker.json("claim", "show", "1")["evidence"] == []


def test_edit_and_delete(tracker):
    tracker("claim", "add", CLAIM, "--doi", BARRIER)
    edited = tracker.json(
        "claim", "edit", "1", "--status", "partly_supported", "--text", "Edited."
    )
    assert (edited["status"], edited["text"]) == ("partly_supported", "Edited.")
    assert tracker.json("claim", "delete", "1") == {"id": 1, "deleted": True}
    assert tracker.json("claim", "list") == []


def test_json_output_is_only_json(tracker):
    result = tracker("claim", "add", CLAIM, "--doi", BARRIER, "--json")
    json.loads(result.stdout)
    assert result.stderr == ""


def test_database_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    result = CliRunner().invoke(cli, ["claim", "add", CLAIM])
    assert result.exit_code == 0
    assert open_database(path)["claims"].count == 1


def test_missing_database_folders_are_created(tmp_path):
    path = tmp_path / "new" / "folder" / "t.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "init"])
    assert result.exit_code == 0 and path.exists()


BAD_INPUT = [
    (["claim", "add", CLAIM, "--doi", "10.1000"], "'10.1000' is not a DOI"),
    (
        ["claim", "add", CLAIM, "--doi", BARRIER, "--doi", "https://example.org/x"],
        "no DOI in it",
    ),
    (["claim", "add", "   "], "claim text is empty"),
    (
        ["claim", "add", CLAIM, "--doi", BARRIER, "--stance", "agrees"],
        "'agrees' is not one of",
    ),
    (["claim", "add", CLAIM, "--article", "3"], "no article 3"),
    (["claim", "list", "--status", "done"], "'done' is not one of"),
    (["claim", "show", "7"], "no claim 7"),
    (["claim", "show", "--", "-1"], "-1 is not in the range"),
    (["claim", "show", "0"], "0 is not in the range"),
    (["claim", "show", "99999999999999999999999"], "is not in the range"),
    (["claim", "link", "7", BARRIER], "no claim 7"),
    (["claim", "link", "1", "doi:"], "is not a DOI"),
    (["claim", "link", "1", BARRIER, "--stance", "maybe"], "'maybe' is not one of"),
    (["claim", "unlink", "1", RETINOIC], "not linked"),
    (["claim", "edit", "1", "--status", "true"], "'true' is not one of"),
    (["claim", "edit", "1", "--text", ""], "claim text is empty"),
    (["claim", "delete", "8"], "no claim 8"),
    (["claim", "frobnicate"], "No such command"),
]


@pytest.mark.parametrize("args, message", BAD_INPUT, ids=lambda value: str(value)[:40])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    tracker, db_path, args, message
):
    tracker("claim", "add", CLAIM, "--doi", BARRIER)
    before = _rows(db_path)
    result = tracker(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert _rows(db_path) == before


def test_bad_input_does_not_create_a_database(tmp_path):
    path = tmp_path / "sub" / "t.db"
    result = CliRunner().invoke(
        cli, ["--db", str(path), "claim", "add", CLAIM, "--doi", "bad"]
    )
    assert result.exit_code == 2
    assert not path.exists() and not path.parent.exists()


@pytest.mark.parametrize(
    "command", [["init"], ["claim", "list"], ["claim", "add", CLAIM]]
)
def test_a_file_that_is_not_sqlite_is_refused(tmp_path, command):
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n")
    result = CliRunner().invoke(cli, ["--db", str(path), *command])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path} is not a SQLite database\n"
    assert path.read_text() == "my notes\n"


def test_reading_a_missing_database_says_how_to_create_it(tmp_path):
    path = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "claim", "list"])
    assert result.exit_code == 2
    assert "tracker init" in result.stderr
    assert not path.exists()


def _rows(db_path):
    db = open_database(db_path)
    try:
        return {
            table: [
                tuple(row) for row in db.execute(f"select * from {table} order by 1")
            ]
            for table in ("claims", "works", "evidence")
        }
    finally:
        db.close()
