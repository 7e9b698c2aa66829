"""An article's text as HTML, with each claim marked where it stands.

The text is the stored one (``articles.text``), read into blocks (headings,
paragraphs, list items) as ingestion reads it, and cut where the reference list begins,
since the pages show that list entry by entry. Every character is escaped; a claim is a
``<mark>`` whose classes name its status (and ``bare`` when nothing backs it), linking
to the claim's card.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from ..text.document import HEADING, ITEM, META, RULE, TABLE, Block, parse_text
from ..text.references import is_heading_like

#: The element each kind of block is shown as.
ELEMENTS = {HEADING: "h3", ITEM: "p", TABLE: "pre"}


def article_blocks(
    text: str, claims: list[dict[str, Any]], end: int | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The blocks of ``text[:end]``, each as ``{"kind", "html", "claims"}`` with the
    claims that begin in it, and the claims placed in no block (added by hand, or in
    the reference list). ``end`` is where the reference list begins: the heading
    above it is left out too."""
    document = parse_text(text)
    limit = len(text) if end is None else end
    blocks = [
        block for block in document.blocks if block.kind != META and block.start < limit
    ]
    if end is not None and blocks and is_heading_like(document, blocks[-1]):
        blocks.pop()
    placed = sorted(
        (claim for claim in claims if claim.get("char_start") is not None),
        key=lambda claim: (claim["char_start"], claim["id"]),
    )
    rendered, seen = [], set()
    running: list[dict[str, Any]] = []  # claims begun before this block's end
    upcoming = iter(placed)
    following = next(upcoming, None)
    for block in blocks:
        while following is not None and following["char_start"] < block.end:
            running.append(following)
            following = next(upcoming, None)
        inside = running = [c for c in running if c["char_end"] > block.start]
        starting = [claim for claim in inside if claim["id"] not in seen]
        seen.update(claim["id"] for claim in starting)
        rendered.append(
            {
                "kind": block.kind,
                "html": _block_html(text, block, inside),
                "claims": starting,
            }
        )
    unplaced = [claim for claim in claims if claim["id"] not in seen]
    return rendered, unplaced


def _block_html(text: str, block: Block, claims: list[dict[str, Any]]) -> Markup:
    if block.kind == RULE:
        return Markup("<hr>")
    element = ELEMENTS.get(block.kind, "p")
    label = f"{block.label} " if block.kind == ITEM and block.label else ""
    body = _marked(text, block.start, block.end, claims)
    css = ' class="item"' if block.kind == ITEM else ""
    return Markup(f"<{element}{css}>{escape(label)}{body}</{element}>")


def _marked(text: str, start: int, end: int, claims: list[dict[str, Any]]) -> str:
    """``text[start:end]`` escaped, with each claim's part of it marked (a claim that
    overlaps one already marked is marked only from where that one ends)."""
    parts, cursor = [], start
    for claim in claims:
        claim_start = max(claim["char_start"], cursor)
        claim_end = min(claim["char_end"], end)
        if claim_end <= claim_start:
            continue
        parts.append(escape(text[cursor:claim_start], quote=False))
        parts.append(_mark(claim, text[claim_start:claim_end]))
        cursor = claim_end
    parts.append(escape(text[cursor:end], quote=False))
    return "".join(parts)


def _mark(claim: dict[str, Any], content: str) -> str:
    status = escape(claim["status"])
    bare = not claim.get("evidence")
    title = status.replace("_", " ") + (", no evidence" if bare else "")
    return (
        f'<mark class="claim status-{status}{" bare" if bare else ""}"'
        f' title="Claim {claim["id"]}: {title}">'
        f'<a href="#claim-{claim["id"]}">{escape(content, quote=False)}</a></mark>'
    )
