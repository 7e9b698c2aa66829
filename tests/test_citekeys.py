import pytest

from tracker.citekeys import (
    ascii_fold,
    assign_citekeys,
    base_key,
    set_citekey,
    unique_key,
)
from tracker.errors import InvalidInput, NotFound


@pytest.mark.parametrize(
    "family, year, title, key",
    [
        (
            "Di Tommaso",
            2021,
            "Intestinal Barrier in Human Health and Disease",
            "ditommaso2021intestinal",
        ),
        (
            "Abdelhamid",
            2018,
            "Retinoic Acid, Leaky Gut, and Autoimmune Diseases",
            "abdelhamid2018retinoic",
        ),
        ("Müller-Łukasz", 2020, "The <i>E. coli</i> genome", "mullerlukasz2020e"),
        ("van der Berg", None, "On the origin of species", "vanderbergorigin"),
        (None, 1999, None, "anon1999"),
        ("O’Connor", 2001, "A 2001 odyssey", "oconnor2001odyssey"),
    ],
)
def test_base_key(family, year, title, key):
    assert base_key(family, year, title) == key


def test_clash_suffixes():
    taken = {"smith2020gut", "smith2020guta"}
    assert unique_key("smith2020gut", taken) == "smith2020gutb"
    assert unique_key("new2020", taken) == "new2020"
    taken = {"k"} | {f"k{chr(c)}" for c in range(ord("a"), ord("z") + 1)}
    assert unique_key("k", taken) == "kaa"


def test_ascii_fold():
    assert ascii_fold("Ærø Straße Ørsted") == "aero strasse orsted"


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
