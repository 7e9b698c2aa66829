import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tracker import claims
from tracker.web.serve import (
    CONFIG_DIR,
    datasette_app,
    datasette_arguments,
    datasette_metadata,
)

BARRIER = "10.3390/ijerph182312836"
SICI = "10.1002/(sici)1097-4636(199603)30:3<369::aid-jbm12>3.0.co;2-f"


@pytest.fixture
def ds(db, db_path):
    claims.add_claim(
        db,
        "The gut lining is selectively permeable.",
        dois=[BARRIER],
        stance="supports",
    )
    db.execute(
        "update works set title = 'Intestinal Barrier <script>alert(1)</script>', year = 2021,"
        " container_title = 'Int J Environ Res Public Health', type = 'journal-article',"
        " fetch_status = 'ok' where doi = ?",
        [BARRIER],
    )
    claims.add_claim(db, "SICI DOIs render safely.", dois=[SICI])
    app = datasette_app(db_path)
    yield app


def get(app, path):
    return asyncio.run(app.client.get(path))


def test_metadata_merges_description_and_table_configuration(tmp_path):
    metadata = datasette_metadata(tmp_path / "review.db")
    assert metadata["title"] == "Evidence tracker"
    tables = metadata["databases"]["review"]["tables"]
    assert set(tables) >= {
        "articles",
        "claims",
        "works",
        "authors",
        "evidence",
        "citations",
        "claim_evidence",
    }
    for name, table in tables.items():
        assert table.get("description"), name
    assert tables["claims"]["label_column"] == "text"
    assert tables["works"]["label_column"] == "title"
    assert tables["evidence"]["facets"] == ["stance"]
    assert tables["claims"]["columns"]["status"].startswith("Review verdict")


def test_configuration_keys_are_kept_apart_for_datasette_1(tmp_path):
    """Datasette 1.0 takes descriptions from metadata and behaviour from datasette.yaml."""
    import yaml

    config_keys = {
        "label_column",
        "facets",
        "sort",
        "sort_desc",
        "size",
        "hidden",
        "queries",
        "allow",
    }
    described = yaml.safe_load((CONFIG_DIR / "metadata.yml").read_text())
    for table in described["databases"]["tracker"]["tables"].values():
        assert not config_keys & set(table)


def test_arguments_bind_to_localhost_by_default(tmp_path):
    args = datasette_arguments(tmp_path / "t.db", tmp_path / "m.json")
    assert args[args.index("--host") + 1] == "127.0.0.1"


def test_suggested_facets_are_off_in_the_app_and_on_the_command_line(ds, tmp_path):
    args = datasette_arguments(tmp_path / "t.db", tmp_path / "m.json")
    assert args[args.index("--setting") + 1 : args.index("--setting") + 3] == [
        "suggest_facets",
        "off",
    ]
    data = get(ds, "/tracker/works.json?_extra=suggested_facets").json()
    assert data["suggested_facets"] == []


def test_the_home_page_leads_to_the_review_pages(ds):
    page = get(ds, "/")
    assert page.status_code == 200
    assert "Evidence tracker" in page.text
    assert '<a href="-/review">Start reviewing</a>' in page.text
    assert get(ds, "/-/review").status_code == 200


def test_evidence_rows_show_claim_text_and_work_title(ds):
    page = get(ds, "/tracker/evidence")
    assert ">The gut lining is selectively permeable.</a>" in page.text
    assert "Intestinal Barrier &lt;script&gt;alert(1)&lt;/script&gt;</a>" in page.text
    labelled = get(ds, "/tracker/evidence.json?_labels=on&_shape=array").json()
    assert labelled[0]["claim_id"] == {
        "value": 1,
        "label": "The gut lining is selectively permeable.",
    }


@pytest.mark.parametrize(
    "path, facets",
    [
        ("claims.json?", {"status"}),
        ("evidence.json?", {"stance"}),
        ("works.json?", {"fetch_status", "type", "year"}),
        # Views have no configured facets (each would count every row); they facet on request.
        (
            "claim_evidence.json?_facet=stance&_facet=claim_status&_facet=year&",
            {"stance", "claim_status", "year"},
        ),
    ],
)
def test_facets(ds, path, facets):
    data = get(ds, f"/tracker/{path}_extra=facet_results").json()
    assert facets <= set(data["facet_results"])


def test_claim_evidence_view(ds):
    rows = get(ds, "/tracker/claim_evidence.json?_shape=array").json()
    assert [row["claim"] for row in rows] == [
        "The gut lining is selectively permeable.",
        "SICI DOIs render safely.",
    ]
    assert rows[0]["work_title"].startswith("Intestinal Barrier")
    assert (rows[0]["year"], rows[0]["journal"]) == (
        2021,
        "Int J Environ Res Public Health",
    )
    assert rows[0]["doi_url"] == f"https://doi.org/{BARRIER}"


def test_dois_are_links_and_markup_is_escaped(ds):
    page = get(ds, "/tracker/claim_evidence").text
    assert f'<a href="https://doi.org/{BARRIER}">{BARRIER}</a>' in page
    assert "<script>alert(1)</script>" not in page
    assert "%3C369::aid-jbm12%3E" in page
    assert "&lt;369::aid-jbm12&gt;" in page


def test_datasette_enforces_foreign_keys(ds):
    database = ds.get_database("tracker")

    async def write():
        await database.execute_write(
            "insert into evidence (claim_id, work_id, stance) values (999, 1, 'supports')"
        )

    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        asyncio.run(write())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port``, from /proc/net/tcp."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                addresses.add(address)
    return addresses


def test_tracker_serve_answers_on_localhost_only(db, db_path):
    claims.add_claim(db, "Served claim.")
    port = free_port()
    tracker = Path(sys.executable).parent / "tracker"
    server = subprocess.Popen(
        [str(tracker), "--db", str(db_path), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        rows = None
        for _ in range(100):
            try:
                response = requests.get(
                    f"http://127.0.0.1:{port}/tracker/claims.json?_shape=array",
                    timeout=2,
                )
                rows = response.json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert rows and rows[0]["text"] == "Served claim."
        if os.path.exists("/proc/net/tcp"):
            assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_review_style_sheet_is_linked_and_served(ds):
    page = get(ds, "/tracker/claim_evidence").text
    link = "/-/static-plugins/evidence-tracker/review.css"
    assert f'<link rel="stylesheet" href="{link}">' in page
    css = get(ds, link)
    assert css.status_code == 200 and "td.col-claim" in css.text


def test_the_plugin_is_installed_and_leaves_other_databases_alone(ds, tmp_path):
    """Registered through the package's entry point; on a database tracker serve did
    not configure, no DOI becomes a link and foreign keys stay as SQLite has them."""
    from datasette.app import Datasette

    plugins = {plugin["name"] for plugin in get(ds, "/-/plugins.json").json()}
    assert "evidence-tracker" in plugins
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("create table papers (doi text, title text)")
    connection.execute("insert into papers values ('10.1000/x', '<b>Bold</b>')")
    connection.commit()
    connection.close()
    page = get(Datasette([str(other)]), "/other/papers").text
    assert "https://doi.org/10.1000/x" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page
    assert "static-plugins/evidence-tracker" not in page
