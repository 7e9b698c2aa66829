import json

import rispy

from tracker.bib.ris import ris_record, write_ris
from tracker.crossref.records import authors_from_message, record_from_message

from ..helpers import CROSSREF, recorded_work

#: RIS tags as rispy names them.
RISPY_NAMES = {
    "TY": "type_of_reference",
    "ID": "id",
    "AU": "authors",
    "A2": "secondary_authors",
    "TI": "title",
    "T2": "secondary_title",
    "JO": "journal_name",
    "PY": "year",
    "DA": "date",
    "VL": "volume",
    "IS": "number",
    "SP": "start_page",
    "EP": "end_page",
    "PB": "publisher",
    "CY": "place_published",
    "SN": "issn",
    "DO": "doi",
    "UR": "urls",
    "LA": "language",
    "AB": "abstract",
}


def record_for(message, key="key"):
    return ris_record(record_from_message(message), authors_from_message(message), key)


def test_the_example_work():
    lines = record_for(recorded_work("10.3390/ijerph182312836"), "ditommaso2021")
    assert lines[0] == ("TY", "JOUR") and lines[-1] == ("ER", "")
    assert ("AU", "Di Tommaso, Natalia") in lines
    assert (
        "T2",
        "International Journal of Environmental Research and Public Health",
    ) in lines
    assert ("JO", "Int J Environ Res Public Health") in lines
    assert ("SP", "12836") in lines and ("VL", "18") in lines and ("IS", "23") in lines
    assert ("DO", "10.3390/ijerph182312836") in lines and ("PY", "2021") in lines


def test_rispy_reads_every_recorded_work_back_with_the_same_fields():
    messages = [
        json.loads(path.read_text(encoding="utf-8"))["message"]
        for path in sorted((CROSSREF / "works").glob("*.json"))
    ]
    records = [record_for(message, f"w{n}") for n, message in enumerate(messages)]
    read = rispy.loads(write_ris(records))
    assert len(read) == len(records) >= 190
    for written, entry in zip(records, read, strict=True):
        expected: dict = {}
        for tag, value in written:
            if tag == "ER":
                continue
            name = RISPY_NAMES[tag]
            if tag in ("AU", "A2", "UR"):
                expected.setdefault(name, []).append(value)
            else:
                expected[name] = value
        assert entry == expected


def test_pages_split_and_values_stay_on_their_line():
    work = {
        "type": "journal-article",
        "title": "Line one\nTY  - BOOK\r\nER  - ",
        "page": "61–65",
        "abstract": "A\u2028B\x85C",
    }
    text = write_ris([ris_record(work, [{"name": "WHO"}], "k")])
    assert text.splitlines() == [
        "TY  - JOUR",
        "ID  - k",
        "AU  - WHO",
        "TI  - Line one TY - BOOK ER -",
        "SP  - 61",
        "EP  - 65",
        "AB  - A B C",
        "ER  -",
    ]
    assert len(rispy.loads(text)) == 1
