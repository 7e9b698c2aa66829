"""What a web address identifies: a DOI, a PubMed or PubMed Central record, an arXiv
paper, or a page. Health sites cite by linking, so a sentence that links to an address
identifying a listed reference cites that reference.

Two addresses identify the same thing when they share any of these keys: the DOI
(from a resolver or a publisher's link), the PMID, the PMCID, the arXiv id, or the
address itself, folded (scheme, ``www.``, a final slash, the query and the fragment
left out).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from .doi import find_dois

Key = tuple[str, str]

_PMID_IN_URL = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/|europepmc\.org/"
    r"(?:abstract|article)/MED/)(\d{1,9})",
    re.IGNORECASE,
)
_PMC = re.compile(r"\bPMC\s*:?\s*(\d{3,9})\b", re.IGNORECASE)
_PMID = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.IGNORECASE)
_ARXIV = re.compile(
    r"arxiv\.org/(?:abs|pdf)/([a-z\-]+/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE
)
_ARXIV_ID = re.compile(r"\barXiv\s*:\s*(\d{4}\.\d{4,5})", re.IGNORECASE)
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+(?:\([^\s)]*\)[^\s<>\"'\])]*)?")


def folded_address(url: str) -> str | None:
    """``https://www.Example.org/a/b/?x=1#top`` -> ``example.org/a/b``."""
    address = url.strip().strip("<>").rstrip(".,;")
    if "://" not in address:
        address = "http://" + address
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        return None
    host = host.removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    return f"{host}{path}"


def keys_of_address(url: str) -> set[Key]:
    """The keys an address identifies its target by."""
    keys: set[Key] = set()
    decoded = unquote(url)
    for found in find_dois(decoded):
        keys.add(("doi", found.doi))
    for pattern, kind in ((_PMID_IN_URL, "pmid"), (_PMC, "pmc"), (_ARXIV, "arxiv")):
        for match in pattern.finditer(decoded):
            keys.add((kind, match.group(1).lower()))
    address = folded_address(url)
    if address:
        keys.add(("url", address))
    return keys


def keys_of_reference(raw: str, targets: list[str] = ()) -> set[Key]:
    """The keys a reference can be linked by: its DOIs, PMIDs, PMCIDs and arXiv ids,
    the addresses it writes, and ``targets`` (the addresses its links point to)."""
    keys: set[Key] = set()
    for found in find_dois(raw):
        keys.add(("doi", found.doi))
    for pattern, kind in ((_PMID, "pmid"), (_PMC, "pmc"), (_ARXIV_ID, "arxiv")):
        for match in pattern.finditer(raw):
            keys.add((kind, match.group(1).lower()))
    for url in [*URL.findall(raw), *targets]:
        keys |= keys_of_address(url)
    return keys


def index_references(keys: list[set[Key]]) -> dict[Key, list[int]]:
    """Positions (1-based) of the references each key identifies."""
    index: dict[Key, list[int]] = {}
    for position, found in enumerate(keys, start=1):
        for key in found:
            index.setdefault(key, []).append(position)
    return index


def cited_by_link(url: str, index: dict[Key, list[int]]) -> list[int]:
    """The references a link in the text points to (none for the site's own pages)."""
    positions: list[int] = []
    for key in sorted(keys_of_address(url)):
        positions += index.get(key, [])
    return list(dict.fromkeys(positions))
