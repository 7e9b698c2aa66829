"""pysbd's English segmenter, without the work that cannot change its answer.

pysbd protects the periods that do not end a sentence by running some 300 regular
expressions over each text, one after the other, and looks for each of its 188
abbreviations in every line. In a given paragraph nearly all of them find nothing,
and finding nothing is most of its time. Two shortcuts skip that work and leave the
sentences exactly as stock pysbd makes them (tests/text/test_segmenter.py compares
the two on real articles and on 1,514 real references):

1. *Abbreviations.* pysbd only ever replaces the period of an abbreviation that
   follows a space and is followed by that period. An abbreviation spelled only with
   letters that does not occur that way in a line is not looked for in it.
2. *Patterns that cannot match.* Before pysbd runs a pattern over a text, the text is
   checked for characters that every match needs, read from the pattern by the ``re``
   module's own parser: a ``∯`` that an earlier pass left, a digit, a bracket. A text
   without them gets the answer no match would give, and the pattern is not run.

The second needs pysbd's modules to call a ``re`` of ours; it is given to them only
for the pysbd release it was checked against, and any other release runs as shipped.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from typing import Any

from .needs import needed_classes

#: The pysbd release whose passes were checked against these shortcuts.
CHECKED_RELEASE = "0.3.4"
#: pysbd's modules that run patterns over English text.
_PYSBD_MODULES = (
    "abbreviation_replacer",
    "between_punctuation",
    "exclamation_words",
    "lists_item_replacer",
    "processor",
    "punctuation_replacer",
    "utils",
)


#: Patterns pysbd gives ``findall`` on every text, each with one that finds the same
#: strings faster (a test compares them): "at the start, or after a space or a
#: bracket" as alternatives that differ only there is one look-behind.
FASTER_FINDALL = {
    r"(?<=^)[a-z](?=\.)|(?<=\A)[a-z](?=\.)|(?<=\s)[a-z](?=\.)": r"(?<!\S)[a-z](?=\.)",
    r"(?<=\()[a-z]+(?=\))|(?<=^)[a-z]+(?=\))|(?<=\A)[a-z]+(?=\))|(?<=\s)[a-z]+(?=\))": (
        r"(?<![^\s(])[a-z]+(?=\))"
    ),
}


class GuardedRe:
    """The ``re`` functions pysbd calls, each answering at once when the text lacks
    what every match needs."""

    def __init__(self) -> None:
        self._needs: dict[tuple[str, int], tuple[re.Pattern[str], ...]] = {}
        # pysbd tries one pattern after another on the same text: what each class
        # found in it is kept until the text changes.
        self._text = ""
        self._found: dict[re.Pattern[str], bool] = {}
        self._plans: dict[tuple[Any, ...], list] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    def patterns(self) -> list[tuple[str | re.Pattern[str], int]]:
        """The (pattern, flags) it has been asked to run so far."""
        return list(self._needs) + [
            (pattern, 0)
            for plan in self._plans.values()
            for _, steps in plan
            for pattern, _, _ in steps
        ]

    def apply(self, text: str, *rules: Any) -> str:
        """pysbd's ``Text.apply`` (each rule's pattern replaced in turn), with each
        rule's pattern compiled once and skipped where the text lacks what it needs.

        Rules that need something are taken in runs: while the text lacks the first
        need of every rule in a run, none of them can change it, and one search
        answers for the whole run."""
        plan = self._plans.get(rules)
        if plan is None:
            plan = self._plans[rules] = self._plan(rules)
        for any_need, steps in plan:
            if any_need is not None and any_need.search(text) is None:
                continue
            for pattern, replacement, needs in steps:
                if self.holds(needs, text):
                    text = pattern.sub(replacement, text)
        return text

    def _plan(
        self, rules: tuple[Any, ...]
    ) -> list[tuple[re.Pattern[str] | None, list]]:
        """The rules as runs, each (a search for the first need of any rule in it, or
        None for rules that need nothing, [(pattern, replacement, needs)])."""
        steps = [
            (re.compile(rule.pattern), rule.replacement, needed_classes(rule.pattern))
            for rule in rules
        ]
        plan: list[tuple[re.Pattern[str] | None, list]] = []
        for needing, group in itertools.groupby(steps, key=lambda step: bool(step[2])):
            run = list(group)
            any_need = _any_of(needs[0] for _, _, needs in run) if needing else None
            plan.append((any_need, run))
        return plan

    def may_match(self, pattern: str | re.Pattern[str], flags: int, text: str) -> bool:
        needs = self._needs.get((pattern, flags))
        if needs is None:
            needs = self._learn(pattern, flags)
        return self.holds(needs, text)

    def holds(self, needs: tuple[re.Pattern[str], ...], text: str) -> bool:
        """True when ``text`` has a character of each class in ``needs``."""
        if text is not self._text:
            self._text, self._found = text, {}
        found = self._found
        for need in needs:
            present = found.get(need)
            if present is None:
                present = found[need] = need.search(text) is not None
            if not present:
                return False
        return True

    def _learn(
        self, pattern: str | re.Pattern[str], flags: int
    ) -> tuple[re.Pattern[str], ...]:
        if len(self._needs) > 20_000:  # patterns made from words of the text
            self._needs.clear()
        if isinstance(pattern, re.Pattern):
            needs = needed_classes(pattern.pattern, pattern.flags)
        else:
            needs = needed_classes(pattern, flags)
        self._needs[(pattern, flags)] = needs
        return needs

    def sub(self, pattern, repl, string, count=0, flags=0):  # type: ignore[no-untyped-def]
        if not self.may_match(pattern, flags, string):
            return string
        return re.sub(pattern, repl, string, count=count, flags=flags)

    def findall(self, pattern, string, flags=0):  # type: ignore[no-untyped-def]
        if not self.may_match(pattern, flags, string):
            return []
        return re.findall(FASTER_FINDALL.get(pattern, pattern), string, flags=flags)

    def search(self, pattern, string, flags=0):  # type: ignore[no-untyped-def]
        if not self.may_match(pattern, flags, string):
            return None
        return re.search(pattern, string, flags=flags)

    def match(self, pattern, string, flags=0):  # type: ignore[no-untyped-def]
        if not self.may_match(pattern, flags, string):
            return None
        return re.match(pattern, string, flags=flags)

    def split(self, pattern, string, maxsplit=0, flags=0):  # type: ignore[no-untyped-def]
        if not self.may_match(pattern, flags, string):
            return [string]
        return re.split(pattern, string, maxsplit=maxsplit, flags=flags)

    def finditer(self, pattern, string, flags=0) -> Iterator[re.Match[str]]:  # type: ignore[no-untyped-def]
        if not self.may_match(pattern, flags, string):
            return iter(())
        return re.finditer(pattern, string, flags=flags)


#: The characters other than ASCII that a case-blind pattern takes for an ASCII
#: letter (``ſ`` for ``s``, the Kelvin sign for ``k``; a test derives them from the
#: ``re`` module), and those letters: a pattern for "st" finds "ſt" too.
FOLDS_TO_ASCII = {"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"}
FOLD_TO_ASCII = str.maketrans(FOLDS_TO_ASCII)


def fold_case(text: str) -> str:
    """``text`` in lower case, with the letters a case-blind pattern takes for ASCII
    ones made those ASCII letters."""
    return text.lower() if text.isascii() else text.translate(FOLD_TO_ASCII).lower()


#: A word after a space (or at the start) that a period ends: what an abbreviation
#: needs for pysbd to replace its period.
_WORD_BEFORE_PERIOD = re.compile(r"(?<!\S)([a-z]+)\.")


def _abbreviation_replacer(base: type) -> type:
    import pysbd.abbreviation_replacer as pysbd_module

    class AbbreviationReplacer(base):  # type: ignore[misc, valid-type]
        """pysbd's, looking only for the abbreviations a period follows in the line."""

        letters_only = frozenset(
            abbreviation.strip()
            for abbreviation in base_language().Abbreviation.ABBREVIATIONS
            if re.fullmatch("[a-z]+", abbreviation.strip())
        )
        #: Each abbreviation's place in pysbd's list, which is the order it tries them.
        order = {
            abbreviation.strip(): place
            for place, abbreviation in enumerate(
                base_language().Abbreviation.ABBREVIATIONS
            )
        }
        others = tuple(sorted(set(order) - letters_only, key=order.__getitem__))

        def search_for_abbreviations_in_string(self, text: str) -> str:
            """pysbd's loop over its abbreviations, over only those that can be found:
            which they are is settled before any is replaced (pysbd tests each against
            the line as it was), so they are taken in pysbd's order."""
            lowered = text.lower()
            present = self.letters_only.intersection(
                _WORD_BEFORE_PERIOD.findall(fold_case(text))
            )
            found = [word for word in present if word in lowered]
            found += [word for word in self.others if word in lowered]
            for stripped in sorted(found, key=self.order.__getitem__):
                text = self.replace_periods_of(stripped, text)
            return text

        def replace_periods_of(self, stripped: str, text: str) -> str:
            """The body of pysbd's loop over abbreviations, for one of them."""
            found = re.findall(r"(?:^|\s|\r|\n){}".format(stripped), text, flags=re.I)
            if not found:
                return text
            next_word_start = r"(?<={" + str(re.escape(stripped)) + "} ).{1}"
            next_characters = re.findall(next_word_start, text)
            for index, match in enumerate(found):
                text = self.scan_for_replacements(text, match, index, next_characters)
            return text

        def replace_abbreviation_as_sentence_boundary(self) -> str:
            """pysbd's, with its pattern (made from a fixed list of words that start
            sentences) made once rather than for every text."""
            self.text = pysbd_module.re.sub(  # the guarded re, as pysbd's call
                _boundary_pattern(tuple(self.SENTENCE_STARTERS)), "\\1.", self.text
            )
            return self.text

    return AbbreviationReplacer


@functools.lru_cache(maxsize=4)
def _boundary_pattern(starters: tuple[str, ...]) -> str:
    """pysbd's pattern for an abbreviation's period that ends a sentence."""
    sent_starters = "|".join(r"(?=\s{}\s)".format(word) for word in starters)
    return r"(U∯S|U\.S|U∯K|E∯U|E\.U|U∯S∯A|U\.S\.A|I|i.v|I.V)∯({})".format(sent_starters)


def _any_of(needs: Iterator[re.Pattern[str]]) -> re.Pattern[str]:
    """One search that finds something wherever any of these needs does."""
    return re.compile(
        "|".join(
            f"(?i:{need.pattern})" if need.flags & re.I else need.pattern
            for need in needs
        )
    )


def base_language() -> type:
    from pysbd.lang.english import English

    return English


@functools.lru_cache(maxsize=1)
def segmenter() -> Any:
    """A pysbd segmenter for English that keeps the text as it is (``clean=False``)."""
    import pysbd

    # pysbd builds a few patterns per abbreviation it meets, more than the 512 that
    # the re module keeps compiled; without room for them it recompiles all the time.
    re._MAXCACHE = max(re._MAXCACHE, 8192)  # type: ignore[attr-defined]
    made = pysbd.Segmenter(language="en", clean=False)
    if pysbd.__version__ == CHECKED_RELEASE:
        _guard_pysbd()
        english = base_language()
        made.language_module = type(
            "English",
            (english,),
            {
                "AbbreviationReplacer": _abbreviation_replacer(
                    english.AbbreviationReplacer
                )
            },
        )
    return made


def _guard_pysbd() -> None:
    import importlib

    from pysbd.utils import Text

    guarded = GuardedRe()
    for name in _PYSBD_MODULES:
        importlib.import_module(f"pysbd.{name}").re = guarded

    def apply(text: str, *rules: Any) -> str:
        return guarded.apply(text, *rules)

    Text.apply = apply


def sentences(text: str) -> list[str]:
    """pysbd's sentences of ``text``, as pysbd writes them."""
    if not text:
        return []
    return segmenter().processor(text).process()
