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

import bisect
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

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


class Token(NamedTuple):
    """A piece of a reference between white space, with its offsets in the string
    (a tuple: a reference has dozens, made afresh for every one read)."""

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
    ``B`` (its first word), ``I`` (inside) or ``O``. The longest name wins.

    Only runs whose count of words is that of some name with the same first word are
    looked up: the others cannot be one."""
    names = journal_names()
    starts = _journal_index()
    counts = [len(w.split()) for w in words]
    marks = ["O"] * len(words)
    index = 0
    while index < len(words):
        best = 0
        first = words[index].split()[0] if words[index] else ""
        lengths = starts.get(first)
        if lengths:
            last = min(LONGEST_JOURNAL, len(words) - index)
            within = list(itertools.accumulate(counts[index : index + last]))
            for length in range(last, 0, -1):
                if within[length - 1] not in lengths:
                    continue
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
    middles = [(token.start + token.end) / 2 for token in tokens]
    found = ["none"] * len(tokens)
    # Where spans overlap the earlier one wins, and a number's span wins over the
    # others: each is written after those it wins over.
    for name, (a, b) in [*reversed(spans.items()), *reversed(numbers.items())]:
        first, last = bisect.bisect_left(middles, a), bisect.bisect_left(middles, b)
        found[first:last] = [name] * (last - first)
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


def _flags(name: str) -> dict[bool, str]:
    return {value: f"{name}={value}" for value in (False, True)}


#: The state features' strings, made once: a row is mostly looked up, not formatted.
_POSITION = tuple(f"pos={n}" for n in range(10))
_PERIODS = tuple(f"periods={n}" for n in range(7))
_COMMAS = tuple(f"commas={n}" for n in range(7))
_AFTER_YEAR, _IN_QUOTE, _AFTER_IN, _AFTER_EDITOR, _STARTS_PART = map(
    _flags, ("after_year", "in_quote", "after_in", "after_editor", "starts_part")
)


@functools.lru_cache(maxsize=4096)
def _rule_features(rule: str, jrun: str, caps: str, style: str) -> tuple[str, ...]:
    return (
        f"rule={rule}",
        f"jrun={jrun}",
        f"rule|caps={rule}|{caps}",
        f"style|rule={style}|{rule}",
    )


@functools.lru_cache(maxsize=4096)
def _neighbour_rule(offset: int, rule: str, jrun: str) -> tuple[str, str]:
    return f"{offset}:rule={rule}", f"{offset}:jrun={jrun}"


@functools.lru_cache(maxsize=4096)
def _after(rule: str, trail: str, caps: str) -> tuple[str, str]:
    return f"rule|prev.trail={rule}|{trail}", f"prev.trail|caps={trail}|{caps}"


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
        rule = rules[index]
        # Where the token stands among the reference's parts: how many sentence
        # ends and commas come before it, whether a year, a quotation, an "In" or
        # an editor has.
        row = [
            *static.features,
            _POSITION[10 * index // count],
            _PERIODS[min(periods, 6)],
            _COMMAS[min(commas, 6)],
            _AFTER_YEAR[year_seen],
            _IN_QUOTE[quoted],
            _AFTER_IN[after_in],
            _AFTER_EDITOR[after_editor],
            _STARTS_PART[index == 0 or tokens[index - 1].text[-1] in ".,:;)"],
            *_rule_features(rule, journals[index], static.caps, style),
        ]
        if index == 0:
            row.append("first")
        if index == count - 1:
            row.append("last")
        for offset in (-2, -1, 1, 2):
            other = index + offset
            if 0 <= other < count:
                row += statics[other].neighbour[offset]
                row += _neighbour_rule(offset, rules[other], journals[other])
        if index > 0:
            before = statics[index - 1]
            row += _after(rule, before.trail, static.caps)
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
