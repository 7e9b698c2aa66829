import dataclasses
import hashlib
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tracker.text import parser
from tracker.text.parser import ParsedReference, parse_reference

from ..helpers import REPO


def people(parsed):
    return [(a.family, a.given) for a in parsed.authors]


@pytest.mark.parametrize(
    "raw, fields",
    [
        (
            "Bergk, V., Haefeli, W. E., Gasse, C., Brenner, H. & Martin-Facklam, M."
            " Information deficits in the summary of product characteristics preclude an"
            " optimal management of drug interactions: a comparison with evidence from"
            " the literature. European Journal of Clinical Pharmacology 2005, 61, 327–335.",
            {
                "year": 2005,
                "container": "European Journal of Clinical Pharmacology",
                "volume": "61",
                "pages": "327–335",
                "type": "article-journal",
            },
        ),
        (
            "Abdelhamid L, Luo X. Retinoic Acid, Leaky Gut, and Autoimmune Diseases."
            " Nutrients. 2018;10(8):1016. doi:10.3390/nu10081016",
            {
                "title": "Retinoic Acid, Leaky Gut, and Autoimmune Diseases",
                "container": "Nutrients",
                "year": 2018,
                "volume": "10",
                "issue": "8",
                "pages": "1016",
                "doi": "10.3390/nu10081016",
            },
        ),
        (
            'Lemke, Douglas. 1997. "The Continuation of History: Power Transition'
            ' Theory and the End of the Cold War." Journal of Peace Research 34, no. 1'
            " (1997): 23-36.",
            {"volume": "34", "issue": "1", "pages": "23–36", "year": 1997},
        ),
        (
            "Wolf G, Greenberg D, Macfarlan TS. Spotting the enemy within. Mobile DNA"
            " 6:17 (2015a).",
            {"year": 2015, "year_suffix": "a"},
        ),
    ],
)
def test_fields(raw, fields):
    parsed = parse_reference(raw)
    for name, value in fields.items():
        assert getattr(parsed, name) == value, name


def test_authors_are_people_with_initials():
    parsed = parse_reference(
        "Bergk, V., Haefeli, W. E., Gasse, C., Brenner, H. & Martin-Facklam, M."
        " Information deficits. European Journal of Clinical Pharmacology 2005, 61,"
        " 327–335."
    )
    assert people(parsed) == [
        ("Bergk", "V."),
        ("Haefeli", "W. E."),
        ("Gasse", "C."),
        ("Brenner", "H."),
        ("Martin-Facklam", "M."),
    ]
    assert [a.initials for a in parsed.authors][:2] == ["V", "WE"]


def test_a_chapter_has_editors_and_a_book():
    parsed = parse_reference(
        "Baldwin, M. (2004). Interview with Carl Rogers on the use of self. In R."
        " Moodley, C. Lago & A. Talahite (Eds.), Carl Rogers Counsels a Black Client"
        " (pp. 45–60). Ross-on-Wye: PCCS Books."
    )
    assert people(parsed) == [("Baldwin", "M.")]
    assert [e.family for e in parsed.editors][:1] == ["Moodley"]
    assert parsed.type == "chapter" and parsed.pages == "45–60"
    assert parsed.publisher and "PCCS" in parsed.publisher


def test_a_book():
    parsed = parse_reference(
        "Nestle, Marion (2006). What to Eat. New York: North Point Press."
    )
    assert parsed.title == "What to Eat" and parsed.type == "book"
    assert parsed.location == "New York" and parsed.publisher == "North Point Press"


def test_confidence_is_a_probability():
    good = parse_reference(
        "Di Tommaso N, Gasbarrini A, Ponziani FR. Intestinal Barrier in Human Health"
        " and Disease. Int J Environ Res Public Health. 2021;18(23):12836."
    )
    assert 0.9 < good.confidence <= 1.0
    noise = parse_reference("Share this on Facebook Twitter LinkedIn")
    assert 0 <= noise.confidence < good.confidence


def test_a_stored_parse_round_trips_and_an_old_one_is_refused():
    parsed = parse_reference("Smith J, Jones K. A title. Nature. 2020;5:1-2.")
    stored = json.loads(json.dumps(parsed.as_dict()))
    assert ParsedReference.from_dict(stored) == parsed
    assert ParsedReference.from_dict({**stored, "parser": 0}) is None
    assert ParsedReference.from_dict(None) is None


def test_the_stored_json_leaves_out_what_is_unset_and_reads_back_the_same():
    """On every labelled reference (editors, organisations, missing fields and all)."""
    root = ElementTree.parse(REPO / "training" / "anystyle-core.xml").getroot()
    texts = [" ".join("".join(seq.itertext()).split()) for seq in root.iter("sequence")]
    parses = parser.parse_references(texts)
    stored = [parsed.stored() for parsed in parses]
    assert [ParsedReference.from_dict(json.loads(text)) for text in stored] == parses
    full = sum(
        len(json.dumps(parsed.as_dict(), ensure_ascii=False)) for parsed in parses
    )
    assert sum(map(len, stored)) < 0.7 * full
    assert any(parsed.editors for parsed in parses)
    assert any(a.organisation for parsed in parses for a in parsed.authors)


def test_the_stored_json_keeps_the_parser_version_and_every_set_value():
    parsed = parse_reference(
        "World Health Organization. Healthy diet. Geneva: WHO; 2020."
    )
    data = json.loads(parsed.stored())
    assert data["parser"] == parser.PARSER_VERSION
    assert data["year"] == 2020 and "volume" not in data and "doi" not in data
    assert data["authors"] == [
        {"family": "World Health Organization", "organisation": True}
    ]
    assert ParsedReference.from_dict(json.loads(ParsedReference().stored())) == (
        ParsedReference()
    )


def test_the_stored_parse_is_the_dataclass_copied_whole():
    parsed = parse_reference(
        "Bischoff SC, Barbara G, Buurman W, et al. Intestinal permeability - a new"
        " target for disease prevention and therapy. BMC Gastroenterol. 2014;14:189."
        " In: Walker A, editor. Gut. Springer; 2015."
    )
    stored = parsed.as_dict()
    assert stored == {**dataclasses.asdict(parsed), "parser": parser.PARSER_VERSION}
    stored["authors"][0]["family"] = "Changed"
    stored["years"].append(1900)
    assert parsed.authors[0].family == "Bischoff" and 1900 not in parsed.years


def test_the_model_is_the_one_the_training_files_make():
    """The committed model was trained on the committed data (make model)."""
    data = Path(parser.__file__).parent / "data"
    description = json.loads((data / "references.json").read_text())
    training = REPO / "training"
    digest = hashlib.sha256(
        b"".join((training / name).read_bytes() for name in description["training"])
    ).hexdigest()
    assert description["training_sha256"] == digest
    assert description["parser_version"] == parser.PARSER_VERSION
    assert (data / parser.MODEL).stat().st_size < 2_000_000
