import json
import re
from html.parser import HTMLParser

import pytest

from tracker.bib.csl import csl_item
from tracker.bib.formatted import (
    STYLES,
    format_bibliography,
    format_references,
    journal_abbreviation,
    style_path,
)
from tracker.crossref.records import authors_from_message, record_from_message
from tracker.errors import InvalidInput

from ..helpers import CROSSREF, recorded_work

EXAMPLE = ["10.3390/ijerph182312836", "10.3390/nu10081016"]


def item_for(message, key):
    return csl_item(record_from_message(message), authors_from_message(message), key)


def example_items():
    return [item_for(recorded_work(doi), f"ref{n}") for n, doi in enumerate(EXAMPLE, 1)]


def recorded_items():
    return [
        item_for(json.loads(path.read_text(encoding="utf-8"))["message"], f"w{n}")
        for n, path in enumerate(sorted((CROSSREF / "works").glob("*.json")))
    ]


def test_ama_gives_the_example_s_own_list_corrected():
    assert format_bibliography(example_items(), "ama").splitlines() == [
        "1. Di Tommaso N, Gasbarrini A, Ponziani FR. Intestinal Barrier in Human Health"
        " and Disease. Int J Environ Res Public Health. 2021;18(23):12836."
        " doi:10.3390/ijerph182312836",
        "2. Abdelhamid L, Luo XM. Retinoic Acid, Leaky Gut, and Autoimmune Diseases."
        " Nutrients. 2018;10(8):1016. doi:10.3390/nu10081016",
    ]


def test_apa_harvard_and_vancouver():
    items = example_items()
    assert format_references(items, "apa")[0] == (
        "Abdelhamid, L., & Luo, X. M. (2018). Retinoic Acid, Leaky Gut, and Autoimmune"
        " Diseases. Nutrients, 10(8), 1016. https://doi.org/10.3390/nu10081016"
    )
    assert format_references(items, "harvard")[1] == (
        "Di Tommaso, N., Gasbarrini, A. and Ponziani, F.R. (2021) “Intestinal Barrier in"
        " Human Health and Disease”, International Journal of Environmental Research and"
        " Public Health, 18(23), p. 12836. Available at:"
        " https://doi.org/10.3390/ijerph182312836."
    )
    # citeproc-py runs the NLM style's date parts together ("2021Dec6"): year only.
    assert format_references(items, "vancouver")[0] == (
        "1. Di Tommaso N, Gasbarrini A, Ponziani FR. Intestinal Barrier in Human Health"
        " and Disease. Int J Environ Res Public Health. 2021;18(23):12836."
        " doi:10.3390/ijerph182312836"
    )


def test_medline_abbreviations_replace_crossref_s_short_titles():
    assert (
        journal_abbreviation(
            "International Journal of Environmental Research and Public Health"
        )
        == "Int J Environ Res Public Health"
    )
    assert journal_abbreviation("the journal of nutrition") == "J Nutr"
    assert journal_abbreviation("Journal of Things Nobody Abbreviates") is None
    item = {**example_items()[0], "container-title-short": "IJERPH"}
    assert "IJERPH" not in format_bibliography([item], "ama")
    unknown = {**item, "container-title": "Journal of Things Nobody Abbreviates"}
    assert "Journal of Things Nobody Abbreviates. 2021" in format_bibliography(
        [unknown], "ama"
    )


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


HOSTILE = (
    "<script>alert(1)</script> & <img src=x onerror=alert(2)> *bold* [x](javascript:y)"
)


@pytest.mark.parametrize("style", STYLES)
def test_hostile_values_come_out_inert_in_html_and_markdown(style):
    item = {**example_items()[0], "title": HOSTILE}
    item["author"] = [{"family": "<b>Evil</b>", "given": "A & B"}]
    page = format_bibliography([item], style, "html")
    parser = Elements()
    parser.feed(page)
    assert {tag for tag, _ in parser.tags} <= {"div", "i", "b", "span"}
    assert not any(attrs for tag, attrs in parser.tags if tag != "div")
    assert "&lt;script&gt;" in page and "&amp;lt;" not in page
    markdown = format_bibliography([item], style, "md")
    assert "<script" not in markdown and "<img" not in markdown
    assert r"\*bold\*" in markdown and r"\[x\]" in markdown


def test_every_recorded_work_formats_in_every_style():
    items = recorded_items()
    assert len(items) >= 190
    for style in STYLES:
        entries = format_references(items, style)
        assert len(entries) == len(items)
        assert all(entry.strip() for entry in entries)
    numbered = format_references(items, "ama")
    assert all(re.match(rf"{n}\. \S", entry) for n, entry in enumerate(numbered, 1))


def test_a_style_file_of_one_s_own(tmp_path):
    path = tmp_path / "mine.csl"
    path.write_text(style_path("ama").read_text(encoding="utf-8"), encoding="utf-8")
    assert format_bibliography(example_items(), str(path)) == format_bibliography(
        example_items(), "ama"
    )
    broken = tmp_path / "broken.csl"
    broken.write_text("<style><not closed", encoding="utf-8")
    with pytest.raises(InvalidInput, match="cannot format with style"):
        format_bibliography(example_items(), str(broken))
    for style in ("chicago", str(tmp_path / "missing.csl"), str(tmp_path)):
        with pytest.raises(InvalidInput, match="unknown style"):
            format_bibliography(example_items(), style)


def test_nothing_selected_gives_nothing():
    assert format_bibliography([], "ama") == ""


@pytest.mark.parametrize("style", STYLES)
def test_a_work_without_authors_is_listed_under_its_title_once(style):
    item = {
        "id": "a",
        "type": "article-journal",
        "title": "Dietary Guidelines for Americans",
        "issued": {"date-parts": [[2020]]},
    }
    [entry] = format_references([item], style)
    assert entry.count("Dietary Guidelines for Americans") == 1


def test_the_label_of_a_numbered_entry_is_set_apart_whatever_follows():
    item = {
        "id": "b",
        "type": "article-journal",
        "title": "Tale",
        "author": [{"family": '"the saint" Templar', "given": "Simon"}],
        "issued": {"date-parts": [[2018]]},
    }
    assert format_references([item], "ama") == [
        '1. "the saint" Templar S. Tale. Published online 2018.'
    ]
