"""What the tests share besides fixtures: paths to the material, recorded Crossref
records, settings pointing at the fake Crossref, and a runner for ``tracker``."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CROSSREF = FIXTURES / "crossref"
#: The shared material (articles, .bib files, recorded Crossref responses) lives beside
#: the checkout; tests that need its third-party texts skip when it is absent.
SHARED = Path(os.environ.get("TRACKER_SHARED", REPO.parent / "shared"))
EXAMPLE_ARTICLE = REPO / "examples" / "leaky-gut.txt"
#: The example article's two works.
BARRIER = "10.3390/ijerph182312836"
RETINOIC = "10.3390/nu10081016"

#: Limits the fake Crossref enforces: Crossref's polite pool since 1 December 2025.
POLITE_LIMITS = {"single": (10, 3), "list": (3, 3), "negotiation": (10, 3)}
PUBLIC_LIMITS = {"single": (5, 1), "list": (1, 1), "negotiation": (5, 1)}
#: DOIs of other registration agencies, answered by content negotiation.
NEGOTIATED = {
    "10.5281/zenodo.3699950": (
        "cn_datacite_csl-json_10.5281__zenodo.3699950.json",
        "datacite",
    ),
    "10.15497/rda00052": ("cn_datacite_csl-json_10.15497__rda00052.json", "datacite"),
    "10.2760/283135": ("cn_op-publications-europa_csl-json_10.2760__283135.json", "op"),
}


def shared_path(*parts: str) -> Path:
    """A path inside ../shared/, skipping the test when that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is not available (the shared material sits beside the checkout)"
        )
    return path


def shared_articles() -> list[tuple[str, dict]]:
    """(name, expected) for every article in ../shared/articles/ with its JSON."""
    folder = SHARED / "articles"
    if not folder.exists():
        return []
    return [
        (path.stem, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(folder.glob("*.json"))
    ]


def recorded_work(doi: str) -> dict:
    """The recorded Crossref message of one work (the example's two are in seed/)."""
    name = doi.replace("/", "__") + ".json"
    path = CROSSREF / "works" / name
    if not path.exists():
        path = CROSSREF / "seed" / name
    return json.loads(path.read_text(encoding="utf-8"))["message"]


def negotiated_items() -> tuple[dict[str, dict], dict[str, str]]:
    items, agencies = {}, {}
    for doi, (name, agency) in NEGOTIATED.items():
        items[doi] = json.loads((CROSSREF / "other" / name).read_text(encoding="utf-8"))
        agencies[doi] = agency
    return items, agencies


def settings_for(server, mailto: str | None = "tests@example.org", **overrides):
    """Settings that send the tracker to ``server`` (a FakeCrossref), with short
    timeouts and back-off."""
    from tracker.settings import Settings

    values = {
        "crossref_api": server.url,
        "doi_resolver": server.resolver_url,
        "mailto": mailto,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "backoff_factor": 0.05,
        **overrides,
    }
    return Settings(**values)


class Tracker:
    """Runs ``tracker`` commands in-process against one database."""

    def __init__(self, db_path: Path):
        from tracker.cli import cli

        self.cli = cli
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(
            self.cli,
            ["--db", str(self.db_path), *args],
            input=input,
            catch_exceptions=False,
        )

    def json(self, *args: str, input: str | None = None):
        result = self(*args, "--json", input=input)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


def all_commands(group=None, prefix=()):
    """Every command and subcommand of ``tracker``, as tuples of names."""
    import click

    from tracker.cli import cli

    group = group or cli
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


#: Text that would run if a page or a report put it into HTML unescaped.
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
#: A corrected work of the recordings, made retracted (and hostile) for the review pages.
FLAGGED = "10.1371/journal.pone.0033693"


def review_database(db) -> dict[str, int]:
    """The example article as `make demo` leaves it, plus a retracted work with a
    hostile title linked to claim 4, a hostile claim added to the article by hand, and
    the references checked. Returns the ids the tests name."""
    import copy

    from tracker import claims, review
    from tracker.check import verify_citations
    from tracker.fetch import store_crossref_message
    from tracker.ingest import ingest_article, read_article
    from tracker.store.notices import refresh_notices

    article_id = ingest_article(db, read_article(str(EXAMPLE_ARTICLE)))["article_id"]
    for doi in (BARRIER, RETINOIC):
        store_crossref_message(db, recorded_work(doi))
    retracted = copy.deepcopy(recorded_work(FLAGGED))
    retracted["updated-by"][0]["type"] = "retraction"
    retracted["title"] = [f"Adipose <i>tissue</i> {HOSTILE}"]
    store_crossref_message(db, retracted)
    refresh_notices(db)
    for claim_id in (1, 2, 3, 6):
        claims.link_evidence(db, claim_id, BARRIER, note="Reference 1 of the article")
    claims.link_evidence(db, 6, RETINOIC, stance="supports")
    claims.link_evidence(db, 7, RETINOIC)
    claims.link_evidence(db, 4, FLAGGED, note=HOSTILE)
    review.review_claim(db, 6, "partly_supported", "A review, not trials", "cli:test")
    hostile = claims.add_claim(db, f"Hostile {HOSTILE}", article_id=article_id)
    verify_citations(db, article_id)
    return {"article": article_id, "hostile_claim": hostile["id"]}


class DatasetteBrowser:
    """A reviewer (or nobody) talking to Datasette as a browser does: signed in by a
    signed actor cookie, posting forms with the CSRF token of the page they are on."""

    def __init__(self, ds, actor: dict | None = None):
        self.ds = ds
        self.cookies = {"ds_actor": ds.sign({"a": actor}, "actor")} if actor else {}

    def get(self, path: str):
        import asyncio

        return asyncio.run(self.ds.client.get(path, cookies=self.cookies))

    def post_form(self, page: str, values: dict, action: str | None = None):
        """Open ``page``, then post ``values`` to ``action`` (default: the same page)
        with the page's CSRF token, as its form would."""
        import asyncio
        import re

        opened = self.get(page)
        token = re.search(r'name="csrftoken" value="([^"]+)"', opened.text)
        cookies = dict(self.cookies)
        if "ds_csrftoken" in opened.cookies:
            cookies["ds_csrftoken"] = opened.cookies["ds_csrftoken"]
        data = {**values, "csrftoken": token.group(1) if token else ""}
        return asyncio.run(
            self.ds.client.post(action or page, data=data, cookies=cookies)
        )

    def messages(self, response) -> list[str]:
        message = response.cookies.get("ds_messages")
        return (
            [text for text, _ in self.ds.unsign(message, "messages")] if message else []
        )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(db_file: Path):
    """``tracker serve --root`` on ``db_file``: yields (base address, sign-in address)."""
    import re
    import subprocess
    import sys
    import time

    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "tracker"),
            "--db",
            str(db_file),
            "serve",
            "--root",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "TRACKER_OFFLINE": "1"},
    )
    try:
        sign_in, ready = None, False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ready:
            line = process.stdout.readline()
            found = re.search(
                r"(http://127\.0\.0\.1:\d+/-/auth-token\?token=\w+)", line
            )
            sign_in = sign_in or (found and found.group(1))
            ready = "Uvicorn running" in line
        assert sign_in and ready, "tracker serve --root did not start"
        yield f"http://127.0.0.1:{port}", sign_in
    finally:
        process.terminate()
        process.wait(timeout=10)


def random_texts(
    pieces: Sequence[str], count: int, longest: int, seed: int, shortest: int = 0
) -> list[str]:
    """``count`` texts of ``shortest`` to ``longest`` pieces drawn at random (the same
    texts for the same seed)."""
    rng = random.Random(seed)
    return [
        "".join(rng.choice(pieces) for _ in range(rng.randint(shortest, longest)))
        for _ in range(count)
    ]
