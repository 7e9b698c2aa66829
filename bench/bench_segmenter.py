"""Sentence segmentation: tracker.text.segmenter against stock pysbd, in one process.

The texts are the blocks of the project's articles (examples/ and tests/articles/),
the 1,514 references of training/anystyle-core.xml, and paragraphs of plain prose
made from the example's words. Stock pysbd runs first, before the segmenter's
shortcuts are installed, three rounds each; the best round counts. Both must give the
same sentences (the figure is worthless otherwise). Target: at least 1.5x on articles.
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

ROUNDS = 3
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


def best_time(segment, texts: list[str]) -> tuple[float, list]:
    best, result = float("inf"), []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = [segment(text) for text in texts]
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    import pysbd

    groups = {
        "articles": article_blocks(),
        "references": references(),
        "plain prose": unique_text(300_000).split("\n\n"),
    }
    stock = pysbd.Segmenter(language="en", clean=False)
    baseline = {
        name: best_time(lambda text: stock.processor(text).process(), texts)
        for name, texts in groups.items()
    }
    from tracker.text.segmenter import sentences

    ratios = {}
    for name, texts in groups.items():
        megabytes = sum(map(len, texts)) / 1e6
        stock_seconds, expected = baseline[name]
        seconds, found = best_time(sentences, texts)
        differing = sum(a != b for a, b in zip(expected, found, strict=True))
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
