"""Text to LaTeX for BibTeX fields, and LaTeX back to text. Pure functions.

Encoding is done per field, by hand, because bibtexparser's writer escapes nothing and
its LaTeX middleware escapes too much (it breaks protective braces and DOIs):

* every LaTeX special character in the text is escaped, so that no field can break
  the file or run a command (``\\input{...}`` becomes harmless text);
* Crossref's title markup becomes LaTeX (``<i>`` to ``\\textit{}``, ``<sub>`` and
  ``<sup>`` to math), and other tags are dropped;
* acronyms and proper nouns are protected with braces (``{DNA}``), never the whole
  title;
* with ``ascii``, non-ASCII letters become LaTeX accents (``{\\"u}``).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser

from ..text.normalize import unescape_entities

_SPECIALS = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts an escaped brace as a brace, so one stray brace
    # in a title would end the field early. These spellings keep every field balanced.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_TAGS = {
    "i": (r"\textit{", "}"),
    "em": (r"\textit{", "}"),
    "b": (r"\textbf{", "}"),
    "strong": (r"\textbf{", "}"),
    "sub": (r"$_{", "}$"),
    "inf": (r"$_{", "}$"),
    "sup": (r"$^{", "}$"),
    "sc": (r"\textsc{", "}"),
    "u": (r"\underline{", "}"),
    "tt": (r"\texttt{", "}"),
}
#: Words that a sentence-case title leaves capitalised only when they are names.
_SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "for",
    "from",
    "in",
    "into",
    "is",
    "of",
    "on",
    "or",
    "over",
    "the",
    "to",
    "with",
    "via",
    "vs",
    "versus",
    "without",
}


def escape(text: str, ascii: bool = False) -> str:
    """``text`` with every LaTeX special character escaped (and accents, with ascii)."""
    escaped = _SPECIAL.sub(lambda match: _SPECIALS[match.group()], text)
    return to_ascii(escaped) if ascii else escaped


#: The characters :func:`to_ascii` had to drop, while :func:`dropped_characters`
#: collects them.
_DROPPED: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "dropped", default=None
)


@contextlib.contextmanager
def dropped_characters() -> Iterator[set[str]]:
    """Collect the characters :func:`to_ascii` drops inside the ``with`` block."""
    dropped: set[str] = set()
    token = _DROPPED.set(dropped)
    try:
        yield dropped
    finally:
        _DROPPED.reset(token)


def to_ascii(latex: str) -> str:
    """Non-ASCII characters as LaTeX macros: ``Müller`` -> ``M{\\"u}ller``; those
    LaTeX has no macro for are folded to ASCII where Unicode can (``ﬁ`` -> ``fi``)
    and dropped otherwise (Hangul, U+FFFD, C1 controls), so the result is ASCII."""
    if latex.isascii():
        return latex
    encoded = _ascii_encoder().unicode_to_latex(latex)
    if encoded.isascii():
        return encoded
    out = []
    for character in encoded:
        if character.isascii():
            out.append(character)
            continue
        folded = unicodedata.normalize("NFKD", character)
        folded = folded.encode("ascii", "ignore").decode("ascii")
        if folded and folded.isprintable():
            out.append(_SPECIAL.sub(lambda match: _SPECIALS[match.group()], folded))
        else:
            dropped = _DROPPED.get()
            if dropped is not None:
                dropped.add(character)
    return "".join(out)


def title_to_latex(title: str, ascii: bool = False) -> str:
    """A title from a record (perhaps with markup) as a BibTeX field value, without the
    enclosing braces: escaped, markup converted, acronyms and names protected."""
    parser = _Markup()
    parser.feed(unescape_entities(title))
    parser.close()
    sentence_case = _is_sentence_case(parser.plain())
    pieces = []
    first_word = True
    for kind, value in parser.pieces:
        if kind == "text":
            text, first_word = _protect(value, sentence_case, first_word)
            pieces.append(text if not ascii else to_ascii(text))
        else:
            pieces.append(value)
    return " ".join("".join(pieces).split())


def latex_to_text(value: str) -> str:
    """LaTeX (accents, escapes, commands, protective braces) as Unicode text."""
    if not re.search(r"[\\{}$~]|--", value):
        return " ".join(value.split())
    if "\\textbrace" in value:
        # Literal braces, held apart from the grouping braces the decoders remove.
        value = _LITERAL_BRACE.sub(lambda match: _HELD[match.group(1)], value)
    text = _decode(value) if _COMMAND.search(value) else _simple_decode(value)
    return " ".join(text.split()).translate(_RELEASED)


_LITERAL_BRACE = re.compile(r"\\textbrace(left|right)(?:\{\}|(?![A-Za-z])\s*)")
_HELD = {"left": "\ue000", "right": "\ue001"}
_RELEASED = {0xE000: "{", 0xE001: "}"}


#: Anything beyond braces, the escaped specials and dashes needs a real LaTeX reader.
_COMMAND = re.compile(r"\\(?![&%$#_{}])|\$")
_UNESCAPE = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}"}


def _simple_decode(value: str) -> str:
    """Braces, ``\\&``-style escapes, ``~`` and dashes, without a LaTeX parser."""
    text = _SIMPLE.sub(_simple_piece, value)
    return text.replace("---", "—").replace("--", "–")


_SIMPLE = re.compile(r"\\(.)|[{}]|~", re.DOTALL)


def _simple_piece(match: re.Match[str]) -> str:
    escaped = match.group(1)
    if escaped is not None:
        return _UNESCAPE.get(escaped, escaped)
    return " " if match.group() == "~" else ""


@functools.lru_cache(maxsize=65536)
def _decode(value: str) -> str:
    """pylatexenc's reading; where it fails (``\\href{url}{text}`` raises inside it),
    a plainer one: link text with its address, other commands dropped, their
    arguments kept. One field's LaTeX never loses a file."""
    try:
        return _text_decoder().latex_to_text(value)
    except Exception:
        plainer = _HREF.sub(r"\2 <\1>", value)
        plainer = _URL.sub(r"\1", plainer)
        return _simple_decode(_ANY_COMMAND.sub("", plainer))


_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_URL = re.compile(r"\\(?:url|nolinkurl)\s*\{([^{}]*)\}")
_ANY_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*")


@functools.lru_cache(maxsize=1)
def _ascii_encoder():
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    # It logs every character it keeps as it is; that is expected here.
    logging.getLogger("pylatexenc").setLevel(logging.ERROR)
    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
    )


@functools.lru_cache(maxsize=1)
def _text_decoder():
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_NOT_WORD = re.compile(r"[^\w]")
_SPACES = re.compile(r"(\s+)")


def _is_sentence_case(text: str) -> bool:
    """True when most words after the first are lower case, as in sentence case."""
    words = _WORD.findall(text)[1:]
    words = [
        word
        for word in words
        if word.lower() not in _SMALL_WORDS
        and not _has_inner_capital(word)
        and len(word) > 1
    ]
    if len(words) < 3:
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised <= len(words) / 3


def _has_inner_capital(word: str) -> bool:
    """DNA, mRNA, CRISPR-Cas9: letters after the first that are capitals."""
    rest = _NOT_WORD.sub("", word)[1:]
    # islower(): every cased letter is lower case (most words: no capital to look for)
    return not rest.islower() and any(character.isupper() for character in rest)


def _protect(text: str, sentence_case: bool, first_word: bool) -> tuple[str, bool]:
    """Escape a run of title text and brace the words a style must not lower-case."""
    out = []
    follows_colon = False  # the last word ended with a colon
    for token in _SPACES.split(text):
        if not token or token.isspace():
            out.append(token)
            continue
        escaped = escape(token)
        letters = _NOT_WORD.sub("", token)
        acronym = _has_inner_capital(token)
        proper = sentence_case and not first_word and letters[:1].isupper()
        if acronym or (proper and not follows_colon):
            escaped = "{" + escaped + "}"
        out.append(escaped)
        follows_colon = escaped.endswith(":")
        first_word = False
    return "".join(out), first_word


class _Markup(HTMLParser):
    """Crossref's title markup as LaTeX pieces: ("text", ...) and ("latex", ...)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, str]] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        name = tag.split(":")[-1]
        if name in _TAGS:
            self._open.append(name)
            self.pieces.append(("latex", _TAGS[name][0]))

    def handle_endtag(self, tag: str) -> None:
        name = tag.split(":")[-1]
        if name in _TAGS and name in self._open:
            while self._open:
                closing = self._open.pop()
                self.pieces.append(("latex", _TAGS[closing][1]))
                if closing == name:
                    break

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] in ("sub", "inf", "sup"):
            self.pieces.append(("latex", escape(data).replace(" ", r"\ ")))
        else:
            self.pieces.append(("text", data))

    def close(self) -> None:
        super().close()
        while self._open:
            self.pieces.append(("latex", _TAGS[self._open.pop()][1]))

    def plain(self) -> str:
        return "".join(value for kind, value in self.pieces if kind == "text")
