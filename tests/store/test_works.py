import sqlite3

from tracker.bib.citekeys import base_key
from tracker.fetch import store_crossref_message
from tracker.store.works import NewCitekeys

from ..helpers import recorded_work

RETINOIC = "10.3390/nu10081016"


def lookalikes(count: int) -> list[dict]:
    """The same recorded record under ``count`` DOIs: works whose keys all clash."""
    message = recorded_work(RETINOIC)
    return [{**message, "DOI": f"10.5555/lookalike.{n}"} for n in range(count)]


def stored_keys(db) -> list[tuple[str, str, str]]:
    return db.execute(
        "select doi, citekey, citekey_source from works order by id"
    ).fetchall()


def test_a_stored_record_gets_its_key_in_the_same_write(db):
    keys = NewCitekeys(db)
    with db.atomic():
        store_crossref_message(db, recorded_work(RETINOIC), keys=keys)
    assert stored_keys(db) == [(RETINOIC, "abdelhamid2018retinoic", "generated")]


def test_records_whose_keys_clash_get_suffixes_in_the_order_stored(db):
    keys = NewCitekeys(db)
    with db.atomic():
        for message in lookalikes(30):
            store_crossref_message(db, message, keys=keys)
    got = [key for _, key, _ in stored_keys(db)]
    assert got[:3] == [
        "abdelhamid2018retinoic",
        "abdelhamid2018retinoica",
        "abdelhamid2018retinoicb",
    ]
    assert (
        got[26] == "abdelhamid2018retinoicz" and got[27] == "abdelhamid2018retinoicaa"
    )
    assert len(set(got)) == 30


def test_a_stored_key_is_kept_when_the_record_is_stored_again(db):
    keys = NewCitekeys(db)
    message = recorded_work(RETINOIC)
    with db.atomic():
        store_crossref_message(db, message, keys=keys)
    db.execute("update works set citekey = 'luo2018', citekey_source = 'manual'")
    db.conn.commit()
    changed = {**message, "title": ["Something else entirely"]}
    with db.atomic():
        store_crossref_message(db, changed, keys=NewCitekeys(db))
    assert stored_keys(db) == [(RETINOIC, "luo2018", "manual")]


def test_without_keys_a_record_is_stored_keyless_for_export_to_key(db):
    with db.atomic():
        store_crossref_message(db, recorded_work(RETINOIC))
    assert stored_keys(db) == [(RETINOIC, None, None)]
    keys = NewCitekeys(db)
    with db.atomic():
        store_crossref_message(db, recorded_work(RETINOIC), keys=keys)
    assert stored_keys(db) == [(RETINOIC, "abdelhamid2018retinoic", "generated")]


def test_a_key_taken_elsewhere_meanwhile_is_not_handed_out(db, db_path):
    """Another connection commits the key the ring would give next: the ring sees
    that the database changed and reads the keys in use again."""
    keys = NewCitekeys(db)
    first, second = lookalikes(2)
    with db.atomic():
        store_crossref_message(db, first, keys=keys)
    other = sqlite3.connect(db_path)
    with other:
        other.execute(
            "insert into works (doi, citekey, fetch_status) values (?, ?, 'pending')",
            ["10.5555/elsewhere", base_key("Abdelhamid", 2018, "Retinoic") + "a"],
        )
    other.close()
    with db.atomic():
        store_crossref_message(db, second, keys=keys)
    assert [key for _, key, _ in stored_keys(db)] == [
        "abdelhamid2018retinoic",
        "abdelhamid2018retinoica",
        "abdelhamid2018retinoicb",
    ]
