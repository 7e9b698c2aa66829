import time

import pytest
import requests

from tracker import __version__
from tracker.crossref.http import (
    CONNECT_RETRIES,
    RequestCounter,
    describe_error,
    make_retry,
    make_session,
    unreachable,
    user_agent,
)
from tracker.settings import Settings

from ..crossref_server import FakeCrossref, Fault
from ..helpers import settings_for

DOI = "10.3390/nu10081016"


def test_user_agent_names_the_tool_its_version_and_the_contact():
    assert user_agent("me@example.org").startswith(
        f"evidence-tracker/{__version__} (mailto:me@example.org) "
    )
    assert "mailto" not in user_agent(None)


@pytest.fixture
def server(recorded_messages):
    with FakeCrossref(recorded_messages) as fake:
        yield fake


def test_requests_time_out(recorded_messages):
    with FakeCrossref(recorded_messages, latency=2.0) as slow:
        settings = settings_for(slow, read_timeout=0.3)
        session = make_session(settings, retry=make_retry(total=0))
        start = time.monotonic()
        with pytest.raises(requests.ConnectionError):
            session.get(f"{slow.url}/works/{DOI}")
        assert time.monotonic() - start < 1.5


def test_5xx_are_retried_with_growing_waits(server):
    counter = RequestCounter()
    session = make_session(settings_for(server, backoff_factor=0.2), counter)
    server.inject(Fault("status", status=503, times=3))
    start = time.monotonic()
    response = session.get(f"{server.url}/works/{DOI}")
    elapsed = time.monotonic() - start
    assert response.status_code == 200
    assert counter.retries == 3 and server.requests["single"] == 4
    assert elapsed >= 0.2 + 0.4 + 0.8  # the first retry waits too


def test_retries_are_bounded(server):
    counter = RequestCounter()
    session = make_session(settings_for(server, backoff_factor=0.01), counter)
    server.inject(Fault("status", status=500, times=100))
    response = session.get(f"{server.url}/works/{DOI}")
    assert response.status_code == 500
    assert counter.retries == 5 and server.requests["single"] == 6


def test_retry_after_is_honoured_and_counted(server):
    counter = RequestCounter()
    session = make_session(settings_for(server), counter)
    server.inject(Fault("retry-after", seconds=1))
    start = time.monotonic()
    assert session.get(f"{server.url}/works/{DOI}").status_code == 200
    assert time.monotonic() - start >= 1.0
    assert counter.too_many == 1


def test_dropped_connections_are_retried(server):
    counter = RequestCounter()
    session = make_session(settings_for(server), counter)
    server.inject(Fault("reset", times=2))
    assert session.get(f"{server.url}/works/{DOI}").json()["message"]["DOI"] == DOI
    assert counter.retries == 2


def test_a_refused_connection_is_not_retried(closed_port):
    counter = RequestCounter()
    session = make_session(Settings(backoff_factor=5.0), counter)
    with pytest.raises(requests.ConnectionError) as raised:
        session.get(f"http://127.0.0.1:{closed_port}/works/{DOI}")
    assert counter.retries == 0
    assert unreachable(raised.value)
    assert describe_error(raised.value) == (
        "no answer (connection failed: connection refused)"
    )


def test_a_host_that_never_answers_is_tried_a_few_times():
    retry = make_retry()
    assert retry.connect == CONNECT_RETRIES < retry.total


def test_waits_are_announced(server):
    lines = []
    session = make_session(settings_for(server), on_retry=lines.append)
    server.inject(Fault("retry-after", seconds=1))
    assert session.get(f"{server.url}/works/{DOI}").status_code == 200
    assert lines == ["127.0.0.1: HTTP 429; trying again in 1 s"]
    server.inject(Fault("status", status=503))
    assert session.get(f"{server.url}/works/{DOI}").status_code == 200
    assert len(lines) == 1  # a wait under a second passes silently
