"""``tracker report``: an article's review page as one file to send to an editor.

HTML: the article page without its forms, in one self-contained file (the style
sheet inline, charts as inline SVG, no scripts and nothing fetched from elsewhere).
Markdown: the same content to paste into a CMS or an issue tracker, with every piece
of text from the article or from Crossref escaped, so that it reads as text there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlite_utils
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..errors import InvalidInput, NotFound
from ..store import pages
from ..text.doi import doi_url
from ..text.normalize import plain_text
from .cards import Cards
from .review import helpers, page_context

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLE = Path(__file__).resolve().parent / "static" / "review.css"
FORMATS = ("html", "md")
_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def article_report(
    db: sqlite_utils.Database, article_id: int, fmt: str = "html"
) -> str:
    """The report on one article, as HTML or Markdown.

    :raises NotFound: there is no such article
    :raises InvalidInput: the format is not one of :data:`FORMATS`
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    data = pages.article(db, article_id)
    if data is None:
        raise NotFound(f"no article {article_id}")
    if fmt == "md":
        return markdown_report(data)
    return html_report(data)


def html_report(data: dict[str, Any]) -> str:
    context = {
        **page_context(data, Cards(data["id"], links=False)),
        "report": True,
        "links": False,
        "h": helpers(),
        "style": Markup(STYLE.read_text(encoding="utf-8")),
        "page_messages": (),
    }
    return _ENVIRONMENT.get_template("tracker_report.html").render(context)


# Markdown ---------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def md(value: Any) -> str:
    """Text as Markdown shows it literally: tags and entities as text, Markdown's
    punctuation escaped, line breaks as spaces (a table cell or a list item holds one
    line)."""
    text = " ".join(str(value if value is not None else "").split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _link(label: str, url: str) -> str:
    return f"[{md(label)}](<{url.replace('<', '%3C').replace('>', '%3E')}>)"


def _words(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _verdict(verdict: str | None, doi: str | None) -> str:
    if not doi:
        return "unresolved"
    return _words(verdict) if verdict else "not checked"


def _work_line(item: dict[str, Any]) -> str:
    title = plain_text(item.get("title")) or item.get("doi") or "Untitled work"
    parts = [md(title)]
    if item.get("authors"):
        more = " et al." if len(item["authors"]) > 3 else ""
        parts.append(md(", ".join(item["authors"][:3]) + more))
    if item.get("container_title"):
        parts.append(f"*{md(item['container_title'])}*")
    if item.get("year"):
        parts.append(str(item["year"]))
    if item.get("doi"):
        parts.append(_link(item["doi"], doi_url(item["doi"])))
    return ". ".join(parts)


def _level(item: dict[str, Any]) -> str:
    design = _words(item.get("study_design")) or "design not read"
    level = (
        f"level {item['evidence_level']}" if item.get("evidence_level") else "no level"
    )
    return f"{design}, {level}"


def _claim_markdown(claim: dict[str, Any]) -> list[str]:
    status = _words(claim["status"]) + ("" if claim["evidence"] else ", no evidence")
    lines = [f"### Claim {claim['id']}: {status}", "", f"> {md(claim['text'])}", ""]
    if claim.get("review_note"):
        lines += [
            f"Note ({md(claim.get('reviewed_by') or '')}): {md(claim['review_note'])}",
            "",
        ]
    if claim.get("unmatched"):
        lines += [
            f"Cites {md(', '.join(claim['unmatched']))}, which the reference list does not hold.",
            "",
        ]
    if claim["evidence"]:
        lines += [
            "| Work | Stance | Design and level | Flag | Reference |",
            "|---|---|---|---|---|",
        ]
        for item in claim["evidence"]:
            flag = _words(item.get("integrity")) or ""
            if flag and item.get("acknowledged"):
                flag += " (acknowledged)"
            reference = (
                f"ref. {item['reference']}: {_verdict(item['verdict'], item['doi'])}"
                if item.get("reference")
                else "not in the reference list"
            )
            cells = (_work_line(item), item["stance"], _level(item), flag, reference)
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def _reference_markdown(reference: dict[str, Any]) -> list[str]:
    verdict = _verdict(reference["verdict"], reference["doi"])
    lines = [f"{reference['position']}. {md(reference['raw'])}  "]
    detail = f"**{verdict}**"
    if reference.get("integrity"):
        detail += f", **{_words(reference['integrity'])}**"
    if reference["doi"]:
        detail += " · " + _link(reference["doi"], doi_url(reference["doi"]))
    lines.append(f"   {detail}")
    if reference["checks"]:
        lines += [
            "",
            "   | Field | The reference says | The record says | Result |",
            "   |---|---|---|---|",
        ]
        for check in reference["checks"]:
            cells = (
                check["field"],
                md(check["cited"]),
                md(check["recorded"]),
                check["result"],
            )
            lines.append("   | " + " | ".join(cells) + " |")
    if not reference["doi"] and reference["candidates"]:
        lines += ["", "   Best candidates:"]
        for candidate in reference["candidates"][:3]:
            title = md(plain_text(candidate["title"]) or "")
            lines.append(
                f"   - {title} ({candidate['year'] or 'no year'}) "
                + _link(candidate["doi"], doi_url(candidate["doi"]))
            )
    return lines + [""]


def markdown_report(data: dict[str, Any]) -> str:
    context = page_context(data, Cards(data["id"], links=False))
    counts = context["counts"]
    title = data["title"] or f"Article {data['id']}"
    lines = [f"# {md(title)}", ""]
    source = data.get("url") or data.get("source")
    if source:
        lines += [f"Source: {md(source)}  "]
    lines += [
        f"{counts['claims']} claims, {counts['linked']} with evidence, "
        f"{counts['reviewed']} reviewed; {counts['references']} references, "
        f"{counts['problems']} with problems.",
        "",
        "## Claims",
        "",
    ]
    for block in context["blocks"]:
        for claim in block["claims"]:
            lines += _claim_markdown(claim)
    for claim in context["unplaced"]:
        lines += _claim_markdown(claim)
    lines += ["## References", ""]
    for reference in data["references"]:
        lines += _reference_markdown(reference)
    return "\n".join(lines).rstrip() + "\n"
