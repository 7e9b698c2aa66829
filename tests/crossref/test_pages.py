import socket

import pytest

from tracker.crossref.pages import read_page
from tracker.errors import IncompleteWork, InvalidInput

from ..helpers import settings_for


def test_a_web_page(httpserver, fake_crossref):
    httpserver.expect_request("/post").respond_with_data(
        "<html><body><h1>Post</h1><p>Text here.</p></body></html>".encode("cp1252"),
        content_type="text/html; charset=windows-1252",
    )
    source = read_page(httpserver.url_for("/post"), settings_for(fake_crossref))
    assert source.format == "html" and source.url == httpserver.url_for("/post")


def test_web_addresses_that_fail(httpserver, fake_crossref):
    settings = settings_for(fake_crossref, backoff_factor=0.01)
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with pytest.raises(IncompleteWork, match="HTTP 404"):
        read_page(httpserver.url_for("/gone"), settings)
    httpserver.expect_request("/paper.pdf").respond_with_data(
        b"%PDF-1.4", content_type="application/pdf"
    )
    with pytest.raises(InvalidInput, match="application/pdf"):
        read_page(httpserver.url_for("/paper.pdf"), settings)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    with pytest.raises(IncompleteWork, match="no answer"):
        read_page(f"http://127.0.0.1:{closed}/post", settings)
    with pytest.raises(IncompleteWork, match="TRACKER_OFFLINE"):
        read_page(
            httpserver.url_for("/post"), settings_for(fake_crossref, offline=True)
        )
