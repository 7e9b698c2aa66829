"""The segmenter gives stock pysbd's sentences, text for text.

Stock pysbd runs in a separate interpreter that never imports the tracker, so the
shortcuts cannot leak into what they are compared with.
"""

import json
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.helpers import REPO, random_texts, shared_path
from tracker.ingest import read_article
from tracker.text import segmenter
from tracker.text.needs import may_match, needed_classes
from tracker.text.segmenter import FOLDS_TO_ASCII, sentences

STOCK = """
import json, sys
import pysbd
segmenter = pysbd.Segmenter(language="en", clean=False)
texts = json.load(sys.stdin)
json.dump([segmenter.processor(text).process() if text else [] for text in texts], sys.stdout)
"""

#: Texts written to reach pysbd's rules: abbreviations in every case and position,
#: letters that fold to ASCII, lists, numbers, quotes, parentheses, ellipses.
HAND_MADE = [
    "Dr. Smith met DR. Jones and dr. Who at 3 p.m. on Jan. 5. They talked.",
    "See fig. 2 and Fig. 3; cf. p. 12, pp. 4-5 and No. 7. It is art. 5 of the act.",
    "The ſt. Louis team and the ſt Paul team. The \u212aelvin scale is absolute.",
    "İstanbul is big. I.e. it has many people. E.g. fifteen million.",
    "1. First item 2. Second item 3. Third item. Then prose.",
    "a. alpha b. beta c. gamma. (i) one (ii) two (iii) three.",
    "The U.S. economy grew. The U.S.A. is large. The E.U. is too.",
    "He said “it works.” Then it failed… Or did it? Yes!!! No?!",
    "Prices rose 2.5% in 2019.[12] Costs fell (see Table 1). Et al. wrote it.",
    "Mr. and Mrs. Smith, Ph.D., visited St. Mary’s; Capt. Ahab, Gen. Lee. Done.",
    "Visit www.example.com. Email a.b@example.org. Open file.pdf. Then stop.",
    "He's 5 ft. 10 in. tall. It weighs 3 lbs. Approx. 4 oz. Next sentence.",
    "Inflammatory bowel disease (IBD) affects 0.3% of Europeans, e.g. in Germany.",
    "'Quoted,' she said. 'Another.' (A parenthetical. With periods.) End.",
    "Vol. 3, no. 2, ed. by J. R. R. Tolkien et al. (eds.). London: Allen.",
]


def stock_sentences(texts: list[str]) -> list[list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", STOCK],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def article_blocks(path: Path) -> list[str]:
    """The article's blocks, flattened as segmentation sees them."""
    document = read_article(str(path)).document
    return [
        document.content(block).replace("\r", " ").replace("\n", " ")
        for block in document.blocks
    ]


def assert_same_as_stock(texts: list[str]) -> None:
    expected = stock_sentences(texts)
    differing = [
        (text, want, got)
        for text, want in zip(texts, expected, strict=True)
        if (got := sentences(text)) != want
    ]
    assert not differing, differing[:3]


def test_hand_made_texts_give_stock_sentences():
    assert_same_as_stock(HAND_MADE)


def test_the_project_s_articles_give_stock_sentences():
    paths = sorted((REPO / "tests" / "articles").glob("*.*"))
    texts = [
        block
        for path in paths
        if path.suffix in (".md", ".html", ".txt")
        for block in article_blocks(path)
    ]
    texts += article_blocks(REPO / "examples" / "leaky-gut.txt")
    assert len(texts) > 300
    assert_same_as_stock(texts)


def test_shared_articles_give_stock_sentences():
    folder = shared_path("articles")
    texts = [
        block for path in sorted(folder.glob("*.txt")) for block in article_blocks(path)
    ]
    assert_same_as_stock(texts)


def test_real_references_give_stock_sentences():
    root = ElementTree.parse(REPO / "training" / "anystyle-core.xml").getroot()
    texts = [" ".join("".join(seq.itertext()).split()) for seq in root.iter("sequence")]
    assert len(texts) == 1514
    assert_same_as_stock(texts)


def test_random_texts_give_stock_sentences():
    """Words, abbreviations, numbers and punctuation shuffled into 600 texts."""
    pieces = [
        "the",
        "gut",
        "barrier",
        "Dr.",
        "dr.",
        "DR.",
        "e.g.",
        "i.e.",
        "U.S.",
        "al.",
        "et",
        "Fig.",
        "fig.",
        "p.",
        "pp.",
        "No.",
        "no.",
        "vs.",
        "approx.",
        "St.",
        "ſt.",
        "K",
        "İ",
        "ı",
        "a.",
        "b.",
        "i.",
        "ii.",
        "iv.",
        "(a)",
        "(b)",
        "(iv)",
        "1.",
        "2.",
        "3.",
        "12.",
        "1)",
        "2)",
        "3.5",
        "2019",
        "[1]",
        "[2,3]",
        "(",
        ")",
        "“",
        "”",
        "'",
        '"',
        "?",
        "!",
        "...",
        "…",
        ";",
        ":",
        ",",
        "-",
        "—",
        "a.m.",
        "p.m.",
        "Mr.",
        "Mrs.",
        "Ph.D.",
        "Inc.",
        "Co.",
        "Jan.",
        "Feb.",
        "www.x.com",
        "file.pdf",
        "∯",
        "&",
        "♨",
    ]
    rng = random.Random(12)
    texts = []
    for _ in range(600):
        words = [rng.choice(pieces) for _ in range(rng.randint(1, 40))]
        text = " ".join(words)
        texts.append(text[0].upper() + text[1:] + rng.choice([".", "", "?", "!"]))
    assert_same_as_stock(texts)


def test_the_letters_that_fold_to_ascii_are_all_known():
    everything = "".join(map(chr, range(128, 0x110000)))
    folding = {
        character: next(
            a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(a, character, re.I)
        )
        for character in re.findall("[a-z]", everything, re.IGNORECASE)
    }
    assert folding == FOLDS_TO_ASCII


def pysbd_patterns() -> list[tuple[str, int]]:
    """The patterns pysbd runs, as (pattern, flags): those it ran on the hand-made
    texts and one real article."""
    import pysbd.utils

    for text in HAND_MADE + article_blocks(REPO / "examples" / "leaky-gut.txt"):
        sentences(text)
    guarded = pysbd.utils.re
    assert isinstance(guarded, segmenter.GuardedRe)
    return [
        (pattern.pattern, pattern.flags)
        if isinstance(pattern, re.Pattern)
        else (pattern, flags)
        for pattern, flags in guarded.patterns()
    ]


def test_a_pattern_never_matches_a_text_that_lacks_what_it_needs():
    """For each of pysbd's patterns, 200 random texts drawn from the characters its
    rules are about: whenever the check says "cannot match", it does not."""
    patterns = pysbd_patterns()
    assert len(patterns) > 150
    alphabet = "aZ .,;:!?-()[]{}'\"“”’0123456789∯♨☝&ᓴᓷ✂⌬ȸ\r\n\t…。ſ\u212aIiUSA"
    texts = random_texts(alphabet, count=200, longest=30, seed=5)
    refused = 0
    for pattern, flags in patterns:
        compiled = re.compile(pattern, flags)
        for text in texts:
            if not may_match(compiled, text):
                refused += 1
                assert compiled.search(text) is None, (pattern, text)
    assert refused > 1000  # the check does decide something


@pytest.mark.parametrize(
    "pattern, needed",
    [
        (r"(?<=\s)\d{1,2}♨", {"[♨]", r"[\d]", r"♨(?<=[\d]♨)"}),
        (r"\((?P<number>\d+)\)", {r"[\(]", r"[\)]", r"[\d]", r"\([\d]"}),
        # runs of characters, from the first literal one
        (r"(\s\.){3}\s", {r"\.(?<=[\s]\.)[\s]\.[\s]\."}),
        (r"(?<=\s[A-Z])\.(?=,?\s)", {r"\.(?<=[\s][A-Z]\.)"}),  # looks behind
        (r"(?<=\S)\.{3}(?=\.\s[A-Z])", {r"\.\.\.\.[\s][A-Z]"}),
        (r"\b[a-z](?:\.[a-z])+[.]", {r"\.(?<=[a-z]\.)[a-z]"}),
        (r"x(?!y)\.z", {r"x\.z"}),  # a negative look-ahead takes no characters
        (r"\.\s", set()),  # every sentence has one
        (r"(?:∯|♨)x", {"[∯♨]", "x(?<=[∯♨]x)"}),
        (r"a(?:bc){2,5}d", {"abc"}),  # only the first and last time round are known
        (r"a?∯", {"[∯]"}),
        (r"x*y", set()),  # prose letters are not worth checking
        (r"(?i:∯)", set()),
        (r"[^∯]", set()),
        (r"\d{0,3}∯|x", set()),  # one branch needs nothing
    ],
)
def test_needed_classes_reads_patterns(pattern, needed):
    assert {need.pattern for need in needed_classes(pattern)} == needed


def test_a_pattern_never_matches_a_text_that_lacks_the_runs_it_needs():
    """Short texts from the few characters pysbd's runs are made of, so that the runs
    (". . .", "e.g.", "...") occur and are missed by one character."""
    patterns = pysbd_patterns()
    alphabet = "ab. \n1(),?!Z"
    texts = random_texts(alphabet, count=2000, longest=12, seed=8)
    checked = 0
    for pattern, flags in patterns:
        compiled = re.compile(pattern, flags)
        runs = [
            need for need in needed_classes(pattern, flags) if len(need.pattern) > 4
        ]
        for run in runs:
            checked += 1
            for text in texts:
                if run.search(text) is None:
                    assert compiled.search(text) is None, (pattern, run.pattern, text)
    assert checked > 10


def test_faster_patterns_find_what_pysbd_s_find():
    from pysbd.lists_item_replacer import ListItemReplacer

    assert set(segmenter.FASTER_FINDALL) == {
        ListItemReplacer.ALPHABETICAL_LIST_WITH_PERIODS,
        ListItemReplacer.ALPHABETICAL_LIST_WITH_PARENS,
    }
    alphabet = "abz.() \n\t\u2003Aé1"
    texts = random_texts(alphabet, count=5000, longest=14, seed=9)
    for slow, fast in segmenter.FASTER_FINDALL.items():
        for text in texts:
            assert re.findall(fast, text) == re.findall(slow, text), (slow, text)


def test_other_pysbd_releases_run_as_shipped():
    script = (
        "import re, pysbd, pysbd.utils\n"
        "from pysbd.lang.english import English\n"
        "pysbd.__version__ = '9.9.9'\n"
        "from tracker.text import segmenter\n"
        "made = segmenter.segmenter()\n"
        "assert pysbd.utils.re is re and made.language_module is English\n"
        "print(segmenter.sentences('Dr. Smith came. He left.'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['Dr. Smith came.', 'He left.']"
