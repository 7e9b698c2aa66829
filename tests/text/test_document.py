import re

from tests.helpers import random_texts
from tracker.text.document import (
    HEADING,
    ITEM,
    META,
    PARAGRAPH,
    RULE,
    TABLE,
    hard_wrap_width,
    markdown_links,
    parse_text,
)


def kinds(text):
    document = parse_text(text)
    return [(block.kind, document.content(block)) for block in document.blocks]


def test_headings_in_their_many_forms():
    text = "# Title\n\n## Section ##\n\n***** References[edit] *****\n\nSetext\n======\n\n{: .no_toc }\n\n***\n"
    assert kinds(text) == [
        (HEADING, "Title"),
        (HEADING, "Section"),
        (HEADING, "References[edit]"),
        (HEADING, "Setext"),
        (META, "{: .no_toc }"),
        (RULE, "***"),
    ]


def test_list_items_leave_their_labels_out():
    document = parse_text(
        "1. First item\n[2] Second\n(3) Third\n4) Fourth\n- Bullet\n* Star\n"
    )
    assert [
        (b.kind, b.label, b.number, document.content(b)) for b in document.blocks
    ] == [
        (ITEM, "1.", 1, "First item"),
        (ITEM, "[2]", 2, "Second"),
        (ITEM, "(3)", 3, "Third"),
        (ITEM, "4)", 4, "Fourth"),
        (ITEM, "-", None, "Bullet"),
        (ITEM, "*", None, "Star"),
    ]


def test_indented_lines_continue_a_list_item():
    text = "   1. Lean ME (2015). Principles.\n      Medicine. 43 (2): 61-65.\n   2. Next one.\n"
    document = parse_text(text)
    assert [document.content(b) for b in document.blocks] == [
        "Lean ME (2015). Principles.\n      Medicine. 43 (2): 61-65.",
        "Next one.",
    ]


def test_unwrapped_text_has_a_paragraph_per_line():
    document = parse_text(
        "First paragraph on one line.\nSecond paragraph on the next line.\n"
    )
    assert [b.kind for b in document.blocks] == [PARAGRAPH, PARAGRAPH]
    assert not document.hard_wrapped


def test_hard_wrapped_text_runs_paragraphs_over_line_breaks():
    line = "word " * 15
    text = "\n".join(
        [line.strip()] * 9 + ["end of it.", "A new paragraph starts here and is short."]
    )
    document = parse_text(text)
    assert document.hard_wrapped
    assert len(document.blocks) == 2
    assert hard_wrap_width(text.splitlines()) == len(line.strip())


def test_tables_and_front_matter():
    document = parse_text(
        "---\ntitle: x\n---\n| a | b |\n|---|---|\nText after the table.\n"
    )
    assert [b.kind for b in document.blocks] == [TABLE, TABLE, PARAGRAPH]


def test_title_is_the_first_heading_or_line():
    assert parse_text("What is Leaky Gut?\n- byline\n").title == "What is Leaky Gut?"
    assert parse_text("\n\n# *A Title*\n\nBody.\n").title == "A Title"


def test_offsets_are_exact_with_windows_line_ends():
    text = "Title\r\n\r\nA sentence here.\r\n1. Item one\r\n"
    document = parse_text(text)
    assert [document.content(b) for b in document.blocks] == [
        "Title",
        "A sentence here.",
        "Item one",
    ]


def test_markdown_links_and_not_images():
    text = 'See [the trial](https://a.org/x "Title"), ![a figure](f.png) and <https://b.org>.'
    assert [(text[s:e], target) for s, e, target in markdown_links(text)] == [
        ('[the trial](https://a.org/x "Title")', "https://a.org/x"),
        ("<https://b.org>", "https://b.org"),
    ]


def test_markdown_links_are_those_the_plain_pattern_finds():
    """The pattern with its look-behind first, as Markdown's rule reads."""
    plain = re.compile(
        r"(?<!!)\[([^\[\]]*(?:\[[^\]]*\][^\[\]]*)*)\]\(\s*<?([^)\s>]+)>?"
        r"(?:\s+\"[^\"]*\")?\s*\)"
    )
    pieces = ["[", "]", "(", ")", "!", "![", "x", " ", "<", ">", '"', "u.org", "\n"]
    for text in random_texts(pieces, count=5000, longest=16, seed=6):
        found = [(m.start(), m.end(), m.group(2)) for m in plain.finditer(text)]
        assert [link for link in markdown_links(text) if text[link[0]] == "["] == found
