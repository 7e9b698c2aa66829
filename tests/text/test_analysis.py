"""Reference lists and claims found in real articles (../shared/articles/) and in short
articles of the other common styles (tests/articles.py)."""

import pytest

from tracker.text.analysis import analyse
from tracker.text.document import parse_text
from tracker.text.html import html_to_document

from ..articles import STYLES
from ..helpers import EXAMPLE_ARTICLE, SHARED, shared_articles

SHARED_ARTICLES = shared_articles() or [
    pytest.param(
        "", {}, marks=pytest.mark.skip(reason=f"no shared articles at {SHARED}")
    )
]


def analysed(name: str):
    text = (SHARED / "articles" / f"{name}.txt").read_text(encoding="utf-8")
    return text, analyse(parse_text(text))


@pytest.mark.parametrize("name, expected", SHARED_ARTICLES)
def test_reference_lists_of_real_articles(name, expected):
    text, analysis = analysed(name)
    found = [citation.entry for citation in analysis.citations]
    assert len(found) == len(expected["references"])
    for entry, reference in zip(found, expected["references"], strict=True):
        assert entry.position == reference["n"]
        assert entry.raw == reference["raw"]
        assert text[entry.start : entry.end] == entry.raw
        assert entry.doi == reference["doi"], reference["raw"]


@pytest.mark.parametrize("name, expected", SHARED_ARTICLES)
def test_claims_of_real_articles(name, expected):
    text, analysis = analysed(name)
    claims = {text[claim.start : claim.end]: claim for claim in analysis.claims}
    for sentence in expected.get("claims_examples", []):
        assert sentence in claims, sentence
    for link in expected.get("claim_links", []):
        assert sorted(claims[link["sentence"]].cited) == sorted(link["refs"]), link[
            "sentence"
        ]


def test_the_example_article():
    text = EXAMPLE_ARTICLE.read_text(encoding="utf-8")
    analysis = analyse(parse_text(text))
    assert [c.entry.doi for c in analysis.citations] == [
        "10.3390/ijerph182312836",
        "10.3390/nu10081016",
    ]
    claims = [text[c.start : c.end] for c in analysis.claims]
    assert (
        claims[0]
        == "Under normal and healthy circumstances, the intestinal lining is selectively permeable."
    )
    assert len(claims) == 8
    for not_a_claim in (
        "What is Leaky Gut?",
        "beccakendallnutrit",
        "2 min read",
        "Updated: Aug 26, 2023",
        "So, we are left with the question: what comes first, leaky gut or chronic disease?",
        "Comments",
        "(Please keep in mind",
    ):
        assert not any(claim.startswith(not_a_claim) for claim in claims), not_a_claim
    assert all(not claim.cited for claim in analysis.claims)
    assert (
        "no inline citation markers: claims are left for you to link" in analysis.notes
    )


@pytest.mark.parametrize("name", list(STYLES))
def test_other_styles(name):
    text, expected = STYLES[name]
    document = html_to_document(text) if name == "html" else parse_text(text)
    analysis = analyse(document)
    citations = analysis.citations
    assert len(citations) == len(expected["references"])
    for citation, (start, doi) in zip(citations, expected["references"], strict=True):
        assert citation.entry.raw.startswith(start)
        assert (
            document.text[citation.entry.start : citation.entry.end]
            == citation.entry.raw
        )
        assert citation.entry.doi == doi
    claims = {document.text[c.start : c.end]: c for c in analysis.claims}
    for start, references in expected["claim_links"]:
        (claim,) = [c for sentence, c in claims.items() if sentence.startswith(start)]
        assert sorted(claim.cited) == references, start
    for text_not_claimed in expected["not_claims"]:
        assert not any(text_not_claimed in sentence for sentence in claims)


def test_offsets_point_into_the_text():
    for name, (text, _) in STYLES.items():
        document = html_to_document(text) if name == "html" else parse_text(text)
        for claim in analyse(document).claims:
            sentence = document.text[claim.start : claim.end]
            assert sentence == sentence.strip() and sentence


def test_text_without_references_gives_claims_and_a_note():
    analysis = analyse(
        parse_text(
            "A title\n\nWalking every day lowers blood pressure in older adults.\n"
        )
    )
    assert analysis.citations == []
    assert len(analysis.claims) == 1
    assert analysis.notes == ["no reference section found: claims only"]


def test_a_trailing_numbered_list_without_heading_is_the_reference_list():
    text = (
        "Coffee\n\nCoffee drinkers live slightly longer [1]. Tea drinkers too [2].\n\n"
        "1. Poole R, Kennedy OJ, Roderick P, et al. Coffee consumption and health. BMJ. 2017;359:j5024.\n"
        "2. Smith AB. Tea and mortality. J Nutr. 2020;150(2):300-305.\n"
    )
    analysis = analyse(parse_text(text))
    assert [c.entry.position for c in analysis.citations] == [1, 2]
    assert [c.cited for c in analysis.claims] == [[1], [2]]


def test_numbered_lists_in_the_body_are_not_references():
    text = "Tips\n\nThree habits help you sleep better at night every week.\n\n1. Go to bed on time.\n2. Keep the room dark.\n"
    assert analyse(parse_text(text)).citations == []
