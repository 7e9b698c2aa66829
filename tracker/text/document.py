"""An article's text and its structure: headings, paragraphs, list items, tables.

Vocabulary: a :class:`Document` is the text the database stores (``articles.text``)
with :class:`Block` spans into it. Blocks never change the text: a list item's span
leaves out its label (``1.``, ``[1]``, ``-``), a heading's span leaves out its markup
(``##``, ``*****``), so that everything later cut from a block is an exact substring.

Plain text and Markdown are read line by line here; HTML is turned into a Document by
:mod:`tracker.text.html`, which keeps the same vocabulary.

Hard-wrapped text (lines broken at a fixed width, as text dumps and e-mails are) is
recognised, so that a paragraph runs on over its line breaks, while in unwrapped text
each line is its own paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .patterns import LIST_NUMBER

HEADING = "heading"
PARAGRAPH = "paragraph"
ITEM = "item"
TABLE = "table"
RULE = "rule"
META = "meta"

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_STARRED_HEADING = re.compile(r"^(\*{3,}|={2,})[ \t]*(.+?)[ \t]*\1$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_RULE = re.compile(
    r"^[ \t]*(?:\*[ \t]*){3,}$|^[ \t]*(?:-[ \t]*){3,}$|^[ \t]*(?:_[ \t]*){3,}$"
)
_META = re.compile(r"^[ \t]*\{:.*\}[ \t]*$|^[ \t]*<!--.*-->[ \t]*$")
_ITEM = re.compile(
    rf"^(?P<indent>[ \t]*)(?P<label>{LIST_NUMBER}[.)]|\[{LIST_NUMBER}\]|\({LIST_NUMBER}\)|[-*•·‣▪–+])[ \t]+(?=\S)"
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.DOTALL)


@dataclass
class Block:
    """A structural unit of the text: ``text[start:end]`` is its content."""

    kind: str
    start: int
    end: int
    level: int = 0
    label: str | None = None
    indent: int = 0

    @property
    def number(self) -> int | None:
        """The number of a numbered list item (``3.``, ``[3]``, ``(3)``, ``3)``)."""
        if self.label is None:
            return None
        digits = re.sub(r"\D", "", self.label)
        return int(digits) if digits else None


@dataclass
class Document:
    text: str
    blocks: list[Block]
    title: str | None = None
    #: Spans the source marked as superscript (HTML ``<sup>``).
    superscripts: list[tuple[int, int]] = field(default_factory=list)
    #: Link targets the source attached to spans of text (HTML ``<a href>``).
    links: list[tuple[int, int, str]] = field(default_factory=list)
    hard_wrapped: bool = False

    def content(self, block: Block) -> str:
        return self.text[block.start : block.end]


def parse_text(text: str) -> Document:
    """The structure of plain text or Markdown, line by line."""
    lines = _lines(text)
    skip_until = 0
    front = _FRONT_MATTER.match(text)
    if front:
        skip_until = front.end()
    wrap_width = hard_wrap_width([line for _, _, line in lines])
    blocks: list[Block] = []
    current: Block | None = None
    previous_line = ""
    for start, _end, line in lines:
        if start < skip_until:
            continue
        stripped = line.strip()
        if not stripped:
            current = None
            previous_line = ""
            continue
        kind, content_start, content_end, level, label, indent = _classify(line, start)
        if kind == "setext-underline":
            if current is not None and current.kind == PARAGRAPH:
                current.kind, current.level = HEADING, (1 if stripped[0] == "=" else 2)
            current = None
            continue
        if (
            kind == PARAGRAPH
            and current is not None
            and _continues(current, line, previous_line, wrap_width)
        ):
            current.end = content_end
        elif kind in (ITEM, PARAGRAPH):
            current = Block(kind, content_start, content_end, level, label, indent)
            blocks.append(current)
        else:
            blocks.append(Block(kind, content_start, content_end, level, label, indent))
            current = None
        previous_line = line
    title = _title(text, blocks)
    return Document(
        text,
        blocks,
        title=title,
        hard_wrapped=wrap_width is not None,
        links=markdown_links(text),
    )


#: ``[text](url "title")``, not an image's ``![...]``: the look-behind comes after the
#: bracket, so that the pattern starts with a literal character, which the ``re``
#: module finds fast (a long text is searched 60 times faster than from a look-behind).
_MARKDOWN_LINK = re.compile(
    r"\[(?<!!\[)([^\[\]]*(?:\[[^\]]*\][^\[\]]*)*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


def markdown_links(text: str) -> list[tuple[int, int, str]]:
    """(start, end, target) of the links Markdown writes: ``[text](url)`` and
    ``<url>``; the span is the whole link as written."""
    links = [(m.start(), m.end(), m.group(2)) for m in _MARKDOWN_LINK.finditer(text)]
    links += [(m.start(), m.end(), m.group(1)) for m in _AUTOLINK.finditer(text)]
    return sorted(links)


def hard_wrap_width(lines: list[str]) -> int | None:
    """The width text was wrapped at, or None when lines run to any length.

    Wrapped text has many lines close to one maximum width (at most about 100
    characters); unwrapped text has paragraphs on single lines of every length.
    """
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.95) - 1]
    if width > 100 or width < 40:
        return None
    near = sum(1 for length in lengths if width - 15 <= length <= width + 5)
    return width if near >= 0.4 * len(lengths) else None


def _lines(text: str) -> list[tuple[int, int, str]]:
    lines, position = [], 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        lines.append((position, position + len(content), content))
        position += len(line)
    return lines


def _classify(line: str, start: int):
    """(kind, content start, content end, level, label, indent) of one line."""
    end = start + len(line.rstrip())
    offset = len(line) - len(line.lstrip())
    if _SETEXT.match(line):
        return "setext-underline", start, end, 0, None, 0
    if _META.match(line):
        return META, start, end, 0, None, 0
    if _RULE.match(line):
        return RULE, start, end, 0, None, 0
    match = _MARKDOWN_HEADING.match(line)
    if match:
        return (
            HEADING,
            start + match.start(2),
            start + match.end(2),
            len(match.group(1)),
            None,
            0,
        )
    match = _STARRED_HEADING.match(line.strip())
    if match:
        marks = match.group(1)
        level = max(1, 7 - len(marks)) if marks[0] == "*" else 1
        content = start + offset
        return HEADING, content + match.start(2), content + match.end(2), level, None, 0
    if line.lstrip().startswith("|"):
        return TABLE, start, end, 0, None, 0
    match = _ITEM.match(line)
    if match:
        indent = len(match.group("indent"))
        return ITEM, start + match.end(), end, 0, match.group("label"), indent
    return PARAGRAPH, start + offset, end, 0, None, offset


def _continues(
    block: Block, line: str, previous_line: str, wrap_width: int | None
) -> bool:
    """True when ``line`` carries on ``block`` instead of starting a new paragraph."""
    indent = len(line) - len(line.lstrip())
    if block.kind == ITEM and indent > block.indent:
        return True  # continuation lines of a list item are indented
    if wrap_width is None or block.kind not in (ITEM, PARAGRAPH):
        return False
    if block.kind == ITEM and indent < block.indent + 1 and block.indent > 0:
        return False
    first_word = line.split()[0]
    return len(previous_line.rstrip()) + 1 + len(first_word) > wrap_width - 2


def _title(text: str, blocks: list[Block]) -> str | None:
    for block in blocks:
        if block.kind in (HEADING, PARAGRAPH):
            title = " ".join(text[block.start : block.end].split()).strip("*_ ")
            return title[:300] or None
    return None
