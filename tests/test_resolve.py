import json

from tracker import claims
from tracker.bib.citekeys import base_key
from tracker.ingest import ingest_article, read_article
from tracker.resolve import accept_candidate, resolve_citations

from .helpers import CROSSREF
from .reference_styles import apa


def recorded(name: str) -> dict:
    return json.loads((CROSSREF / "works" / name).read_text(encoding="utf-8"))[
        "message"
    ]


def write_article(tmp_path, references: list[str]) -> str:
    body = "A review\n\nBeagles regain muscle strength faster with a secretagogue (Lieber et al., 1997).\n\nReferences\n\n"
    path = tmp_path / "article.txt"
    path.write_text(body + "\n\n".join(references) + "\n", encoding="utf-8")
    return str(path)


def without_doi(reference: str) -> str:
    return reference.split(" https://doi.org/")[0]


def test_a_reference_without_doi_is_matched(db, tmp_path, fake_crossref, settings):
    message = recorded("10.1002__jor.1100150407.json")
    ingest_article(
        db, read_article(write_article(tmp_path, [without_doi(apa(message))]))
    )
    report = resolve_citations(db, settings=settings)
    assert report["matched"] == [
        {
            "citation_id": 1,
            "doi": "10.1002/jor.1100150407",
            "score": report["matched"][0]["score"],
        }
    ]
    assert report["requests"] == 1
    citation = next(db.query("select * from citations"))
    assert citation["doi_source"] == "matched" and citation["match_score"] > 0
    work = next(db.query("select * from works where id = ?", [citation["work_id"]]))
    assert (work["doi"], work["fetch_status"], work["metadata_source"]) == (
        "10.1002/jor.1100150407",
        "ok",
        "crossref",
    )
    assert (work["citekey"], work["citekey_source"]) == (
        base_key(message["author"][0]["family"], work["year"], message["title"][0]),
        "generated",
    )
    assert claims.get_claim(db, 1)["evidence"][0]["doi"] == "10.1002/jor.1100150407"


def test_a_lookalike_is_not_accepted(db, tmp_path, fake_crossref, settings):
    message = recorded("10.1002__jor.1100150407.json")
    wrong_year = without_doi(apa(message, year=1988))
    ingest_article(db, read_article(write_article(tmp_path, [wrong_year])))
    report = resolve_citations(db, settings=settings)
    assert report["matched"] == [] and report["unresolved"] == [1]
    best = next(
        db.query("select * from citation_candidates where citation_id = 1 and rank = 1")
    )
    assert best["doi"] == "10.1002/jor.1100150407"
    assert (
        best["year_ok"] == 0
        and best["author_ok"] == 1
        and best["title_similarity"] >= 90
    )


def test_accepting_a_candidate_by_hand(db, tmp_path, fake_crossref, settings, tracker):
    message = recorded("10.1002__jor.1100150407.json")
    ingest_article(
        db,
        read_article(write_article(tmp_path, [without_doi(apa(message, year=1988))])),
    )
    resolve_citations(db, settings=settings)
    result = accept_candidate(db, 1, "https://doi.org/10.1002/JOR.1100150407")
    assert result["metadata"] is True
    citation = next(db.query("select * from citations"))
    assert citation["doi_source"] == "manual"
    assert (
        db.execute(
            "select fetch_status from works where id = ?", [citation["work_id"]]
        ).fetchone()[0]
        == "ok"
    )


def test_a_doi_found_later_merges_into_the_existing_work(
    db, tmp_path, fake_crossref, settings
):
    message = recorded("10.1002__jor.1100150407.json")
    claim = claims.add_claim(
        db,
        "Growth hormone secretagogues help.",
        dois=["10.1002/jor.1100150407"],
        stance="supports",
    )
    ingest_article(
        db, read_article(write_article(tmp_path, [without_doi(apa(message))]))
    )
    assert db["works"].count == 2
    resolve_citations(db, settings=settings)
    assert db["works"].count == 1
    (work_id,) = {row["work_id"] for row in db.query("select work_id from citations")}
    assert (
        db.execute("select doi from works where id = ?", [work_id]).fetchone()[0]
        == "10.1002/jor.1100150407"
    )
    assert claims.get_claim(db, claim["id"])["evidence"][0]["stance"] == "supports"


def test_offline_looks_nothing_up(db, tmp_path, fake_crossref):
    from .helpers import settings_for

    message = recorded("10.1002__jor.1100150407.json")
    ingest_article(
        db, read_article(write_article(tmp_path, [without_doi(apa(message))]))
    )
    report = resolve_citations(db, settings=settings_for(fake_crossref, offline=True))
    assert report["offline"] and report["unresolved"] == [1]
    assert sum(fake_crossref.requests.values()) == 0


def test_cli_resolve_and_accept(tracker, tmp_path, fake_crossref, monkeypatch):
    monkeypatch.setenv("TRACKER_CROSSREF_API", fake_crossref.url)
    message = recorded("10.1002__jor.1100150407.json")
    tracker(
        "ingest",
        write_article(
            tmp_path,
            [
                without_doi(apa(message)),
                "Nobody, N. (2001). Nothing at all. Journal of Nothing, 1(1), 1–2.",
            ],
        ),
    )
    report = tracker.json("resolve")
    assert [m["doi"] for m in report["matched"]] == ["10.1002/jor.1100150407"]
    assert report["unresolved"] == [2]
    assert tracker("citation", "accept", "9", "10.1000/x").exit_code == 2
    assert (
        tracker.json("citation", "accept", "2", "10.1000/nothing")["doi"]
        == "10.1000/nothing"
    )
    listed = tracker.json("citation", "list")
    assert [(c["position"], c["doi"], c["doi_source"]) for c in listed] == [
        (1, "10.1002/jor.1100150407", "matched"),
        (2, "10.1000/nothing", "manual"),
    ]
