import json
import random
import shutil
import subprocess

import bibtexparser
import pytest
from bibtexparser.middlewares.names import split_multiple_persons_names
from pybtex.database import parse_string as pybtex_parse

from tracker.bib.bibtex import (
    ExportOptions,
    bib_chunks,
    bibtex_entry,
    merge_read_chunks,
    names_value,
    pages_value,
    people_from_bibtex,
    read_bib_chunk,
    read_bibtex,
    write_bibtex,
)
from tracker.crossref.records import authors_from_message, record_from_message

from ..helpers import CROSSREF

RECORDED = [
    json.loads(path.read_text(encoding="utf-8"))["message"]
    for folder in ("works", "seed")
    for path in sorted((CROSSREF / folder).glob("*.json"))
]


def entry_for(message, options=None, key=None):
    record = record_from_message(message)
    options = options or ExportOptions()
    return bibtex_entry(
        record,
        authors_from_message(message),
        key or record["doi"].replace("/", "_"),
        options,
    )


def every_recorded_work(options=None) -> str:
    entries = [
        entry_for(message, options, key=f"work{n}")
        for n, message in enumerate(RECORDED)
    ]
    return write_bibtex(entries)


def by_doi(doi):
    return next(m for m in RECORDED if m["DOI"].lower() == doi)


def test_the_example_work():
    text = write_bibtex(
        [entry_for(by_doi("10.3390/ijerph182312836"), key="ditommaso2021intestinal")]
    )
    assert text == (
        "@article{ditommaso2021intestinal,\n"
        "  author = {Di Tommaso, Natalia and Gasbarrini, Antonio and Ponziani, Francesca Romana},\n"
        "  title = {Intestinal Barrier in Human Health and Disease},\n"
        "  journal = {International Journal of Environmental Research and Public Health},\n"
        "  year = 2021,\n"
        "  month = dec,\n"
        "  volume = {18},\n"
        "  number = {23},\n"
        "  pages = {12836},\n"
        "  doi = {10.3390/ijerph182312836},\n"
        "  issn = {1660-4601}\n"
        "}\n"
    )


@pytest.mark.parametrize(
    "crossref_type, bibtex_type, biblatex_type",
    [
        ("journal-article", "article", "article"),
        ("proceedings-article", "inproceedings", "inproceedings"),
        ("book-chapter", "incollection", "inbook"),  # no editors: biblatex's @inbook
        ("book", "book", "book"),
        ("monograph", "book", "book"),
        ("posted-content", "misc", "online"),
        ("dissertation", "phdthesis", "phdthesis"),
        ("report", "techreport", "techreport"),
        ("dataset", "misc", "dataset"),
        ("peer-review", "misc", "misc"),
    ],
)
def test_entry_types(crossref_type, bibtex_type, biblatex_type):
    work = {
        "type": crossref_type,
        "title": "A title",
        "container_title": "A container",
        "publisher": "A publisher",
        "year": 2020,
        "issued": "2020-08-03",
    }
    authors = [{"family": "Smith", "given": "Jo"}]
    assert bibtex_entry(work, authors, "k", ExportOptions()).entry_type == bibtex_type
    biblatex = bibtex_entry(work, authors, "k", ExportOptions(biblatex=True))
    assert biblatex.entry_type == biblatex_type
    assert biblatex.fields_dict["month"].value == "8"
    if crossref_type == "book-chapter":
        edited = {**work, "editors": json.dumps([{"family": "Doe", "given": "Al"}])}
        options = ExportOptions(biblatex=True)
        assert bibtex_entry(edited, authors, "k", options).entry_type == "incollection"


def test_types_of_recorded_works_and_incomplete_records():
    types = {entry_for(m).entry_type for m in RECORDED}
    assert {
        "article",
        "inproceedings",
        "incollection",
        "book",
        "phdthesis",
        "techreport",
        "misc",
    } <= types
    journal = by_doi("10.1007/10452.1573-5125")  # a journal record: no author, no date
    assert entry_for(journal).entry_type == "misc"


def test_names():
    people = [
        {"family": "van Lieshout", "given": "Emile"},
        {"family": "Di Tommaso", "given": "Natalia"},
        {"name": "World Health Organization & Partners"},
        {"family": "Smith, Jr", "given": "John"},
    ]
    assert names_value(people) == (
        r"{van Lieshout, Emile and Di Tommaso, Natalia and {World Health Organization \& Partners}"
        r" and Smith Jr, John}"
    )
    assert (
        names_value([{"family": "Ziółko", "given": "Ewa"}], ascii=True)
        == r"{Zi{\'o}{\l}ko, Ewa}"
    )


def test_pages_and_months():
    assert pages_value("61-65") == "61--65"
    assert pages_value("1747–57") == "1747--57"
    assert pages_value("e1017") == "e1017"
    assert entry_for(by_doi("10.3390/nu10081016")).fields_dict["month"].value == "aug"


def test_hostile_titles_come_out_escaped_and_harmless():
    hostile = "A } broke \\input{/etc/passwd} 100% #1 { unbalanced \\end{document}"
    work = {
        "type": "journal-article",
        "title": hostile,
        "container_title": "J & K",
        "year": 2020,
        "doi": "10.1000/a}b{c",
        "url": "https://example.org/{x}",
    }
    entry = bibtex_entry(
        work, [{"family": "O'Brien }", "given": "\\x"}], "k", ExportOptions()
    )
    text = write_bibtex([entry])
    assert "\\input" not in text.replace("\\textbackslash{}input", "")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (parsed,) = library.entries
    assert parsed.key == "k" and len(parsed.fields) == len(entry.fields)
    assert parsed.fields_dict["doi"].value == "10.1000/a%7Db%7Bc"


@pytest.mark.parametrize(
    "options",
    [ExportOptions(), ExportOptions(ascii=True), ExportOptions(biblatex=True)],
)
def test_every_recorded_work_parses_the_same_with_bibtexparser_and_pybtex(options):
    text = every_recorded_work(options)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    pybtex = pybtex_parse(text, "bibtex")
    assert [e.key for e in library.entries] == list(pybtex.entries.keys())
    for entry in library.entries:
        other = pybtex.entries[entry.key]
        assert entry.entry_type == other.type
        for item in entry.fields:
            if item.key in ("author", "editor"):
                names = split_multiple_persons_names(item.value)
                assert len(names) == len(other.persons[item.key]), entry.key
            elif item.key != "month":
                assert item.value == other.fields[item.key], (entry.key, item.key)
    if options.ascii:
        assert text.isascii() or all(
            not ch.isalpha() or ord(ch) > 0x2FF for ch in text if not ch.isascii()
        )


@pytest.mark.skipif(
    not shutil.which("bibtex"),
    reason="the bibtex program is not installed (texlive-binaries)",
)
def test_bibtex_with_plain_bst_reads_every_recorded_work_without_a_warning(tmp_path):
    for name, options in (
        ("utf8", ExportOptions()),
        ("ascii", ExportOptions(ascii=True)),
    ):
        (tmp_path / f"{name}.bib").write_text(
            every_recorded_work(options), encoding="utf-8"
        )
        (tmp_path / f"{name}.aux").write_text(
            f"\\relax\n\\citation{{*}}\n\\bibstyle{{plain}}\n\\bibdata{{{name}}}\n",
            encoding="utf-8",
        )
        result = subprocess.run(
            ["bibtex", name], cwd=tmp_path, capture_output=True, text=True
        )
        log = (tmp_path / f"{name}.blg").read_text(encoding="utf-8", errors="replace")
        assert result.returncode == 0, log
        assert "Warning--" not in log and "error message" not in log, log
        assert (tmp_path / f"{name}.bbl").read_text(
            encoding="utf-8", errors="replace"
        ).count("\\bibitem") == len(RECORDED)


def test_reading_keeps_values_as_written():
    read = read_bibtex(
        "@string{jomch = {J. Chem.}}\n"
        '@article{k1,\n  title = {The {DNA} of M{\\"u}ller},\n  month = jul,\n'
        "  journal = jomch # { Letters},\n  author = {Smith, J. and {WHO}}\n}\n"
        "@article{k1, title = {again}}\n"
        "@misc{bad,\n  note = {open\n}\n"
    )
    (entry,) = read.entries
    assert entry.raw_fields == [
        ("title", '{The {DNA} of M{\\"u}ller}'),
        ("month", "jul"),
        ("journal", "{J. Chem.} # { Letters}"),
        ("author", "{Smith, J. and {WHO}}"),
    ]
    assert entry.text["title"] == "The DNA of Müller"
    assert entry.text["journal"] == "J. Chem. Letters"
    assert entry.line == 2
    assert read.duplicate_keys == [
        {"line": 8, "key": "k1", "reason": "key 'k1' repeated in the file"}
    ]
    assert [failure["line"] for failure in read.failed] == [9]
    assert read.count == 3


HOSTILE_VALUES = [
    "1}, note = {\\input{/etc/passwd}\\immediate\\write18{id}}, x = {2",
    "Unbalanced }}} and { braces",
    "}{",
    "\\\\{}}",
    "50% of $5 & #1 ~ ^ _ \\end{document}",
    "{{{{",
]


def hostile_entries() -> list:
    """Seven records whose every text field (title, journal, volume, issue, page,
    publisher, authors) carries one hostile value."""
    base = json.loads((CROSSREF / "seed" / "10.3390__nu10081016.json").read_text())
    entries = []
    for number, value in enumerate([*HOSTILE_VALUES, "plain"]):
        message = json.loads(json.dumps(base["message"]))
        message.update(
            {
                "DOI": f"10.1000/hostile{number}",
                "title": [value],
                "container-title": [value],
                "volume": value,
                "issue": value,
                "page": value,
                "publisher": value,
                "author": [{"family": value, "given": value}],
            }
        )
        work = record_from_message(message)
        authors = authors_from_message(message)
        entries.append(bibtex_entry(work, authors, f"hostile{number}", ExportOptions()))
    return entries


@pytest.mark.skipif(
    not shutil.which("bibtex"),
    reason="the bibtex program is not installed (texlive-binaries)",
)
def test_hostile_records_export_inert_and_balanced_for_real_bibtex(tmp_path):
    text = write_bibtex(hostile_entries())
    for command in ("\\input", "\\write18", "\\immediate", "\\end"):
        assert command not in text.replace("\\textbackslash{}", "<backslash>")
    (tmp_path / "hostile.bib").write_text(text, encoding="utf-8")
    (tmp_path / "hostile.aux").write_text(
        "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{hostile}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["bibtex", "hostile"], cwd=tmp_path, capture_output=True, text=True
    )
    log = (tmp_path / "hostile.blg").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, log
    assert "error message" not in log and "Warning--" not in log, log
    bbl = (tmp_path / "hostile.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == len(HOSTILE_VALUES) + 1
    assert "\\input" not in bbl.replace("\\textbackslash{}", "<backslash>")
    assert "\\write18" not in bbl.replace("\\textbackslash{}", "<backslash>")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == len(HOSTILE_VALUES) + 1
    for entry in library.entries:
        for item in entry.fields:
            depth = 0
            for character in item.value:
                depth += {"{": 1, "}": -1}.get(character, 0)
                assert depth >= 0, (entry.key, item.key, item.value)
            assert depth == 0, (entry.key, item.key, item.value)


@pytest.mark.parametrize(
    "source, field, text",
    [
        (
            r"@misc{a, note = {See \href{http://x.org}{x} here}}",
            "note",
            "See x <http://x.org> here",
        ),
        (r"@misc{a, note = {\href{http://x.org}}}", "note", "http://x.org"),
        (
            '@misc{a, author = "Simon {"}the {saint"} Templar"}',
            "author",
            'Simon "the saint" Templar',
        ),
        (r"@misc{a, title = {\\{}}, year = 2018}", "year", "2018"),
    ],
)
def test_fields_bibtex_reads_are_read(source, field, text):
    read = read_bibtex(source)
    assert not read.failed
    [entry] = read.entries
    assert entry.text[field] == text


@pytest.mark.parametrize(
    "entry_type",
    [
        "commentary",
        "suppbook",
        "review",
        "dataset",
        "software",
        "stringent",
        "preambles",
    ],
)
def test_every_entry_type_is_kept(entry_type):
    read = read_bibtex(
        f"@{entry_type}{{k1, title = {{T}}}}\n@article{{k2, title = {{U}}}}"
    )
    assert [(e.entry_type, e.key) for e in read.entries] == [
        (entry_type, "k1"),
        ("article", "k2"),
    ]


def test_endnote_s_keyless_entries_are_read():
    read = read_bibtex(
        '@string{cell = "Cell"}\n@article{\n  author = {Huang, Y.},\n  title = {Mechanisms},'
        "\n  journal = cell\n}\n@book{ title = {B}, year = 2001}\n"
    )
    assert not read.failed
    assert [(e.entry_type, e.key, e.text.get("journal")) for e in read.entries] == [
        ("article", "", "Cell"),
        ("book", "", None),
    ]


def test_entries_without_a_key_are_read_and_keys_repeated_but_for_case_are_not():
    read = read_bibtex(
        "@article{, title = {One}}\n@article{, title = {Two}}\n"
        "@article{Smith2020, title = {A}}\n@article{smith2020, title = {B}}\n"
    )
    assert [(e.key, e.text["title"]) for e in read.entries] == [
        ("", "One"),
        ("", "Two"),
        ("Smith2020", "A"),
    ]
    [repeated] = read.duplicate_keys
    assert repeated["line"] == 4 and "ignores case" in repeated["reason"]


def test_crossref_parents_come_after_their_children():
    from bibtexparser.model import Entry, Field

    from tracker.bib.bibtex import parents_last

    def entry(key, parent=None):
        fields = [Field("title", "{T}")] + (
            [Field("crossref", "{" + parent + "}")] if parent else []
        )
        return Entry("inproceedings" if parent else "proceedings", key, fields)

    entries = [
        entry("aproc", "Conf"),
        entry("conf", "series"),
        entry("series"),
        entry("zchild", "conf"),
        entry("other"),
    ]
    assert [e.key for e in parents_last(entries)] == [
        "aproc",
        "zchild",
        "other",
        "conf",
        "series",
    ]


def test_crossref_children_get_the_parent_s_fields_from_real_bibtex(tmp_path):
    if not shutil.which("bibtex"):
        pytest.skip("bibtex is not installed (.ci/system-packages installs it)")
    from bibtexparser.model import Entry, Field

    from tracker.bib.bibtex import parents_last

    read = read_bibtex(
        "@proceedings{conf, title = {Proc.}, year = 2020, publisher = {P}}\n"
        "@inproceedings{child, author = {Roe, Ann}, title = {A}, crossref = {conf}}\n"
    )
    entries = [
        Entry(e.entry_type, e.key, [Field(n, v) for n, v in e.raw_fields])
        for e in read.entries
    ]

    def bbl_of(ordered):
        (tmp_path / "refs.bib").write_text(write_bibtex(ordered), encoding="utf-8")
        (tmp_path / "doc.aux").write_text(
            "\\citation{child}\n\\bibstyle{plain}\n\\bibdata{refs}\n",
            encoding="utf-8",
        )
        subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True)
        return (tmp_path / "doc.bbl").read_text(encoding="utf-8")

    assert "P, 2020" not in bbl_of(entries)  # the parent first: nothing inherited
    assert "P, 2020" in bbl_of(parents_last(entries))


def test_biber_validates_the_biblatex_export_of_every_recorded_work(tmp_path):
    """Only what the records lack (a year, a title) may be missing; every field is one
    the type allows and every type has what it needs."""
    if not shutil.which("biber"):
        pytest.skip("biber is not installed (.ci/system-packages installs it)")
    (tmp_path / "works.bib").write_text(
        every_recorded_work(ExportOptions(biblatex=True)), encoding="utf-8"
    )
    result = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "works.bib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    warnings = [line for line in result.stdout.splitlines() if "WARN -" in line]
    allowed = (
        "Missing mandatory field - one of 'date, year'",
        "Missing mandatory field 'title'",
    )
    assert [w for w in warnings if not any(a in w for a in allowed)] == []
    lacking = sum(1 for m in RECORDED if not m.get("title")) + sum(
        1
        for m in RECORDED
        if not (m.get("issued") or {}).get("date-parts", [[None]])[0][0]
    )
    assert len(warnings) <= lacking


@pytest.mark.parametrize(
    "names",
    [
        "Smith, Jane and Doe, John",
        "Smith, Jane AND Doe, John",
        "Smith, Jane\n  and\tDoe, John",
        "Anderson, Al and Band, Bo and Sandy",
        "{Barnes and Noble} and Smith, J.",
        "Smith, J. and {others}",
        "  Smith  ",
    ],
)
def test_name_lists_split_as_bibtexparser_splits_them(names):
    from tracker.bib.bibtex import _names_of

    assert _names_of(names) == split_multiple_persons_names(names)


def test_random_name_lists_split_as_bibtexparser_splits_them():
    """Braces, "and" inside words and braces, odd spacing, unbalanced braces: the
    same names on 20,000 lists made of the pieces that decide where a name ends."""
    from tracker.bib.bibtex import _names_of

    rng = random.Random(5)
    pieces = ["a", "n", "d", "and", " and ", "AND", " ", "\t", "\n", "\r", "{", "}"]
    pieces += ["x", "B", ",", " and {", "} and ", "~", "é"]
    for _ in range(20_000):
        names = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        assert _names_of(names) == split_multiple_persons_names(names), repr(names)


def test_a_name_starting_with_an_accent_command_keeps_it():
    """bibtexparser's splitter drops a backslash and the character after it at the
    start of a name ("Alvarez"); BibTeX reads the accent."""
    names = "Smith, J. and \\'Alvarez, K."
    assert split_multiple_persons_names(names)[1] == "Alvarez, K."
    assert [person["family"] for person in people_from_bibtex(names)] == [
        "Smith",
        "Álvarez",
    ]


def test_name_lists_of_real_files_split_as_bibtexparser_splits_them():
    from tracker.bib.bibtex import _names_of

    from ..helpers import SHARED

    paths = sorted((SHARED / "bib").glob("*.bib"))
    if not paths:
        pytest.skip("the shared .bib files are not beside the checkout")
    lists = [
        value.strip()[1:-1] if value.strip()[:1] in '{"' else value.strip()
        for path in paths
        for entry in read_bibtex(path.read_bytes().decode("utf-8", "replace")).entries
        for name, value in entry.raw_fields
        if name in ("author", "editor")
    ]
    assert len(lists) > 2000
    assert [_names_of(v) for v in lists] == [
        split_multiple_persons_names(v) for v in lists
    ]


def read_in_pieces(text: str, size: int):
    chunks = bib_chunks(text, size)
    return merge_read_chunks(map(read_bib_chunk, chunks)), len(chunks)


#: Blocks that are hard to cut between: values holding a line that begins like an
#: entry (bibtexparser gives up the entry there and reads on from that line), escaped
#: braces, free text and a comment between entries, a keyless entry, keys repeated
#: (exactly, and but for case) far apart, a broken entry late on.
TRICKY = """% exported by hand
@article{first, title = {One}, year = 2020, abstract = {Two lines
@article{inside, title = {not an entry}}
end}}

@article{braces, title = {A \\{ and \\} kept}, year = 2021}
Some free text between entries.
@article{, title = {No key}, year = 2019}
@book(paren, title = {Parenthesised}, year = 2018)
@comment{jabref-meta: x;}
@article{quoted, title = "A quoted
@article{also, title = {not an entry}}
title", year = 2017}
@article{First, title = {Same key but for case}}
@article{first, title = {Same key}}
@article{broken,
  title = {Two}
  year = 2021}
@article{last, title = {Last}, year = 2016, note = {a}, note = {b}}
@article{paren, title = {Again}}
"""


@pytest.mark.parametrize("size", [1, 40, 200, 10_000])
def test_a_file_read_in_pieces_reads_as_the_whole(size):
    merged, pieces = read_in_pieces(TRICKY, size)
    whole = read_bibtex(TRICKY)
    assert merged == whole
    assert pieces > 1 if size < 200 else True
    assert [(entry.key, entry.line) for entry in whole.entries] == [
        ("inside", 3),
        ("braces", 6),
        ("", 8),
        ("paren", 9),
        ("also", 12),
        ("First", 14),
        ("last", 19),
    ]
    assert [(d["line"], d["reason"]) for d in whole.duplicate_keys] == [
        (15, "key 'first' repeats 'First' (BibTeX ignores case in keys)"),
        (20, "key 'paren' repeated in the file"),
    ]
    assert [f["line"] for f in whole.failed] == [2, 11, 17]
    assert [w["line"] for w in whole.warnings] == [19]


def test_pieces_begin_only_where_a_block_begins_at_depth_zero():
    chunks = bib_chunks(TRICKY, 1)
    starts = [text.split(",")[0] for _, text in chunks]
    assert "@article{inside" not in starts and "@article{also" not in starts
    assert all(text.startswith("@") for _, text in chunks[1:])
    whole = "".join(text for _, text in chunks)
    assert whole.replace("tracker-no-key-1", "") == TRICKY
    assert [lines for lines, _ in chunks] == [
        whole.count("\n", 0, whole.index(text)) for _, text in chunks
    ]


def test_a_file_with_string_macros_is_read_whole():
    text = "@string{jn = {J. Nutr.}}\n" + TRICKY.replace("year = 2016", "journal = jn")
    assert len(bib_chunks(text, 1)) == 1
    assert read_bibtex(text).entries[-1].text["journal"] == "J. Nutr."


def test_real_files_read_in_pieces_read_as_the_whole():
    from ..helpers import SHARED

    paths = sorted((SHARED / "bib").glob("*.bib"))
    if not paths:
        pytest.skip("the shared .bib files are not beside the checkout")
    pieces = 0
    for path in paths:
        text = path.read_bytes().decode("utf-8", "replace")
        merged, count = read_in_pieces(text, 1)
        assert merged == read_bibtex(text), path.name
        pieces += count
    assert pieces > 1000
