"""Reference parsing throughput: references per second, the trained labeller against
the hand-written rules, side by side in one process.

The references are the 1,514 labelled ones of training/anystyle-core.xml (their text
only), parsed three rounds each way. The rules' reading (tracker.text.rules: title,
container, volume and pages by the common styles' patterns) is what the labeller
takes among its features, so the figure is what the model costs on top of it.
Target: at least 500 references per second for a list, parsed as ``tracker parse`` and
``ingest`` parse one; the rate one by one is printed beside it.
"""

from __future__ import annotations

import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker.text.names import parse_authors  # noqa: E402
from tracker.text.parser import (  # noqa: E402
    clean_reference,
    parse_reference,
    parse_references,
)
from tracker.text.rules import number_spans, rule_spans  # noqa: E402

ROUNDS = 3
TARGET = 500


def references() -> list[str]:
    root = ElementTree.parse(REPO / "training" / "anystyle-core.xml").getroot()
    return [
        " ".join(" ".join((element.text or "").split()) for element in sequence)
        for sequence in root.iter("sequence")
    ]


def by_rules(raw: str) -> None:
    text = clean_reference(raw)
    spans, _ = rule_spans(text)
    number_spans(text)
    if "author" in spans:
        parse_authors(text[slice(*spans["author"])])


def rate(parse, items: list[str]) -> float:
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for raw in items:
            parse(raw)
    return ROUNDS * len(items) / (time.perf_counter() - start)


def main() -> int:
    items = references()
    parse_reference(items[0])  # load the model once, as the first parse of a run does
    one_by_one = rate(parse_reference, items)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        parse_references(items)  # as tracker parse and ingest parse a list
    listed = ROUNDS * len(items) / (time.perf_counter() - start)
    rules = rate(by_rules, items)
    print(f"parse: {len(items):,} references x {ROUNDS} rounds")
    print(f"  trained labeller, a list:    {listed:8,.0f} references/s (every core)")
    print(f"  trained labeller, one by one:{one_by_one:8,.0f} references/s")
    print(f"  hand-written rules:          {rules:8,.0f} references/s")
    print(
        f"  ratio: one by one, the labeller takes {rules / one_by_one:.1f}x the rules' time"
    )
    met = listed >= TARGET
    print(
        f"  target: at least {TARGET} references/s as a list:"
        f" {'met' if met else 'missed'} ({listed:,.0f}/s)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
