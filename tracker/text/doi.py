"""DOIs: parse the forms people paste, normalise them, and find them in free text.

A DOI is stored normalised: without a ``doi:`` label or resolver address, URL-decoded,
without the sentence punctuation that often follows it, and in lower case (DOIs are
case-insensitive; Crossref returns them lower-cased too).

The vocabulary: *normalise* turns one pasted value into a DOI or raises
:class:`~tracker.errors.InvalidDOI` with the reason; *find* scans free text and returns
every DOI with its character offsets, so that ingestion can point back into the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from ..errors import InvalidDOI

RESOLVER = "https://doi.org/"

#: Crossref's recommended pattern, allowing the rare dotted registrant codes (10.1000.10/x).
_VALID = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+")
_PREFIX = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*")
#: Registered DOIs stay under 300 characters; longer input is not one.
MAX_LENGTH = 1000
#: Control, format (bidi overrides), surrogate, private-use and unassigned characters
#: have no place in a DOI; a terminal or a page would act on some of them.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

#: A DOI as it appears inside text. The suffix runs to the next whitespace or quote; the
#: punctuation of the surrounding sentence is trimmed afterwards, so that characters that
#: belong to the DOI, such as the parentheses of 10.1016/S0140-6736(20)30183-5 or the
#: angle brackets of SICI DOIs, are kept.
_IN_TEXT = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*(?:/|%2[fF])[^\s\"]+")

_LABEL = re.compile(
    r"""^(?:
        info:doi/
      | urn:doi:
      | doi\s*[:：]?\s*
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_WEB_ADDRESS = re.compile(r"^(?:https?://|www\.|(?:dx\.)?doi\.org/)", re.IGNORECASE)
_RESOLVER_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
_LEADING = "<([{'\"“‘«"
_TRAILING = ".,;:!?'\"“”‘’«»"
_CLOSING = {")": "(", "]": "[", "}": "{", ">": "<"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_ESCAPED = re.compile(r"\\([_%&#$])")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_DOI_WRAP = re.compile(
    r"(10\.[0-9]{4,9}(?:\.[0-9]+)*/(?:[^\s\"]*[/\-])?)[ \t]*\r?\n[ \t]*(?=[\w(])"
)
_DOI_LABEL_WRAP = re.compile(r"(doi:)[ \t]*\r?\n[ \t]*(?=10\.)", re.IGNORECASE)


@dataclass(frozen=True)
class DOIMatch:
    """A DOI found in text: its normalised form and where it stands."""

    doi: str
    start: int
    end: int


def normalize_doi(value: str) -> str:
    """Return the normalised DOI in ``value``, or raise :class:`InvalidDOI` saying why.

    Accepts a bare DOI, ``doi:``/``DOI:`` labels, ``info:doi/``, resolver addresses
    (``https://doi.org/``, ``http://dx.doi.org/``), publisher addresses with a DOI in
    them, URL-encoded and LaTeX-escaped DOIs, and trailing sentence punctuation.
    """
    text = str(value).translate(_INVISIBLE).strip().lstrip(_LEADING).strip()
    if not text:
        raise InvalidDOI("empty DOI")
    if len(text) > MAX_LENGTH:
        raise InvalidDOI(
            f"{text[:40]!r}... is not a DOI: it is too long ({len(text):,} characters)"
        )
    # Full-width and other compatibility forms (１０．１２３４) become what they stand for.
    text = unicodedata.normalize("NFKC", text)
    _refuse_unprintable(text)
    if _WEB_ADDRESS.match(text):
        candidate = _doi_from_web_address(text, value)
    else:
        candidate = _LABEL.sub("", text, count=1)
        if _PERCENT.search(candidate):
            candidate = unquote(candidate)
    candidate = _ESCAPED.sub(r"\1", candidate)
    candidate = strip_trailing_punctuation(candidate.strip())
    _validate(candidate, value)
    return candidate.lower()


def is_doi(value: str) -> bool:
    """True when ``value`` normalises to a DOI."""
    try:
        normalize_doi(value)
    except InvalidDOI:
        return False
    return True


def find_dois(text: str) -> list[DOIMatch]:
    """Every DOI in ``text``, in order, with offsets of the DOI as written.

    Duplicates are kept: the caller decides whether a DOI cited twice matters.
    """
    found = []
    for match in _IN_TEXT.finditer(text):
        written = match.group()
        if _in_web_address(text, match.start()):
            written = re.split(r"[?#&]", written, maxsplit=1)[0]
        written = strip_trailing_punctuation(written)
        try:
            doi = normalize_doi(written)
        except InvalidDOI:
            continue
        found.append(DOIMatch(doi, match.start(), match.start() + len(written)))
    return found


def _in_web_address(text: str, position: int) -> bool:
    """True when the DOI at ``position`` sits inside a web address, whose query string
    (``?``, ``#``, ``&``) is not part of the DOI."""
    token_start = max(text.rfind(" ", 0, position), text.rfind("\n", 0, position)) + 1
    return bool(
        re.match(r"(?i)(?:https?://|www\.|\(?<?https?://)", text[token_start:position])
    )


def doi_url(doi: str) -> str:
    """The resolver address of a normalised DOI, with unsafe characters escaped."""
    return RESOLVER + quote(doi, safe="/:;()[]._-~+,=!*'@$&")


def strip_trailing_punctuation(candidate: str) -> str:
    """Drop the punctuation a sentence puts after a DOI, keeping balanced brackets.

    ``10.1016/S0140-6736(20)30183-5).`` loses ``).`` but keeps the ``(20)`` pair.
    """
    while candidate and (candidate[-1] in _TRAILING or _closes_nothing(candidate)):
        candidate = candidate[:-1]
    return candidate


def _closes_nothing(candidate: str) -> bool:
    """True when the last character is a closing bracket without its opening one."""
    last = candidate[-1]
    return last in _CLOSING and candidate.count(last) > candidate.count(_CLOSING[last])


def _refuse_unprintable(text: str) -> None:
    if text.isascii() and text.isprintable():  # no control or format character
        return
    for character in text:
        if unicodedata.category(character) in _UNPRINTABLE:
            raise InvalidDOI(
                f"{text!r} is not a DOI: it contains the control character"
                f" U+{ord(character):04X}"
            )


def _doi_from_web_address(text: str, original: str) -> str:
    address = text if "://" in text else "https://" + text
    try:
        parts = urlsplit(address)
        hostname = parts.hostname
    except ValueError as error:
        raise InvalidDOI(f"{original!r} is not a DOI: a broken web address") from error
    if hostname and hostname.lower() in _RESOLVER_HOSTS:
        return unquote(parts.path.lstrip("/"))
    # Publisher pages carry the DOI in the path (/doi/full/10.1002/...) or in the
    # query (?id=10.1371/...); the query and fragment end it.
    decoded = unquote(parts.path + ("?" + parts.query if parts.query else ""))
    match = re.search(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/[^?#&\s]+", decoded)
    if not match:
        raise InvalidDOI(f"{original!r} is a web address with no DOI in it")
    return match.group()


def _validate(candidate: str, original: str) -> None:
    _refuse_unprintable(candidate)
    shown = repr(str(original).strip())
    if not candidate.startswith("10."):
        raise InvalidDOI(
            f"{shown} is not a DOI: a DOI starts with '10.' (e.g. 10.1000/xyz)"
        )
    prefix, slash, suffix = candidate.partition("/")
    if not slash or not suffix:
        raise InvalidDOI(
            f"{shown} is not a DOI: it needs a '/' and a suffix after the prefix {prefix}"
        )
    if not _PREFIX.fullmatch(prefix):
        raise InvalidDOI(
            f"{shown} is not a DOI: the prefix {prefix!r} must be '10.' and 4 to 9 digits"
        )
    if re.search(r"\s", suffix):
        raise InvalidDOI(f"{shown} is not a DOI: it contains a space")
    if not _VALID.fullmatch(candidate):
        raise InvalidDOI(f"{shown} is not a DOI")


def unwrap_dois(text: str) -> str:
    """Join DOIs that a line break split after ``doi:``, a slash or a dash."""
    text = _DOI_LABEL_WRAP.sub(r"\1", text)
    return _DOI_WRAP.sub(r"\1", text)
