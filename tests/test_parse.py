import json

import bibtexparser

SPEC_KEYS = [
    "raw",
    "authors",
    "editors",
    "year",
    "title",
    "container",
    "volume",
    "issue",
    "pages",
    "publisher",
    "location",
    "doi",
    "url",
    "type",
]
LINES = [
    "Di Tommaso N, Gasbarrini A, Ponziani FR. Intestinal Barrier in Human Health and"
    " Disease. Int J Environ Res Public Health. 2021;18(23):12836."
    " doi:10.3390/ijerph182312836",
    "",
    "   ",
    "World Health Organization (2004). Vitamin and mineral requirements in human"
    " nutrition. 2nd ed. Geneva: World Health Organization.",
]


def test_json_is_one_object_per_non_empty_line_in_order(tracker, tmp_path):
    path = tmp_path / "refs.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    parsed = tracker.json("parse", str(path))
    assert [item["raw"] for item in parsed] == [LINES[0], LINES[3]]
    assert list(parsed[0])[: len(SPEC_KEYS)] == SPEC_KEYS
    first, second = parsed
    assert first["authors"][0] == {"family": "Di Tommaso", "given": "N"}
    assert (first["year"], first["volume"], first["issue"], first["pages"]) == (
        2021,
        "18",
        "23",
        "12836",
    )
    assert first["doi"] == "10.3390/ijerph182312836"
    assert first["type"] == "article-journal"
    assert second["authors"] == [{"literal": "World Health Organization"}]
    assert second["year"] == 2004 and second["location"] == "Geneva"
    assert not tracker.db_path.exists()  # nothing is stored


def test_standard_input_and_bibtex(tracker):
    result = tracker("parse", "--format", "bibtex", input="\n".join(LINES))
    assert result.exit_code == 0
    library = bibtexparser.parse_string(result.stdout)
    assert [entry.key for entry in library.entries] == [
        "ditommaso2021intestinal",
        "world2004vitamin",
    ]
    assert library.entries[0]["journal"] == "Int J Environ Res Public Health"


def test_csl_json(tracker):
    result = tracker("parse", "-", "--format", "csl-json", input=LINES[0])
    (item,) = json.loads(result.stdout)
    assert (
        item["type"] == "article-journal" and item["DOI"] == "10.3390/ijerph182312836"
    )
    assert item["issued"] == {"date-parts": [[2021]]}


def test_text_output(tracker):
    result = tracker("parse", input=LINES[0])
    assert "  container  Int J Environ Res Public Health" in result.stdout


def test_a_missing_file_is_one_line(tracker, tmp_path):
    result = tracker("parse", str(tmp_path / "none.txt"))
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")
