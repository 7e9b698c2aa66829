"""Reference lists and claims found in real articles (../shared/articles/) and in short
articles of the other common styles (tests/articles.py)."""

import json

import pytest

from tracker.text.analysis import analyse
from tracker.text.document import parse_text
from tracker.text.html import html_to_document

from ..articles import STYLES
from ..helpers import EXAMPLE_ARTICLE, REPO, SHARED, shared_articles

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


OWN = sorted((REPO / "tests" / "articles").glob("*.json"))


def own_article(path):
    """The text and analysis of an article in tests/articles, read as a user's is."""
    from tracker.ingest import read_article

    source = next(path.parent.glob(f"{path.stem}.*[!n]"))  # .md or .html, not .json
    read = read_article(str(source))
    return read.document.text, analyse(read.document)


@pytest.mark.parametrize("path", OWN, ids=lambda path: path.stem)
def test_reference_lists_of_articles_of_other_styles(path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    text, analysis = own_article(path)
    found = [citation.entry for citation in analysis.citations]
    assert [(e.position, e.raw, e.doi) for e in found] == [
        (r["n"], r["raw"], r["doi"]) for r in expected["references"]
    ]
    assert all(text[e.start : e.end] == e.raw for e in found)


@pytest.mark.parametrize("path", OWN, ids=lambda path: path.stem)
def test_citing_sentences_of_articles_of_other_styles(path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    text, analysis = own_article(path)
    claims = {text[claim.start : claim.end]: claim for claim in analysis.claims}
    for link in expected["claim_links"]:
        assert sorted(claims[link["sentence"]].cited) == sorted(link["refs"]), link[
            "sentence"
        ]


def test_every_article_together_meets_the_targets():
    """The figures the README gives: over the shared articles and ours, references
    stored verbatim, entries that are not references, DOIs found exactly (none
    invented), and citing sentences linked to exactly the right references."""
    cases = [(n, e, analysed(n)) for n, e in shared_articles()] + [
        (path.stem, json.loads(path.read_text(encoding="utf-8")), own_article(path))
        for path in OWN
    ]
    references = verbatim = found_entries = junk = dois = right_dois = 0
    links = right_links = 0
    for _, expected, (text, analysis) in cases:
        truth = {r["raw"]: r for r in expected["references"]}
        entries = [citation.entry for citation in analysis.citations]
        raws = {entry.raw for entry in entries}
        references += len(truth)
        verbatim += sum(raw in raws for raw in truth)
        found_entries += len(entries)
        junk += sum(entry.raw not in truth for entry in entries)
        for entry in entries:
            if entry.raw in truth:
                dois += 1
                right_dois += entry.doi == truth[entry.raw]["doi"]
        claims = {text[c.start : c.end]: c for c in analysis.claims}
        for link in expected.get("claim_links", []):
            links += 1
            claim = claims.get(link["sentence"])
            right_links += bool(claim) and sorted(claim.cited) == sorted(link["refs"])
    assert len(cases) >= 10
    assert verbatim >= 0.97 * references
    assert junk <= 0.02 * found_entries
    assert right_dois == dois
    assert right_links >= 0.90 * links


def cited_sentences(text: str, html: bool = False):
    document = html_to_document(text) if html else parse_text(text)
    analysis = analyse(document)
    return {
        document.text[claim.start : claim.end]: (
            list(claim.cited),
            list(claim.unmatched),
        )
        for claim in analysis.claims
    }


HEALTH_PAGE = """<html><body><article>
<h1>Is fibre good for your gut?</h1>
<p>Fibre feeds the bacteria of the colon, which ferment it into butyrate
(<a href="https://pubmed.ncbi.nlm.nih.gov/31142855/">source</a>).</p>
<p>Diets rich in fibre lower the risk of colorectal cancer, according to a
<a href="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6062779/">large review</a>.</p>
<p>People who eat more whole grains live longer, a
<a href="https://doi.org/10.1136/BMJ.I2716">meta-analysis</a> found.</p>
<p>Read our <a href="https://example-health.com/gut-guide/">guide to gut health</a>
to learn how the digestive system works.</p>
<h2>Sources</h2>
<ul>
<li>Smith AB, Lee K. Fibre and butyrate. Gut. 2019;68(3):1-9. PMID: 31142855.</li>
<li>Wu T. Fibre and colorectal cancer. Nutrients. 2018;10(8):1016.
<a href="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6062779/">PMC6062779</a></li>
<li>Aune D, et al. Whole grain consumption and risk of all cause mortality. BMJ.
2016;353:i2716. doi:10.1136/bmj.i2716</li>
</ul>
</article></body></html>"""


def test_links_that_identify_listed_works_cite_them():
    cited = cited_sentences(HEALTH_PAGE, html=True)
    by_start = {sentence.split()[0]: found for sentence, found in cited.items()}
    assert by_start["Fibre"] == ([1], [])  # a PubMed link, the PMID in the entry
    assert by_start["Diets"] == ([2], [])  # a PMC link, the entry's own link
    assert by_start["People"] == ([3], [])  # a DOI link, the DOI in the entry
    assert "Read" not in by_start or by_start["Read"] == ([], [])  # the site's page


@pytest.mark.parametrize(
    "sentence, refs",
    [
        ("Transposons shape genomes [Baal et al. (1994)].", [1]),
        (
            "KRAB proteins evolve fast (Smeets & Duchateau 2003, vgl. Baal 1994).",
            [2, 1],
        ),
        ("Heritable marks persist for generations, as Mansuy, 2022 argues.", [3]),
    ],
)
def test_author_year_in_many_forms(sentence, refs):
    text = (
        f"Epigenetics\n\n{sentence}\n\nLiteratur\n\n"
        "Baal, N., Meier, K. and Roth, P. (1994). Retrotransposons. Genetics, 12, 3-4.\n\n"
        "Smeets, A. & Duchateau, L. (2003). KRAB-ZFPs. Nature, 40, 5-6.\n\n"
        "Mansuy, I. (2022). Inheritance of trauma. Cell, 185, 7-8.\n"
    )
    (found,) = [v for k, v in cited_sentences(text).items() if k == sentence]
    assert sorted(found[0]) == sorted(refs)


def test_a_year_the_list_does_not_have_is_reported_not_linked():
    text = (
        "Review\n\nFasting lowers insulin (Ashford, 2016).\n\nReferences\n\n"
        "Ashford, B. (2020). Fasting and insulin. Diabetes Care, 43, 1-9.\n"
    )
    ((cited, unmatched),) = cited_sentences(text).values()
    assert cited == []
    assert unmatched == [
        "(Ashford, 2016): Ashford 2016 is not in the list, which has Ashford 2020"
    ]


def test_flattened_superscripts():
    text = (
        "Sleep\n\nShort sleep raises the risk of weight problems3 in adults."
        " Sleep supports self-regulation and enablement.4 Naps help.1,2\n\n"
        "References\n\n"
        "1. Smith A. Naps. Sleep. 2019;1:1.\n2. Lee B. Naps again. Sleep. 2020;2:2.\n"
        "3. Wu C. Sleep and weight. Obesity. 2018;3:3.\n4. Ng D. Control. Mind. 2017;4:4.\n"
    )
    cited = {k.split()[0]: v[0] for k, v in cited_sentences(text).items()}
    assert cited["Short"] == [3] and cited["Sleep"] == [4]


def test_footnotes_whose_notes_cite_the_list():
    text = (
        "Dating\n\nRadiocarbon dating was proposed by Libby[^1] and checked soon"
        " after.[^2]\n\n[^1]: Anderson *et al.* 1947.\n\n[^2]: Arnold et Libby, 1949."
        " Voir aussi Ward et Wilson (1978).\n\n## Bibliographie\n\n"
        'Anderson, E. C., et W. F. Libby. 1947. "Radiocarbon From Cosmic Radiation".'
        " *Science* 105: 576-77.\n\n"
        'Arnold, J. R., et W. F. Libby. 1949. "Age Determinations by Radiocarbon'
        ' Content". *Science* 110: 678-80.\n\n'
        'Ward, G. K., et S. R. Wilson. 1978. "Procedures for Comparing Radiocarbon'
        ' Age Determinations". *Archaeometry* 20: 19-31.\n'
    )
    ((sentence, (cited, _)),) = cited_sentences(text).items()
    assert sentence.startswith("Radiocarbon") and sorted(cited) == [1, 2, 3]
