"""Names in references: an author (or editor) segment split into people, each with a
family name, given names and initials, or into organisations.

The styles read: "Family, G." pairs (APA, Harvard, Chicago), "Family GH" (Vancouver,
AMA), "Given Family" after the first author (Chicago, MLA), semicolons, "and"/"&"/"und",
"et al.", "u. a." and ellipses for lists cut short, and bodies such as "World Health
Organization".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import initials
from .patterns import PARTICLES, UPPER

INITIALS = rf"[{UPPER}](?:-?[{UPPER}]){{0,3}}"
_FAMILY = rf"[{UPPER}a-z][\w'’\-]*(?:\s+[{UPPER}a-z][\w'’\-]*){{0,2}}?"
_VANCOUVER_NAME = re.compile(rf"^(?P<family>{_FAMILY})\s+(?P<initials>{INITIALS})$")


@dataclass
class Author:
    family: str
    given: str = ""
    organisation: bool = False

    @property
    def initials(self) -> str:
        """Upper-case initials of the given names ("Xin M." -> "XM")."""
        return initials(self.given)


def parse_authors(text: str) -> tuple[list[Author], bool]:
    """Authors of an author segment in any of the common styles, and whether the list
    was cut short ("et al.", an ellipsis)."""
    authors, et_al = _parse_authors(text)
    return [_with_full_stops(author) for author in authors], et_al


def _trim(piece: str) -> str:
    """A name piece without surrounding spaces, and without a final full stop unless
    it ends initials ("M." stays, "Smith." loses it)."""
    piece = piece.strip(" ")
    return piece if _is_initials(piece) and piece.endswith(".") else piece.strip(" .")


def _with_full_stops(author: Author) -> Author:
    """Initials written with full stops keep their last one: "W. E" -> "W. E."."""
    given = author.given
    if given and "." in given and re.search(rf"(?:^|[\s.\-])[{UPPER}]$", given):
        author.given = given + "."
    return author


def _parse_authors(text: str) -> tuple[list[Author], bool]:
    text = re.sub(
        r"\((?:eds?|Hrsg|Hg)\.?\)|\beds?\.(?=\s|$)", " ", text, flags=re.IGNORECASE
    )
    text = text.strip(" ,:;*_")
    if not re.search(rf"(?:^|[\s,.\-])[{UPPER}]\.$", text):
        text = text.strip(" .,:;*_")
    cut_short = r"\bet\s*al\b\.?|\bu\.\s*a\b\.?|\bet\s+alii\b"
    et_al = bool(re.search(cut_short + r"|…|\.\s?\.\s?\.", text, re.IGNORECASE))
    text = re.sub(rf",?\s*(?:{cut_short}).*$", "", text, flags=re.IGNORECASE)
    text = re.sub(r",?\s*(?:…|\.\s?\.\s?\.)\s*", ", ", text).strip(" ,;")
    if not re.search(rf"(?:^|[\s,.\-])[{UPPER}]\.$", text):
        text = text.rstrip(".")
    if not re.search(r"[A-Za-zÀ-ÿ]{2}", text):
        return [], et_al
    if ";" in text:
        return [_person(part) for part in text.split(";") if part.strip()], et_al
    comma_pieces = [
        _trim(p) for p in re.split(r",\s*(?:and\s+|&\s+)?", text) if p.strip(" .")
    ]
    short_pieces = all(len(piece.split()) <= 5 for piece in comma_pieces)
    if short_pieces and mostly_vancouver(comma_pieces):
        return [_vancouver_person(piece) for piece in comma_pieces], et_al
    if all(_is_organisation(piece) for piece in comma_pieces):
        return [Author(text, organisation=True)], et_al
    pieces = [
        _trim(p)
        for p in re.split(r",\s*(?:and\s+|&\s+|und\s+)?|\s+(?:and|&|und)\s+", text)
        if p.strip(" .")
    ]
    return _pair_names(pieces), et_al


def _vancouver_person(piece: str) -> Author:
    match = _VANCOUVER_NAME.match(piece)
    if match:
        return Author(match.group("family"), match.group("initials"))
    return Author(piece, organisation=_is_organisation(piece))


def _pair_names(pieces: list[str]) -> list[Author]:
    """APA and Chicago names: "Family, Given" pairs, and "Given Family" after the first.

    Where most given names are initials (APA, Harvard), a name is paired only with
    initials, so that a single-name author is not joined to the next family name.
    """
    authors: list[Author] = []
    initials_only = sum(map(_is_initials, pieces)) >= max(1, len(pieces) // 2 - 1)
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if _is_organisation(piece):
            authors.append(Author(piece, organisation=True))
            index += 1
        elif (
            following is not None
            and _is_family(piece)
            and (
                _is_initials(following)
                or (
                    not initials_only
                    and _is_given(following)
                    and (_single_name(piece) or not authors)
                )
            )
        ):
            authors.append(Author(piece, following))
            index += 2
        elif len(piece.split()) >= 2 and not _is_initials(piece):
            words = piece.split()
            family_start = len(words) - 1
            while family_start > 0 and words[family_start - 1].lower() in PARTICLES:
                family_start -= 1
            authors.append(
                Author(" ".join(words[family_start:]), " ".join(words[:family_start]))
            )
            index += 1
        else:
            authors.append(Author(piece))
            index += 1
    return authors


def _person(text: str) -> Author:
    text = text.strip(" .")
    if "," in text:
        family, given = (part.strip() for part in text.split(",", 1))
        return Author(family, given)
    match = _VANCOUVER_NAME.match(text)
    if match:
        return Author(match.group("family"), match.group("initials"))
    if _is_organisation(text):
        return Author(text, organisation=True)
    words = text.split()
    return Author(words[-1], " ".join(words[:-1])) if len(words) > 1 else Author(text)


def _is_given(piece: str) -> bool:
    """Initials ("J. A.", "XM", "Sascha-Dominik") or one or two given names."""
    words = piece.replace(".", ". ").split()
    if not words or len(words) > 3:
        return False
    return all(
        re.fullmatch(
            rf"[{UPPER}]\.?|[{UPPER}]{{1,3}}|[{UPPER}][a-zà-ÿ'’]+(?:-[{UPPER}]?[a-zà-ÿ]+)?\.?",
            word,
        )
        for word in words
    )


def _is_initials(piece: str) -> bool:
    return bool(re.fullmatch(rf"(?:[{UPPER}]\.?[\s-]?){{1,4}}", piece.strip()))


def _single_name(piece: str) -> bool:
    """One family name, perhaps with particles ("Lemke", "van Wanrooij")."""
    words = piece.split()
    return sum(word.lower() not in PARTICLES for word in words) == 1


def _is_family(piece: str) -> bool:
    """A family name (perhaps with particles); not "R. Moodley", a whole name that
    begins with its initials."""
    words = piece.split()
    if len(words) > 1 and _is_initials(words[0]):
        return False
    return 1 <= len(words) <= 4 and all(
        word[0].isupper() or word.lower() in PARTICLES for word in words
    )


ORGANISATION_WORDS = {
    "organization",
    "organisation",
    "association",
    "society",
    "council",
    "commission",
    "committee",
    "institute",
    "department",
    "collaborators",
    "collaboration",
    "group",
    "agency",
    "office",
    "ministry",
    "centre",
    "center",
    "university",
    "foundation",
    "service",
    "services",
    "nations",
    "union",
    "team",
    "panel",
    "board",
    "network",
    "consortium",
    "alliance",
    "federation",
    "authority",
    "administration",
    "assembly",
    "academy",
    "universidad",
    "universidade",
    "università",
    "universität",
    "université",
    "hospital",
    "school",
    "laboratory",
    "clinic",
    "investigators",
    "college",
    "bureau",
    "program",
    "programme",
    "initiative",
    "who",
    "cdc",
}


def _is_organisation(piece: str) -> bool:
    """A body rather than a person: "World Health Organization", "GBD Collaborators"."""
    words = re.findall(r"[\w'’]+", piece)
    if not words:
        return False
    if (
        len(words) >= 2
        and piece.upper() == piece
        and all(len(word) >= 3 for word in words)
    ):
        return True
    return bool({word.lower() for word in words} & ORGANISATION_WORDS)


def mostly_vancouver(pieces: list[str]) -> bool:
    """Most names read "Family AB" (organisations and "et al." aside)."""
    people = [
        p for p in pieces if not re.match(r"et\s+al", p) and not _is_organisation(p)
    ]
    named = sum(bool(_VANCOUVER_NAME.match(piece)) for piece in people)
    return named >= 1 and named >= 0.6 * len(people)


_VANCOUVER_TAIL = re.compile(
    rf"^(?P<names>.*\b{INITIALS})\.\s+(?P<rest>[{UPPER}][^,;]*)$"
)


def split_vancouver_tail(text: str) -> tuple[str, str]:
    """("Family AB, Family C.", "Rest") when a Vancouver author list runs on past the
    period of its last initials into words that are not names (the start of the
    title); else (text, "")."""
    match = _VANCOUVER_TAIL.match(text.strip())
    if not match:
        return text, ""
    pieces = [piece.strip() for piece in match.group("names").split(",")]
    if len(pieces) < 2 or not mostly_vancouver(pieces):
        return text, ""
    return match.group("names") + ".", match.group("rest")


def short_name(family: str | None, given: str | None, name: str | None = None) -> str:
    """An author as a byline shows one: "Di Tommaso N", "Luo XM", or an organisation's
    name. Initials take the first letter of each given name (hyphenated ones too)."""
    if not family:
        return name or ""
    if not given:
        return family
    parts = given.replace("-", " ").replace(".", " ").split()
    return f"{family} {''.join(part[0] for part in parts)}"
