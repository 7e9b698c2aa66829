import re
import sqlite3
import threading

import pytest
import sqlite_utils

from tracker.errors import DatabaseError, NotFound
from tracker.store import database, schema
from tracker.store.database import init_database, open_database
from tracker.store.schema import SCHEMA_VERSION, migrate, schema_version

SPEC_COLUMNS = {
    "articles": {"id", "title", "url", "text", "sha256", "ingested_at"},
    "claims": {"id", "article_id", "text", "char_start", "char_end", "status"},
    "works": {
        "id",
        "doi",
        "type",
        "title",
        "container_title",
        "year",
        "volume",
        "issue",
        "page",
        "publisher",
        "citekey",
        "fetched_at",
        "fetch_status",
        "raw",
    },
    "authors": {"work_id", "position", "given", "family", "name", "orcid"},
    "evidence": {"id", "claim_id", "work_id", "stance", "note", "quote"},
    "citations": {
        "id",
        "article_id",
        "position",
        "raw",
        "char_start",
        "char_end",
        "work_id",
        "doi_source",
        "match_score",
    },
}

SPEC_FOREIGN_KEYS = {
    ("claims", "article_id", "articles", "id"),
    ("authors", "work_id", "works", "id"),
    ("evidence", "claim_id", "claims", "id"),
    ("evidence", "work_id", "works", "id"),
    ("citations", "article_id", "articles", "id"),
    ("citations", "work_id", "works", "id"),
}


def test_spec_tables_and_columns_exist(db):
    for table, columns in SPEC_COLUMNS.items():
        assert columns <= set(db[table].columns_dict), table


def test_foreign_keys_are_declared_and_indexed(db):
    declared = {
        (fk.table, fk.column, fk.other_table, fk.other_column)
        for table in SPEC_COLUMNS
        for fk in db[table].foreign_keys
    }
    assert declared == SPEC_FOREIGN_KEYS
    for table, column, _, _ in SPEC_FOREIGN_KEYS:
        leading = {index.columns[0] for index in db[table].indexes}
        pk = db[table].pks
        assert column in leading or pk[0] == column, f"{table}.{column} has no index"


def test_unique_constraints(db):
    db.execute("insert into works (doi) values ('10.1000/a')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into works (doi) values ('10.1000/a')")
    db.execute("insert into works (citekey) values ('smith2020a')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into works (citekey) values ('smith2020a')")
    claim = db.execute("insert into claims (text) values ('x')").lastrowid
    db.execute("insert into evidence (claim_id, work_id) values (?, 1)", [claim])
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into evidence (claim_id, work_id) values (?, 1)", [claim])
    db.execute(
        "insert into articles (text, sha256, ingested_at) values ('t', 'h', 'now')"
    )
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "insert into articles (text, sha256, ingested_at) values ('u', 'h', 'now')"
        )


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("insert into claims (article_id, text) values (42, 'x')")


@pytest.mark.parametrize(
    "sql",
    [
        "insert into claims (text, status) values ('x', 'true')",
        "insert into evidence (claim_id, work_id, stance) values (1, 1, 'agrees')",
        "insert into works (doi, fetch_status) values ('10.1000/b', 'done')",
    ],
)
def test_vocabularies_are_enforced_by_the_database(db, sql):
    db.execute("insert into claims (text) values ('x')")
    db.execute("insert into works (doi) values ('10.1000/a')")
    with pytest.raises(sqlite3.IntegrityError, match="must be one of"):
        db.execute(sql)


def test_status_update_to_an_unknown_value_is_refused(db):
    db.execute("insert into claims (text) values ('x')")
    with pytest.raises(sqlite3.IntegrityError, match="status must be one of"):
        db.execute("update claims set status = 'maybe'")
    assert db.execute("select status from claims").fetchone()[0] == "unreviewed"


def test_schema_version_wal_and_busy_timeout(db):
    assert schema_version(db) == SCHEMA_VERSION
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == database.BUSY_TIMEOUT_MS
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_full_text_search_follows_writes(db):
    db.execute("insert into claims (text) values ('Tight junctions leak in disease')")
    db.execute(
        "insert into works (doi, title) values ('10.1000/a', 'Intestinal barrier')"
    )
    assert [row["text"] for row in db["claims"].search("junction")] == [
        "Tight junctions leak in disease"
    ]
    db.execute("update works set title = 'Retinoic acid' where doi = '10.1000/a'")
    assert [row["title"] for row in db["works"].search("retinoic")] == ["Retinoic acid"]
    assert list(db["works"].search("barrier")) == []
    db.execute("update claims set text = 'Mucus thins' where text like 'Tight%'")
    db.execute(
        "update claims set status = 'supported'"
    )  # the text is not indexed again
    db.execute("update works set citekey = 'acid2020' where doi = '10.1000/a'")
    assert [row["text"] for row in db["claims"].search("mucus")] == ["Mucus thins"]
    assert list(db["claims"].search("junction")) == []
    assert [row["title"] for row in db["works"].search("retinoic")] == ["Retinoic acid"]
    assert db.execute(
        "select count(*) from claims_fts where claims_fts match 'thins'"
    ).fetchone() == (1,)


def test_claim_evidence_view(db):
    db.execute(
        "insert into articles (id, title, text, sha256, ingested_at) values (1, 'A', 't', 'h', 'now')"
    )
    db.execute("insert into claims (id, article_id, text) values (1, 1, 'Claim')")
    db.execute(
        "insert into works (id, doi, title, year, container_title) values (1, '10.1000/a', 'W', 2021, 'J')"
    )
    db.execute(
        "insert into evidence (claim_id, work_id, stance, note) values (1, 1, 'supports', 'n')"
    )
    (row,) = db.query("select * from claim_evidence")
    assert row["claim"] == "Claim" and row["article"] == "A"
    assert (row["work_title"], row["year"], row["journal"]) == ("W", 2021, "J")
    assert row["stance"] == "supports" and row["note"] == "n"
    assert row["doi_url"] == "https://doi.org/10.1000/a"


def test_init_is_idempotent(db_path):
    first, report = init_database(db_path)
    first.execute("insert into claims (text) values ('kept')")
    first.close()
    again, report = init_database(db_path)
    assert report == {
        "path": str(db_path),
        "created": False,
        "upgraded_from": SCHEMA_VERSION,
        "schema_version": SCHEMA_VERSION,
    }
    assert again.execute("select text from claims").fetchall() == [("kept",)]


def test_missing_folders_are_created(tmp_path):
    path = tmp_path / "a" / "b" / "tracker.db"
    open_database(path).close()
    assert path.exists()


def test_missing_database_is_an_error_when_not_creating(tmp_path):
    with pytest.raises(NotFound, match="tracker init"):
        open_database(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes\n")
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        open_database(path)
    assert path.read_text() == "these are my notes\n"


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(Exception, match="is a folder"):
        open_database(tmp_path)


def test_a_newer_schema_is_refused(db_path):
    open_database(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseError, match="newer than this tracker"):
        open_database(db_path)


def test_upgrade_steps_run_in_order_once(db_path, monkeypatch):
    open_database(db_path).close()
    ran = []

    def add_column(db):
        ran.append("step")
        db["claims"].add_column("importance", int)

    monkeypatch.setattr(schema, "UPGRADES", [*schema.UPGRADES, add_column])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    db, report = init_database(db_path)
    assert report["upgraded_from"] == SCHEMA_VERSION
    assert report["schema_version"] == SCHEMA_VERSION + 1
    assert "importance" in db["claims"].columns_dict
    db.close()
    open_database(db_path).close()
    assert ran == ["step"]


def test_a_failing_upgrade_step_changes_nothing(db_path, monkeypatch):
    open_database(db_path).close()

    def broken(db):
        db["claims"].add_column("importance", int)
        raise sqlite3.OperationalError("disk on fire")

    monkeypatch.setattr(schema, "UPGRADES", [*schema.UPGRADES, broken])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(DatabaseError):
        open_database(db_path)
    plain = sqlite_utils.Database(db_path)
    assert schema_version(plain) == SCHEMA_VERSION
    assert "importance" not in plain["claims"].columns_dict


def test_a_reader_and_a_writer_work_at_the_same_time(db_path):
    """WAL: a long read (as Datasette does) does not block the command line's writes."""
    writer = open_database(db_path)
    reader = open_database(db_path)
    writer.execute("insert into claims (text) values ('one')")
    reader.execute("BEGIN")
    assert reader.execute("select count(*) from claims").fetchone()[0] == 1
    errors = []

    def write():
        try:
            other = open_database(db_path)
            other.execute("insert into claims (text) values ('two')")
            other.close()
        except Exception as error:  # reported below
            errors.append(error)

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=5)
    assert not errors
    assert reader.execute("select count(*) from claims").fetchone()[0] == 1
    reader.execute("COMMIT")
    assert reader.execute("select count(*) from claims").fetchone()[0] == 2


def test_migrate_on_an_empty_connection_builds_everything():
    db = sqlite_utils.Database(memory=True)
    assert migrate(db) == SCHEMA_VERSION
    assert set(SPEC_COLUMNS) <= set(db.table_names())
    assert "claim_evidence" in db.view_names()


def _plan(db, sql: str) -> str:
    return " / ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"))


def database_before(db_path, step) -> sqlite_utils.Database:
    """A database as the tracker made it before upgrade ``step`` (a step of
    :data:`schema.UPGRADES`, or how many of them had run)."""
    made_at = step if isinstance(step, int) else schema.UPGRADES.index(step)
    old = sqlite_utils.Database(db_path)
    for earlier in schema.UPGRADES[:made_at]:
        earlier(old)
    old.execute(f"PRAGMA user_version = {made_at}")
    return old


@pytest.mark.parametrize("made_at", [SCHEMA_VERSION, 7])
def test_later_steps_reach_older_databases(db_path, made_at):
    """Plans that keep the review pages' counts from walking every link, full-text
    indexes that follow only their text, the digest of what each verdict rests on: a
    database made before them gets them on upgrade."""
    old = database_before(db_path, made_at)
    old.conn.commit()
    old.close()
    db = open_database(db_path)
    assert "idx_evidence_stance_claim_id" in _plan(
        db, "select stance, count(*) from claim_evidence group by stance"
    )
    assert _plan(db, "select count(*) from claims_on_flagged_works").startswith(
        "SEARCH works USING COVERING INDEX idx_works_integrity"
    )
    assert "idx_evidence_stance" not in {index.name for index in db["evidence"].indexes}
    for table, column in (("claims", "text"), ("works", "title")):
        (trigger,) = db.execute(
            "select sql from sqlite_master where name = ?", [f"{table}_au"]
        ).fetchone()
        assert f'AFTER UPDATE OF "{column}", id ON "{table}"' in trigger
    assert "verified_input" in db["citations"].columns_dict


def _citation_with_checks(db) -> None:
    db.execute(
        "insert into articles (id, title, text, sha256, ingested_at) values (1, 'A', 't', 'h', 'now')"
    )
    db.execute("insert into works (id, doi) values (1, '10.1000/a')")
    db.execute(
        "insert into citations (id, article_id, position, raw, work_id, verdict)"
        " values (1, 1, 1, 'Doe J. A. 2020.', 1, 'minor')"
    )
    db.execute(
        "insert into citation_checks (citation_id, field, cited, recorded, result)"
        " values (1, 'year', '2020', '2021', 'minor'), (1, 'title', 'A', 'A', 'ok')"
    )


def test_citation_check_results_are_a_vocabulary(db):
    _citation_with_checks(db)
    with pytest.raises(sqlite3.IntegrityError, match="result must be one of"):
        db.execute(
            "insert into citation_checks (citation_id, field, result)"
            " values (1, 'volume', 'fine')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="result must be one of"):
        db.execute("update citation_checks set result = 'close' where field = 'year'")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute(
            "insert into citation_checks (citation_id, field, result)"
            " values (2, 'year', 'ok')"
        )


@pytest.mark.parametrize(
    "rebuilding_step",
    [
        schema._check_results_with_a_constraint,
        schema._vocabularies_tested_by_comparison,
    ],
)
def test_citation_checks_rebuilt_with_their_rows(db_path, rebuilding_step):
    old = database_before(db_path, rebuilding_step)
    _citation_with_checks(old)
    old.conn.commit()
    old.close()
    db = open_database(db_path)
    assert db.execute(
        "select field, cited, recorded, result from citation_checks order by field"
    ).fetchall() == [("title", "A", "A", "ok"), ("year", "2020", "2021", "minor")]
    assert [
        row["disagreements"] for row in db.query("select * from failed_verifications")
    ] == ["year: 2020 / 2021"]
    assert [index.columns for index in db["citation_checks"].indexes] == [
        ["citation_id", "field"]
    ]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def _constant_lists(db) -> list[str]:
    """Triggers and tables that test a value with IN against a list of constants, as
    the steps before comparisons wrote them."""
    return [
        name
        for name, sql in db.execute(
            "select name, sql from sqlite_master where type in ('trigger', 'table')"
        )
        if sql and re.search(r"\bIN \(['\d]", sql)
    ]


def test_vocabularies_are_tested_by_comparison_after_upgrade(db_path):
    old = database_before(db_path, schema._vocabularies_tested_by_comparison)
    _citation_with_checks(old)
    before = _constant_lists(old)
    assert {
        "evidence_stance_valid_on_insert",
        "works_evidence_level_valid",
        "claim_support_new_link",
        "citation_checks",
    } <= set(before)
    old.conn.commit()
    old.close()
    db = open_database(db_path)
    assert _constant_lists(db) == []
    assert db.execute("select count(*) from citation_checks").fetchone()[0] == 2
    db.execute("insert into claims (id, text) values (1, 'x')")
    with pytest.raises(sqlite3.IntegrityError, match="stance must be one of"):
        db.execute(
            "insert into evidence (claim_id, work_id, stance) values (1, 1, 'agrees')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="result must be one of"):
        db.execute("update citation_checks set result = 'close'")
    with pytest.raises(sqlite3.IntegrityError, match="evidence_level must be 1 to 5"):
        db.execute("update works set evidence_level = 7")
    db.execute(
        "insert into evidence (claim_id, work_id, stance) values (1, 1, 'cites')"
    )
    assert db.execute(
        "select links, supporting_links from claim_support where claim_id = 1"
    ).fetchone() == (1, 1)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_new_database_tests_no_value_against_a_list_of_constants(db):
    assert _constant_lists(db) == []


#: Scripts whose statements are hard to find: semicolons in strings, comments, quoted
#: names and trigger bodies, a last statement without one, blank statements.
TRICKY_SCRIPTS = [
    "create table t (a text default ';'); insert into t values ('x;y');",
    '-- a comment; with a semicolon\ncreate table "a;b" (c);\n/* ; */ select 1',
    "create trigger tr after insert on t begin select 1; select 2; end; select 3;",
    " ;; select 1 ;\n\n  ",
    "",
]


@pytest.mark.parametrize("script", TRICKY_SCRIPTS)
def test_scripts_are_split_as_sqlite_utils_splits_them(script):
    from sqlite_utils.db import _iter_complete_sql_statements

    assert list(database.sql_statements(script)) == list(
        _iter_complete_sql_statements(script)
    )


def test_the_schema_s_own_scripts_are_split_as_sqlite_utils_splits_them(db):
    from sqlite_utils.db import _iter_complete_sql_statements

    script = ";\n".join(
        row[0]
        for row in db.execute("select sql from sqlite_master where sql is not null")
    )
    assert script.count("CREATE TRIGGER") > 5
    ours = list(database.sql_statements(script))
    assert ours == list(_iter_complete_sql_statements(script))
    assert (
        len(ours)
        == db.execute(
            "select count(*) from sqlite_master where sql is not null"
        ).fetchone()[0]
    )


def test_a_script_in_a_transaction_stays_in_it(db):
    db.conn.execute("BEGIN IMMEDIATE")
    db.executescript("create table scratch (a); insert into scratch values (';');")
    assert db.conn.in_transaction
    db.conn.execute("ROLLBACK")
    assert "scratch" not in db.table_names()


def test_checks_of_fields_neither_side_gives_go_on_upgrade(db_path):
    old = database_before(db_path, schema._checks_only_of_fields_given)
    _citation_with_checks(old)
    old.execute(
        "insert into citation_checks (citation_id, field, cited, recorded, result)"
        " values (1, 'issue', null, null, 'missing'), (1, 'volume', null, '5', 'missing')"
    )
    old.conn.commit()
    old.close()
    db = open_database(db_path)
    assert db.execute(
        "select field, cited, recorded, result from citation_checks order by field"
    ).fetchall() == [
        ("title", "A", "A", "ok"),
        ("volume", None, "5", "missing"),
        ("year", "2020", "2021", "minor"),
    ]


def test_no_index_is_one_that_another_begins_with(db):
    """Every index a longer one (or the primary key) begins with costs writes only."""
    assert schema.redundant_indexes(db) == []
    assert "idx_authors_work_id" not in {i.name for i in db["authors"].indexes}
    assert [
        i.columns for i in db["claims"].indexes if i.columns[0] == "article_id"
    ] == [["article_id", "status"]]


def test_indexes_another_begins_with_go_on_upgrade(db_path):
    old = database_before(db_path, schema._no_index_another_begins)
    assert "idx_authors_work_id" in schema.redundant_indexes(old)
    old.conn.commit()
    old.close()
    db = open_database(db_path)
    assert schema.redundant_indexes(db) == []
    assert "idx_claim_support_weak" in {i.name for i in db["claim_support"].indexes}
    for plan in (
        _plan(db, "select * from authors where work_id = 1"),
        _plan(db, "select id from claims where article_id = 1"),
    ):
        assert "INDEX" in plan
