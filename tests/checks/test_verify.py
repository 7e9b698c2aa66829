import json

import pytest

from tracker.checks.verify import verify_reference
from tracker.crossref.records import authors_from_message, record_from_message
from tracker.text.parser import parse_reference

from ..helpers import CROSSREF, EXAMPLE_ARTICLE
from ..reference_styles import STYLES, checkable

RECORDED = [
    json.loads(path.read_text(encoding="utf-8"))["message"]
    for folder in ("works", "seed")
    for path in sorted((CROSSREF / folder).glob("*.json"))
]
CHECKABLE = [message for message in RECORDED if checkable(message)]
CASES = [(message, style) for message in CHECKABLE for style in STYLES]


def verify(raw: str, message: dict):
    record, authors = record_from_message(message), authors_from_message(message)
    return verify_reference(raw, parse_reference(raw), record, authors)


def by_doi(doi: str) -> dict:
    return next(m for m in RECORDED if m["DOI"].lower() == doi)


def test_enough_recorded_articles_to_check():
    assert len(CHECKABLE) >= 60


def test_the_example_articles_references():
    lines = EXAMPLE_ARTICLE.read_text(encoding="utf-8").splitlines()
    first = next(line for line in lines if line.startswith("1. "))[3:]
    second = next(line for line in lines if line.startswith("2. "))[3:]
    verdict, checks = verify(first, by_doi("10.3390/ijerph182312836"))
    assert verdict == "ok"
    assert {c.field: c.result for c in checks}[
        "journal"
    ] == "ok"  # the abbreviation matches
    verdict, checks = verify(second, by_doi("10.3390/nu10081016"))
    assert verdict == "minor"
    authors = next(c for c in checks if c.field == "authors")
    assert (
        authors.result == "minor"
        and "Luo X" in authors.cited
        and "Xin M." in authors.recorded
    )


def lists_bodies_as_authors(message: dict) -> bool:
    """Some records list affiliations or institutions among the authors."""
    return any(
        author.get("name") or not author.get("given")
        for author in message.get("author") or []
    )


def test_correct_references_raise_no_false_alarm():
    """Every style of every checkable recorded article: at most two in a hundred are
    flagged, only records whose author list holds institutions or affiliations (which
    no reference writes as the record does), and none as another work."""
    results = [
        (verify(STYLES[style](message), message)[0], message)
        for message, style in CASES
    ]
    verdicts = [verdict for verdict, _ in results]
    assert verdicts.count("ok") >= 0.98 * len(verdicts)
    assert "wrong_work" not in verdicts
    flagged = [message for verdict, message in results if verdict != "ok"]
    assert all(lists_bodies_as_authors(message) for message in flagged)


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda m: {"year": int(m["issued"]["date-parts"][0][0]) + 3}, "year"),
        (lambda m: {"volume": str(int(m["volume"]) + 7)}, "volume"),
        (lambda m: {"journal": "Journal of Imaginary Results"}, "journal"),
    ],
    ids=["year", "volume", "journal"],
)
def test_altered_references_are_mismatches(change, field):
    for message, style in CASES:
        raw = STYLES[style](message, **change(message))
        verdict, checks = verify(raw, message)
        assert verdict == "mismatch", raw
        assert {c.field: c.result for c in checks}[field] == "mismatch", raw


def test_wrong_pages_are_mismatches():
    cases = [
        (m, s)
        for m, s in CASES
        if (m.get("page") or m.get("article-number")).split("-")[0].isdigit()
    ]
    for message, style in cases:
        first = int(
            (message.get("page") or message.get("article-number")).split("-")[0]
        )
        raw = STYLES[style](message, pages=str(first + 100))
        assert verify(raw, message)[0] == "mismatch", raw


def test_a_doi_that_belongs_to_another_paper_is_the_wrong_work():
    for message, style in CASES:
        other = CHECKABLE[(CHECKABLE.index(message) + 7) % len(CHECKABLE)]
        assert verify(STYLES[style](message), other)[0] == "wrong_work"


def test_missing_middle_initials_are_minor():
    message = by_doi("10.3390/ijerph182312836")
    raw = STYLES["ama"](message, drop_middle_initials=True)
    verdict, checks = verify(raw, message)
    assert verdict == "minor"


def test_a_different_last_page_is_minor():
    message = by_doi("10.1002/jor.1100150407")
    first, last = message["page"].split("-")
    raw = STYLES["ama"](message, pages=f"{first}-{int(last) + 2}")
    assert verify(raw, message)[0] == "minor"


def test_authors_only_one_side_gives_are_shown_as_missing():
    """A record without authors (a report, an editorial): the reference's names are
    kept beside "missing", so that a reader sees what could not be compared."""
    message = {**by_doi("10.1002/jor.1100150407"), "author": []}
    raw = STYLES["ama"](by_doi("10.1002/jor.1100150407"))
    verdict, checks = verify(raw, message)
    authors = next(c for c in checks if c.field == "authors")
    assert authors.result == "missing" and authors.recorded is None
    assert authors.cited and authors.cited.split("; ")[0].split()[0] in raw
    assert verdict == "ok"
