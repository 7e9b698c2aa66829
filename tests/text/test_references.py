import pytest

from tracker.text.document import parse_text
from tracker.text.names import parse_authors
from tracker.text.parser import parse_reference
from tracker.text.references import (
    doi_of,
    is_junk,
    reference_section,
    split_entries,
    unwrap_dois,
)


@pytest.mark.parametrize(
    "heading",
    [
        "References",
        "REFERENCES",
        "## References",
        "Referrences",
        "Sources:",
        "Bibliography",
        "## WORKS CITED ",
        "Literature Cited",
        "***** References[edit] *****",
        "Further reading",
        "Notes",
        "Citations",
        "Literaturverzeichnis",
    ],
)
def test_reference_headings(heading):
    text = f"Title\n\nOne claim about diet is made here today.\n\n{heading}\n\n1. Smith AB. A study. J Diet. 2020;1(2):3-4.\n2. Jones C. Another. J Diet. 2021;2(1):5-6.\n"
    document = parse_text(text)
    entries = split_entries(document, reference_section(document))
    assert [entry.raw[:8] for entry in entries] == ["Smith AB", "Jones C."]


def test_the_list_ends_at_page_furniture():
    text = "T\n\nA claim is made in this sentence here.\n\nReferences\n1. Smith AB. A study. 2020.\nComments\nShare this:\n"
    document = parse_text(text)
    assert [e.raw for e in split_entries(document, reference_section(document))] == [
        "Smith AB. A study. 2020."
    ]


@pytest.mark.parametrize(
    "item",
    [
        ".mw-parser-output cite.citation{font-style:inherit}",
        "[open_access]",
        "ISBN 978-1-55862-847-2",
        "^ a b",
        "12",
    ],
)
def test_debris_is_not_a_reference(item):
    assert is_junk(item)


def test_real_references_are_not_debris():
    assert not is_junk("https://doi.org/10.1136/bmj.j5024")
    assert not is_junk("WHO. Healthy diet. 2020.")


@pytest.mark.parametrize(
    "wrapped, doi",
    [
        ("doi:10.1056/\n      NEJMoa0804748. PMC", "10.1056/nejmoa0804748"),
        (
            "doi:10.1146/annurev-publhealth-\n      032013-182351. PMID",
            "10.1146/annurev-publhealth-032013-182351",
        ),
        ("doi:\n      10.1016/j.jand.2016.09.025. PMID", "10.1016/j.jand.2016.09.025"),
        (
            "doi:10.1161/CIR.0000000000000439.\n      PMC 5365373.",
            "10.1161/cir.0000000000000439",
        ),
        (
            "DOI: 10.1007/978-1-60761-753-2\\_27, PMID: 20680851",
            "10.1007/978-1-60761-753-2_27",
        ),
        (
            "https://doi.org/10.1177%2F0022343397034001003",
            "10.1177/0022343397034001003",
        ),
        ("no identifier at all", None),
    ],
)
def test_dois_of_entries(wrapped, doi):
    assert doi_of(wrapped) == doi


def test_unwrap_only_joins_inside_dois():
    assert (
        unwrap_dois("doi:10.1080/\n   08870446.2017.1316849.")
        == "doi:10.1080/08870446.2017.1316849."
    )
    assert (
        unwrap_dois("Health. 32 (8): 907-\n   941.") == "Health. 32 (8): 907-\n   941."
    )


@pytest.mark.parametrize(
    "raw, first, year, title, container, volume, issue, pages",
    [
        (
            "Di Tommaso N, Gasbarrini A, Ponziani FR. Intestinal Barrier in Human Health and Disease. Int J Environ Res Public Health. 2021;18(23):12836. doi:10.3390/ijerph182312836",
            "Di Tommaso",
            2021,
            "Intestinal Barrier in Human Health and Disease",
            "Int J Environ Res Public Health",
            "18",
            "23",
            "12836",
        ),
        (
            "Smith, A. B., & Jones, C. D. (2019). Fibre fermentation in the human colon. Journal of Gut Science, 12(3), 45–67. https://example.org/x",
            "Smith",
            2019,
            "Fibre fermentation in the human colon",
            "Journal of Gut Science",
            "12",
            "3",
            "45–67",
        ),
        (
            'Lemke, Douglas. "The Continuation of History: Power Transition Theory and the End of the Cold War." *Journal of Peace Research* 34, no. 1 (1997): 23-36.',
            "Lemke",
            1997,
            "The Continuation of History: Power Transition Theory and the End of the Cold War",
            "Journal of Peace Research",
            "34",
            "1",
            "23–36",
        ),
        (
            "Bailey TL, Boden M, Buske FA. MEME SUITE: tools for motif discovery and searching. Nucleic Acids Research 37:W202–W208 (2009). DOI: 10.1093/nar/gkp335, PMID: 19458158",
            "Bailey",
            2009,
            "MEME SUITE: tools for motif discovery and searching",
            "Nucleic Acids Research",
            "37",
            None,
            "W202–W208",
        ),
        (
            '^ a bLean, Michael E.J. (2015). "Principles of Human Nutrition".\n      Medicine. 43 (2): 61â\x80\x9365. doi:10.1016/j.mpmed.2014.11.009.',
            "Lean",
            2015,
            "Principles of Human Nutrition",
            "Medicine",
            "43",
            "2",
            "61–65",
        ),
        (
            "Kyrou, K. et al. Nat. Biotechnol. 36, 1062–1066 (2018).",
            "Kyrou",
            2018,
            None,
            None,
            "36",
            None,
            "1062–1066",
        ),
        (
            "Dougherty LR, van Lieshout E. Sexual conflict in seed beetles. Proc. R. Soc. B. 2017;284(1855):20170132.",
            "Dougherty",
            2017,
            "Sexual conflict in seed beetles",
            "Proc. R. Soc. B",
            "284",
            "1855",
            "20170132",
        ),
    ],
)
def test_parse_reference(raw, first, year, title, container, volume, issue, pages):
    parsed = parse_reference(raw)
    assert parsed.authors[0].family == first
    assert (parsed.year, parsed.volume, parsed.issue, parsed.pages) == (
        year,
        volume,
        issue,
        pages,
    )
    if title:
        assert parsed.title == title
    if container:
        assert parsed.container == container


def test_year_letters_are_kept():
    parsed = parse_reference(
        "Wolf G, Greenberg D. Spotting the enemy within. Mobile DNA 6:17 (2015a)."
    )
    assert (parsed.year, parsed.year_suffix) == (2015, "a")


@pytest.mark.parametrize(
    "text, expected, et_al",
    [
        (
            "Di Tommaso N, Gasbarrini A, Ponziani FR",
            [("Di Tommaso", "N"), ("Gasbarrini", "A"), ("Ponziani", "FR")],
            False,
        ),
        (
            "Smith, J. A., Jones, B., & van der Berg, C. D.",
            [("Smith", "JA"), ("Jones", "B"), ("van der Berg", "CD")],
            False,
        ),
        (
            "Sacks FM, Bray GA, Carey VJ, et al",
            [("Sacks", "FM"), ("Bray", "GA"), ("Carey", "VJ")],
            True,
        ),
        (
            "Aaronson, Michael, Sverre Diessen, and Michael Miklaucic",
            [("Aaronson", "M"), ("Diessen", "S"), ("Miklaucic", "M")],
            False,
        ),
        (
            "Melina, Vesanto; Craig, Winston; Levin, Susan",
            [("Melina", "V"), ("Craig", "W"), ("Levin", "S")],
            False,
        ),
        ("Müller, H. und Schmidt, K.", [("Müller", "H"), ("Schmidt", "K")], False),
        ("Becker u. a.", [("Becker", "")], True),
        ("Tkaczyk D, Bolikowski Ł", [("Tkaczyk", "D"), ("Bolikowski", "Ł")], False),
    ],
)
def test_parse_authors(text, expected, et_al):
    authors, cut = parse_authors(text)
    assert [(a.family, a.initials) for a in authors] == expected
    assert cut == et_al


def test_organisations_stay_whole():
    authors, _ = parse_authors("World Health Organization")
    assert authors[0].organisation and authors[0].family == "World Health Organization"
    authors, _ = parse_authors("Chiang C, GTEx Consortium, Scott AJ")
    assert [a.organisation for a in authors] == [False, True, False]


def entries_of(text: str):
    document = parse_text(text)
    return split_entries(document, reference_section(document))


def test_lines_of_links_after_an_entry_belong_to_it():
    """As PMC and Springer pages print them, pasted as Markdown."""
    text = (
        "A review\n\nFibre matters [1].\n\n## References\n\n"
        "1. Smith AB, Lee K. Dietary fibre and the gut. Gut. 2019;68(3):1-9.\n"
        "   [Article](https://doi.org/10.1038%2Fnpp.2013.149) [PubMed] [Google Scholar]\n"
        "2. Jones C. Butyrate. Nutrients. 2020;12:44.\n\n"
        "   CAS Article PubMed PubMed Central Google Scholar\n\n"
        "3. Wu T. Short-chain fatty acids. Cell. 2021;184:1-2.  \n"
        "<https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7856758/>\n"
    )
    entries = entries_of(text)
    assert len(entries) == 3
    assert entries[0].raw.endswith("[Google Scholar]")
    assert entries[0].doi == "10.1038/npp.2013.149"
    assert entries[1].raw.endswith("Google Scholar")
    assert entries[2].raw.endswith("PMC7856758/>")


def test_a_label_inside_a_bullet_is_a_label():
    entries = entries_of(
        "Post\n\nText.\n\nReferences\n\n"
        "- [12] Smith AB. Fibre. J Gut. 2019;1(2):3-4.\n"
        "- [13] Lee K. Butyrate. J Gut. 2020;2(1):5-6.\n"
    )
    assert [(e.label, e.raw) for e in entries] == [
        ("[12]", "Smith AB. Fibre. J Gut. 2019;1(2):3-4."),
        ("[13]", "Lee K. Butyrate. J Gut. 2020;2(1):5-6."),
    ]


@pytest.mark.parametrize(
    "introduction",
    [
        "Healthline has strict sourcing guidelines and relies on peer-reviewed studies,"
        " academic research institutions, and medical associations.",
        "Papers of particular interest have been highlighted as: ••",
        "Sources",
    ],
)
def test_a_sentence_that_introduces_the_list_is_not_an_entry(introduction):
    entries = entries_of(
        "Post\n\nText.\n\nReferences\n\n"
        f"{introduction}\n\n"
        "Smith, A. B. (2019). Fibre and the gut. Gut, 68(3), 1-9.\n\n"
        "Lee, K. (2020). Butyrate. Nutrients, 12, 44.\n"
    )
    assert [e.raw[:5] for e in entries] == ["Smith", "Lee, "]


def test_a_list_converted_from_pdf():
    """Entries numbered out of order, and an entry cut in two by a figure caption:
    the caption is no entry, and the rest of the entry joins it."""
    text = (
        "A study\n\nFibre feeds the microbiota [3]. Butyrate tightens junctions [2].\n\n"
        "References\n\n"
        "1. Smith AB. Fibre and the gut. Gut. 2019;68(3):1-9.\n"
        "3. Wu T, Chen L. Short-chain fatty acids and the barrier of the\n\n"
        "Figure 2. Butyrate concentrations in the colon of mice fed fibre.\n\n"
        "intestine. Cell. 2021;184:1-2.\n"
        "2. Lee K. Butyrate. Nutrients. 2020;12:44.\n"
    )
    entries = entries_of(text)
    assert [e.label for e in entries] == ["1.", "3.", "2."]
    assert entries[1].raw.startswith("Wu T") and entries[1].raw.endswith("184:1-2.")
    from tracker.text.analysis import analyse

    analysis = analyse(parse_text(text))
    cited = [claim.cited for claim in analysis.claims]
    assert cited == [[2], [3]]  # [3] is the entry labelled 3, in position 2


def test_the_same_doi_in_two_entries_is_two_entries():
    entries = entries_of(
        "Post\n\nText.\n\nReferences\n\n"
        "1. Smith AB. Fibre. J Gut. 2019;1(2):3-4. doi:10.1000/fibre.1\n"
        "2. Smith AB. Fibre (corrected). J Gut. 2019;1(2):3-4. doi:10.1000/fibre.1\n"
    )
    assert [e.doi for e in entries] == ["10.1000/fibre.1", "10.1000/fibre.1"]
