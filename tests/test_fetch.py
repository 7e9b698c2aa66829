import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker import claims
from tracker.bib.citekeys import base_key, first_family
from tracker.bibliography import assign_citekeys
from tracker.crossref.bundled import bundled_message
from tracker.crossref.client import Crossref
from tracker.fetch import fetch_works

from .crossref_server import FakeCrossref, Fault
from .helpers import NEGOTIATED, PUBLIC_LIMITS, settings_for

BARRIER = "10.3390/ijerph182312836"
RETINOIC = "10.3390/nu10081016"
UNKNOWN = "10.1371/notarealdoi"


def statuses(db) -> dict[str, str]:
    return dict(db.execute("select doi, fetch_status from works").fetchall())


def test_fetches_every_recorded_work_with_few_requests(
    db, fake_crossref, settings, recorded_messages
):
    dois = sorted(recorded_messages)
    report = fetch_works(db, dois, settings=settings)
    assert sorted(report.fetched) == dois
    assert report.failed == report.not_found == []
    assert (
        report.requests == fake_crossref.requests["list"] == 2
    )  # 196 DOIs, 100 a request
    assert fake_crossref.requests["single"] == 0
    assert sum(fake_crossref.too_many.values()) == 0
    assert set(statuses(db).values()) == {"ok"}
    stored_authors = db["authors"].count
    expected = sum(
        1
        for message in recorded_messages.values()
        for author in message.get("author") or []
        if {"given", "family", "name"} & set(author)
    )
    assert stored_authors == expected


def test_fetched_works_get_distinct_keys_as_they_are_stored(
    db, settings, recorded_messages
):
    fetch_works(db, sorted(recorded_messages), settings=settings)
    rows = db.execute(
        "select works.citekey, works.year, works.title, authors.family, authors.name"
        " from works left join authors on authors.work_id = works.id"
        " and authors.position = (select min(position) from authors as a"
        "                         where a.work_id = works.id) order by works.id"
    ).fetchall()
    keys = [key for key, *_ in rows]
    assert len(rows) == len(recorded_messages) and None not in keys
    assert len({key.lower() for key in keys}) == len(keys)
    for key, year, title, family, name in rows:
        first = first_family(
            [{"family": family, "name": name}] if family or name else []
        )
        assert key.startswith(base_key(first, year, title))
    assert assign_citekeys(db, [row[0] for row in db.execute("select id from works")])
    assert [
        row[0] for row in db.execute("select citekey from works order by id")
    ] == keys


def test_stored_metadata(db, settings):
    fetch_works(db, [f"doi:{RETINOIC}"], settings=settings)
    work = db.execute("select * from works where doi = ?", [RETINOIC]).fetchone()
    row = dict(
        zip(
            [d[0] for d in db.execute("select * from works").description],
            work,
            strict=True,
        )
    )
    assert row["title"] == "Retinoic Acid, Leaky Gut, and Autoimmune Diseases"
    assert (
        row["container_title"],
        row["year"],
        row["volume"],
        row["issue"],
        row["page"],
    ) == (
        "Nutrients",
        2018,
        "10",
        "8",
        "1016",
    )
    assert (row["fetch_status"], row["metadata_source"]) == ("ok", "crossref")
    assert json.loads(row["raw"])["DOI"] == RETINOIC
    assert row["fetched_at"].endswith("Z")
    authors = list(
        db.query("select position, given, family from authors order by position")
    )
    assert authors == [
        {"position": 1, "given": "Leila", "family": "Abdelhamid"},
        {"position": 2, "given": "Xin M.", "family": "Luo"},
    ]


def test_not_in_crossref_goes_to_content_negotiation(db, fake_crossref, settings):
    report = fetch_works(db, [RETINOIC, *NEGOTIATED, UNKNOWN], settings=settings)
    assert sorted(report.fetched) == sorted([RETINOIC, *NEGOTIATED])
    assert report.not_found == [UNKNOWN]
    assert report.sources["10.5281/zenodo.3699950"] == "datacite"
    assert report.sources["10.2760/283135"] == "op"
    row = next(db.query("select * from works where doi = '10.5281/zenodo.3699950'"))
    assert (row["type"], row["publisher"], row["metadata_source"]) == (
        "dataset",
        "Zenodo",
        "datacite",
    )
    assert statuses(db)[UNKNOWN] == "not_found"
    negotiated = [path for kind, path in fake_crossref.log if kind == "negotiation"]
    assert any(path.startswith("/resolver/10.1371/notarealdoi") for path in negotiated)


def test_known_dois_are_not_fetched_again_unless_refreshed(db, fake_crossref, settings):
    fetch_works(db, [RETINOIC], settings=settings)
    again = fetch_works(db, [RETINOIC], settings=settings)
    assert again.already_stored == [RETINOIC] and again.requests == 0
    refreshed = fetch_works(db, [RETINOIC], refresh=True, settings=settings)
    assert refreshed.fetched == [RETINOIC] and refreshed.requests == 1


def test_without_dois_fetches_pending_and_failed_works(db, fake_crossref, settings):
    claims.add_claim(db, "The gut leaks.", dois=[BARRIER, RETINOIC])
    db.execute("update works set fetch_status = 'error' where doi = ?", [RETINOIC])
    report = fetch_works(db, settings=settings)
    assert sorted(report.fetched) == [BARRIER, RETINOIC]
    assert fetch_works(db, settings=settings).requested == []


def test_refresh_keeps_ids_keys_and_links(db, fake_crossref, settings):
    claims.add_claim(db, "The gut leaks.", dois=[RETINOIC], stance="supports")
    fetch_works(db, settings=settings)
    db.execute("update works set citekey = 'abdelhamid2018retinoic'")
    before = db.execute("select id from works").fetchall()
    fetch_works(db, refresh=True, settings=settings)
    assert db.execute("select id, citekey from works").fetchall() == [
        (before[0][0], "abdelhamid2018retinoic")
    ]
    assert claims.get_claim(db, 1)["evidence"][0]["title"].startswith("Retinoic Acid")


def test_a_failed_refresh_loses_nothing(db, fake_crossref, settings):
    fetch_works(db, [RETINOIC], settings=settings)
    fake_crossref.inject(Fault("status", status=500, times=50))
    report = fetch_works(db, [RETINOIC], refresh=True, settings=settings)
    assert report.failed == [RETINOIC]
    row = next(db.query("select * from works"))
    assert row["fetch_status"] == "ok" and row["title"].startswith("Retinoic Acid")
    assert "500" in row["fetch_error"]


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", status=503, times=2),
        Fault("status", status=502),
        Fault("status", status=504),
        Fault("status", status=500),
        Fault("truncate"),
        Fault("invalid-json", times=2),
        Fault("slow", seconds=3.0),
        Fault("reset"),
    ],
    ids=lambda fault: (
        f"{fault.action}-{fault.status if fault.action == 'status' else fault.times}"
    ),
)
@pytest.mark.parametrize("kind", ["list", "single"])
def test_faults_are_retried_and_nothing_is_lost(
    db, fake_crossref, settings, fault, kind, recorded_messages
):
    dois = sorted(recorded_messages)[:30]
    if kind == "single":
        fake_crossref.unlisted.add(dois[0])  # the list leaves it out: asked for singly
    fake_crossref.inject(
        Fault(fault.action, fault.times, kind, fault.status, fault.seconds)
    )
    report = fetch_works(db, dois, settings=settings)
    assert sorted(report.fetched) == dois
    assert report.failed == []
    assert report.requests == sum(fake_crossref.requests.values())
    without_faults = 1 if kind == "list" else 2
    assert report.requests == without_faults + fault.times


def test_429_with_retry_after_is_honoured(db, fake_crossref, settings):
    fake_crossref.inject(Fault("retry-after", seconds=1, kind="single"))
    start = time.monotonic()
    report = fetch_works(db, [UNKNOWN, RETINOIC], settings=settings)
    assert time.monotonic() - start >= 1.0
    assert report.fetched == [RETINOIC] and report.not_found == [UNKNOWN]
    assert report.too_many_requests == 1


def test_a_bad_doi_does_not_spoil_the_batch(
    db, fake_crossref, settings, recorded_messages
):
    broken = "10.1000/always-broken"
    fake_crossref.inject(
        Fault("status", status=503, times=1000, kind="single", doi=broken)
    )
    dois = [*sorted(recorded_messages)[:20], broken]
    report = fetch_works(db, dois, settings=settings)
    assert report.failed == [broken]
    assert "503" in report.errors[broken]
    assert sorted(report.fetched) == sorted(recorded_messages)[:20]
    row = next(
        db.query("select fetch_status, fetch_error from works where doi = ?", [broken])
    )
    assert row["fetch_status"] == "error" and "503" in row["fetch_error"]
    # bounded: the first request and five retries
    broken_requests = [
        path
        for kind, path in fake_crossref.log
        if kind == "single" and "always-broken" in path
    ]
    assert len(broken_requests) == 6


def test_public_pool_limits_are_never_exceeded(db, recorded_messages, monkeypatch):
    monkeypatch.setattr("tracker.crossref.client.MAX_DOIS_PER_LIST", 10)
    unknown = [f"10.5555/missing-{n}" for n in range(8)]
    with FakeCrossref(recorded_messages, limits=PUBLIC_LIMITS, pool="public") as server:
        report = fetch_works(
            db,
            [*sorted(recorded_messages)[:40], *unknown],
            settings=settings_for(server, mailto=None),
        )
    assert len(report.fetched) == 40 and sorted(report.not_found) == sorted(unknown)
    assert sum(server.too_many.values()) == 0
    assert server.peak_in_flight["list"] == server.peak_in_flight["single"] == 1
    assert server.requests["list"] == 5


def test_polite_pool_runs_three_list_requests_at_a_time(
    db, recorded_messages, monkeypatch
):
    monkeypatch.setattr("tracker.crossref.client.MAX_DOIS_PER_LIST", 10)
    with FakeCrossref(
        recorded_messages, limits={"list": (3, 3)}, latency=1.0
    ) as server:
        report = fetch_works(
            db, sorted(recorded_messages)[:60], settings=settings_for(server)
        )
    assert len(report.fetched) == 60
    assert server.peak_in_flight["list"] == 3
    assert sum(server.too_many.values()) == 0


def test_announced_lower_limits_are_obeyed(db, recorded_messages, monkeypatch):
    monkeypatch.setattr("tracker.crossref.client.MAX_DOIS_PER_LIST", 5)
    with FakeCrossref(
        recorded_messages, limits={"list": (2, 1)}, latency=0.05
    ) as server:
        report = fetch_works(
            db, sorted(recorded_messages)[:40], settings=settings_for(server)
        )
    assert len(report.fetched) == 40
    assert sum(server.too_many.values()) == 0
    assert server.peak_in_flight["list"] == 1


def test_polite_requests_identify_the_tracker(db, fake_crossref, settings):
    fetch_works(db, [RETINOIC, UNKNOWN], settings=settings)
    (agent,) = fake_crossref.user_agents
    assert agent.startswith("evidence-tracker/") and "mailto:tests@example.org" in agent
    assert all(
        "mailto=tests%40example.org" in path or "mailto=tests@example.org" in path
        for kind, path in fake_crossref.log
        if kind in ("list", "single")
    )


def test_offline_makes_no_request_and_uses_the_bundled_records(db, fake_crossref):
    settings = settings_for(fake_crossref, offline=True)
    report = fetch_works(db, [BARRIER, RETINOIC, UNKNOWN], settings=settings)
    assert sorted(report.fetched) == [BARRIER, RETINOIC]
    assert report.missing_offline == [UNKNOWN]
    assert not report.complete
    assert sum(fake_crossref.requests.values()) == 0
    title = db.execute("select title from works where doi = ?", [BARRIER]).fetchone()[0]
    assert title == "Intestinal Barrier in Human Health and Disease"
    assert statuses(db)[UNKNOWN] == "pending"


def test_the_example_records_ship_with_the_package():
    assert bundled_message(f"https://doi.org/{BARRIER}")["title"] == [
        "Intestinal Barrier in Human Health and Disease"
    ]
    assert bundled_message(UNKNOWN) is None


def test_chunks_stay_under_the_url_limit(settings):
    client = Crossref(settings)
    long_dois = [
        f"10.1002/(sici)1097-4636(199603)30:3<369::aid-jbm12>3.0.co;2-{n}"
        for n in range(200)
    ]
    chunks = client.chunks(long_dois)
    assert [doi for chunk in chunks for doi in chunk] == long_dois
    assert all(len(client.list_url(chunk)) <= 4000 for chunk in chunks)
    assert all(
        len(client.list_url([*chunk, "10.1000/x" * 10])) > 4000 for chunk in chunks[:-1]
    )
    short = client.chunks([f"10.3390/nu{n}" for n in range(250)])
    assert [len(chunk) for chunk in short] == [100, 100, 50]
    assert client.chunks(["10.1000/a,b", "10.1000/c"]) == [["10.1000/c"]]


def test_a_run_killed_half_way_keeps_what_it_fetched(tmp_path, recorded_messages):
    """SIGKILL after the first list request: its works stay; the next run finishes."""
    db_path = tmp_path / "t.db"
    dois = sorted(recorded_messages)
    with FakeCrossref(
        recorded_messages, limits=PUBLIC_LIMITS, latency=0.3, pool="public"
    ) as server:
        env = {
            **os.environ,
            "TRACKER_DB": str(db_path),
            "TRACKER_CROSSREF_API": server.url,
            "TRACKER_DOI_RESOLVER": server.resolver_url,
        }
        env.pop("TRACKER_MAILTO", None)
        tracker = str(Path(sys.executable).parent / "tracker")
        process = subprocess.Popen(
            [tracker, "fetch", *dois],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and _count_ok(db_path) == 0:
                time.sleep(0.02)
            os.kill(process.pid, signal.SIGKILL)
        finally:
            process.wait()
        kept = _count_ok(db_path)
        assert 0 < kept < len(dois)
        first_run = server.requests["list"]
        time.sleep(
            1.1
        )  # the public pool's one list request a second spans processes too
        finished = subprocess.run(
            [tracker, "fetch", "--json"], env=env, capture_output=True, text=True
        )
        assert finished.returncode == 0, finished.stderr
        report = json.loads(finished.stdout)
        assert len(report["fetched"]) == len(dois) - kept
        assert _count_ok(db_path) == len(dois)
        assert server.requests["list"] - first_run == report["requests"] == 1
        assert sum(server.too_many.values()) == 0


def _count_ok(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    try:
        connection = sqlite3.connect(db_path, timeout=5)
        try:
            return connection.execute(
                "select count(*) from works where fetch_status = 'ok'"
            ).fetchone()[0]
        finally:
            connection.close()
    except sqlite3.OperationalError:
        return 0


def test_cli_fetch_json(tracker, crossref_env):
    report = tracker.json(
        "fetch",
        f"https://doi.org/{RETINOIC}",
        "10.1371/NOTAREALDOI",
        "10.5281/zenodo.3699950",
    )
    assert set(report) >= {"requested", "fetched", "not_found", "failed", "requests"}
    assert report["requested"] == [RETINOIC, UNKNOWN, "10.5281/zenodo.3699950"]
    assert sorted(report["fetched"]) == ["10.3390/nu10081016", "10.5281/zenodo.3699950"]
    assert report["not_found"] == [UNKNOWN] and report["failed"] == []
    assert report["requests"] == sum(crossref_env.requests.values())
    shown = tracker("claim", "add", "Retinoic acid matters.", "--doi", RETINOIC).output
    assert "Retinoic Acid, Leaky Gut, and Autoimmune Diseases. Nutrients. 2018" in shown


def test_cli_fetch_text_summary_and_exit_code(tracker, crossref_env):
    crossref_env.inject(
        Fault("status", status=503, times=100, kind="single", doi="10.1000/broken")
    )
    result = tracker("fetch", RETINOIC, "10.1000/broken")
    assert result.exit_code == 1
    # one list request, then the broken DOI alone: one request and five retries
    assert result.stdout.splitlines()[0] == "Fetched 1 of 2 DOIs with 7 requests."
    assert "Failed: 10.1000/broken: HTTP 503" in result.stdout
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_cli_fetch_reads_dois_from_standard_input(tracker, crossref_env):
    report = tracker.json(
        "fetch",
        "-",
        input=f"doi:{RETINOIC}\nhttps://doi.org/10.3390/IJERPH182312836 \n\n",
    )
    assert report["requested"] == [RETINOIC, BARRIER]
    assert sorted(report["fetched"]) == [BARRIER, RETINOIC]


def test_cli_fetch_offline(tracker, crossref_env, monkeypatch):
    monkeypatch.setenv("TRACKER_OFFLINE", "1")
    complete = tracker("fetch", BARRIER, RETINOIC)
    assert complete.exit_code == 0
    missing = tracker("fetch", UNKNOWN)
    assert missing.exit_code == 1
    assert f"Offline, no stored metadata for 1: {UNKNOWN}" in missing.stdout
    assert sum(crossref_env.requests.values()) == 0


@pytest.mark.parametrize(
    "args, stdin, env, message",
    [
        (["10.1000"], None, {}, "'10.1000' is not a DOI"),
        (["-"], "10.3390/nu10081016\nnot-a-doi\n", {}, "standard input, line 2"),
        (
            [RETINOIC],
            None,
            {"TRACKER_MAILTO": "nobody"},
            "TRACKER_MAILTO='nobody' is not an e-mail address",
        ),
        (
            [RETINOIC],
            None,
            {"TRACKER_CROSSREF_API": "ftp://example.org"},
            "TRACKER_CROSSREF_API",
        ),
    ],
)
def test_cli_fetch_bad_input(
    tracker, crossref_env, monkeypatch, db_path, args, stdin, env, message
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = tracker("fetch", *args, input=stdin)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not db_path.exists()
    assert sum(crossref_env.requests.values()) == 0


def test_random_429s_slow_the_pool_but_every_doi_arrives(db, recorded_messages):
    """A server that refuses 15% of what it admits, with Retry-After: every DOI is
    fetched one by one, no request goes over the limits, and the pace recovers."""
    from .helpers import POLITE_LIMITS

    messages = dict(sorted(recorded_messages.items())[:10])
    with FakeCrossref(
        messages,
        limits=POLITE_LIMITS,
        unlisted=set(messages),
        refusal_share=0.15,
        refusal_wait="0",
    ) as server:
        client = Crossref(settings_for(server))
        report = fetch_works(
            db, list(messages), settings=client.settings, client=client
        )
        refused = sum(server.refused_by_chance.values())
        over_limits = sum(server.too_many.values()) - refused
    assert sorted(report.fetched) == sorted(messages)
    assert refused >= 2 and over_limits == 0
    assert report.too_many_requests == refused
    throttles = client.throttles.values()
    assert sum(throttle.refusals for throttle in throttles) == refused
    # answers after the last refusal brought the pace back up
    assert client.throttles["single"].factor > 0.5
