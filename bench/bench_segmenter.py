"""Sentence segmentation: tracker.text.segmenter against stock pysbd, in one process.

The texts are the blocks of the project's articles (examples/ and tests/articles/),
the 1,514 references of training/anystyle-core.xml, and paragraphs of plain prose
made from the example's words. Stock pysbd and the segmenter take turns, five rounds
each (the shortcuts are taken out of pysbd's modules for stock's turns, so both run in
one process under the same load); the best round counts. Both must give the same
sentences (the figure is worthless otherwise). Target: at least 1.5x on articles.
"""

from __future__ import annotations

import re
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_ingest import unique_text  # noqa: E402
from tracker.ingest import read_article  # noqa: E402

ROUNDS = 5
TARGET = 1.5


def article_blocks() -> list[str]:
    paths = [REPO / "examples" / "leaky-gut.txt"] + sorted(
        path
        for path in (REPO / "tests" / "articles").iterdir()
        if path.suffix in (".md", ".html", ".txt")
    )
    blocks = []
    for path in paths:
        document = read_article(str(path)).document
        blocks += [
            re.sub(r"[\r\n]", " ", document.content(block)) for block in document.blocks
        ]
    return [block for block in blocks if block.strip()]


def references() -> list[str]:
    root = ElementTree.parse(REPO / "training" / "anystyle-core.xml").getroot()
    return [" ".join("".join(seq.itertext()).split()) for seq in root.iter("sequence")]


def shortcuts_switch():
    """A function that turns the segmenter's shortcuts off (False) and on (True)."""
    import importlib

    from pysbd.utils import Text

    from tracker.text import segmenter

    modules = [importlib.import_module(f"pysbd.{n}") for n in segmenter._PYSBD_MODULES]
    stock = ([module.re for module in modules], Text.apply)
    made = segmenter.segmenter()
    shortcut = ([module.re for module in modules], Text.apply, made.language_module)
    english = made.language_module.__mro__[1]

    def switch(on: bool) -> None:
        res, apply = (shortcut[0], shortcut[1]) if on else stock
        for module, re_module in zip(modules, res, strict=True):
            module.re = re_module
        Text.apply = apply
        made.language_module = shortcut[2] if on else english

    return switch, made


def main() -> int:
    import pysbd.utils

    pysbd_re = pysbd.utils.re
    groups = {
        "articles": article_blocks(),
        "references": references(),
        "plain prose": unique_text(300_000).split("\n\n"),
    }
    assert pysbd_re is re  # nothing has installed the shortcuts yet
    switch, made = shortcuts_switch()
    best = {name: [float("inf"), float("inf")] for name in groups}
    found: dict[str, list] = {}
    for _ in range(ROUNDS):
        for name, texts in groups.items():
            for on in (False, True):
                switch(on)
                start = time.perf_counter()
                result = [made.processor(text).process() for text in texts]
                best[name][on] = min(best[name][on], time.perf_counter() - start)
                found[f"{name}{on}"] = result
    switch(True)
    ratios = {}
    for name, texts in groups.items():
        megabytes = sum(map(len, texts)) / 1e6
        stock_seconds, seconds = best[name]
        differing = sum(
            a != b
            for a, b in zip(found[f"{name}False"], found[f"{name}True"], strict=True)
        )
        ratios[name] = stock_seconds / seconds if not differing else 0.0
        print(
            f"  {name:12s} {len(texts):5d} texts {megabytes:5.2f} MB:"
            f" pysbd {stock_seconds / megabytes:5.2f} s/MB,"
            f" segmenter {seconds / megabytes:5.2f} s/MB,"
            f" {ratios[name]:4.1f}x, {differing} texts with other sentences"
        )
    met = ratios["articles"] >= TARGET and all(ratios.values())
    print(
        f"segmentation: {ratios['articles']:.1f}x pysbd on articles"
        f" (target >= {TARGET}x, same sentences): {'met' if met else 'missed'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
