"""What every match of a regular expression needs in the text it searches.

Read from the pattern by the ``re`` module's own parser: ``(?<=\\s)\\d{1,2}♨`` cannot
match a text without a digit and a ``♨``, and ``(\\s\\.){3}\\s`` cannot match one
without a period between two spaces. A text that lacks what a pattern needs gets the
answer "no match" without the pattern being run, which is most of the answers when
many patterns are tried on each of many short texts. Only what is rare in prose is
checked: a check that nearly always passes costs without saving. A run of characters
is searched for from its first literal one, which the ``re`` module finds fastest,
looking behind it for the characters before.
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
    """Searches each of which finds something in every text that ``pattern`` matches
    (its lookarounds included): character classes rare in prose, rarest first, then
    a run of characters that prose lacks. An empty answer says nothing."""
    parsed = sre_parse.parse(pattern, flags)
    flags = parsed.state.flags & re.IGNORECASE
    clauses = sorted(set(_clauses(parsed)), key=_commonness)
    rare = [clause for clause in clauses if _commonness(clause)[0] == 0]
    needs = [re.compile(_class(clause), flags) for clause in rare[:_CHECKS]]
    run = _rare_run(_chars(parsed), flags)
    return tuple(needs + ([run] if run else []))


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


# Runs of characters -------------------------------------------------------------

#: Where a match's characters are not known to be next to each other.
_GAP = None
#: The longest run checked.
_LONGEST_RUN = 6
Char = tuple[bool, str]  # (a literal character?, a class matching one character)


def _rare_run(chars: list[Char | None], flags: int) -> re.Pattern[str] | None:
    """The longest run of characters every match holds that prose lacks, as a search
    that starts from the run's first literal character and looks behind it for the
    characters before; None when there is none worth a search."""
    runs: list[list[Char]] = [[]]
    for char in chars:
        if char is _GAP:
            runs.append([])
        else:
            runs[-1].append(char)
    best, best_length = None, 1
    for run in runs:
        literal = next((i for i, (is_literal, _) in enumerate(run) if is_literal), None)
        if literal is None:
            continue
        before = [char for _, char in run[max(0, literal - 2) : literal]]
        after = [
            char for _, char in run[literal : literal + _LONGEST_RUN - len(before)]
        ]
        if len(before) + len(after) <= best_length:
            continue
        behind = f"(?<={''.join(before + after[:1])})" if before else ""
        compiled = re.compile(after[0] + behind + "".join(after[1:]), flags)
        if compiled.search(_PROSE) is None:
            best, best_length = compiled, len(before) + len(after)
    return best


def _chars(sequence: Any) -> list[Char | None]:
    """The characters of a parsed sequence in the order a match meets them, one class
    each, with a gap where they are not known to be next to each other."""
    return [char for op, argument in sequence for char in _char_items(op, argument)]


def _char_items(op: Any, argument: Any) -> list[Char | None]:
    handler = _CHAR_ITEMS.get(op)
    return handler(argument) if handler else [_GAP]


def _char_literal(code: int) -> list[Char | None]:
    return [(True, re.escape(chr(code)))]


def _char_in(items: Any) -> list[Char | None]:
    clauses = _in(items)
    return [(False, _class(clauses[0]))] if clauses else [_GAP]


def _char_group(argument: Any) -> list[Char | None]:
    _, add_flags, del_flags, sequence = argument
    return [_GAP] if add_flags or del_flags else _chars(sequence)


def _char_repeat(argument: Any) -> list[Char | None]:
    """The first and the last time round are next to what comes before and after."""
    low, high, sequence = argument
    body = _chars(sequence)
    if low == 0:
        return [_GAP]
    if low == high and low * len(body) <= _LONGEST_RUN:
        return body * low
    return body + [_GAP] + body


def _char_assert(argument: Any) -> list[Char | None]:
    """A look-ahead's characters follow what came before and start where the next
    item starts; a look-behind's end where the next item starts."""
    direction, sequence = argument
    body = _chars(sequence)
    return body + [_GAP] if direction == 1 else [_GAP] + body


_CHAR_ITEMS: dict[Any, Callable[[Any], list[Char | None]]] = {
    sre.LITERAL: _char_literal,
    sre.IN: _char_in,
    sre.SUBPATTERN: _char_group,
    sre.MAX_REPEAT: _char_repeat,
    sre.MIN_REPEAT: _char_repeat,
    sre.POSSESSIVE_REPEAT: _char_repeat,
    sre.ASSERT: _char_assert,
    sre.ASSERT_NOT: lambda argument: [],  # takes no characters and needs none
    sre.AT: lambda argument: [],  # ^, $, \\b: between characters, not one of them
    sre.ATOMIC_GROUP: _chars,
}


_NEEDS: dict[re.Pattern[str], tuple[re.Pattern[str], ...]] = {}


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False when ``text`` lacks something every match of ``pattern`` needs."""
    needs = _NEEDS.get(pattern)
    if needs is None:
        needs = _NEEDS[pattern] = needed_classes(pattern.pattern, pattern.flags)
    return all(need.search(text) is not None for need in needs)
