"""Reading a reference string: a trained sequence labeller, then fields.

As GROBID, AnyStyle, CERMINE and ParsCit do, each token of the reference is labelled
by a conditional random field (CRFsuite, through python-crfsuite) trained on labelled
real references (``training/``, ``make model``): ``author``, ``editor``, ``title``,
``container`` (journal, book, proceedings), ``volume``, ``pages``, ``date``,
``publisher``, ``location``, ``edition``, ``doi``, ``url``, ``identifier``, ``note``
and ``citation-number``. The runs of labels become a :class:`ParsedReference`: author
and editor segments are split into people (:mod:`.names`), the year is read from the
date with its letter (``2015a``), volume and issue from the volume segment, page ranges
from the pages, and a CSL type is guessed from the labels present.

What the reference said is never changed: a parse is a reading of it, stored beside it.
The model is loaded once, when the first reference is parsed.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from .doi import find_dois, unwrap_dois
from .features import FEATURE_VERSION, Token, token_features, tokenize
from .names import Author, parse_authors, split_vancouver_tail
from .patterns import UPPER, YEAR
from .rules import number_spans

#: The version of the reading, stored with each parse: a stored parse of another
#: version is read again.
PARSER_VERSION = 2
MODEL = "references.crfsuite"

#: The labels the model gives, and what the training data's labels become.
LABELS = (
    "author",
    "editor",
    "title",
    "container",
    "volume",
    "pages",
    "date",
    "publisher",
    "location",
    "edition",
    "doi",
    "url",
    "identifier",
    "note",
    "citation-number",
)
TRAINING_LABELS = {
    "journal": "container",
    "container-title": "container",
    "collection-title": "note",
    "translator": "editor",
    "director": "author",
    "producer": "author",
    "isbn": "identifier",
    "genre": "note",
    "medium": "note",
    "source": "note",
    "dataset": "note",
}

_BACKLINKS = re.compile(rf"^\^\s*(?:(?:[a-z]\s)*[a-z](?=[{UPPER}\"“‘']))?\s*")
_MOJIBAKE = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf]{1,3}")
_YEAR = re.compile(rf"(?<![\d/])({YEAR})([a-z])?(?![\d/\-–])")
_ANY_YEAR = re.compile(rf"(?<![\d/.\-])({YEAR})([a-z])?(?![\d/\-])")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_NUMBER = r"[A-Za-z]?\d+[A-Za-z]?"
_PAGE_RANGE = re.compile(rf"({_NUMBER})(?:\s*[–—\-‐]+\s*({_NUMBER}))?")
_ISSUE_MARK = re.compile(
    r"\b(?:number|issue|heft|fasc|num|nr|no|iss|h|n)(?![^\W\d_])\.?\s*([\w\-–/]+)",
    re.IGNORECASE,
)
_VOLUME_MARK = re.compile(
    r"\b(?:volume|tome|vols|vol|bd|t)(?![^\W\d_])\.?\s*([\w\-–]+)", re.IGNORECASE
)
_YEAR_IN_PARENS = re.compile(rf"\(\s*({YEAR})([a-z])?")
_IN = re.compile(r"^(?:in|dans|en)\s*:?\s+", re.IGNORECASE)
_EDITOR_WORDS = re.compile(
    r"\((?:eds?|hrsg|hg|éds?|coords?|dirs?)\.?\)|\b(?:edited\s+by|eds?\.|hrsg\.|hg\.)"
    r"|\b(?:eds?|editors?)\b\.?",
    re.IGNORECASE,
)
_SURROUNDING = " .,;:\"“”‘’'()[]*_"
_ESCAPED = re.compile(r"\\([_*&%#\[\]])")
_UNDERSCORE_SPACE = re.compile(r"(?<=\w)_(?=\w)")


@dataclass
class ParsedReference:
    """What a reference says, as far as it can be read."""

    authors: list[Author] = field(default_factory=list)
    et_al: bool = False
    year: int | None = None
    year_suffix: str = ""
    years: list[int] = field(default_factory=list)
    title: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    editors: list[Author] = field(default_factory=list)
    publisher: str | None = None
    location: str | None = None
    edition: str | None = None
    url: str | None = None
    note: str | None = None
    type: str | None = None
    #: The labeller's confidence, 0 to 1: the probability of its labelling, per token.
    confidence: float = 0.0

    @property
    def first_page(self) -> str | None:
        return re.split(r"[–\-]", self.pages)[0] if self.pages else None

    def as_dict(self) -> dict:
        """What :func:`dataclasses.asdict` gives (and the parser's version), made
        field by field: ``asdict`` copies recursively, slowly, what is flat."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for people in ("authors", "editors"):
            data[people] = [vars(person).copy() for person in data[people]]
        data["years"] = list(self.years)
        data["parser"] = PARSER_VERSION
        return data

    def stored(self) -> str:
        """The parse as JSON, as the database keeps it: :meth:`as_dict` without the
        values left as they start (most fields of most references, and of most
        names), which :meth:`from_dict` puts back. It is little more than half the
        size, and a citation's row is written again whenever it is verified."""
        data = {
            name: value
            for name, value in self.as_dict().items()
            if name == "parser" or value != _UNSET[name]
        }
        for people in ("authors", "editors"):
            if people in data:
                data[people] = [
                    {
                        key: value
                        for key, value in person.items()
                        if value or key == "family"
                    }
                    for person in data[people]
                ]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict | None) -> ParsedReference | None:
        """The parse :meth:`as_dict` stored, or None when it is missing or was made by
        another version of the parser."""
        if not data or data.get("parser") != PARSER_VERSION:
            return None
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for people in ("authors", "editors"):
            values[people] = [Author(**person) for person in values.get(people, [])]
        return cls(**values)


#: What each field of a parse holds until something is read into it (the parser's
#: version is always kept).
_UNSET = {
    name: value
    for name, value in ParsedReference().as_dict().items()
    if name != "parser"
}


@dataclass(frozen=True)
class Segment:
    """A run of tokens with one label: ``text[start:end]`` of the cleaned reference."""

    label: str
    text: str
    start: int
    end: int


def clean_reference(raw: str) -> str:
    """The reference on one line, with backlinks, markup, entities and mojibake undone."""
    text = unwrap_dois(raw)
    text = _MOJIBAKE.sub(_undo_mojibake, text)
    text = html.unescape(text)
    text = " ".join(text.replace("\u00a0", " ").split())
    text = _BACKLINKS.sub("", text)
    text = _ESCAPED.sub(r"\1", text)
    text = _UNDERSCORE_SPACE.sub(" ", text)
    return text.strip()


@functools.lru_cache(maxsize=1)
def _tagger():
    import pycrfsuite

    folder = resources.files(__package__) / "data"
    description = json.loads((folder / "references.json").read_text(encoding="utf-8"))
    if description["feature_version"] != FEATURE_VERSION:
        raise RuntimeError(
            "the reference model was trained on other features than this tracker"
            " computes: run `make model`"
        )
    tagger = pycrfsuite.Tagger()
    with resources.as_file(folder / MODEL) as model:
        tagger.open(str(model))
    return tagger


def label(text: str) -> tuple[list[Token], list[str], float]:
    """The tokens of a (cleaned) reference, their labels and the mean confidence."""
    tokens = tokenize(text)
    if not tokens:
        return [], [], 0.0
    tagger = _tagger()
    labels = tagger.tag(token_features(tokens, text))
    # The probability of the whole labelling, per token (its geometric mean).
    confidence = tagger.probability(labels) ** (1 / len(labels))
    return tokens, labels, confidence


def segments(text: str, tokens: list[Token], labels: list[str]) -> list[Segment]:
    """Runs of tokens that share a label, in order."""
    runs: list[Segment] = []
    for token, name in zip(tokens, labels, strict=True):
        if runs and runs[-1].label == name:
            last = runs[-1]
            runs[-1] = Segment(
                name, text[last.start : token.end], last.start, token.end
            )
        else:
            runs.append(Segment(name, token.text, token.start, token.end))
    return runs


def parse_reference(raw: str) -> ParsedReference:
    """Read authors, year, title, container, volume, issue, pages and the rest from a
    reference as written."""
    text = clean_reference(raw)
    tokens, labels, confidence = label(text)
    parsed = fields(text, segments(text, tokens, labels))
    parsed.confidence = round(confidence, 4)
    return parsed


#: Lists longer than this are parsed on every core.
PARALLEL_ABOVE = 200


def parse_references(raws: Iterable[str]) -> list[ParsedReference]:
    """Parse many references, in order: on every core when there are many (each
    worker loads the model once)."""
    raws = list(raws)
    cores = os.cpu_count() or 1
    if len(raws) <= PARALLEL_ABOVE or cores < 2:
        return [parse_reference(raw) for raw in raws]
    from ..processes import parallel_map

    return list(parallel_map(parse_reference, raws, chunksize=32, workers=cores))


def fields(text: str, runs: list[Segment]) -> ParsedReference:
    """A :class:`ParsedReference` from a reference's labelled segments."""
    first: dict[str, Segment] = {}
    every: dict[str, list[Segment]] = {}
    for run in runs:
        first.setdefault(run.label, run)
        every.setdefault(run.label, []).append(run)
    parsed = ParsedReference()
    found = find_dois(text)
    parsed.doi = found[0].doi if found else None
    author_text = " ".join(run.text for run in every.get("author", []))
    author_text, title_start = split_vancouver_tail(author_text)
    parsed.authors, parsed.et_al = parse_authors(author_text)
    if "editor" in first:
        editors = _EDITOR_WORDS.sub(" ", _IN.sub("", first["editor"].text.strip()))
        parsed.editors = parse_authors(editors)[0]
    _read_year(parsed, first.get("date"), text)
    title = first["title"].text if "title" in first else ""
    if title_start and _follows(runs, "author", "title"):
        title = f"{title_start} {title}"
    parsed.title = _tidy(title) or None
    if "container" in first:
        parsed.container = _tidy(_IN.sub("", first["container"].text.strip())) or None
    for run in every.get("volume", []):
        _read_volume(parsed, run.text)
    if parsed.volume is None and "date" in first:
        # Chicago's "Journal 2019 (2012): 1-7": a number before the year in
        # parentheses is the volume, even when it reads as a year.
        before = re.match(rf"^\s*(\d+)\s*\(\s*{YEAR}", first["date"].text)
        if before:
            parsed.volume = before.group(1)
    if "pages" in first:
        parsed.pages = _pages(first["pages"].text)
    if parsed.volume is None and parsed.pages is None:
        _numbers_by_pattern(parsed, text, runs)
    for name in ("publisher", "location", "edition", "note"):
        if name in first:
            setattr(parsed, name, _tidy(first[name].text) or None)
    urls = [run.text for run in every.get("url", [])] or _URL.findall(text)
    parsed.url = urls[0].strip(_SURROUNDING + "<>") if urls else None
    parsed.type = guess_type(parsed, set(first), text)
    return parsed


def _numbers_by_pattern(
    parsed: ParsedReference, text: str, runs: list[Segment]
) -> None:
    """Volume, issue and pages the labeller left unlabelled, read by the common styles'
    patterns from what follows the title."""
    after = max(
        (run.end for run in runs if run.label in ("title", "container")), default=0
    )
    spans = number_spans(text[after:])
    if "volume" in spans:
        a, b = spans["volume"]
        parsed.volume = text[after + a : after + b]
    for name in ("issue", "issue2"):
        if name in spans and parsed.issue is None:
            a, b = spans[name]
            parsed.issue = text[after + a : after + b].strip()
    if "pages" in spans:
        a, b = spans["pages"]
        parsed.pages = _pages(text[after + a : after + b])


def _follows(runs: list[Segment], before: str, after: str) -> bool:
    """True when the first ``after`` segment comes right after a ``before`` one."""
    labels = [run.label for run in runs]
    return (
        after in labels
        and labels.index(after) > 0
        and labels[labels.index(after) - 1] == before
    )


def guess_type(parsed: ParsedReference, labels: set[str], text: str) -> str:
    """A CSL type from the labels a reference has and the words it uses."""
    lowered = text.lower()
    if re.search(r"\b(?:thesis|dissertation|thèse|tesis|doktorarbeit)\b", lowered):
        return "thesis"
    if (
        parsed.container
        and not parsed.issue
        and re.search(
            r"\b(?:proceedings|proc\.|conference|symposium|workshop|congress)\b",
            parsed.container.lower(),
        )
    ):
        return "paper-conference"
    if parsed.editors or ("container" in labels and "publisher" in labels):
        return "chapter"
    if "container" in labels:
        return "article-journal"
    if "publisher" in labels:
        return "book"
    if re.search(r"\b(?:report|working paper|technical)\b", lowered):
        return "report"
    if parsed.url:
        return "webpage"
    return "document"


def _read_year(parsed: ParsedReference, date: Segment | None, text: str) -> None:
    """The year of the date segment (the one in parentheses when there are two, as in
    "no. 1855 (2017)"), else the first year the reference gives."""
    match = None
    if date:
        match = _YEAR_IN_PARENS.search(date.text) or _YEAR.search(date.text)
    if match is None:
        match = _ANY_YEAR.search(_URL.sub(" ", text))
    if match:
        parsed.year = int(match.group(1))
        parsed.year_suffix = match.group(2) or ""
    parsed.years = sorted({int(m.group(1)) for m in _ANY_YEAR.finditer(text)})


def _read_volume(parsed: ParsedReference, segment: str) -> None:
    """Volume and issue from a volume segment: ``18(23):``, ``34, no. 1``,
    ``Vol. 3, No. 2``, ``45 (Suppl 1)``, ``No. 134``."""
    # A year glued before the volume ("2021;18(23)") is the date, whatever its label;
    # a volume numbered like a year ("Pulmonary Medicine, 2012, 1-7") stays a volume.
    text = re.sub(rf"^\s*\(?{YEAR}[a-z]?\)?\s*[;,.]?\s*", "", segment).strip(" .,;:")
    if not text:
        alone = segment.strip(" .,;:()")
        if not alone.isdigit() or int(alone) == parsed.year:
            return
        text = alone
    issue = _ISSUE_MARK.search(text)
    parenthesised = re.search(r"([\w\-–]+)\s*\(([^)]+)\)", text)
    if parenthesised and (issue is None or parenthesised.start() < issue.start()):
        volume, issue_text = parenthesised.group(1), parenthesised.group(2).strip()
    else:
        before = text[: issue.start()] if issue else text
        marked = _VOLUME_MARK.search(before)
        number = marked.group(1) if marked else None
        if number is None:
            found = re.search(r"[A-Za-z]?\d+[A-Za-z]?", before)
            number = found.group() if found else None
        volume, issue_text = number, issue.group(1) if issue else None
    if parsed.volume is None and volume:
        parsed.volume = volume.strip("–-")
    if parsed.issue is None and issue_text:
        parsed.issue = issue_text.strip("–-")
    if parsed.issue and parsed.year and parsed.issue == str(parsed.year):
        parsed.issue = None


def _pages(segment: str) -> str | None:
    text = re.sub(
        r"^\s*(?:pp?|pages?|s|seiten?)\.?\s*", "", segment.strip(), flags=re.I
    )
    match = _PAGE_RANGE.search(text)
    if not match:
        return _tidy(text) or None
    first, last = match.groups()
    return f"{first}–{last}" if last else first


def _tidy(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).strip(_SURROUNDING)


def _undo_mojibake(match: re.Match) -> str:
    try:
        return match.group().encode("latin-1").decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return match.group()
