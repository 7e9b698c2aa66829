import json

import pytest

from tracker.crossref.records import (
    authors_from_csl,
    authors_from_message,
    jats_to_text,
    normalize_orcid,
    partial_date,
    record_from_csl,
    record_from_message,
)

from ..helpers import FIXTURES

WORKS = FIXTURES / "crossref" / "works"
OTHER = FIXTURES / "crossref" / "other"
RECORDED = sorted(WORKS.glob("*.json")) + sorted(
    (FIXTURES / "crossref" / "seed").glob("*.json")
)


def message(name: str) -> dict:
    folder = WORKS if (WORKS / name).exists() else FIXTURES / "crossref" / "seed"
    return json.loads((folder / name).read_text(encoding="utf-8"))["message"]


@pytest.mark.parametrize("path", RECORDED, ids=lambda path: path.stem)
def test_every_recorded_work_maps(path):
    recorded = json.loads(path.read_text(encoding="utf-8"))["message"]
    record = record_from_message(recorded)
    assert record["doi"] == recorded["DOI"].lower()
    assert record["type"] == recorded["type"]
    assert json.loads(record["raw"]) == recorded
    if recorded.get("title") and recorded["title"][0].strip():
        assert record["title"] == " ".join(recorded["title"][0].split())
    issued = recorded.get("issued", {}).get("date-parts", [[None]])[0][0]
    if issued is not None:
        assert record["year"] == issued
    for column in ("issn", "isbn", "subjects", "update_to", "updated_by", "relation"):
        if record[column] is not None:
            assert json.loads(record[column])
    authors = authors_from_message(recorded)
    named = [
        a for a in recorded.get("author") or [] if {"given", "family", "name"} & set(a)
    ]
    assert len(authors) == len(named)
    for row, author in zip(authors, named, strict=True):
        assert row["family"] == (" ".join((author.get("family") or "").split()) or None)
        assert row["name"] == (" ".join((author.get("name") or "").split()) or None)
    assert [row["position"] for row in authors] == list(range(1, len(authors) + 1))


def test_recorded_types_cover_what_users_cite():
    types = {json.loads(path.read_text())["message"]["type"] for path in RECORDED}
    assert {
        "journal-article",
        "book-chapter",
        "book",
        "monograph",
        "proceedings-article",
        "posted-content",
        "dataset",
        "report",
        "dissertation",
        "peer-review",
    } <= types


def test_example_article_work():
    record = record_from_message(message("10.3390__nu10081016.json"))
    assert record["title"] == "Retinoic Acid, Leaky Gut, and Autoimmune Diseases"
    assert (
        record["container_title"],
        record["year"],
        record["volume"],
        record["issue"],
    ) == (
        "Nutrients",
        2018,
        "10",
        "8",
    )
    assert record["page"] == "1016"
    assert record["issued"] == "2018-08-03"
    assert record["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert json.loads(record["issn"]) == ["2072-6643"]
    assert [
        (a["given"], a["family"])
        for a in authors_from_message(message("10.3390__nu10081016.json"))
    ] == [
        ("Leila", "Abdelhamid"),
        ("Xin M.", "Luo"),
    ]


def test_orcid_affiliation_and_non_ascii_authors():
    authors = authors_from_message(message("10.1002__sys.21414.json"))
    first = authors[0]
    assert first["orcid"] == "0000-0002-3302-9497"
    assert first["affiliation"].startswith("Department of Engineering Management")
    names = {
        author["family"]
        for path in RECORDED
        for author in authors_from_message(json.loads(path.read_text())["message"])
        if author["family"]
    }
    assert any(not name.isascii() for name in names)


def test_organisation_authors():
    authors = authors_from_message(message("10.1007__s15002-013-0459-8.json"))
    assert authors[0]["name"] == "Urban & Vogel"
    assert authors[0]["family"] is None


def test_missing_issued_date():
    record = record_from_message(message("10.1007__10452.1573-5125.json"))
    assert record["issued"] is None and record["year"] is None


def test_article_number_stands_in_for_pages():
    with_number = [
        json.loads(path.read_text())["message"]
        for path in RECORDED
        if "article-number" in json.loads(path.read_text())["message"]
    ]
    assert with_number
    for recorded in with_number:
        record = record_from_message(recorded)
        assert record["article_number"] == recorded["article-number"]
        assert record["page"] == (recorded.get("page") or recorded["article-number"])


def test_update_relations_are_kept():
    record = record_from_message(message("10.1371__journal.pone.0033693.json"))
    (update,) = json.loads(record["updated_by"])
    assert update["type"] == "correction"
    assert update["DOI"] == "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda"
    notice = record_from_message(message("10.1371__journal.pone.0129989.json"))
    assert json.loads(notice["update_to"])[0]["type"] == "correction"


def test_abstract_jats_becomes_plain_text():
    record = record_from_message(message("10.1002__jor.1100150407.json"))
    assert record["abstract"].startswith("Twenty‐two beagles were divided")
    assert "<jats:" not in record["abstract"] and "</" not in record["abstract"]
    assert "(p < 0.05)" in record["abstract"]  # an escaped "<" in the JATS is text


@pytest.mark.parametrize(
    "jats, text",
    [
        ("<jats:p>One &amp; two</jats:p>", "One & two"),
        (
            "<jats:title>Abstract</jats:title><jats:p>Body <jats:italic>x</jats:italic>.</jats:p>",
            "Body x.",
        ),
        (
            "<jats:sec><jats:title>Background</jats:title><jats:p>A.</jats:p></jats:sec><jats:p>B.</jats:p>",
            "Background\n\nA.\n\nB.",
        ),
        ("plain text", "plain text"),
        ("", None),
        (None, None),
        ("<jats:p>  spaced\n out  </jats:p>", "spaced out"),
        ("<p>A <script>alert(1)</script></p>", "A alert(1)"),
    ],
)
def test_jats_to_text(jats, text):
    assert jats_to_text(jats) == text


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"date-parts": [[2021, 12, 5]]}, "2021-12-05"),
        ({"date-parts": [[2021, 3]]}, "2021-03"),
        ({"date-parts": [[2021]]}, "2021"),
        ({"date-parts": [[None]]}, None),
        ({"date-parts": [["2019", "4"]]}, "2019-04"),
        ({}, None),
        (None, None),
    ],
)
def test_partial_date(value, expected):
    assert partial_date(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://orcid.org/0000-0002-3302-9497", "0000-0002-3302-9497"),
        ("http://orcid.org/0000-0001-5000-000x", "0000-0001-5000-000X"),
        ("nonsense", None),
        (None, None),
    ],
)
def test_normalize_orcid(value, expected):
    assert normalize_orcid(value) == expected


def test_datacite_csl_from_content_negotiation():
    item = json.loads(
        (OTHER / "cn_datacite_csl-json_10.5281__zenodo.3699950.json").read_text()
    )
    record = record_from_csl(item)
    assert record["doi"] == "10.5281/zenodo.3699950"
    assert record["type"] == "dataset"
    assert (
        record["title"]
        == "The Research Software Alliance (ReSA) and the community landscape"
    )
    assert (record["year"], record["publisher"]) == (2020, "Zenodo")
    assert record["abstract"].startswith("The Research Software Alliance (ReSA)")
    assert "<strong>" not in record["abstract"]
    authors = authors_from_csl(item)
    assert [a["family"] for a in authors][:2] == ["Katz", "Barker"]


def test_organisation_author_in_csl():
    item = json.loads(
        (OTHER / "cn_datacite_csl-json_10.15497__rda00052.json").read_text()
    )
    record = record_from_csl(item)
    assert record["type"] == "journal-article"
    assert authors_from_csl(item)[0]["name"] == "Research Data Alliance"
    op = json.loads(
        (OTHER / "cn_op-publications-europa_csl-json_10.2760__283135.json").read_text()
    )
    assert record_from_csl(op)["type"] == "book"
    assert record_from_csl(op)["publisher_location"] == "LU"
