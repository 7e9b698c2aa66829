from tracker.text.document import HEADING, ITEM
from tracker.text.html import html_to_document, looks_like_html

from ..articles import HTML_ARTICLE


def test_visible_text_only():
    document = html_to_document(HTML_ARTICLE[0])
    assert "tracking" not in document.text and "font-family" not in document.text
    assert "Home" not in document.text and "Copyright" not in document.text
    assert "a comment" not in document.text
    assert "the day’s experiences" in document.text  # entities decoded
    assert document.title == "Sleep and memory"


def test_structure_is_kept():
    document = html_to_document(HTML_ARTICLE[0])
    headings = [document.content(b) for b in document.blocks if b.kind == HEADING]
    assert headings == ["Sleep and memory", "References"]
    items = [b for b in document.blocks if b.kind == ITEM]
    assert [b.label for b in items] == ["1.", "2.", "3."]
    assert document.content(items[2]).startswith("Rasch B, Born J. About sleep's role")


def test_superscripts_and_links_keep_their_spans():
    document = html_to_document(HTML_ARTICLE[0])
    assert [document.text[s:e] for s, e in document.superscripts] == ["1", "2,3", "1"]
    (start, end, href) = document.links[0]
    assert document.text[start:end] == "Link"
    assert href == "https://doi.org/10.1146/annurev.psych.56.091103.070307"


def test_whitespace_is_collapsed_like_a_browser_does():
    document = html_to_document(
        "<p>One\n   two\t three</p><p>Four<br>five</p><pre>a  b\n c</pre>"
    )
    assert document.text == "One two three\n\nFour\nfive\n\na  b\n c"


def test_hidden_parts_are_dropped():
    markup = '<p>Kept.</p><div class="share-buttons">Share</div><p hidden>Gone</p><p style="display:none">Gone</p>'
    assert html_to_document(markup).text == "Kept."


def test_looks_like_html():
    assert looks_like_html(HTML_ARTICLE[0])
    assert not looks_like_html("A <b>plain</b> sentence about 3 < 4.")
