"""Reference lists as a writer's style prints them: AMA, APA, Vancouver, Harvard or any
CSL style, through citeproc-py. Pure: CSL-JSON items in, text out.

The four named styles are the Citation Style Language project's own files, shipped in
``styles/`` (CC BY-SA 3.0, see its NOTICE). AMA and Vancouver cite a journal by its
MEDLINE abbreviation, looked up in ``data/journal_abbreviations.csv`` (CC0): Crossref's
short title is often an acronym ("IJERPH") that neither style uses, so it is dropped
where MEDLINE has no abbreviation and the full title is printed instead.

What citeproc-py gets wrong, and what is done about it:

- it does not escape the values it prints: for HTML and Markdown every value is
  escaped before it is given to citeproc-py;
- it runs a numbered style's label into the entry ("1.Di Tommaso N"): a space is put
  back after the label;
- it drops the spaces between the parts of a date in the NLM style ("2021Dec6"): the
  Vancouver list gives the year only, which the style allows;
- for a work without authors the styles print the title in their place, and
  citeproc-py prints it again where the title goes: such a work is given its title as
  its author, and printed once.
"""

from __future__ import annotations

import copy
import csv
import functools
import html
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InvalidInput

STYLES_FOLDER = Path(__file__).with_name("styles")
ABBREVIATIONS_FILE = Path(__file__).with_name("data") / "journal_abbreviations.csv"
#: The styles known by name, and their files.
STYLES = {
    "ama": "american-medical-association",
    "apa": "apa",
    "vancouver": "nlm-citation-sequence",
    "harvard": "harvard-cite-them-right",
}
#: Styles that cite journals by their MEDLINE abbreviation, or else by the full title
#: (other styles are given the MEDLINE abbreviation too, as ``container-title-short``,
#: and Crossref's short title where MEDLINE has none).
ABBREVIATING = frozenset({"ama", "vancouver"})
#: Styles whose dates citeproc-py prints without spaces: given the year only.
YEAR_ONLY = frozenset({"vancouver"})
FORMATS = ("text", "html", "md")
#: Fields whose values are names or numbers rather than text, not escaped.
_UNESCAPED = frozenset({"id", "type", "issued", "accessed"})


def style_path(style: str) -> Path:
    """The CSL file of a named style, or ``style`` itself as a path to a .csl file."""
    if style in STYLES:
        return STYLES_FOLDER / f"{STYLES[style]}.csl"
    path = Path(style)
    if path.suffix.lower() != ".csl" or not path.is_file():
        names = ", ".join(STYLES)
        raise InvalidInput(
            f"unknown style {style!r}: use {names} or a path to a .csl file"
        )
    return path


def format_references(
    items: list[dict[str, Any]], style: str = "ama", output_format: str = "text"
) -> list[str]:
    """Each item as an entry of the style's reference list, in the style's order
    (for numbered styles, the order of ``items``)."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
    )
    from citeproc.source.json import CiteProcJSON

    if output_format not in FORMATS:
        raise InvalidInput(
            f"unknown format {output_format!r}: use {', '.join(FORMATS)}"
        )
    prepared = [_prepare(item, style, output_format) for item in items]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc-py warns of what it skips
            csl = CitationStylesStyle(str(style_path(style)), validate=False)
            if not prepared:  # the style is read all the same: a broken one is said
                return []
            bibliography = CitationStylesBibliography(
                csl, CiteProcJSON(prepared), _formatter(output_format)
            )
            for item in prepared:
                bibliography.register(Citation([CitationItem(item["id"])]))
            bibliography.sort()  # by the style's own keys; numbered styles keep order
            entries = [str(entry) for entry in bibliography.bibliography()]
    except InvalidInput:
        raise
    except Exception as error:  # a broken or unsupported style file
        raise InvalidInput(f"cannot format with style {style!r}: {error}") from error
    numbered = _second_field_aligned(csl)
    return [
        _space_after_label(entry, number) if numbered else entry
        for number, entry in enumerate(entries, start=1)
    ]


def format_bibliography(
    items: list[dict[str, Any]], style: str = "ama", output_format: str = "text"
) -> str:
    """The whole list: a line per entry (text), a paragraph per entry (Markdown), or
    ``csl-entry`` divisions in a ``csl-bib-body`` (HTML)."""
    entries = format_references(items, style, output_format)
    if not entries:
        return ""
    if output_format == "html":
        body = "\n".join(f'  <div class="csl-entry">{entry}</div>' for entry in entries)
        return f'<div class="csl-bib-body">\n{body}\n</div>\n'
    separator = "\n\n" if output_format == "md" else "\n"
    return separator.join(entries) + "\n"


@functools.lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    with ABBREVIATIONS_FILE.open(encoding="utf-8", newline="") as file:
        return {_title_key(row[0]): row[1] for row in csv.reader(file) if len(row) >= 2}


def journal_abbreviation(title: str | None) -> str | None:
    """The MEDLINE abbreviation of a journal's full title, or None."""
    if not title:
        return None
    return _abbreviations().get(_title_key(title))


def _title_key(title: str) -> str:
    """A journal title as looked up: case, "&" and punctuation ignored."""
    key = title.lower().replace("&", " and ")
    key = re.sub(r"[^\w]+", " ", key).strip()
    return re.sub(r"^the ", "", key)


def _prepare(item: dict[str, Any], style: str, output_format: str) -> dict[str, Any]:
    item = copy.deepcopy(item)
    abbreviation = journal_abbreviation(item.get("container-title"))
    if abbreviation:
        item["container-title-short"] = abbreviation
    elif style in ABBREVIATING:
        item.pop("container-title-short", None)
    if not item.get("author") and not item.get("editor") and item.get("title"):
        # The style puts the title where the authors go; citeproc-py then prints it
        # a second time where the title goes. Given as the author, it is printed once.
        item["author"] = [{"literal": item.pop("title")}]
    if style in YEAR_ONLY and item.get("issued", {}).get("date-parts"):
        item["issued"] = {"date-parts": [item["issued"]["date-parts"][0][:1]]}
    escape = _ESCAPES.get(output_format)
    if escape:
        item = {
            name: value if name in _UNESCAPED else _escaped(value, escape)
            for name, value in item.items()
        }
    return item


def _escaped(value: Any, escape: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(part, escape) for part in value]
    if isinstance(value, dict):
        return {name: _escaped(part, escape) for name, part in value.items()}
    return value


def _markdown_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", html.escape(text, quote=False))


def _second_field_aligned(csl: Any) -> bool:
    bibliography = csl.root.find("{http://purl.org/net/xbiblio/csl}bibliography")
    return bibliography is not None and bool(bibliography.get("second-field-align"))


def _space_after_label(entry: str, number: int) -> str:
    """ "1.Di Tommaso" -> "1. Di Tommaso"; "[1]Smith" -> "[1] Smith"."""
    match = re.match(rf"[\[(]?{number}(?!\d)[.)\]:]?+(?=\S)", entry)
    return entry[: match.end()] + " " + entry[match.end() :] if match else entry


class _Markdown:
    """A citeproc-py formatter for Markdown (values come escaped)."""

    @staticmethod
    def preformat(text: str) -> str:
        return text

    Italic = Oblique = staticmethod(lambda text: f"*{text}*")
    Bold = staticmethod(lambda text: f"**{text}**")
    Light = Underline = SmallCaps = staticmethod(lambda text: text)
    Superscript = staticmethod(lambda text: f"<sup>{text}</sup>")
    Subscript = staticmethod(lambda text: f"<sub>{text}</sub>")


def _formatter(output_format: str) -> Any:
    from citeproc import formatter

    return {"text": formatter.plain, "html": formatter.html, "md": _Markdown}[
        output_format
    ]


_ESCAPES: dict[str, Callable[[str], str]] = {
    "html": lambda text: html.escape(text, quote=False),
    "md": _markdown_escape,
}
