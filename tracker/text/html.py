"""HTML to a :class:`~tracker.text.document.Document`: the text a reader sees, with its
structure kept as blocks.

Scripts, styles, navigation, headers, footers, forms, asides and comments are dropped.
Headings, paragraphs, list items and table rows become blocks; whitespace is collapsed
as a browser collapses it; superscripts (``<sup>``) and link targets are remembered
with their spans, for citation markers and for DOIs that only a link carries.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .document import HEADING, ITEM, PARAGRAPH, TABLE, Block, Document

_DROPPED = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
    "iframe",
    "template",
    "head",
    "select",
    "option",
    "textarea",
    "canvas",
    "object",
    "embed",
    "menu",
    "dialog",
}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "address",
    "details",
    "summary",
    "center",
    "body",
    "html",
    "hr",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_VOID = {
    "br",
    "img",
    "hr",
    "meta",
    "link",
    "input",
    "wbr",
    "source",
    "area",
    "base",
    "col",
    "track",
}
_HIDDEN_CLASS = re.compile(
    r"\b(?:nav|navbar|menu|breadcrumb|share|sharing|social|cookie|banner|advert|ads?|sidebar"
    r"|related|comments?|footer|header|newsletter|subscribe|popup|modal|skip-link|sr-only)\b",
    re.IGNORECASE,
)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.superscripts: list[tuple[int, int]] = []
        self.links: list[tuple[int, int, str]] = []
        self.title: str | None = None
        self._skip_depth = 0
        self._skip_stack: list[str] = []
        self._block: Block | None = None
        self._pending_space = False
        self._lists: list[list] = []  # [kind, counter]
        self._sup_start: list[int] = []
        self._link_start: list[tuple[int, str]] = []
        self._in_title = False
        self._title_parts: list[str] = []
        self._pre = 0

    # Text ---------------------------------------------------------------------------

    def _write(self, text: str) -> None:
        if not text:
            return
        self.parts.append(text)
        self.length += len(text)

    def _break(self) -> None:
        """End the current block: a newline (or a blank line between paragraphs)."""
        self._close_block()
        if self.length and not "".join(self.parts[-2:]).endswith("\n\n"):
            self._write("\n" if "".join(self.parts[-1:]).endswith("\n") else "\n\n")
        self._pending_space = False

    def _open_block(self, kind: str, level: int = 0, label: str | None = None) -> None:
        self._break()
        self._block = Block(kind, self.length, self.length, level, label)

    def _close_block(self) -> None:
        if self._block is not None:
            if self._block.end > self._block.start:
                self.blocks.append(self._block)
            self._block = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
            return
        if self._skip_depth:
            return
        if not self._pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
            if data.startswith(" "):
                self._pending_space = True
                data = data.lstrip(" ")
            if not data:
                return
        if self._block is None:
            self._block = Block(PARAGRAPH, self.length, self.length)
        if self._pending_space and self.length > self._block.start:
            self._write(" ")
        self._pending_space = data.endswith(" ") and not self._pre
        text = data.rstrip(" ") if not self._pre else data
        self._write(text)
        self._block.end = self.length

    # Tags ---------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if self._skip_depth:
            if tag not in _VOID:
                self._skip_stack.append(tag)
                self._skip_depth += 1
            return
        if tag == "title":
            self._in_title = True
            return
        hidden = (
            "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
            or re.search(r"display\s*:\s*none", attributes.get("style") or "")
            or _HIDDEN_CLASS.search(
                " ".join(
                    filter(
                        None,
                        [
                            attributes.get("class"),
                            attributes.get("id"),
                            attributes.get("role"),
                        ],
                    )
                )
            )
        )
        if tag in _DROPPED or (
            hidden and tag not in ("html", "body", "main", "article")
        ):
            if tag not in _VOID:
                self._skip_stack = [tag]
                self._skip_depth = 1
            return
        if tag in _HEADINGS:
            self._open_block(HEADING, _HEADINGS[tag])
        elif tag in ("ul", "ol"):
            start = attributes.get("start")
            self._lists.append(
                [tag, int(start) - 1 if start and start.isdigit() else 0]
            )
            self._break()
        elif tag == "li":
            label = "-"
            if self._lists and self._lists[-1][0] == "ol":
                self._lists[-1][1] += 1
                label = f"{self._lists[-1][1]}."
            self._open_block(ITEM, label=label)
            self._block.indent = len(self._lists)
        elif tag == "tr":
            self._open_block(TABLE)
        elif tag in ("td", "th"):
            self._pending_space = True
        elif tag == "br":
            self._write("\n")
            self._pending_space = False
        elif tag == "pre":
            self._open_block(PARAGRAPH)
            self._pre += 1
        elif tag in _BLOCKS:
            self._break()
        elif tag == "sup":
            self._sup_start.append(self.length + (1 if self._pending_space else 0))
        elif tag == "a" and attributes.get("href"):
            self._link_start.append(
                (self.length + (1 if self._pending_space else 0), attributes["href"])
            )

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            if tag in self._skip_stack:
                while self._skip_stack:
                    self._skip_depth -= 1
                    if self._skip_stack.pop() == tag:
                        break
            return
        if tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._title_parts).split()) or None
            return
        if tag in _HEADINGS or tag in ("li", "tr") or tag in _BLOCKS:
            self._break()
        elif tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            self._break()
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)
            self._break()
        elif tag == "sup" and self._sup_start:
            start = self._sup_start.pop()
            if self.length > start:
                self.superscripts.append((start, self.length))
        elif tag == "a" and self._link_start:
            start, href = self._link_start.pop()
            if self.length > start:
                self.links.append((start, self.length, href))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def close(self) -> None:
        super().close()
        self._close_block()


def html_to_document(markup: str) -> Document:
    """The visible text of an HTML page as a Document."""
    converter = _Converter()
    converter.feed(markup)
    converter.close()
    text = "".join(converter.parts).rstrip("\n")
    blocks = [block for block in converter.blocks if block.end <= len(text)]
    headings = [b for b in blocks if b.kind == HEADING and b.level == 1]
    title = converter.title
    if headings:
        title = " ".join(text[headings[0].start : headings[0].end].split())
    return Document(
        text,
        blocks,
        title=title,
        superscripts=converter.superscripts,
        links=converter.links,
    )


def looks_like_html(text: str) -> bool:
    """True for text that is an HTML page or fragment rather than prose."""
    head = text[:2000].lstrip().lower()
    if (
        head.startswith(("<!doctype html", "<html", "<?xml"))
        and "<html" in text[:5000].lower()
    ):
        return True
    tags = len(
        re.findall(
            r"</?(?:p|div|span|a|li|h[1-6]|br|body|article|section|ul|ol|table)\b",
            text[:20000],
            re.IGNORECASE,
        )
    )
    return tags >= 5 and tags * 40 > min(len(text), 20000) / 10
