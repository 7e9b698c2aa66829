import json

import pytest

from tracker.errors import InvalidDOI
from tracker.text.doi import (
    doi_url,
    find_dois,
    is_doi,
    normalize_doi,
    strip_trailing_punctuation,
)

from ..helpers import SHARED, shared_articles, shared_path

# (as pasted, normalised). Most DOIs are real: the example article's references, the
# shared articles' reference lists, and the recorded Crossref works.
NORMALISED = [
    ("10.3390/ijerph182312836", "10.3390/ijerph182312836"),
    ("doi:10.3390/nu10081016", "10.3390/nu10081016"),
    ("DOI: 10.3390/nu10081016", "10.3390/nu10081016"),
    ("DOI:10.1128/JVI.77.21.11448-11458.2003", "10.1128/jvi.77.21.11448-11458.2003"),
    ("doi 10.1038/nature12362", "10.1038/nature12362"),
    ("  10.1093/nar/gkp335\n", "10.1093/nar/gkp335"),
    ("https://doi.org/10.1074/jbc.M110.182840", "10.1074/jbc.m110.182840"),
    ("http://doi.org/10.1101/gad.241661.114", "10.1101/gad.241661.114"),
    ("https://dx.doi.org/10.17781/P001973", "10.17781/p001973"),
    ("http://dx.doi.org/10.1002/jor.1100150407", "10.1002/jor.1100150407"),
    ("https://www.doi.org/10.1016/j.cell.2018.02.058", "10.1016/j.cell.2018.02.058"),
    ("doi.org/10.1242/dev.132605", "10.1242/dev.132605"),
    ("HTTPS://DOI.ORG/10.1186/S13059-017-1376-Y", "10.1186/s13059-017-1376-y"),
    ("https://doi.org/10.1177%2F0022343397034001003", "10.1177/0022343397034001003"),
    ("10.1177%2F0022343397034001003", "10.1177/0022343397034001003"),
    ("info:doi/10.1371/journal.pgen.1000869", "10.1371/journal.pgen.1000869"),
    ("urn:doi:10.1038/ng.3858", "10.1038/ng.3858"),
    ("10.3390/ijerph182312836.", "10.3390/ijerph182312836"),
    ("doi:10.1016/j.mpmed.2014.11.009.", "10.1016/j.mpmed.2014.11.009"),
    ("10.1038/nbt.3128,", "10.1038/nbt.3128"),
    ("10.1136/bmj.g4490;", "10.1136/bmj.g4490"),
    ("(doi:10.1503/cmaj.045037)", "10.1503/cmaj.045037"),
    ("10.1016/S0140-6736(06)68770-9", "10.1016/s0140-6736(06)68770-9"),
    ("10.1016/S0140-6736(06)68770-9).", "10.1016/s0140-6736(06)68770-9"),
    ("10.1016/S0140-6736(20)30183-5", "10.1016/s0140-6736(20)30183-5"),
    (
        "10.1002/(SICI)1097-4636(199603)30:3<369::AID-JBM12>3.0.CO;2-F",
        "10.1002/(sici)1097-4636(199603)30:3<369::aid-jbm12>3.0.co;2-f",
    ),
    (
        "doi:10.1002/(SICI)1097-4636(199603)30:3<369::AID-JBM12>3.0.CO;2-F.",
        "10.1002/(sici)1097-4636(199603)30:3<369::aid-jbm12>3.0.co;2-f",
    ),
    ("<https://doi.org/10.1093/idpl/ipw007>", "10.1093/idpl/ipw007"),
    ("“10.1017/aju.2019.79”", "10.1017/aju.2019.79"),
    ("10.1007/978-1-60761-753-2\\_27", "10.1007/978-1-60761-753-2_27"),
    ("10.1002/14651858.CD004937", "10.1002/14651858.cd004937"),
    ("10.1111/j.1467-789X.2007.00432.x", "10.1111/j.1467-789x.2007.00432.x"),
    ("10.1007/10452.1573-5125", "10.1007/10452.1573-5125"),
    ("10.1002/2050-7038.12559/v3/decision1", "10.1002/2050-7038.12559/v3/decision1"),
    ("10.2307/j.ctvr7fcwb", "10.2307/j.ctvr7fcwb"),
    ("10.1000.10/123456", "10.1000.10/123456"),
    ("\u200b10.1038/nature08858\ufeff", "10.1038/nature08858"),
    (
        "https://onlinelibrary.wiley.com/doi/full/10.1002/sys.21414?af=R",
        "10.1002/sys.21414",
    ),
    (
        "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0173746",
        "10.1371/journal.pone.0173746",
    ),
    (
        "https://link.springer.com/article/10.1007/s00120-007-1345-2",
        "10.1007/s00120-007-1345-2",
    ),
]

# (pasted, words the error message must contain)
REJECTED = [
    ("", "empty"),
    ("   ", "empty"),
    ("not a doi", "starts with '10.'"),
    ("11.1000/xyz", "starts with '10.'"),
    ("10.1000", "needs a '/'"),
    ("10.1000/", "needs a '/'"),
    ("10.12/abc", "4 to 9 digits"),
    ("10.abcd/xyz", "4 to 9 digits"),
    ("10.1000/abc def", "contains a space"),
    ("doi:", "starts with '10.'"),
    ("https://example.org/articles/42", "web address with no DOI"),
    ("PMID: 19458158", "starts with '10.'"),
]


@pytest.mark.parametrize("pasted, expected", NORMALISED)
def test_normalize_doi(pasted, expected):
    assert normalize_doi(pasted) == expected


@pytest.mark.parametrize("pasted, expected", NORMALISED)
def test_normalising_is_idempotent(pasted, expected):
    assert normalize_doi(normalize_doi(pasted)) == expected


@pytest.mark.parametrize("pasted, reason", REJECTED)
def test_not_a_doi_is_rejected_with_the_reason(pasted, reason):
    with pytest.raises(InvalidDOI, match=reason.replace("(", r"\(")):
        normalize_doi(pasted)
    assert not is_doi(pasted)


def test_table_is_large_enough():
    assert len(NORMALISED) + len(REJECTED) >= 40


# (text, DOIs found in it, in order)
IN_TEXT = [
    (
        "Int J Environ Res Public Health. 2021;18(23):12836. doi:10.3390/ijerph182312836",
        ["10.3390/ijerph182312836"],
    ),
    (
        "Lancet. 367 (9524): 1747-57. doi:10.1016/S0140-6736(06)68770-9. PMID 16731270.",
        ["10.1016/s0140-6736(06)68770-9"],
    ),
    (
        "as shown before (see doi:10.1016/S0140-6736(20)30183-5).",
        ["10.1016/s0140-6736(20)30183-5"],
    ),
    (
        "J Biomed Mater Res 30:369. 10.1002/(SICI)1097-4636(199603)30:3<369::AID-JBM12>3.0.CO;2-F, cited",
        ["10.1002/(sici)1097-4636(199603)30:3<369::aid-jbm12>3.0.co;2-f"],
    ),
    (
        "Journal of Peace Research 34, no. 1 (1997): 23-36. https://doi.org/10.1177%2F0022343397034001003",
        ["10.1177/0022343397034001003"],
    ),
    (
        "Genome Biology 19:6 (2018). DOI: 10.1186/s13059-017-1376-y, PMID: 29351814",
        ["10.1186/s13059-017-1376-y"],
    ),
    (
        "two: 10.1038/nature12362 and 10.1038/ng.3858.",
        ["10.1038/nature12362", "10.1038/ng.3858"],
    ),
    ("no DOI here, only 10.5 mg and PMID 123", []),
]


@pytest.mark.parametrize("text, expected", IN_TEXT)
def test_find_dois(text, expected):
    assert [match.doi for match in find_dois(text)] == expected


def test_find_dois_gives_offsets_of_the_doi_as_written():
    text = "See https://doi.org/10.1016/S0140-6736(20)30183-5)."
    (match,) = find_dois(text)
    assert text[match.start : match.end] == "10.1016/S0140-6736(20)30183-5"


def test_strip_trailing_punctuation_keeps_balanced_brackets():
    assert strip_trailing_punctuation("10.1000/a(b)c).;") == "10.1000/a(b)c"
    assert strip_trailing_punctuation("10.1000/<a>") == "10.1000/<a>"


def test_doi_url_escapes_what_a_url_cannot_carry():
    assert doi_url("10.3390/nu10081016") == "https://doi.org/10.3390/nu10081016"
    url = doi_url("10.1002/(sici)1097-4636(199603)30:3<369::aid-jbm12>3.0.co;2-f")
    assert "<" not in url and ">" not in url and "%3C369" in url


def test_every_recorded_crossref_doi_normalises_to_itself_lower_cased():
    folder = shared_path("crossref", "works")
    records = sorted(folder.glob("*.json"))
    assert len(records) >= 190
    for path in records:
        doi = json.loads(path.read_text(encoding="utf-8"))["message"]["DOI"]
        assert normalize_doi(doi) == doi.lower(), path.name
        assert normalize_doi(doi_url(doi)) == doi.lower(), path.name


ARTICLES = shared_articles() or [
    pytest.param(
        "", {}, marks=pytest.mark.skip(reason=f"no shared articles at {SHARED}")
    )
]


@pytest.mark.parametrize("name, expected", ARTICLES)
def test_dois_written_on_one_line_in_real_reference_lists_are_found(name, expected):
    for reference in expected["references"]:
        doi, raw = reference["doi"], reference["raw"]
        written = raw.lower().replace("%2f", "/").replace("\\_", "_")
        if (
            doi and doi in written
        ):  # DOIs wrapped over two lines are joined at ingestion
            assert doi in [match.doi for match in find_dois(raw)], raw
