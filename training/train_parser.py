"""Train the reference parser's model from this folder's files, deterministically.

    python training/train_parser.py            # the model in tracker/text/data/
    python training/train_parser.py --folds 5  # cross-validated field accuracy

Inputs, all in the repository: ``anystyle-core.xml`` (1,514 labelled real
references, AnyStyle's, BSD-2: ``anystyle-LICENSE``), ``journal_abbreviations_entrez.csv``
(MEDLINE journal titles and abbreviations, CC0: the journal-word dictionary), and the
recorded Crossref records in ``tests/fixtures/crossref`` (given names and publishers,
facts). Outputs, in ``tracker/text/data``: the model, its description, and the word
lists the features read.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

import pycrfsuite

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tracker.text import features  # noqa: E402
from tracker.text.normalize import fold  # noqa: E402
from tracker.text.parser import (  # noqa: E402
    MODEL,
    PARSER_VERSION,
    TRAINING_LABELS,
    clean_reference,
    fields,
    segments,
)
from tracker.text.patterns import FUNCTION_WORDS  # noqa: E402

CORE = HERE / "anystyle-core.xml"
#: References of the shared articles, labelled the same way; always trained on.
SHARED = HERE / "shared-references.xml"
JOURNALS = HERE / "journal_abbreviations_entrez.csv"
RECORDS = REPO / "tests" / "fixtures" / "crossref"
DATA = REPO / "tracker" / "text" / "data"
PARAMETERS = {
    "c1": 0.1,
    "c2": 0.1,
    "max_iterations": 300,
    "feature.possible_transitions": True,
    "feature.minfreq": 2,
}
_PUBLISHER_WORDS = {
    "press", "publishing", "publishers", "publisher", "verlag", "books", "university",
    "springer", "elsevier", "wiley", "routledge", "sage", "pergamon", "academic",
    "blackwell", "macmillan", "penguin", "norton", "harper", "oxford", "cambridge",
    "mit", "taylor", "francis", "crc", "informa", "kluwer", "nature", "ieee", "acm",
    "karger", "thieme", "mdpi", "frontiers", "hindawi", "lippincott", "saunders",
    "mosby", "mcgraw", "hill", "prentice", "pearson", "éditions", "gallimard",
    "editorial", "siglo", "suhrkamp", "beck", "gruyter", "brill", "bloomsbury",
}  # fmt: skip


def sequences(path: Path = CORE) -> list[tuple[str, list[str]]]:
    """(reference, token labels) for every labelled reference of a dataset file."""
    root = ElementTree.parse(path).getroot()
    found = []
    for sequence in root.iter("sequence"):
        parts, labels = [], []
        for element in sequence:
            text = clean_reference(element.text or "")
            if not text:
                continue
            name = TRAINING_LABELS.get(element.tag, element.tag)
            parts.append(text)
            labels += [name] * len(features.tokenize(text))
        found.append((" ".join(parts), labels))
    return found


def build_dictionaries() -> dict[str, list[str]]:
    """The word lists the features look tokens up in."""
    given: Counter[str] = Counter()
    publishers: set[str] = set(_PUBLISHER_WORDS)
    for path in sorted(RECORDS.rglob("*.json")):
        try:
            message = json.loads(path.read_text(encoding="utf-8")).get("message")
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
            continue
        if not isinstance(message, dict) or "DOI" not in message:
            continue
        for person in message.get("author") or []:
            for word in re.findall(r"[^\W\d_]{2,}", person.get("given") or ""):
                given[features.word_of(word)] += 1
        for word in re.findall(r"[^\W\d_]{3,}", message.get("publisher") or ""):
            publishers.add(features.word_of(word))
    journal: Counter[str] = Counter()
    with JOURNALS.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            for value in row[:2]:
                for word in fold(value).split():
                    journal[word] += 1
    return {
        "given": sorted(w for w in given if w and w not in FUNCTION_WORDS),
        "journal": sorted(
            w
            for w, n in journal.items()
            if n >= 5 and len(w) > 1 and w not in FUNCTION_WORDS
        ),
        "publisher": sorted(w for w in publishers if w and w not in FUNCTION_WORDS),
    }


def journal_names() -> list[str]:
    """Every journal title and abbreviation of the MEDLINE list, folded to words."""
    names = set()
    with JOURNALS.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            for value in row[:2]:
                folded = fold(value)
                if folded:
                    names.add(folded)
    return sorted(names)


def write_dictionaries(lists: dict[str, list[str]]) -> None:
    for name, words in lists.items():
        (DATA / f"words-{name}.txt").write_text(
            "\n".join(words) + "\n", encoding="utf-8"
        )
    text = "\n".join(journal_names()).encode("utf-8")
    # mtime=0: the same input gives the same bytes.
    (DATA / "journals.txt.gz").write_bytes(gzip.compress(text, 9, mtime=0))
    features.dictionaries.cache_clear()
    features.journal_names.cache_clear()


def train(data: list[tuple[str, list[str]]], path: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for reference, labels in data:
        trainer.append(
            features.token_features(features.tokenize(reference), reference), labels
        )
    trainer.set_params(PARAMETERS)
    trainer.train(str(path))


#: The fields measured, as the tracker's checks use them.
def measured(reference: str, labels: list[str]) -> dict[str, str | None]:
    tokens = features.tokenize(reference)
    parsed = fields(reference, segments(reference, tokens, labels))
    first = parsed.authors[0].family if parsed.authors else None
    return {
        "year": str(parsed.year) if parsed.year else None,
        "first author": fold(first) or None,
        "title": fold(parsed.title) or None,
        "container": fold(parsed.container) or None,
        "volume": parsed.volume,
        "pages": parsed.pages,
        "publisher": fold(parsed.publisher) or None,
    }


def cross_validate(
    data: list[tuple[str, list[str]]], folds: int, extra: list[tuple[str, list[str]]]
) -> dict:
    """Field and token accuracy over ``folds`` folds of ``data`` (every n-th reference
    held out); ``extra`` is always trained on."""
    right: Counter[str] = Counter()
    present: Counter[str] = Counter()
    tokens_right = tokens_all = 0
    work = DATA / "cv.crfsuite"
    for fold_number in range(folds):
        held = [item for n, item in enumerate(data) if n % folds == fold_number]
        kept = [item for n, item in enumerate(data) if n % folds != fold_number] + extra
        train(kept, work)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(work))
        for reference, gold in held:
            predicted = tagger.tag(
                features.token_features(features.tokenize(reference), reference)
            )
            tokens_right += sum(p == g for p, g in zip(predicted, gold, strict=True))
            tokens_all += len(gold)
            expected, got = measured(reference, gold), measured(reference, predicted)
            for name, value in expected.items():
                if value is not None:
                    present[name] += 1
                    right[name] += got[name] == value
        tagger.close()
    work.unlink(missing_ok=True)
    return {
        "references": len(data),
        "folds": folds,
        "token accuracy": round(tokens_right / tokens_all, 4),
        "fields": {
            name: {"right": right[name], "of": present[name],
                   "accuracy": round(right[name] / present[name], 4)}
            for name in present
        },
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=0, help="cross-validate instead")
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    write_dictionaries(build_dictionaries())
    data, extra = sequences(CORE), sequences(SHARED)
    if args.folds:
        start = time.perf_counter()
        report = cross_validate(data, args.folds, extra)
        report["seconds"] = round(time.perf_counter() - start, 1)
        print(json.dumps(report, indent=2))
        return 0
    train(data + extra, DATA / MODEL)
    description = {
        "feature_version": features.FEATURE_VERSION,
        "parser_version": PARSER_VERSION,
        "training": [CORE.name, SHARED.name],
        "training_sha256": hashlib.sha256(
            CORE.read_bytes() + SHARED.read_bytes()
        ).hexdigest(),
        "references": len(data) + len(extra),
        "parameters": PARAMETERS,
    }
    (DATA / "references.json").write_text(
        json.dumps(description, indent=2) + "\n", encoding="utf-8"
    )
    size = (DATA / MODEL).stat().st_size
    print(
        f"Trained on {len(data) + len(extra)} references: {DATA / MODEL} ({size // 1024} KB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
