import codecs
import re

import pytest

from tests.helpers import random_texts
from tracker.errors import InvalidInput
from tracker.text.reader import decode, read_source

TEXT = "Müller’s café – naïve “quotes” € 5"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "windows-1252"],
)
def test_common_encodings_decode_without_loss(data):
    assert decode(data) == TEXT


def test_bytes_windows_1252_leaves_undefined_are_kept():
    assert decode(b"caf\xe9 \x81 \x8d") == "café \x81 \x8d"


def test_binary_data_is_refused():
    with pytest.raises(InvalidInput, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_files(tmp_path):
    (tmp_path / "a.md").write_text("# Title\n\nText.\n", encoding="utf-8")
    (tmp_path / "a.html").write_text(
        "<html><body><p>Hi there</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "a.txt").write_bytes(TEXT.encode("cp1252"))
    assert read_source(str(tmp_path / "a.md")).format == "markdown"
    assert read_source(str(tmp_path / "a.html")).format == "html"
    source = read_source(str(tmp_path / "a.txt"))
    assert (source.format, source.text) == ("text", TEXT)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: p, "is a folder"),
        (
            lambda p: (p / "empty.txt").write_text("  \n\n") and p / "empty.txt",
            "is empty",
        ),
        (
            lambda p: (p / "x.bin").write_bytes(bytes(range(256)) * 4) and p / "x.bin",
            "binary",
        ),
    ],
)
def test_bad_files(tmp_path, make, message):
    with pytest.raises(InvalidInput, match=message):
        read_source(str(make(tmp_path)))


def test_markdown_is_told_by_a_heading_at_a_line_s_start():
    from tracker.text.reader import _has_heading

    pieces = ["#", "##", "#######", " ", "x", "\n", "\r", "\t", "a# b"]
    for text in random_texts(pieces, count=5000, longest=10, seed=7):
        expected = bool(re.search(r"^#{1,6} \S", text, re.MULTILINE))
        assert _has_heading(text) == expected, text
