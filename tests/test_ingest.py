import pytest

from tracker.ingest import ingest_article, read_article
from tracker.store.database import open_database

from .articles import APA_WITH_URLS, HTML_ARTICLE
from .helpers import EXAMPLE_ARTICLE

LEAKY_GUT_DOIS = ["10.3390/ijerph182312836", "10.3390/nu10081016"]


def test_the_example_article(db):
    report = ingest_article(db, read_article(str(EXAMPLE_ARTICLE)))
    assert (report["claims"], report["citations"], report["dois"]) == (
        8,
        2,
        LEAKY_GUT_DOIS,
    )
    article = next(db.query("select * from articles"))
    assert article["title"] == "What is Leaky Gut?"
    assert article["text"] == EXAMPLE_ARTICLE.read_text(encoding="utf-8")
    for claim in db.query("select * from claims"):
        assert article["text"][claim["char_start"] : claim["char_end"]] == claim["text"]
    for citation in db.query("select * from citations"):
        assert (
            article["text"][citation["char_start"] : citation["char_end"]]
            == citation["raw"]
        )
        assert citation["doi_source"] == "text"
    works = list(db.query("select doi, fetch_status from works order by id"))
    assert works == [{"doi": doi, "fetch_status": "pending"} for doi in LEAKY_GUT_DOIS]


def test_the_same_text_again_changes_nothing(db):
    first = ingest_article(db, read_article(str(EXAMPLE_ARTICLE)))
    counts = {t: db[t].count for t in ("articles", "claims", "citations", "works")}
    again = ingest_article(db, read_article(str(EXAMPLE_ARTICLE)))
    assert again["existing"] and again["article_id"] == first["article_id"]
    assert {t: db[t].count for t in counts} == counts


def test_references_without_doi_get_works_described_by_the_reference(db, tmp_path):
    path = tmp_path / "fibre.txt"
    path.write_text(APA_WITH_URLS[0], encoding="utf-8")
    ingest_article(db, read_article(str(path)))
    work = next(
        db.query(
            "select works.* from citations join works on works.id = citations.work_id where position = 2"
        )
    )
    assert work["doi"] is None and work["metadata_source"] == "reference"
    assert (work["title"], work["year"], work["container_title"]) == (
        "Fibre fermentation in the human colon",
        2019,
        "Journal of Gut Science",
    )
    authors = [
        row["family"]
        for row in db.query(
            "select family from authors where work_id = ? order by position",
            [work["id"]],
        )
    ]
    assert authors == ["Smith", "Jones"]


def test_inline_markers_link_claims_to_works_with_stance_cites(db, tmp_path):
    path = tmp_path / "fibre.txt"
    path.write_text(APA_WITH_URLS[0], encoding="utf-8")
    ingest_article(db, read_article(str(path)))
    links = list(
        db.query(
            "select claims.text, citations.position, evidence.stance, evidence.origin, evidence.marker"
            " from evidence join claims on claims.id = evidence.claim_id"
            " join citations on citations.work_id = evidence.work_id order by claims.id, citations.position"
        )
    )
    higher = [link for link in links if link["text"].startswith("Higher fibre")]
    assert [link["position"] for link in higher] == [1, 2]
    assert {(link["stance"], link["origin"]) for link in links} == {("cites", "marker")}
    assert higher[0]["marker"] == "(Reynolds et al., 2019; Smith & Jones, 2019)"


def test_html_is_stored_without_markup(db, tmp_path):
    path = tmp_path / "sleep.html"
    path.write_text(HTML_ARTICLE[0], encoding="utf-8")
    report = ingest_article(db, read_article(str(path)))
    article = next(db.query("select text, format, title from articles"))
    assert "<" not in article["text"] and article["format"] == "html"
    assert article["title"] == "Sleep and memory"
    assert report["dois"] == [
        "10.1146/annurev.psych.56.091103.070307",
        "10.1038/nrn2762",
    ]


def test_cli_ingest_json(tracker):
    report = tracker.json("ingest", str(EXAMPLE_ARTICLE))
    assert set(report) >= {"article_id", "claims", "citations", "dois"}
    assert (report["claims"], report["citations"], report["dois"]) == (
        8,
        2,
        LEAKY_GUT_DOIS,
    )
    text = tracker("ingest", str(EXAMPLE_ARTICLE)).output
    assert text.startswith("Already stored as article 1: What is Leaky Gut?")


def test_cli_ingest_from_standard_input_with_title_and_url(tracker):
    report = tracker.json(
        "ingest",
        "-",
        "--title",
        "Leaky",
        "--url",
        "https://example.org/leaky",
        input=EXAMPLE_ARTICLE.read_text(encoding="utf-8"),
    )
    assert report["title"] == "Leaky"
    db = open_database(tracker.db_path)
    assert (
        next(db.query("select url from articles"))["url"] == "https://example.org/leaky"
    )


def test_cli_ingest_of_text_without_references(tracker, tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text(
        "Walking\n\nWalking every day lowers blood pressure in older adults.\n"
    )
    result = tracker("ingest", str(path))
    assert result.exit_code == 0
    assert "Note: no reference section found: claims only" in result.output


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"\x00\x01\x02binary\x00" * 100, "binary"),
    ],
)
def test_cli_ingest_bad_files(tracker, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = tracker("ingest", str(path))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not tracker.db_path.exists()


def test_cli_ingest_missing_file_and_dead_address(tracker, tmp_path):
    assert tracker("ingest", str(tmp_path / "none.txt")).exit_code == 2
    result = tracker("ingest", "http://127.0.0.1:9/article")
    assert (
        result.exit_code == 1
        and "cannot read http://127.0.0.1:9/article" in result.stderr
    )
    assert not tracker.db_path.exists()


def test_a_long_text_segmented_on_every_core(tmp_path, db, monkeypatch):
    """Long texts are spread over the cores (here above 100 KB instead of 1 MB), with
    every offset exact; the 20 MB run and its timings are in bench/bench_ingest.py."""
    from tracker.text import sentences

    monkeypatch.setattr(sentences, "PARALLEL_ABOVE", 100_000)
    paragraphs = [
        f"Dietary fibre {n} feeds the gut microbiota, which ferments it into"
        f" short-chain fatty acids [1]. Butyrate {n} strengthens the intestinal barrier"
        " in mice, e.g. by tightening junctions [2].\n\n"
        for n in range(2_000)
    ]
    body = "".join(paragraphs)
    text = (
        "A long article\n\n"
        + body
        + "References\n1. Smith AB. Fibre. J Gut. 2019;1(2):3-4.\n2. Lee K. Butyrate. J Gut. 2020;2(1):5-6.\n"
    )
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    report = ingest_article(db, read_article(str(path)))
    assert report["citations"] == 2
    assert report["claims"] == 2 * len(paragraphs)
    for claim in db.query("select * from claims"):
        assert text[claim["char_start"] : claim["char_end"]] == claim["text"]


def test_a_list_of_twelve_thousand_references_stores_every_entry(tracker, tmp_path):
    count = 12_000
    entries = "\n".join(
        f"{number}. Author{number} A. Study number {number}. J Test. 2020;1:{number}."
        for number in range(1, count + 1)
    )
    article = tmp_path / "long.txt"
    article.write_text(
        f"A long list\n\nThe gut lining is permeable [{count}].\n\nReferences\n\n{entries}\n",
        encoding="utf-8",
    )
    report = tracker.json("ingest", str(article))
    assert report["citations"] == count
    listed = tracker.json("citation", "list")
    assert len(listed) == count
    assert (
        listed[-1]["raw"]
        == f"Author{count} A. Study number {count}. J Test. 2020;1:{count}."
    )
    assert (
        tracker.json("claim", "list")[0]["evidence"][0]["title"]
        == f"Study number {count}"
    )
