import pytest

from tracker.text.markers import (
    MarkerStyle,
    find_markers,
    marker_style,
    match_reference,
)
from tracker.text.parser import parse_reference

NUMERIC = MarkerStyle(brackets=True)
AUTHOR_YEAR = MarkerStyle(author_year=True)


@pytest.mark.parametrize(
    "sentence, numbers",
    [
        ("Fibre helps.[1]", [[1]]),
        ("Fibre helps [1,2].", [[1, 2]]),
        ("Fibre helps [1–3].", [[1, 2, 3]]),
        ("Fibre helps [2, 4-5].", [[2, 4, 5]]),
        ("Fibre helps.[1][5]", [[1], [5]]),
        ("Sugar is bad [22]:11–12.", [[22]]),
        ("In 2019 [99] nothing.", []),
    ],
)
def test_bracket_markers(sentence, numbers):
    assert [m.numbers for m in find_markers(sentence, NUMERIC, 30)] == numbers


def test_parenthesised_and_superscript_numbers():
    assert [
        m.numbers
        for m in find_markers("Fibre helps (1, 2).", MarkerStyle(parentheses=True), 5)
    ] == [[1, 2]]
    flat = MarkerStyle(flattened=True)
    assert [m.numbers for m in find_markers("Fibre helps adults.1,2", flat, 5)] == [
        [1, 2]
    ]
    assert [
        m.numbers for m in find_markers("Fibre helps adults3-5 a lot.", flat, 5)
    ] == [[3, 4, 5]]
    assert [
        m.numbers
        for m in find_markers(
            "Fibre helps adults.¹˒²", MarkerStyle(superscripts=True), 5
        )
    ] == [[1, 2]]
    tagged = MarkerStyle(superscripts=True)
    assert [
        m.numbers for m in find_markers("Fibre helps1.", tagged, 5, [(11, 12)])
    ] == [[1]]


@pytest.mark.parametrize(
    "sentence, cites",
    [
        (
            "TEs shape evolution (Chuong et al., 2016; Frank and Feschotte, 2017).",
            [(["Chuong"], 2016, "", True), (["Frank", "Feschotte"], 2017, "", False)],
        ),
        ("As Smith et al. (2020) showed, it works.", [(["Smith"], 2020, "", True)]),
        ("Smith and Jones (2019) disagree.", [(["Smith", "Jones"], 2019, "", False)]),
        ("It was (Lemke 2002, 21).", [(["Lemke"], 2002, "", False)]),
        (
            "Es hilft (Müller & Schmidt, 2019).",
            [(["Müller", "Schmidt"], 2019, "", False)],
        ),
        ("Es hilft (Becker u. a. 2020, S. 12).", [(["Becker"], 2020, "", True)]),
        (
            "See (Wolf et al., 2015a; Wolf et al., 2015b).",
            [(["Wolf"], 2015, "a", True), (["Wolf"], 2015, "b", True)],
        ),
        ("Prices rose (2019).", []),
        ("Measured (n = 2019 people).", []),
    ],
)
def test_author_year_markers(sentence, cites):
    found = [
        (c.names, c.year, c.suffix, c.et_al)
        for m in find_markers(sentence, AUTHOR_YEAR, 0)
        for c in m.cites
    ]
    assert found == cites


def test_author_year_citations_name_references_by_surname_and_year():
    references = [
        parse_reference(
            'Lemke, Douglas. "The Continuation of History." *Journal of Peace Research* 34, no. 1 (1997): 23-36.'
        ),
        parse_reference(
            "Lemke, Douglas. *Regions of War and Peace.* Cambridge: Cambridge University Press, 2002."
        ),
        parse_reference(
            "Wolf G, Greenberg D, Macfarlan TS. Spotting the enemy within. Mobile DNA 6:17 (2015a)."
        ),
        parse_reference(
            "Wolf G, Yang P, Macfarlan TS. The KRAB zinc finger protein ZFP809. Genes Dev 29:538–554 (2015b)."
        ),
        parse_reference(
            "Frank JA, Feschotte C. Co-option of endogenous viral sequences. Curr Opin Virol 25:81–89 (2017)."
        ),
    ]
    [lemke_2002] = find_markers("(Lemke 2002, 21)", AUTHOR_YEAR, 0)[0].cites
    assert match_reference(lemke_2002, references) == 1
    [lemke_1997] = find_markers("(Lemke 1997, 24)", AUTHOR_YEAR, 0)[0].cites
    assert match_reference(lemke_1997, references) == 0
    wolf_b = find_markers("(Wolf et al., 2015b)", AUTHOR_YEAR, 0)[0].cites[0]
    assert match_reference(wolf_b, references) == 3
    frank = find_markers("(Frank and Feschotte, 2017)", AUTHOR_YEAR, 0)[0].cites[0]
    assert match_reference(frank, references) == 4
    nobody = find_markers("(Nobody, 2017)", AUTHOR_YEAR, 0)[0].cites[0]
    assert match_reference(nobody, references) is None


def test_style_is_decided_per_article():
    assert marker_style("A claim [1]. Another [2].", True, 2).brackets
    author_year = marker_style(
        "A claim (Smith, 2019). H3K9me3 and 2 others (1).", False, 2
    )
    assert (
        author_year.author_year
        and not author_year.parentheses
        and not author_year.flattened
    )
    assert marker_style("Risk rose.1 It fell.2", True, 2).flattened
    assert not marker_style("Risk rose.1 It fell.2", False, 2).flattened
