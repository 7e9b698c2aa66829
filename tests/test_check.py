import json

from tracker import claims
from tracker.check import check, serious
from tracker.fetch import fetch_works
from tracker.ingest import ingest_article, read_article

from .helpers import CROSSREF, EXAMPLE_ARTICLE, settings_for
from .reference_styles import ama

KINDS = {
    "unresolved",
    "not_found",
    "fetch_error",
    "minor",
    "mismatch",
    "wrong_work",
    "no_evidence",
    "retracted",
    "corrected",
    "concern",
}


def kinds(report):
    return [problem["kind"] for problem in report["problems"]]


def test_the_example_article(db, fake_crossref):
    ingest_article(db, read_article(str(EXAMPLE_ARTICLE)))
    before = check(db)
    assert kinds(before) == ["no_evidence"] * 8
    assert before["pending"] == ["10.3390/ijerph182312836", "10.3390/nu10081016"]
    fetch_works(db, settings=settings_for(fake_crossref, offline=True))
    report = check(db, article_id=1)
    assert kinds(report) == ["minor"] + ["no_evidence"] * 8
    minor = report["problems"][0]
    assert (minor["article_id"], minor["citation_id"], minor["doi"]) == (
        1,
        2,
        "10.3390/nu10081016",
    )
    assert "Luo X" in minor["detail"]
    assert set(minor) >= {
        "kind",
        "article_id",
        "claim_id",
        "citation_id",
        "doi",
        "detail",
    }
    assert minor["where"] == "article 1, reference 2"
    assert serious(report)
    for claim_id in range(1, 9):
        claims.link_evidence(db, claim_id, "10.3390/ijerph182312836", stance="supports")
    after = check(db)
    assert kinds(after) == ["minor"] and not serious(after)


def article_citing(tmp_path, references):
    path = tmp_path / "a.txt"
    body = "Title\n\nA claim that rests on the first reference [1].\n\nReferences\n"
    path.write_text(
        body + "".join(f"{n}. {ref}\n" for n, ref in enumerate(references, 1)),
        encoding="utf-8",
    )
    return read_article(str(path))


def recorded(name):
    return json.loads((CROSSREF / "works" / name).read_text(encoding="utf-8"))[
        "message"
    ]


def test_every_kind_of_citation_problem(db, tmp_path, fake_crossref, settings):
    good = recorded("10.1002__jor.1100150407.json")
    corrected = recorded("10.1371__journal.pone.0033693.json")
    other = recorded("10.1016__j.ejphar.2015.03.018.json")
    references = [
        ama(good),
        ama(good).replace(good["DOI"], corrected["DOI"]),
        ama(other).replace(other["DOI"], good["DOI"]),
        "Nobody N. A reference without any identifier. J Nothing. 2001;1(1):1-2.",
        "Someone S. Lost paper. J Lost. 2002;2(2):3-4. doi:10.1371/notarealdoi",
        ama(good, volume="99"),
    ]
    ingest_article(db, article_citing(tmp_path, references))
    fetch_works(db, settings=settings)
    report = check(db)
    by_citation = {}
    for problem in report["problems"]:
        by_citation.setdefault(problem["citation_id"], []).append(problem["kind"])
    assert 1 not in by_citation  # a correct reference
    assert "corrected" in by_citation[2] and "wrong_work" in by_citation[2]
    assert by_citation[3] == ["wrong_work"]
    assert by_citation[4] == ["unresolved"]
    assert by_citation[5] == ["not_found"]
    assert by_citation[6] == ["mismatch"]
    assert set(kinds(report)) <= KINDS
    corrected_problem = next(p for p in report["problems"] if p["kind"] == "corrected")
    assert (
        "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda"
        in corrected_problem["detail"]
    )


def test_a_fetch_error_is_reported(db, tmp_path, fake_crossref):
    from .crossref_server import Fault

    ingest_article(
        db,
        article_citing(
            tmp_path, ["Someone S. Paper. J X. 2002;2(2):3-4. doi:10.1000/broken"]
        ),
    )
    fake_crossref.inject(Fault("status", status=503, times=100))
    fetch_works(db, settings=settings_for(fake_crossref, backoff_factor=0.01))
    (problem,) = [p for p in check(db)["problems"] if p["citation_id"]]
    assert problem["kind"] == "fetch_error" and "503" in problem["detail"]


def test_cli_check(tracker):
    tracker("ingest", str(EXAMPLE_ARTICLE))
    result = tracker("check", "--article", "1")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2] == "8 problems: 8 no_evidence."
    assert "run `tracker fetch`" in result.stdout.splitlines()[-1]
    report = json.loads(tracker("check", "--json").stdout)
    assert kinds(report) == ["no_evidence"] * 8
    assert tracker("check", "--article", "0").exit_code == 2


def test_verification_reads_the_stored_parse(db, fake_crossref):
    """References are parsed once, at ingestion; a parse stored by another version of
    the parser is made again (and stored) when they are verified."""
    ingest_article(db, read_article(str(EXAMPLE_ARTICLE)))
    fetch_works(db, settings=settings_for(fake_crossref, offline=True))
    stored = json.loads(
        db.execute("select parsed from citations where position = 2").fetchone()[0]
    )
    stored["authors"][1]["given"] = "XM"  # as if the reference had given both initials
    db.execute(
        "update citations set parsed = ? where position = 2", [json.dumps(stored)]
    )
    assert kinds(check(db)).count("minor") == 0
    stored["parser"] = 0  # a parse made by an older parser
    db.execute(
        "update citations set parsed = ? where position = 2", [json.dumps(stored)]
    )
    assert kinds(check(db)).count("minor") == 1
    fresh = json.loads(
        db.execute("select parsed from citations where position = 2").fetchone()[0]
    )
    assert fresh["authors"][1]["given"] == "X" and fresh["parser"] != 0


def test_a_citation_the_list_does_not_hold_is_reported(db, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(
        "Fasting\n\nFasting lowers insulin (Ashford, 2016). Fasting helps [2].\n\n"
        "References\n\n"
        "Ashford, B. (2020). Fasting and insulin. Diabetes Care, 43, 1-9.\n",
        encoding="utf-8",
    )
    ingest_article(db, read_article(str(path)))
    report = check(db)
    unmatched = [p for p in report["problems"] if p["kind"] == "unmatched_citation"]
    assert [(p["claim_id"], p["detail"]) for p in unmatched] == [
        (
            1,
            "(Ashford, 2016): Ashford 2016 is not in the list, which has Ashford 2020",
        )
    ]
    assert serious(report)


def _verdicts(db):
    return {
        row["id"]: (row["verdict"], row["checks"])
        for row in db.query(
            "select citations.id, citations.verdict, json_group_array(json_array("
            "citation_checks.field, citation_checks.cited, citation_checks.recorded,"
            " citation_checks.result)) as checks from citations"
            " left join citation_checks on citation_checks.citation_id = citations.id"
            " group by citations.id"
        )
    }


def test_a_verdict_is_made_again_only_when_what_it_rests_on_changes(
    db, fake_crossref, monkeypatch
):
    from tracker import check as checking
    from tracker.check import verify_citations

    ingest_article(db, read_article(str(EXAMPLE_ARTICLE)))
    fetch_works(db, settings=settings_for(fake_crossref, offline=True))
    assert verify_citations(db) == 2
    kept = _verdicts(db)
    assert verify_citations(db) == 0 and _verdicts(db) == kept
    db.execute("update works set volume = '99' where doi = '10.3390/nu10081016'")
    assert verify_citations(db) == 1
    assert _verdicts(db)[2][0] == "mismatch" and _verdicts(db)[1] == kept[1]
    db.execute("update authors set given = 'Q'")
    assert verify_citations(db) == 2
    monkeypatch.setattr(checking, "__version__", "99.0")  # another tracker's rules
    assert verify_citations(db) == 2 and verify_citations(db) == 0
    db.execute("update citations set raw = raw || ' ' where position = 1")
    assert verify_citations(db) == 1


def test_many_citations_are_verified_alike_on_every_core(
    db, tmp_path, fake_crossref, settings, monkeypatch
):
    from tracker import check as checking
    from tracker.check import verify_citations

    good = recorded("10.1002__jor.1100150407.json")
    other = recorded("10.1016__j.ejphar.2015.03.018.json")
    references = [
        ama(good),
        ama(good, volume="99"),
        ama(other).replace(other["DOI"], good["DOI"]),
        ama(other),
    ] * 3
    ingest_article(db, article_citing(tmp_path, references))
    fetch_works(db, settings=settings)
    assert verify_citations(db) == len(references)
    one_process = _verdicts(db)
    db.execute("update citations set verdict = null")
    db.execute("delete from citation_checks")
    monkeypatch.setattr(checking, "PARALLEL_FROM", 2)
    assert verify_citations(db) == len(references)
    assert _verdicts(db) == one_process
    assert {verdict for verdict, _ in one_process.values()} >= {"ok", "mismatch"}


def test_alike_citations_are_verified_once_each_given_its_own_result(
    db, tmp_path, fake_crossref, settings, monkeypatch
):
    """The same reference to the same record, in any order among others: one verdict
    made per distinct reference, each citation given the one made from its own."""
    from tracker import check as checking
    from tracker.check import verify_citations
    from tracker.store.citations import citations_to_verify

    good = recorded("10.1002__jor.1100150407.json")
    other = recorded("10.1016__j.ejphar.2015.03.018.json")
    a, b, c = ama(good), ama(good, volume="99"), ama(other)
    wrong = ama(other).replace(other["DOI"], good["DOI"])
    # First seen a, b, c, wrong; last seen a, wrong, c, b.
    references = [a, b, a, c, wrong, c, b]
    ingest_article(db, article_citing(tmp_path, references))
    fetch_works(db, settings=settings)
    alone = {}
    for row in citations_to_verify(db):
        citation_id, verdict, checks, *_ = checking._verify(row)
        alone[citation_id] = (verdict, sorted(checks))
    assert len({verdict for verdict, _ in alone.values()}) >= 3
    made = []
    verify = checking._verify
    counted = lambda item: made.append(item) or verify(item)  # noqa: E731
    # In one process, counted; on every core, as workers run it.
    for parallel_from, verifier in ((10_000, counted), (2, verify)):
        monkeypatch.setattr(checking, "PARALLEL_FROM", parallel_from)
        monkeypatch.setattr(checking, "_verify", verifier)
        db.execute("update citations set verdict = null")
        db.execute("delete from citation_checks")
        assert verify_citations(db) == len(references)
        stored = {
            citation_id: (verdict, sorted(tuple(check) for check in json.loads(checks)))
            for citation_id, (verdict, checks) in _verdicts(db).items()
        }
        assert stored == alone
    assert len(made) == 4


def test_a_field_neither_the_reference_nor_the_record_gives_is_not_stored(
    db, tmp_path, fake_crossref, settings
):
    """The record of this work has no issue, and neither has the reference: there is
    nothing to show of it. Every other field is stored, compared or not."""
    work = recorded("10.1016__j.ejphar.2015.03.018.json")
    assert "issue" not in work
    ingest_article(db, article_citing(tmp_path, [ama(work)]))
    fetch_works(db, settings=settings)
    report = check(db)
    assert report["verified"] == 1
    stored = {
        row["field"]: row["result"]
        for row in db.query("select field, result from citation_checks")
    }
    assert set(stored) == {
        "first_author",
        "authors",
        "title",
        "journal",
        "year",
        "volume",
        "pages",
    }
    assert set(stored.values()) == {"ok"}
    assert db.execute("select verdict from citations").fetchone()[0] == "ok"
