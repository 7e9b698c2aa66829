"""Fixtures shared by the test modules (plain helpers are in helpers.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tracker.store.database import open_database

from .helpers import CROSSREF, POLITE_LIMITS, Tracker, negotiated_items, settings_for


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def db(db_path: Path):
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def tracker(db_path: Path) -> Tracker:
    return Tracker(db_path)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Tests see none of the developer's TRACKER_* settings, and the command line's
    retries wait only briefly."""
    for name in list(os.environ):
        if name.startswith("TRACKER_") and name != "TRACKER_SHARED":
            monkeypatch.delenv(name)
    monkeypatch.setenv("TRACKER_RETRY_BACKOFF", "0.01")


@pytest.fixture(scope="session")
def recorded_messages() -> dict[str, dict]:
    """Every recorded Crossref work (the 194 real ones and the example's two)."""
    from .crossref_server import load_messages

    return {**load_messages(CROSSREF / "works"), **load_messages(CROSSREF / "seed")}


@pytest.fixture
def fake_crossref(recorded_messages):
    """A running Crossref-like server with the polite pool's limits."""
    from .crossref_server import FakeCrossref

    items, agencies = negotiated_items()
    with FakeCrossref(
        recorded_messages, items, agencies, limits=POLITE_LIMITS
    ) as server:
        yield server


@pytest.fixture
def settings(fake_crossref):
    return settings_for(fake_crossref)


@pytest.fixture
def crossref_env(fake_crossref, monkeypatch):
    """The fake Crossref, named in the environment as a user's shell would."""
    monkeypatch.setenv("TRACKER_CROSSREF_API", fake_crossref.url)
    monkeypatch.setenv("TRACKER_DOI_RESOLVER", fake_crossref.resolver_url)
    monkeypatch.setenv("TRACKER_MAILTO", "tests@example.org")
    return fake_crossref


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
