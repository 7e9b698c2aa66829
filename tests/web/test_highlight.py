"""An article's text as HTML with its claims marked: pure, no database."""

from tracker.web.charts import bar_chart
from tracker.web.highlight import article_blocks

TEXT = (
    "# A <b>title</b>\n\n"
    "Fibre feeds the gut. It also <i>fills</i> you up.\n\n"
    "- An item & more\n\n"
    "References\n\n"
    "1. Smith J. A paper. 2020.\n"
)


def claim(claim_id, text, status="unreviewed", evidence=("a work",)):
    start = TEXT.index(text)
    return {
        "id": claim_id,
        "char_start": start,
        "char_end": start + len(text),
        "status": status,
        "evidence": list(evidence),
    }


def test_claims_are_marked_by_status_and_the_text_escaped():
    claims = [
        claim(1, "Fibre feeds the gut.", "supported"),
        claim(2, "It also <i>fills</i> you up.", evidence=()),
    ]
    blocks, unplaced = article_blocks(TEXT, claims, TEXT.index("1. Smith"))
    assert [block["kind"] for block in blocks] == ["heading", "paragraph", "item"]
    assert blocks[0]["html"] == "<h3>A &lt;b&gt;title&lt;/b&gt;</h3>"
    paragraph = blocks[1]["html"]
    assert paragraph.startswith(
        '<p><mark class="claim status-supported" title="Claim 1: supported">'
        '<a href="#claim-1">Fibre feeds the gut.</a></mark> '
    )
    assert (
        '<mark class="claim status-unreviewed bare" title="Claim 2: unreviewed, no evidence">'
        '<a href="#claim-2">It also &lt;i&gt;fills&lt;/i&gt; you up.</a></mark></p>'
    ) in paragraph
    assert [c["id"] for c in blocks[1]["claims"]] == [1, 2]
    assert blocks[2]["html"] == '<p class="item">- An item &amp; more</p>'
    assert unplaced == []


def test_the_reference_list_and_its_heading_are_left_out():
    blocks, _ = article_blocks(TEXT, [], TEXT.index("1. Smith"))
    assert "References" not in "".join(block["html"] for block in blocks)
    assert "Smith" not in "".join(block["html"] for block in blocks)
    whole, _ = article_blocks(TEXT, [])
    assert "Smith" in "".join(block["html"] for block in whole)


def test_claims_outside_the_text_are_returned_apart():
    by_hand = {
        "id": 9,
        "char_start": None,
        "char_end": None,
        "status": "unreviewed",
        "evidence": [],
    }
    in_references = claim(8, "Smith J. A paper.")
    _, unplaced = article_blocks(TEXT, [by_hand, in_references], TEXT.index("1. Smith"))
    assert [c["id"] for c in unplaced] == [9, 8]


def test_overlapping_claims_are_each_marked_once():
    first = claim(1, "Fibre feeds the gut. It also")
    second = claim(2, "It also <i>fills</i> you up.")
    blocks, _ = article_blocks(TEXT, [first, second])
    html = blocks[1]["html"]
    assert html.count("<mark") == 2
    assert '<a href="#claim-2"> &lt;i&gt;fills&lt;/i&gt; you up.</a>' in html


def test_a_claim_across_two_blocks_is_marked_in_both_and_listed_once():
    spanning = claim(1, "you up.\n\n- An item")
    blocks, _ = article_blocks(TEXT, [spanning])
    assert "<mark" in blocks[1]["html"] and "<mark" in blocks[2]["html"]
    assert [c["id"] for b in blocks for c in b["claims"]] == [1]


def test_bar_charts_escape_their_labels_and_scale_to_the_largest():
    chart = bar_chart("Claims <by> status", {"supported": 4, "x<y": 2, "none": 0})
    assert chart.startswith(
        '<svg class="chart" role="img" aria-label="Claims &lt;by&gt; status"'
    )
    assert "x&lt;y" in chart and "<y" not in chart.replace("<svg", "")
    widths = [
        int(w)
        for w in __import__("re").findall(r'<rect x="150" y="\d+" width="(\d+)"', chart)
    ]
    assert widths == [240, 120, 1]
    empty = bar_chart("Nothing", {"a": 0})
    assert 'width="1"' in empty
