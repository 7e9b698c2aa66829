"""Fixtures shared by the test modules."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.database import open_database

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The shared material (articles, .bib files, recorded Crossref responses) lives beside
#: the checkout; tests that need its third-party texts skip when it is absent.
SHARED = Path(os.environ.get("TRACKER_SHARED", REPO.parent / "shared"))
EXAMPLE_ARTICLE = REPO / "examples" / "leaky-gut.txt"


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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def db(db_path: Path):
    database = open_database(db_path)
    yield database
    database.close()


class Tracker:
    """Runs ``tracker`` commands in-process against one database."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(
            cli, ["--db", str(self.db_path), *args], input=input, catch_exceptions=False
        )

    def json(self, *args: str, input: str | None = None):
        result = self(*args, "--json", input=input)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def tracker(db_path: Path) -> Tracker:
    return Tracker(db_path)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Tests see none of the developer's TRACKER_* settings."""
    for name in list(os.environ):
        if name.startswith("TRACKER_") and name != "TRACKER_SHARED":
            monkeypatch.delenv(name)


CROSSREF = FIXTURES / "crossref"
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


@pytest.fixture(scope="session")
def recorded_messages() -> dict[str, dict]:
    """Every recorded Crossref work (the 194 real ones and the example's two)."""
    from .crossref_server import load_messages

    return {**load_messages(CROSSREF / "works"), **load_messages(CROSSREF / "seed")}


def recorded_work(doi: str) -> dict:
    """The recorded Crossref message of one work."""
    name = doi.replace("/", "__") + ".json"
    return json.loads((CROSSREF / "works" / name).read_text(encoding="utf-8"))[
        "message"
    ]


def negotiated_items() -> tuple[dict[str, dict], dict[str, str]]:
    items, agencies = {}, {}
    for doi, (name, agency) in NEGOTIATED.items():
        items[doi] = json.loads((CROSSREF / "other" / name).read_text(encoding="utf-8"))
        agencies[doi] = agency
    return items, agencies


@pytest.fixture
def fake_crossref(recorded_messages):
    """A running Crossref-like server with the polite pool's limits."""
    from .crossref_server import FakeCrossref

    items, agencies = negotiated_items()
    with FakeCrossref(
        recorded_messages, items, agencies, limits=POLITE_LIMITS
    ) as server:
        yield server


def settings_for(server, mailto: str | None = "tests@example.org", **overrides):
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


@pytest.fixture
def settings(fake_crossref):
    return settings_for(fake_crossref)
