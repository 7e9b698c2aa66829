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


def endless(piece: bytes, pause: float = 0.0):
    import time

    def generate():
        while True:
            yield piece
            if pause:
                time.sleep(pause)

    return generate


def test_a_page_larger_than_the_limit_is_refused_as_it_streams(
    httpserver, fake_crossref
):
    from werkzeug import Response

    httpserver.expect_request("/endless").respond_with_response(
        Response(endless(b"<p>more text</p>" * 4096)(), content_type="text/html")
    )
    with pytest.raises(InvalidInput, match="larger than 1 MB"):
        read_page(
            httpserver.url_for("/endless"), settings_for(fake_crossref), limit=2**20
        )


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    httpserver, fake_crossref
):
    httpserver.expect_request("/big").respond_with_data(
        b"x" * (2 * 2**20), content_type="text/plain"
    )
    with pytest.raises(InvalidInput, match="larger than 1 MB"):
        read_page(httpserver.url_for("/big"), settings_for(fake_crossref), limit=2**20)


def test_a_gzip_bomb_stops_at_the_limit_decompressed(httpserver, fake_crossref):
    import gzip
    import tracemalloc

    bomb = gzip.compress(b"a" * (200 * 2**20), compresslevel=9)
    assert len(bomb) < 2**20
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/plain", headers={"Content-Encoding": "gzip"}
    )
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput, match="larger than 1 MB"):
            read_page(
                httpserver.url_for("/bomb"), settings_for(fake_crossref), limit=2**20
            )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20


def test_a_page_that_drips_is_held_to_the_deadline(httpserver, fake_crossref):
    import time

    from werkzeug import Response

    httpserver.expect_request("/drip").respond_with_response(
        Response(endless(b"<", pause=0.2)(), content_type="text/html")
    )
    started = time.monotonic()
    with pytest.raises(IncompleteWork, match="did not arrive within 1 s"):
        read_page(
            httpserver.url_for("/drip"), settings_for(fake_crossref), deadline=1.0
        )
    assert time.monotonic() - started < 3
