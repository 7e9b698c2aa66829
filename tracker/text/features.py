"""Reference strings as tokens, and each token's features, for the sequence labeller.

A reference is cut at white space into tokens, each keeping its punctuation, as
AnyStyle and GROBID cut them; each token is then described in their manner: its word
folded, its shape, prefixes and suffixes, capitals, digits (a year, a page range, a
number), punctuation before and after, brackets and quotes, its position in the
string, whether it is a keyword of references (``pp.``, ``eds.``, ``In``, ``vol``,
months, ``doi``), and whether dictionaries know it (given names, words of journal
titles, publishers). The same features are computed for training and for parsing, so
the model and this module go together (:data:`FEATURE_VERSION`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from .names import ORGANISATION_WORDS

#: Bumped whenever the features change: a model trained on other features is refused.
FEATURE_VERSION = 1

_TOKEN = re.compile(r"\S+")
#: Inside a piece, the places after ";" or ":" followed by a digit, where the compact
#: styles glue date, volume and pages together ("2021;18(23):12836").
_GLUED = re.compile(r"(?<=[;:])(?=[A-Za-z]?\d)")
_NOT_ALNUM = re.compile(r"[\W_]+")
_YEAR = re.compile(r"^\(?\[?(1[5-9]\d\d|20\d\d)[a-z]?\b")
_RANGE = re.compile(r"^\(?[A-Za-z]{0,2}\d+[a-z]?\s*[–—\-‐]+\s*[A-Za-z]{0,2}\d+")
_URL = re.compile(r"^<?(?:https?://|www\.)", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{4,9}/")
_ROMAN = re.compile(r"^[ivxlcdm]+$|^[IVXLCDM]+$")
_INITIAL = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ]\.?(?:[-‐]?[A-ZÀ-ÖØ-ÞĀ-ſ]\.?){0,3},?$")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th|e|er|ème|\.)$", re.IGNORECASE)
_MONTHS = {
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may",
    "jun", "june", "jul", "july", "aug", "august", "sep", "sept", "september",
    "oct", "october", "nov", "november", "dec", "december", "spring", "summer",
    "autumn", "fall", "winter", "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre", "enero",
    "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre", "januar", "februar", "märz", "juni", "juli",
    "oktober", "dezember",
}  # fmt: skip
#: Keywords of references, as a class each (AnyStyle's list, extended).
_KEYWORDS = [
    (
        "editor",
        re.compile(
            r"^(?:eds?|editors?|edited|éds?|hg|hrsg|herausgeber|coord|dir)$", re.I
        ),
    ),
    (
        "translator",
        re.compile(
            r"^(?:trans|transl|translated|translator|übers|trad|traduit)$", re.I
        ),
    ),
    ("thesis", re.compile(r"^(?:dissertation|thesis|phd|thèse|tesis|doctoral)$", re.I)),
    (
        "proceedings",
        re.compile(
            r"^(?:proceedings|proc|conference|conf|meeting|symposium|workshop|congress)$",
            re.I,
        ),
    ),
    (
        "journal",
        re.compile(
            r"^(?:journal|j|zeitschrift|quarterly|magazine|review|rev|bulletin|annals|ann|letters|lett|acta)$",
            re.I,
        ),
    ),
    ("in", re.compile(r"^(?:in|dans|en)$", re.I)),
    ("and", re.compile(r"^(?:and|und|y|et|e|&)$", re.I)),
    ("etal", re.compile(r"^(?:etal|al|others|alii|colleagues)$", re.I)),
    ("page", re.compile(r"^(?:pp?|pages?|s|seiten?|ff?)$", re.I)),
    (
        "volume",
        re.compile(
            r"^(?:vols?|volume|iss|issue|no|nr|num|number|fasc|suppl|supplement|t|bd|heft)$",
            re.I,
        ),
    ),
    ("series", re.compile(r"^(?:ser|series|reihe|collection)$", re.I)),
    (
        "edition",
        re.compile(r"^(?:edn|edition|ed|éd|aufl|auflage|reprint|revised|rev)$", re.I),
    ),
    (
        "publisher",
        re.compile(
            r"^(?:press|publishers?|publishing|verlag|éditions?|editorial|books|university|univ)$",
            re.I,
        ),
    ),
    (
        "locator",
        re.compile(
            r"^(?:doi|url|https?|www|isbn|issn|pmid|pmcid|arxiv|hdl|urn)$", re.I
        ),
    ),
    (
        "accessed",
        re.compile(
            r"^(?:retrieved|accessed|available|consulté|abgerufen|consultado|retirado|viewed|online)$",
            re.I,
        ),
    ),
    (
        "report",
        re.compile(r"^(?:report|technical|working|paper|preprint|brief)$", re.I),
    ),
]


@dataclass(frozen=True)
class Token:
    """A piece of a reference between white space, with its offsets in the string."""

    text: str
    start: int
    end: int


def tokenize(reference: str) -> list[Token]:
    """The reference's tokens: its pieces between white space, punctuation kept, with
    glued numbers cut apart (``2021;18(23):12836.`` is three tokens)."""
    tokens = []
    for match in _TOKEN.finditer(reference):
        piece, start = match.group(), match.start()
        cuts = [0, *(m.start() for m in _GLUED.finditer(piece)), len(piece)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b > a:
                tokens.append(Token(piece[a:b], start + a, start + b))
    return tokens


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def word_of(token: str) -> str:
    """The token's letters and digits, folded: ``“Nature,`` -> ``nature``."""
    return _NOT_ALNUM.sub("", _fold(token))


def shape(token: str) -> str:
    """Letters as X/x, digits as d, runs collapsed: ``Smith,`` -> ``Xx,``."""
    out = []
    for character in token:
        if character.isupper():
            kind = "X"
        elif character.isalpha():
            kind = "x"
        elif character.isdigit():
            kind = "d"
        else:
            kind = character
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)[:8]


def _caps(token: str, letters: str) -> str:
    if not letters:
        return "none"
    if letters.isupper():
        return "upper" if len(letters) > 1 else "single"
    if letters[0].isupper():
        return "title"
    if letters.islower():
        return "lower"
    return "mixed"


def _number(token: str, word: str) -> str:
    if _YEAR.match(token) and len(word) in (4, 5):
        return "year"
    if _RANGE.match(token):
        return "range"
    if word.isdigit():
        return f"digits{min(len(word), 5)}"
    if _ORDINAL.match(token):
        return "ordinal"
    if any(c.isdigit() for c in word):
        return "alnum"
    if _ROMAN.match(word) and len(word) <= 6:
        return "roman"
    return "none"


def _punctuation(token: str) -> tuple[str, str]:
    first = token[0]
    last = token[-1]
    lead = first if not first.isalnum() else "a"
    trail = last if not last.isalnum() else "a"
    return lead, trail


def _keyword(word: str, token: str) -> str:
    if token == "&":
        return "and"
    for name, pattern in _KEYWORDS:
        if pattern.match(word):
            return name
    if word in _MONTHS:
        return "month"
    return "none"


@functools.lru_cache(maxsize=1)
def _journal_index() -> dict[str, set[int]]:
    """The lengths, in words, of the journal names that begin with each word."""
    index: dict[str, set[int]] = {}
    for name in journal_names():
        words = name.split()
        if len(words) <= LONGEST_JOURNAL:
            index.setdefault(words[0], set()).add(len(words))
    return index


@functools.lru_cache(maxsize=1)
def journal_names() -> frozenset[str]:
    """Journal titles and their abbreviations (MEDLINE's), folded to words."""
    import gzip

    path = resources.files(__package__) / "data" / "journals.txt.gz"
    if not path.is_file():
        return frozenset()
    return frozenset(gzip.decompress(path.read_bytes()).decode("utf-8").splitlines())


#: The longest journal name, in words, that tokens are matched against.
LONGEST_JOURNAL = 10


def _journal_runs(words: list[str]) -> list[str]:
    """For each token, whether it stands in a run of tokens that is a journal's name:
    ``B`` (its first word), ``I`` (inside) or ``O``. The longest name wins."""
    names = journal_names()
    starts = _journal_index()
    marks = ["O"] * len(words)
    index = 0
    while index < len(words):
        best = 0
        first = words[index].split()[0] if words[index] else ""
        if first in starts:
            for length in range(min(LONGEST_JOURNAL, len(words) - index), 0, -1):
                candidate = " ".join(w for w in words[index : index + length] if w)
                if candidate in names and (length > 1 or len(candidate) > 3):
                    best = length
                    break
        if best:
            marks[index] = "B"
            for inside in range(index + 1, index + best):
                marks[inside] = "I"
            index += best
        else:
            index += 1
    return marks


@functools.lru_cache(maxsize=1)
def dictionaries() -> dict[str, frozenset[str]]:
    """Word lists shipped with the model: ``given`` names, ``journal`` title words and
    ``publisher`` words (folded, one per line)."""
    folder = resources.files(__package__) / "data"
    lists = {}
    for name in ("given", "journal", "publisher"):
        path = folder / f"words-{name}.txt"
        words = path.read_text(encoding="utf-8").split() if path.is_file() else []
        lists[name] = frozenset(words)
    return lists


def _rule_labels(text: str, tokens: list[Token]) -> tuple[list[str], str]:
    """What the hand-written rules (:mod:`.rules`) take each token for, and the
    style of the reference's names."""
    from .rules import number_spans, rule_spans

    spans, style = rule_spans(text)
    numbers = {
        "pages" if name == "pages" else "volume": span
        for name, span in number_spans(text).items()
    }
    found = []
    for token in tokens:
        middle = (token.start + token.end) / 2
        found.append(
            next((name for name, (a, b) in numbers.items() if a <= middle < b), None)
            or next((name for name, (a, b) in spans.items() if a <= middle < b), "none")
        )
    return found, style


@dataclass(frozen=True)
class _Static:
    """What a token's text alone decides: its features, the same features as its
    neighbours see them, and the values the running state needs."""

    features: tuple[str, ...]
    neighbour: dict[int, tuple[str, ...]]
    w: str
    caps: str
    trail: str
    num: str
    kw: str
    initial: bool
    word_length: int
    #: The token's words, folded, as journal names are matched.
    words: str


#: The static features a neighbour's features are made of (with ``rule`` and ``jrun``).
_NEIGHBOUR = ("w", "shape", "trail", "kw", "num", "org")


@functools.lru_cache(maxsize=65536)
def _static(text: str) -> _Static:
    known = dictionaries()
    word = word_of(text)
    letters = "".join(c for c in text if c.isalpha())
    lead, trail = _punctuation(text)
    initial = bool(_INITIAL.match(text))
    values = {
        "w": word or text,
        "shape": shape(text),
        "caps": _caps(text, letters),
        "num": _number(text, word),
        "lead": lead,
        "trail": trail,
        "kw": _keyword(word, text),
        "p2": word[:2],
        "p4": word[:4],
        "s2": word[-2:],
        "s4": word[-4:],
        "len": str(min(len(word), 10)),
        "init": str(initial),
        "url": "url" if _URL.match(text) else "doi" if _DOI.search(text) else "no",
        "paren": ("(" in text) * "o" + (")" in text) * "c",
        "brack": ("[" in text) * "o" + ("]" in text) * "c",
        "quote": "q" if any(q in text for q in '"“”«»„‘’') else "",
        "given": str(word in known["given"]),
        "journal": str(word in known["journal"]),
        "publisher": str(word in known["publisher"]),
        "org": str(word in ORGANISATION_WORDS),
    }
    return _Static(
        features=tuple(f"{name}={value}" for name, value in values.items()),
        neighbour={
            offset: tuple(f"{offset}:{name}={values[name]}" for name in _NEIGHBOUR)
            for offset in (-2, -1, 1, 2)
        },
        w=values["w"],
        caps=values["caps"],
        trail=trail,
        num=values["num"],
        kw=values["kw"],
        initial=initial,
        word_length=len(word),
        words=" ".join(_NOT_ALNUM.sub(" ", _fold(text)).split()),
    )


def token_features(tokens: list[Token], text: str | None = None) -> list[list[str]]:
    """The features of each token, in CRFsuite's form (``name=value`` strings),
    with those of its neighbours; ``text`` is the reference the tokens are of."""
    if text is None:
        text = " ".join(token.text for token in tokens)
    rules, style = _rule_labels(text, tokens)
    count = len(tokens)
    statics = [_static(token.text) for token in tokens]
    journals = _journal_runs([static.words for static in statics])
    rows: list[list[str]] = []
    periods = commas = 0
    year_seen = quoted = after_in = after_editor = False
    for index, token in enumerate(tokens):
        piece, static = token.text, statics[index]
        rule, jrun = rules[index], journals[index]
        # Where the token stands among the reference's parts: how many sentence
        # ends and commas come before it, whether a year, a quotation, an "In" or
        # an editor has.
        row = [
            *static.features,
            f"pos={int(10 * index / count)}",
            f"periods={min(periods, 6)}",
            f"commas={min(commas, 6)}",
            f"after_year={year_seen}",
            f"in_quote={quoted}",
            f"after_in={after_in}",
            f"after_editor={after_editor}",
            f"starts_part={index == 0 or tokens[index - 1].text[-1] in '.,:;)'}",
            f"rule={rule}",
            f"jrun={jrun}",
            f"rule|caps={rule}|{static.caps}",
            f"style|rule={style}|{rule}",
        ]
        if index == 0:
            row.append("first")
        if index == count - 1:
            row.append("last")
        for offset in (-2, -1, 1, 2):
            other = index + offset
            if 0 <= other < count:
                row += statics[other].neighbour[offset]
                row.append(f"{offset}:rule={rules[other]}")
                row.append(f"{offset}:jrun={journals[other]}")
        if index > 0:
            before = statics[index - 1]
            row.append(f"rule|prev.trail={rule}|{before.trail}")
            row.append(f"prev.trail|caps={before.trail}|{static.caps}")
            row.append(f"bigram={before.w}|{static.w}")
        rows.append(row)
        if (
            piece.endswith(".")
            and not static.initial
            and static.word_length > 1
            or piece.endswith((":", ";", "?", "!"))
        ):
            periods += 1
        if piece.endswith(","):
            commas += 1
        if static.num == "year":
            year_seen = True
        if piece[0] in "\"“‘«„'" and len(piece) > 1:
            quoted = True
        if piece.rstrip(".,;:)").endswith(('"', "”", "’", "»", "'")):
            quoted = False
        if static.kw == "in" and index > 1:
            after_in = True
        if static.kw == "editor":
            after_editor = True
    return rows
