"""Bad input, tried as an attacker or a careless user would: every case ends in one
line on stderr, exit code 2, no traceback, and the database exactly as it was."""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli

from ..helpers import BARRIER, EXAMPLE_ARTICLE

#: A byte that is not UTF-8, as Python hands it over from the command line.
NOT_UTF8 = "\udcff"


def files_beside(path: Path) -> list[str]:
    """The files in the database's folder, but SQLite's own -wal and -shm, which live
    as long as a connection does."""
    return sorted(
        name for name in os.listdir(path.parent) if not name.endswith(("-wal", "-shm"))
    )


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture
def stocked(tmp_path) -> Path:
    """A tracker database with the example article, a claim and a link."""
    path = tmp_path / "stocked.db"
    runner = CliRunner()
    for args in (
        ["ingest", str(EXAMPLE_ARTICLE)],
        ["claim", "add", "Kept as it was.", "--doi", BARRIER, "--stance", "supports"],
    ):
        result = runner.invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 0, result.output
    gc.collect()  # close the commands' connections: SQLite removes its -wal file
    return path


def run(path: Path, args: list[str], input: bytes | str | None = None):
    return CliRunner().invoke(cli, ["--db", str(path), *args], input=input)


def assert_refused(result, contains: str | None = None) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    if contains:
        assert contains in lines[0], lines[0]
    return lines[0]


def make_files(folder: Path) -> dict[str, str]:
    """Files that are not articles, by name."""
    folder.mkdir()
    utf16_noise = folder / "noise.txt"
    utf16_noise.write_bytes(b"\xff\xfe" + os.urandom(4000))
    fifo = folder / "fifo.txt"
    os.mkfifo(fifo)
    under_a_file = folder / "plain.txt"
    under_a_file.write_text("text", encoding="utf-8")
    return {
        "UTF16_NOISE": str(utf16_noise),
        "FIFO": str(fifo),
        "FOLDER": str(folder),
        "UNDER_A_FILE": str(under_a_file / "out.bib"),
    }


# (name, arguments, standard input, words the error must contain)
CASES = [
    ("claim text not UTF-8", ["claim", "add", f"Bad {NOT_UTF8} text."], None, "UTF-8"),
    ("note not UTF-8", ["claim", "add", "Fine.", "--note", NOT_UTF8], None, "UTF-8"),
    (
        "title not UTF-8",
        ["ingest", str(EXAMPLE_ARTICLE), "--title", NOT_UTF8],
        None,
        "UTF-8",
    ),
    (
        "url not UTF-8",
        ["ingest", str(EXAMPLE_ARTICLE), "--url", NOT_UTF8],
        None,
        "UTF-8",
    ),
    ("search not UTF-8", ["claim", "list", "--search", NOT_UTF8], None, "UTF-8"),
    (
        "DOI not UTF-8",
        ["claim", "add", "Fine.", "--doi", f"10.1234/{NOT_UTF8}"],
        None,
        "UTF-8",
    ),
    ("DOI on stdin not UTF-8", ["fetch", "-"], b"10.1234/\xff\xfe\n", "UTF-8"),
    ("source path not UTF-8", ["ingest", f"/tmp/{NOT_UTF8}.txt"], None, "UTF-8"),
    (
        "broken web address as DOI",
        ["claim", "add", "Fine.", "--doi", "https://[abc/10.1234/x"],
        None,
        "DOI",
    ),
    ("40-digit claim id", ["claim", "show", "9" * 40], None, None),
    ("superscript claim id", ["claim", "show", "²"], None, None),
    ("40-digit work id", ["work", "key", "9" * 40, "key2020"], None, None),
    ("superscript work id", ["work", "key", "²", "key2020"], None, None),
    *[
        (
            f"DOI with {name}",
            ["claim", "add", "Fine.", "--doi", f"10.1234/a{char}b"],
            None,
            "control",
        )
        for name, char in [
            ("NUL", "\x00"),
            ("ESC", "\x1b[31m"),
            ("bidi override", "\u202e"),
            ("BEL", "\x07"),
            ("DEL", "\x7f"),
        ]
    ],  # fmt: skip
    (
        "DOI of 5,000 characters",
        ["claim", "add", "Fine.", "--doi", "10.1234/" + "x" * 5000],
        None,
        "long",
    ),
    (
        "Arabic-Indic digits in the prefix",
        ["claim", "add", "Fine.", "--doi", "10.١٢٣٤/x"],
        None,
        "prefix",
    ),
    (
        "a letter in the prefix",
        ["claim", "add", "Fine.", "--doi", "10.12a4/x"],
        None,
        "prefix",
    ),
    ("DOI with NUL on stdin", ["fetch", "-"], "10.1234/a\x00b\n", "control"),
    ("ingest /dev/zero", ["ingest", "/dev/zero"], None, "not a regular file"),
    ("ingest a FIFO", ["ingest", "FIFO"], None, "not a regular file"),
    ("ingest a folder", ["ingest", "FOLDER"], None, "folder"),
    ("ingest UTF-16 noise", ["ingest", "UTF16_NOISE"], None, "text"),
    (
        "ingest binary on stdin",
        ["ingest", "-"],
        b"\xff\xfe" + bytes(range(256)) * 20,
        "text",
    ),
    ("import a FIFO", ["import", "bibtex", "FIFO"], None, "not a regular file"),
    ("import /dev/zero", ["import", "bibtex", "/dev/zero"], None, "not a regular file"),
    ("parse a FIFO", ["parse", "FIFO"], None, "not a regular file"),
    (
        "export under a file",
        ["export", "bibtex", "-o", "UNDER_A_FILE"],
        None,
        "cannot write",
    ),
    (
        "report under a file",
        ["report", "--article", "1", "-o", "UNDER_A_FILE"],
        None,
        "cannot write",
    ),
    ("export into a folder", ["export", "csl-json", "-o", "FOLDER"], None, "directory"),
    ("check an unknown article", ["check", "--article", "99"], None, "no article 99"),
    (
        "resolve an unknown article",
        ["resolve", "--article", "99"],
        None,
        "no article 99",
    ),
    ("report an unknown article", ["report", "--article", "99"], None, "no article 99"),
]


@pytest.mark.parametrize(
    "args, stdin, contains",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_is_one_line_and_changes_nothing(
    stocked, tmp_path, args, stdin, contains
):
    files = make_files(tmp_path / "files")
    args = [files.get(arg, arg) for arg in args]
    before = dump(stocked)
    listing = files_beside(stocked)
    result = run(stocked, args, stdin)
    assert_refused(result, contains)
    assert dump(stocked) == before
    assert files_beside(stocked) == listing


def test_a_full_width_doi_prefix_is_folded(stocked):
    result = run(
        stocked,
        ["claim", "add", "Folded.", "--doi", "10.３３９０/nu10081016", "--json"],
    )
    assert result.exit_code == 0, result.output
    assert '"doi": "10.3390/nu10081016"' in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes any file")
def test_unreadable_and_unwritable_files(stocked, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("An article.", encoding="utf-8")
    secret.chmod(0)
    assert_refused(run(stocked, ["ingest", str(secret)]), "permission")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    assert_refused(
        run(stocked, ["export", "bibtex", "-o", str(locked / "x.bib")]), "permission"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["claim", "list"],
        ["claim", "show", "1"],
        ["check"],
        ["citation", "list"],
        ["export", "bibtex"],
        ["report", "--article", "1"],
    ],
    ids=lambda args: " ".join(args),
)
@pytest.mark.parametrize("kind", ["empty file", "another program's database"])
def test_reading_commands_never_write_a_foreign_file(tmp_path, args, kind):
    path = tmp_path / "other.db"
    if kind == "empty file":
        path.write_bytes(b"")
    else:
        connection = sqlite3.connect(path)
        connection.execute("create table notes (id integer primary key, body text)")
        connection.execute("insert into notes (body) values ('mine')")
        connection.commit()
        connection.close()
    before = path.read_bytes()
    assert_refused(run(path, args), "not a tracker database")
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["other.db"]


def test_init_makes_an_empty_file_a_tracker_database(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert run(path, ["init"]).exit_code == 0
    assert run(path, ["claim", "list"]).exit_code == 0


def test_terminal_escapes_in_stored_text_are_shown_visibly(tmp_path):
    path = tmp_path / "tracker.db"
    article = tmp_path / "escape.txt"
    article.write_text(
        "Escapes\n\nThe gut lining \x1b]0;owned\x07 is selectively permeable to nutrients.\n",
        encoding="utf-8",
    )
    assert run(path, ["ingest", str(article)]).exit_code == 0
    added = run(path, ["claim", "add", "Red \x1b[31malert\x1b[0m and \u202ereversed."])
    assert added.exit_code == 0
    for claim_id in ("1", "2"):
        shown = run(path, ["claim", "show", claim_id]).stdout
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\\x1b]0;owned\\x07" in run(path, ["claim", "show", "1"]).stdout
    assert "\\x1b[31malert" in run(path, ["claim", "list"]).stdout
    assert "\\u202e" in run(path, ["claim", "show", "2"]).stdout


def test_arguments_not_utf8_from_a_real_shell(stocked):
    """The bytes reach Python through the operating system, not a test runner."""
    before = dump(stocked)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "--db",
            str(stocked),
            "claim",
            "add",
            b"Bad \xff text.".decode("utf-8", "surrogateescape"),
        ],
        capture_output=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    assert result.returncode == 2
    assert result.stderr.count(b"\n") == 1 and b"Traceback" not in result.stderr
    assert b"UTF-8" in result.stderr
    assert dump(stocked) == before


def test_a_fifo_with_no_writer_does_not_hang(stocked, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    outcome = {}
    worker = threading.Thread(
        target=lambda: outcome.setdefault("result", run(stocked, ["ingest", str(fifo)]))
    )
    worker.start()
    worker.join(10)
    if worker.is_alive():
        with open(fifo, "wb"):
            pass
        worker.join()
        pytest.fail("ingest waited for a writer on a FIFO")
    assert_refused(outcome["result"], "not a regular file")
