"""Sentences of an article's body, and which of them are claims.

Segmentation is pysbd's, one block (paragraph or list item) at a time: pysbd handles
"e.g.", "et al.", "(IBD)", decimals and quotes, and it is fast on short texts but slow
on long ones. Line breaks inside a block are read as spaces (they are wrapping, not
sentence ends), which keeps every offset as it is in the article. Then three repairs:
markers pushed after a sentence's end go back to it (``calories.[1][2]``), a fragment
that begins in lower case, with a digit or a semicolon is joined to the sentence before
(pysbd splits "Int J. Epidemiol. 2019;48"), and whitespace is trimmed from the spans.

A *claim* is a sentence that states something: not a question, a greeting, a call to
action, a byline or a heading.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator

from ..processes import parallel_map
from .markers import MarkerStyle, leading_markers
from .patterns import YEAR
from .segmenter import fold_case, sentences

#: Blocks longer than this are cut at obvious sentence ends before pysbd sees them.
LONGEST_BLOCK = 4000
#: Texts longer than this (in characters) are segmented on every core.
PARALLEL_ABOVE = 1_000_000

_CALL_TO_ACTION = re.compile(
    r"^\W*(?:please|let['’]s|let\s+us|click|tap|subscribe|follow|share|sign\s+up|join|contact"
    r"|check\s+out|read\s+more|learn\s+more|don['’]t\s+forget|do\s+not\s+forget|comment|download"
    r"|book\s+(?:a|your)|schedule|call\s+us|email\s+us|visit|register|hi\b|hello|hey|welcome"
    r"|thanks|thank\s+you|stay\s+tuned|happy\s+\w+ing|enjoy|see\s+you|bye|buy|order|shop"
    r"|sign\s+in|log\s+in|get\s+in\s+touch|reach\s+out)\b",
    re.IGNORECASE,
)
#: Advice and instructions begin with a verb in the imperative: "Talk to your doctor
#: first!", "Avoid processed meat." They tell the reader what to do, not what is so.
_IMPERATIVE = re.compile(
    r"^\W*(?:(?:do\s+not|don['’]t|never|always|just|simply|so|now|then|first|finally"
    r"|instead|also)[,\s]+)?(?:talk|ask|speak|consult|see|try|avoid|eat|drink|choose|limit"
    r"|reduce|cut|add|swap|replace|include|keep|make\s+sure|be\s+sure|remember|consider"
    r"|aim|stop|start|quit|get|take|check|discuss|seek|use|go|give|focus|look|think|note"
    r"|imagine|find|opt|skip|stick|stay|watch|pay\s+attention|prioriti[sz]e|incorporate"
    r"|read|write|tell|let|be|have|do|don['’]t)\b"
    # ... but not a noun that starts a statement: "Use of antibiotics is rising."
    r"(?!-|\s+(?:of|is|was|are|were|has|had|and|or|in|can|may|will)\b)",
    re.IGNORECASE,
)
_ANYWHERE_CTA = re.compile(r"\blet['’]s\b|\bclick here\b|\bsubscribe\b", re.IGNORECASE)
#: What every match of _ANYWHERE_CTA holds, in lower case.
_CTA_WORDS = ("let", "click here", "subscribe")
_BYLINE = re.compile(
    r"^\W*(?:updated|posted|published|written|by|photo|image|credit|figure|fig\.|table|source"
    r"|caption|video|audio|listen|watch|advertisement|sponsored)\b",
    re.IGNORECASE,
)
#: Credits for pictures: not claims, even when they name a source.
_CREDIT = re.compile(
    r"^\W*(?:credits?|photo(?:graph)?s?|images?|illustrations?|picture)\s*[:(]", re.I
)
_WORD_START, _WORD_REST = r"[^\W\d_]", r"[\w'’\-]"
_WORD = re.compile(rf"{_WORD_START}{_WORD_REST}*")
#: At least this many words as _WORD finds them, in one match: what lies between
#: words is what cannot start one, and nothing is given back (``*+``), so the match
#: never tries the words in other ways.
_WORDS_AT_LEAST = {
    count: re.compile(rf"(?:[\W\d_]*+{_WORD_START}{_WORD_REST}*+){{{count}}}")
    for count in (2, 5, 20)
}
_THREE_LOWER = re.compile(r"[a-zà-ÿ]{3}")
#: The start of a heading's markup (a "[edit]" link anywhere is debris too).
_HEADING_DEBRIS = re.compile(r"\W*(?:\*{3,}|#{1,6}\s|={2,})")
_TERMINAL = re.compile(
    r"[.!…。](?:[\"'”’)\]]|\[\d[^\]]*\]|<sup>.*?</sup>|[\d,–\-]+)*\W*$"
)


def sentence_spans(
    text: str, blocks: list[tuple[int, int]], style: MarkerStyle
) -> Iterator[list[tuple[int, int]]]:
    """The sentences of each block ``text[start:end]``, as offsets into ``text``,
    block by block (made as they are asked for, so a long article's spans are never
    all held at once)."""
    for sentences_ in block_sentences(text, blocks, style):
        yield [(start, end) for start, end, _ in sentences_]


def block_sentences(
    text: str, blocks: list[tuple[int, int]], style: MarkerStyle
) -> Iterator[list[tuple[int, int, bool]]]:
    """The sentences of each block, block by block, as ``(start, end, states)``:
    offsets into ``text`` and whether the sentence states something when it cites
    nothing (:func:`is_claim`).

    Identical blocks are read once, and a long text is spread over the machine's
    cores. Blocks are known by a digest of their text and cut from the text only as
    the workers take them, so no second copy of the text is held; what a block gave
    is kept only until its last copy has been handed out.
    """
    first_of: dict[bytes, int] = {}
    unique: list[tuple[int, int]] = []
    keys = []
    for start, end in blocks:
        digest = _digest(text, start, end)
        key = first_of.get(digest)
        if key is None:
            key = first_of[digest] = len(unique)
            unique.append((start, end))
        keys.append(key)
    del first_of
    uses = Counter(keys)
    texts = (text[start:end] for start, end in unique)
    read = functools.partial(_read_block, style=style)
    if sum(e - s for s, e in unique) > PARALLEL_ABOVE and (os.cpu_count() or 1) > 1:
        results = parallel_map(read, texts, chunksize=16)
    else:
        results = map(read, texts)
    done: list[array | None] = []  # in the order of each block's first appearance
    for (start, _), key in zip(blocks, keys, strict=True):
        while len(done) <= key:
            done.append(next(results))
        found = done[key]
        uses[key] -= 1
        if not uses[key]:
            done[key] = None
        yield [
            (start + found[i], start + found[i + 1], bool(found[i + 2]))
            for i in range(0, len(found), 3)
        ]


def _digest(text: str, start: int, end: int) -> bytes:
    """Names a block by its content without keeping a copy of it."""
    return hashlib.blake2b(
        text[start:end].encode("utf-8", "surrogatepass"), digest_size=16
    ).digest()


def _read_block(block: str, style: MarkerStyle) -> array:
    """The sentences of one block, repaired, as one array of (start, end, states)."""
    spans = []
    for start, end in _pieces(block, 0, len(block)):
        spans.extend((start + s, start + e) for s, e in segment_text(block[start:end]))
    found = array("q")
    for start, end in _repair(block, spans, style):
        found.extend((start, end, is_claim(block[start:end])))
    return found


def segment_text(block: str) -> list[tuple[int, int]]:
    """pysbd's sentences of one block, as offsets into it."""
    flat = block.replace("\r", " ").replace("\n", " ")
    spans, cursor = [], 0
    for sentence in sentences(flat):
        piece = sentence.strip()
        if not piece:
            continue
        found = flat.find(piece, cursor)
        if found < 0:
            continue
        spans.append((found, found + len(piece)))
        cursor = found + len(piece)
    return spans


def _repair(
    text: str, spans: list[tuple[int, int]], style: MarkerStyle
) -> list[tuple[int, int]]:
    """Give pushed markers back, join fragments pysbd cut too early, split where it
    missed a sentence end hidden by flattened superscripts, trim whitespace."""
    if style.flattened or style.superscripts:
        spans = [
            piece for span in spans for piece in _split_after_superscripts(text, *span)
        ]
    repaired: list[list[int]] = []
    for start, end in spans:
        sentence = text[start:end]
        if repaired:
            pushed = leading_markers(sentence, style)
            if pushed:
                repaired[-1][1] = start + pushed
                start = start + pushed
                sentence = text[start:end]
            if sentence.strip() and _continues(sentence):
                repaired[-1][1] = end
                continue
        if sentence.strip():
            repaired.append([start, end])
    return [_trim(text, s, e) for s, e in repaired if text[s:e].strip()]


def is_claim(sentence: str, has_markers: bool = False) -> bool:
    """True when a sentence states something a reader could check."""
    flat = " ".join(sentence.split())
    if (
        not _THREE_LOWER.search(flat)
        or "{:" in flat
        or "{%" in flat
        or _HEADING_DEBRIS.match(flat)
        or "[edit]" in flat
        or _CREDIT.match(flat)
    ):
        return False
    if has_markers:  # a sentence that cites something claims something
        return _has_words(2, flat)
    if flat.rstrip("\"'”’)] ").endswith(("?", "!")):
        return False
    if (
        _CALL_TO_ACTION.match(flat)
        or _calls_to_action_within(flat)
        or _BYLINE.match(flat)
    ):
        return False
    if _IMPERATIVE.match(flat):
        return False
    if not _has_words(5, flat):
        return False
    return bool(_TERMINAL.search(flat)) or _has_words(20, flat)


def _has_words(count: int, flat: str) -> bool:
    """True when ``_WORD`` finds at least ``count`` words in ``flat``."""
    return _WORDS_AT_LEAST[count].match(flat) is not None


def _calls_to_action_within(flat: str) -> bool:
    """``_ANYWHERE_CTA.search``, run only where the words it looks for are (compared
    as its case-blind search compares them)."""
    folded = fold_case(flat)
    return any(word in folded for word in _CTA_WORDS) and bool(
        _ANYWHERE_CTA.search(flat)
    )


def _pieces(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Cut very long blocks at clear sentence ends, so pysbd stays fast."""
    if end - start <= LONGEST_BLOCK:
        yield start, end
        return
    piece_start = start
    for match in re.finditer(r"[.!?][\"'”’)\]]*\s+(?=[A-Z\"“(])", text[start:end]):
        cut = start + match.end()
        if cut - piece_start >= LONGEST_BLOCK // 2:
            yield piece_start, cut
            piece_start = cut
    if piece_start < end:
        yield piece_start, end


_AFTER_SUPERSCRIPT = re.compile(r"(?<=[.!?])[\d,–\-]*\d\s+(?=[A-Z])")


def _split_after_superscripts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """ "...adults.1,2 The effect..." holds two sentences: cut after the digits."""
    pieces, piece_start = [], start
    for match in _AFTER_SUPERSCRIPT.finditer(text, start, end):
        pieces.append((piece_start, match.end()))
        piece_start = match.end()
    pieces.append((piece_start, end))
    return pieces


#: What a sentence end left behind: the rest of an emphasis or a quotation, or the
#: citation of the sentence before ("*Tuva or Bust!* (Leighton, 1991).").
_LEFT_BEHIND = re.compile(
    rf"^[*_”’»\"']+(?:\s|$)|^\([^()]*\b{YEAR}[a-z]?\b[^()]*\)\s*[.;,]?\s*$"
)


def _continues(sentence: str) -> bool:
    stripped = sentence.lstrip()
    return bool(stripped) and (
        stripped[0].islower()
        or stripped[0].isdigit()
        or stripped[0] in ";:,)]"
        or bool(_LEFT_BEHIND.match(stripped))
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
