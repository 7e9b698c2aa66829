"""The errors a newcomer meets: each one line, with the SPEC's exit code."""

import socket

import pytest

from ..crossref_server import Fault
from ..helpers import BARRIER, EXAMPLE_ARTICLE, RETINOIC


def one_line(result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["resolve"],
        ["export", "bibtex"],
        ["export", "ris"],
        ["export", "bibliography"],
        ["claim", "add", "x"],
    ],
)
def test_an_article_that_does_not_exist(tracker, command):
    tracker("init")
    result = tracker(*command, "--article", "99")
    assert result.exit_code == 2
    assert one_line(result) == "Error: no article 99"


def test_an_import_with_failed_entries_exits_1_after_its_report(tracker, tmp_path):
    bib = tmp_path / "library.bib"
    bib.write_text(
        "@article{good2020, title = {Good}, year = 2020}\n\n"
        "@article{broken2021, title = {Broken} year = 2021}\n",
        encoding="utf-8",
    )
    result = tracker("import", "bibtex", str(bib))
    assert result.exit_code == 1
    assert result.stdout.startswith("2 entries: 1 imported, 0 duplicates, 1 failed.")
    assert "line 3" in result.stdout


def test_an_unreachable_api_is_one_line_naming_the_host(
    tracker, monkeypatch, closed_port
):
    monkeypatch.setenv("TRACKER_CROSSREF_API", f"http://127.0.0.1:{closed_port}")
    tracker("claim", "add", "Kept.", "--doi", BARRIER)
    result = tracker("fetch")
    assert result.exit_code == 1
    line = one_line(result)
    assert "cannot reach 127.0.0.1 (connection refused)" in line
    assert "TRACKER_OFFLINE=1" in line
    listed = tracker.json("claim", "list")
    assert listed[0]["evidence"][0]["fetch_status"] == "pending"


def test_waits_before_retries_are_announced(tracker, crossref_env):
    crossref_env.inject(Fault("retry-after", seconds=1, kind="list"))
    result = tracker("fetch", RETINOIC)
    assert result.exit_code == 0
    assert result.stdout.startswith("Fetched 1 of 1 DOI with 2 requests.")
    assert "127.0.0.1: HTTP 429; trying again in 1 s" in result.stderr


def test_serve_on_a_busy_port(tracker):
    tracker("init")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = tracker("serve", "--port", str(port))
    assert result.exit_code == 2
    assert (
        one_line(result)
        == f"Error: cannot serve on 127.0.0.1:{port}: the port is in use"
    )


def test_serve_on_a_host_that_does_not_resolve(tracker):
    tracker("init")
    result = tracker("serve", "--host", "no-such-host.invalid")
    assert result.exit_code == 2
    assert "the host name does not resolve" in one_line(result)


def test_the_database_option_after_the_command(tmp_path, tracker):
    elsewhere = tmp_path / "elsewhere.db"
    added = tracker("claim", "add", "Placed.", "--db", str(elsewhere), "--json")
    assert added.exit_code == 0
    assert elsewhere.exists() and not tracker.db_path.exists()


def test_counts_are_singular_and_plural(tracker, tmp_path):
    article = tmp_path / "one.txt"
    article.write_text(
        "One reference\n\nThe gut lining is selectively permeable to nutrients.\n\n"
        "References\n\n1. Di Tommaso N. Intestinal barrier. IJERPH. 2021;18:12836.\n",
        encoding="utf-8",
    )
    report = tracker("ingest", str(article)).stdout
    assert "  1 claim, 0 linked" in report and "  1 reference, 0 with a DOI" in report
    checked = tracker("check").stdout.splitlines()
    assert checked[-1] == "2 problems: 1 unresolved, 1 no_evidence."
    whole = tracker("ingest", str(EXAMPLE_ARTICLE)).stdout
    assert "  8 claims," in whole and "  2 references, 2 with a DOI" in whole


@pytest.mark.parametrize(
    "style, message",
    [
        ("mla", "unknown style 'mla'"),
        ("/etc/passwd", "unknown style '/etc/passwd'"),
        ("{broken}", "cannot format with style"),
    ],
)
def test_a_style_that_cannot_be_used(tracker, tmp_path, style, message):
    tracker("init")
    tracker("claim", "add", "Zinc shortens colds.", "--doi", BARRIER)
    if style == "{broken}":
        style = str(tmp_path / "broken.csl")
        (tmp_path / "broken.csl").write_text("<style", encoding="utf-8")
    result = tracker(
        "export", "bibliography", "--style", style, "-o", str(tmp_path / "out.txt")
    )
    assert result.exit_code == 2
    assert message in one_line(result)
    assert not (tmp_path / "out.txt").exists()
