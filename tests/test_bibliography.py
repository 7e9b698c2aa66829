import json
import re

import bibtexparser
import pytest

from tracker import claims
from tracker.bibliography import (
    assign_citekeys,
    export_bibtex,
    export_csl,
    import_bibtex,
    select_works,
    set_citekey,
)
from tracker.errors import InvalidInput, NotFound
from tracker.fetch import fetch_works
from tracker.ingest import ingest_article, read_article
from tracker.store.database import open_database

from .helpers import EXAMPLE_ARTICLE, SHARED, settings_for

BIB_FILES = sorted((SHARED / "bib").glob("*.bib")) if (SHARED / "bib").exists() else []
#: (entries, failed lines) of the shared files, as INDEX.md describes them; where the
#: tracker reads more than BibTeX does (13: bibtexparser does not swallow the rest of
#: the file after an unbalanced brace) the numbers are the tracker's.
EXPECTED = {
    "01": (49, []),
    "02": (26, []),
    "03": (506, []),
    "04": (20, []),
    "05": (4, []),
    "06": (114, []),
    "07": (26, []),
    "08": (4, [7]),
    "09": (20, []),
    "10": (92, []),
    "11": (0, []),
    "12": (429, []),
    "13": (988, [6524]),
    "14": (4, [59, 80]),
    "15": (125, []),
    "16": (44, []),
    "17": (1, []),
    "18": (1, []),  # EndNote's keyless entry is given a key
    "19": (2, []),
    "20": (1, []),
}


@pytest.fixture
def example(db, fake_crossref):
    ingest_article(db, read_article(str(EXAMPLE_ARTICLE)))
    fetch_works(db, settings=settings_for(fake_crossref, offline=True))
    return db


def test_export_of_the_example(example):
    text, report = export_bibtex(example, article_id=1)
    assert report == {"entries": 2, "skipped": []}
    assert re.findall(r"@(\w+)\{([^,]+),", text) == [
        ("article", "abdelhamid2018retinoic"),
        ("article", "ditommaso2021intestinal"),
    ]


def test_export_is_deterministic_and_keys_survive_a_refresh(example, fake_crossref):
    first, _ = export_bibtex(example)
    claims.add_claim(example, "Another claim.", dois=["10.1002/jor.1100150407"])
    fetch_works(example, settings=settings_for(fake_crossref))
    fetch_works(example, refresh=True, settings=settings_for(fake_crossref))
    second, _ = export_bibtex(example)
    for block in first.strip().split("\n\n"):
        assert block in second  # the entries there were are written as before
    assert "@article{lieber1997growth," in second
    keys = dict(example.execute("select doi, citekey from works").fetchall())
    assert keys["10.3390/nu10081016"] == "abdelhamid2018retinoic"
    assert export_bibtex(example)[0] == second


def test_selections(example):
    claim = claims.add_claim(example, "Zinc helps.", dois=["10.3390/nu10081016"])
    example.execute(
        "update claims set status = 'supported' where id = ?", [claim["id"]]
    )
    assert select_works(example, claim_id=claim["id"])[0] == [2]
    assert select_works(example, status="supported")[0] == [2]
    assert select_works(example, article_id=1)[0] == [1, 2]
    claims.add_claim(example, "Unfetched.", dois=["10.1000/not-fetched"])
    ids, skipped = select_works(example)
    assert ids == [1, 2] and skipped == ["10.1000/not-fetched"]


def test_csl_json_renders_with_citeproc(example):
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items, report = export_csl(example)
    assert [item["id"] for item in items] == [
        "abdelhamid2018retinoic",
        "ditommaso2021intestinal",
    ]
    assert items[0]["author"][1] == {"family": "Luo", "given": "Xin M."}
    assert items[0]["issued"] == {"date-parts": [[2018, 8, 3]]}
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(items), formatter.plain
    )
    citation = Citation([CitationItem(item["id"]) for item in items])
    bibliography.register(citation)
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert rendered[0].startswith("Abdelhamid, L. and Luo, X.M. (2018)")
    assert "Retinoic Acid, Leaky Gut, and Autoimmune Diseases" in rendered[0]


def test_export_then_import_then_export_gives_the_same_file(example, tmp_path):
    text, _ = export_bibtex(example)
    path = tmp_path / "out.bib"
    path.write_text(text, encoding="utf-8")
    fresh = open_database(tmp_path / "fresh.db")
    report = import_bibtex(fresh, path)
    assert (report["entries"], report["imported"]) == (2, 2)
    assert export_bibtex(fresh)[0] == text
    assert fresh.execute(
        "select doi, fetch_status, citekey_source from works order by id"
    ).fetchall() == [
        ("10.3390/nu10081016", "pending", "imported"),
        ("10.3390/ijerph182312836", "pending", "imported"),
    ]


def test_duplicates_are_reported_not_stored(example, tmp_path):
    path = tmp_path / "dup.bib"
    path.write_text(
        "@article{new2020, doi = {https://doi.org/10.3390/NU10081016}, title = {Same DOI}}\n"
        "@article{abdelhamid2018retinoic, title = {Same key}}\n"
        "@article{fresh2021, title = {New}, author = {Smith, Jo}}\n",
        encoding="utf-8",
    )
    export_bibtex(example)  # keys are given on the first export
    before = example["works"].count
    report = import_bibtex(example, path)
    assert (report["entries"], report["imported"], report["duplicates"]) == (3, 1, 2)
    assert [d["reason"] for d in report["duplicate_entries"]] == [
        "DOI 10.3390/nu10081016 is already stored",
        "key 'abdelhamid2018retinoic' is already stored",
    ]
    assert example["works"].count == before + 1


@pytest.mark.skipif(not BIB_FILES, reason=f"no shared .bib files at {SHARED / 'bib'}")
@pytest.mark.parametrize("path", BIB_FILES, ids=lambda path: path.name[:2])
def test_real_bib_files_account_for_every_entry(tmp_path, path):
    db = open_database(tmp_path / "t.db")
    report = import_bibtex(db, path)
    entries, failed_lines = EXPECTED[path.name[:2]]
    assert report["entries"] == entries
    assert report["entries"] == report["imported"] + report["duplicates"] + len(
        report["failed"]
    )
    assert [failure["line"] for failure in report["failed"]] == failed_lines
    assert db["works"].count == report["imported"]
    keys = {row[0] for row in db.execute("select citekey from works")}
    library = bibtexparser.parse_string(path.read_bytes().decode("utf-8", "replace"))
    not_stored = {d["key"] for d in report["duplicate_entries"]} | {
        f.get("key") for f in report["failed"]
    }
    assert {entry.key.strip() for entry in library.entries} - keys <= not_stored
    text, export_report = export_bibtex(db)
    assert export_report["entries"] == report["imported"]
    exported = bibtexparser.parse_string(text, parse_stack=[])
    assert not exported.failed_blocks
    assert {entry.key for entry in exported.entries} == keys
    imported = {entry.key: entry for entry in exported.entries}
    original = bibtexparser.parse_string(
        path.read_bytes().decode("utf-8", "replace"), parse_stack=[]
    )
    for entry in original.entries:
        if (
            entry.key.strip() in imported
            and db.execute(
                "select 1 from works where citekey = ? and metadata_source = 'bibtex'",
                [entry.key.strip()],
            ).fetchone()
        ):
            written = imported[entry.key.strip()].fields_dict
            for item in entry.fields:
                name = item.key.strip().lower()
                if (
                    name in written
                    and "#" not in item.value
                    and not re.fullmatch(r"[\w\-.:+/']+", item.value.strip())
                ):
                    assert written[name].value == item.value.strip(), (entry.key, name)


def test_malformed_files_report_lines_and_import_the_rest(tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text(
        "@article{good1, title = {One}, year = 2020}\n"
        "@article{bad,\n  title = {Two}\n  year = 2021}\n"
        "@article{, title = {No key}}\n"
        "@article{good2, title = {Three}, note = {x}, note = {y}}\n",
        encoding="utf-8",
    )
    db = open_database(tmp_path / "t.db")
    report = import_bibtex(db, path)
    assert report["imported"] == 3  # the entry without a key is given one
    assert [f["line"] for f in report["failed"]] == [3]  # the field missing its comma
    assert [w["line"] for w in report["warnings"]] == [5, 6]
    assert (
        db.execute("select bibtex from works where citekey = 'good2'")
        .fetchone()[0]
        .count("note")
        == 1
    )


def test_cli_export_and_import(tracker, tmp_path, fake_crossref, monkeypatch):
    tracker("ingest", str(EXAMPLE_ARTICLE))
    monkeypatch.setenv("TRACKER_OFFLINE", "1")
    tracker("fetch")
    out = tmp_path / "bib" / "leaky-gut.bib"
    result = tracker("export", "bibtex", "--article", "1", "-o", str(out))
    assert result.exit_code == 0 and result.stderr == f"Wrote 2 entries to {out}.\n"
    assert out.read_text(encoding="utf-8") == tracker("export", "bibtex").stdout
    csl = json.loads(tracker("export", "csl-json", "--claim", "1").stdout)
    assert csl == []
    assert tracker("export", "bibtex", "--article", "9").exit_code == 2
    report = json.loads(tracker("import", "bibtex", str(out), "--json").stdout)
    assert report == {
        "entries": 2,
        "imported": 0,
        "duplicates": 2,
        "failed": [],
        "duplicate_entries": report["duplicate_entries"],
        "warnings": [],
    }
    assert tracker("import", "bibtex", str(tmp_path / "missing.bib")).exit_code == 2
    key = tracker.json("work", "key", "10.3390/nu10081016", "luo2018")
    assert key == {"work_id": 2, "citekey": "luo2018"}
    assert "@article{luo2018," in tracker("export", "bibtex").stdout


def test_cli_export_biblatex_and_ascii(tracker, monkeypatch):
    monkeypatch.setenv("TRACKER_OFFLINE", "1")
    tracker("ingest", str(EXAMPLE_ARTICLE))
    tracker("fetch")
    text = tracker("export", "bibtex", "--biblatex", "--ascii").stdout
    assert "month = 8" in text and text.isascii()


def works(db, *rows):
    for title, family, year in rows:
        work_id = db.execute(
            "insert into works (title, year, fetch_status) values (?, ?, 'ok')",
            [title, year],
        ).lastrowid
        db.execute(
            "insert into authors (work_id, position, family) values (?, 1, ?)",
            [work_id, family],
        )
    return [row[0] for row in db.execute("select id from works order by id")]


def test_keys_are_assigned_once_and_never_change(db):
    ids = works(db, ("Gut health", "Smith", 2020), ("Gut feelings", "Smith", 2020))
    first = assign_citekeys(db, ids)
    assert list(first.values()) == ["smith2020gut", "smith2020guta"]
    db.execute("update works set title = 'Entirely new title', year = 1999")
    more = works(db, ("Gut health", "Smith", 2020))
    again = assign_citekeys(db, more)
    assert [again[i] for i in ids] == ["smith2020gut", "smith2020guta"]
    assert again[more[-1]] == "smith2020gutb"


def test_keys_set_by_hand(db):
    (work_id,) = works(db, ("Gut health", "Smith", 2020))
    assert set_citekey(db, work_id, "smith:gut-2020")["citekey"] == "smith:gut-2020"
    assert db.execute("select citekey_source from works").fetchone()[0] == "manual"
    assert assign_citekeys(db, [work_id]) == {work_id: "smith:gut-2020"}
    other = works(db, ("Other", "Jones", 2021))[-1]
    with pytest.raises(InvalidInput, match="already"):
        set_citekey(db, other, "smith:gut-2020")
    with pytest.raises(InvalidInput, match="not a usable citation key"):
        set_citekey(db, other, "has space")
    with pytest.raises(NotFound):
        set_citekey(db, 999, "x")


def test_formatted_list_of_an_article_keeps_its_order(example):
    from tracker.bibliography import export_formatted

    text, report = export_formatted(example, "ama", "text", article_id=1)
    assert report == {"entries": 2, "skipped": []}
    assert [line[:16] for line in text.splitlines()] == [
        "1. Di Tommaso N,",
        "2. Abdelhamid L,",
    ]
    everything, _ = export_formatted(example, "ama")  # all works: by key
    assert everything.splitlines()[0].startswith("1. Abdelhamid L")
    apa, _ = export_formatted(example, "apa", "text", article_id=1)
    assert apa.startswith("Abdelhamid, L., & Luo, X. M. (2018).")  # APA sorts by name
    with pytest.raises(InvalidInput, match="unknown style"):
        export_formatted(example, "mla")


def test_ris_of_an_article(example):
    import rispy

    from tracker.bibliography import export_ris

    text, report = export_ris(example, article_id=1)
    assert report == {"entries": 2, "skipped": []}
    records = rispy.loads(text)
    assert [record["doi"] for record in records] == [
        "10.3390/nu10081016",
        "10.3390/ijerph182312836",
    ]
    assert records[0]["id"] == "abdelhamid2018retinoic"


def test_import_gives_keyless_entries_keys_and_says_so(db, tmp_path):
    bib = tmp_path / "mendeley.bib"
    bib.write_text(
        "@article{,\n author = {Smith, Jane},\n title = {Zinc and colds},\n year = 2019\n}\n"
        "@article{,\n author = {Smith, Jane},\n title = {Zinc and flu},\n year = 2019\n}\n"
        "@commentary{c1, title = {A comment on zinc}, year = 2020}\n",
        encoding="utf-8",
    )
    report = import_bibtex(db, bib)
    assert report["imported"] == 3 and report["failed"] == []
    assert [w["warning"] for w in report["warnings"]] == [
        "an entry without a key: given 'smith2019zinc'",
        "an entry without a key: given 'smith2019zinca'",
    ]
    rows = db.execute("select citekey, type from works order by id").fetchall()
    assert rows == [
        ("smith2019zinc", "journal-article"),
        ("smith2019zinca", "journal-article"),
        ("c1", "other"),
    ]
    text, _ = export_bibtex(db)
    assert "@commentary{c1," in text  # the original type is kept


def test_a_key_that_differs_only_in_case_is_a_duplicate(example, tmp_path):
    export_bibtex(example)  # gives the works their keys
    bib = tmp_path / "case.bib"
    bib.write_text(
        "@article{Abdelhamid2018retinoic, title = {Retinoic}, year = 2018}\n",
        encoding="utf-8",
    )
    report = import_bibtex(example, bib)
    assert report["imported"] == 0 and report["duplicates"] == 1
    assert "BibTeX ignores case" in report["duplicate_entries"][0]["reason"]


@pytest.mark.parametrize(
    "data, title, note",
    [
        (
            "@article{zh, title = {中文标题 测试 文章 中国 科学 研究}, year = 2013}\n".encode(
                "gbk"
            ),
            "中文标题 测试 文章 中国 科学 研究",
            "read as gb18030",
        ),
        (
            b"% Encoding: windows-1252\n@article{fr, title = {Caf\xe9 cr\xe8me}, year = 2013}\n",
            "Café crème",
            "read as windows-1252, the encoding the file names",
        ),
        (
            "@article{de, title = {Über Größe und Maß}, year = 2013}\n".encode(
                "latin-1"
            ),
            "Über Größe und Maß",
            "not UTF-8: read as",
        ),
    ],
)
def test_a_bib_file_in_another_encoding_is_read_right_and_said(
    db, tmp_path, data, title, note
):
    bib = tmp_path / "other.bib"
    bib.write_bytes(data)
    report = import_bibtex(db, bib)
    assert report["imported"] == 1
    assert note in report["warnings"][0]["warning"]
    assert db.execute("select title from works").fetchone()[0] == title


def test_a_bib_file_whose_encoding_cannot_be_told_is_refused(db, tmp_path):
    import random

    bib = tmp_path / "noise.bib"
    noise = random.Random(3)
    bib.write_bytes(bytes(noise.randrange(128, 256) for _ in range(400)))
    with pytest.raises(InvalidInput, match="save it as UTF-8"):
        import_bibtex(db, bib)
    assert db.execute("select count(*) from works").fetchone()[0] == 0


def test_ascii_export_warns_of_what_it_drops(example):
    from tracker.bib.bibtex import ExportOptions

    example.execute("update works set title = title || ' 한국 \ufffd' where id = 1")
    text, report = export_bibtex(example, options=ExportOptions(ascii=True))
    assert text.isascii()
    assert report["warnings"] == [
        "--ascii: dropped 3 character(s) that have no ASCII or LaTeX form: 국 한 \ufffd"
    ]


@pytest.mark.skipif(not BIB_FILES, reason=f"no shared .bib files at {SHARED / 'bib'}")
def test_a_long_file_read_on_every_core_imports_as_when_read_whole(
    tmp_path, monkeypatch
):
    import tracker.bibliography as bibliography

    def imported(name, **settings):
        for setting, value in settings.items():
            monkeypatch.setattr(bibliography, setting, value)
        db = open_database(tmp_path / f"{name}.db")
        reports = [import_bibtex(db, path) for path in BIB_FILES]
        columns = ", ".join(
            column.name for column in db["works"].columns if column.name != "created_at"
        )
        works = db.execute(f"select {columns} from works order by id").fetchall()
        authors = db.execute("select * from authors order by work_id, position")
        return reports, works, authors.fetchall()

    whole = imported("whole", PARALLEL_FROM=10**9)
    pieces = imported("pieces", PARALLEL_FROM=0, PIECE=2_000)
    assert pieces == whole
    reports, works, authors = whole
    assert len(works) > 500 and len(authors) > 1000
    assert sum(len(report["failed"]) + report["duplicates"] for report in reports) > 10


@pytest.mark.parametrize("in_pieces", [False, True])
def test_entries_after_a_keyless_one_are_taken_in_the_file_s_order(
    db, tmp_path, monkeypatch, in_pieces
):
    """Works are stored as the pieces come, but a keyless entry is keyed among all the
    file's keys, those after it too, and the first of two entries with a DOI wins."""
    import tracker.bibliography as bibliography

    if in_pieces:
        monkeypatch.setattr(bibliography, "PARALLEL_FROM", 0)
        monkeypatch.setattr(bibliography, "PIECE", 150)
    monkeypatch.setattr(bibliography._Importer, "BATCH", 2)
    entries = [
        "@article{a1, title = {First}, year = 2001}",
        "@article{a2, title = {Second}, year = 2002, doi = {10.1234/two}}",
        "@article{a3, title = {Third}, year = 2003}",
        "@article{, author = {Smith, Jane}, title = {Zinc and colds}, year = 2019,"
        " doi = {10.1234/zinc}}",
        "@article{smith2019zinc, author = {Smith, Jane}, title = {Zinc again},"
        " year = 2019}",
        "@article{b1, title = {The same DOI}, year = 2020, doi = {10.1234/zinc}}",
        "@article{b2, title = {After}, year = 2021}",
    ]
    bib = tmp_path / "mixed.bib"
    bib.write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    report = import_bibtex(db, bib)
    rows = db.execute("select id, citekey, doi from works order by id").fetchall()
    assert rows == [
        (1, "a1", None),
        (2, "a2", "10.1234/two"),
        (3, "a3", None),
        (4, "smith2019zinca", "10.1234/zinc"),
        (5, "smith2019zinc", None),
        (6, "b2", None),
    ]
    assert report["entries"] == 7 and report["imported"] == 6
    assert [(d["key"], d["reason"]) for d in report["duplicate_entries"]] == [
        ("b1", "DOI 10.1234/zinc is already stored")
    ]
    assert [w["warning"] for w in report["warnings"]] == [
        "an entry without a key: given 'smith2019zinca'"
    ]


@pytest.mark.parametrize("stored_while_read", [True, False])
def test_a_long_file_is_read_before_the_write_lock_is_taken(
    db, tmp_path, monkeypatch, stored_while_read
):
    """Up to a length the works are stored as the pieces come, in the transaction;
    beyond it the whole file is read first, so that the web waits for the lock only
    while the works are stored. Either way the same works are stored."""
    import tracker.bibliography as bibliography

    monkeypatch.setattr(bibliography, "PARALLEL_FROM", 0)
    monkeypatch.setattr(bibliography, "PIECE", 150)
    monkeypatch.setattr(
        bibliography, "STORED_WHILE_READ_UP_TO", 10**9 if stored_while_read else 0
    )
    locked_while_reading = []
    read_in_pieces = bibliography._read_in_pieces

    def watched(text):
        for piece in read_in_pieces(text):
            locked_while_reading.append(db.conn.in_transaction)
            yield piece

    monkeypatch.setattr(bibliography, "_read_in_pieces", watched)
    bib = tmp_path / "long.bib"
    bib.write_text(
        "\n\n".join(
            f"@article{{k{n}, title = {{Work {n}}}, year = {2000 + n}}}"
            for n in range(12)
        ),
        encoding="utf-8",
    )
    report = import_bibtex(db, bib)
    assert report["imported"] == 12 and len(locked_while_reading) >= 3
    assert set(locked_while_reading) == {stored_while_read}
    keys = [row[0] for row in db.execute("select citekey from works order by id")]
    assert keys == [f"k{n}" for n in range(12)]


def test_a_large_export_written_on_every_core_is_the_same_file(
    db, tmp_path, fake_crossref, settings, recorded_messages, monkeypatch
):
    """Pieces of seven works in worker processes, against one process: the same
    bytes, with a crossref parent that sorts first still written after its child and
    the characters --ascii drops gathered from every piece."""
    import tracker.bibliography as bibliography
    from tracker.bib.bibtex import ExportOptions

    fetch_works(db, sorted(recorded_messages), settings=settings)
    bib = tmp_path / "parent.bib"
    bib.write_text(
        "@proceedings{aaaconf, title = {Proc.}, year = 2020, publisher = {P}}\n"
        "@inproceedings{zzzchild, author = {Roe, Ann}, title = {A}, crossref = {aaaconf}}\n",
        encoding="utf-8",
    )
    import_bibtex(db, bib)
    db.execute("update works set title = title || ' 한국' where id = 3")
    db.execute("update works set title = title || ' \ufffd' where id = 150")
    db.conn.commit()
    for options in (ExportOptions(), ExportOptions(biblatex=True, ascii=True)):
        whole = export_bibtex(db, options=options)
        monkeypatch.setattr(bibliography, "EXPORT_PARALLEL_FROM", 1)
        monkeypatch.setattr(bibliography, "WRITTEN_TOGETHER", 7)
        assert export_bibtex(db, options=options) == whole
        monkeypatch.undo()
        text, report = whole
        assert report["entries"] == len(recorded_messages) + 2
        keys = re.findall(r"^@\w+\{([^,]+),", text, re.M)
        assert keys.index("aaaconf") > keys.index("zzzchild")
    [warning] = report["warnings"]
    assert {"국", "한", "\ufffd"} <= set(warning.split(": ")[-1].split())
