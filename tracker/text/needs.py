"""What every match of a regular expression needs in the text it searches.

Read from the pattern by the ``re`` module's own parser: ``(?<=\\s)\\d{1,2}♨`` cannot
match a text without a digit and a ``♨``. A text that lacks what a pattern needs gets
the answer "no match" without the pattern being run, which is most of the answers
when many patterns are tried on each of many short texts. Only characters rare in
prose are checked: a check that nearly always passes costs without saving.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

#: A line of ordinary prose. A character class that matches in it is no evidence
#: that a pattern cannot match, so such classes are not checked.
_PROSE = "The quick brown fox jumps over the lazy dog, and then it sleeps. "
#: At most this many character classes are checked before a pattern is run.
_CHECKS = 3
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_WORD: r"\w",
}
Clause = frozenset[str]


def needed_classes(pattern: str, flags: int = 0) -> tuple[re.Pattern[str], ...]:
    """Character classes each of which every match of ``pattern`` (its lookarounds
    included) needs somewhere in the text; those rare in prose come first. An empty
    answer says nothing."""
    parsed = sre_parse.parse(pattern, flags)
    flags = parsed.state.flags & re.IGNORECASE
    clauses = sorted(set(_clauses(parsed)), key=_commonness)
    rare = [clause for clause in clauses if _commonness(clause)[0] == 0]
    return tuple(re.compile(_class(clause), flags) for clause in rare[:_CHECKS])


def _class(clause: Clause) -> str:
    return "[" + "".join(sorted(clause)) + "]"


def _commonness(clause: Clause) -> tuple[int, int]:
    return len(re.findall(_class(clause), _PROSE)), len(clause)


def _clauses(sequence: Any) -> list[Clause]:
    """What each item of a parsed sequence needs: every one of them must be met."""
    return [clause for op, argument in sequence for clause in _item(op, argument)]


def _item(op: Any, argument: Any) -> list[Clause]:
    handler = _ITEMS.get(op)
    return handler(argument) if handler else []


def _literal(code: int) -> list[Clause]:
    return [frozenset((re.escape(chr(code)),))]


def _in(items: Any) -> list[Clause]:
    parts = set()
    for op, argument in items:
        if op is sre.LITERAL:
            parts.add(re.escape(chr(argument)))
        elif op is sre.RANGE:
            parts.add(re.escape(chr(argument[0])) + "-" + re.escape(chr(argument[1])))
        elif op is sre.CATEGORY and argument in _CATEGORIES:
            parts.add(_CATEGORIES[argument])
        else:  # a negated set, or a category with no class of its own
            return []
    return [frozenset(parts)]


def _branch(argument: Any) -> list[Clause]:
    """Any branch may match: the text needs what one of them needs."""
    union: set[str] = set()
    for branch in argument[1]:
        clauses = _clauses(branch)
        if not clauses:
            return []
        union |= min(clauses, key=_commonness)
    return [frozenset(union)]


def _group(argument: Any) -> list[Clause]:
    _, add_flags, _, sequence = argument
    if add_flags & re.IGNORECASE:  # a local (?i:...) the checks would not follow
        return []
    return _clauses(sequence)


def _repeat(argument: Any) -> list[Clause]:
    low, _, sequence = argument
    return _clauses(sequence) if low >= 1 else []


_ITEMS: dict[Any, Callable[[Any], list[Clause]]] = {
    sre.LITERAL: _literal,
    sre.IN: _in,
    sre.BRANCH: _branch,
    sre.SUBPATTERN: _group,
    sre.MAX_REPEAT: _repeat,
    sre.MIN_REPEAT: _repeat,
    sre.POSSESSIVE_REPEAT: _repeat,
    sre.ASSERT: lambda argument: _clauses(argument[1]),  # lookahead and lookbehind
    sre.ATOMIC_GROUP: _clauses,
}


_NEEDS: dict[re.Pattern[str], tuple[re.Pattern[str], ...]] = {}


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False when ``text`` lacks something every match of ``pattern`` needs."""
    needs = _NEEDS.get(pattern)
    if needs is None:
        needs = _NEEDS[pattern] = needed_classes(pattern.pattern, pattern.flags)
    return all(need.search(text) is not None for need in needs)
