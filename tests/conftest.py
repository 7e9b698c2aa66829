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

    def json(self, *args: str):
        result = self(*args, "--json")
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
