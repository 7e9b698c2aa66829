"""Rows the benchmarks' databases share (imported as a sibling: each benchmark runs as
a script from this folder)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

from tracker.checks.designs import LEVELS
from tracker.vocabulary import NOTICE_KINDS, STANCES


def article_rows(count: int, now: str, first_text: str | None = None) -> Iterator[dict]:
    """``count`` articles, ids from 1, each with a short text of its own (the first
    with ``first_text`` when given) and a distinct digest."""
    for n in range(1, count + 1):
        yield {
            "id": n,
            "title": f"Article {n}",
            "text": first_text if n == 1 and first_text else f"Text of article {n}.",
            "sha256": f"{n:064x}",
            "ingested_at": now,
        }


def evidence_rows(
    pairs: Iterable[tuple[int, int]], rng: random.Random, now: str
) -> Iterator[dict]:
    """Evidence links for (claim, work) pairs, each with a random stance."""
    for claim, work in pairs:
        yield {
            "claim_id": claim,
            "work_id": work,
            "stance": rng.choice(STANCES),
            "created_at": now,
            "updated_at": now,
        }


def work_rows(count: int, rng: random.Random, now: str) -> list[dict]:
    """``count`` fetched journal articles, each with a study design and its level; one
    in a hundred retracted, corrected or questioned."""
    designs = sorted(LEVELS)
    works = []
    for n in range(1, count + 1):
        design = rng.choice(designs)
        works.append(
            {
                "id": n,
                "doi": f"10.5555/bench.{n}",
                "type": "journal-article",
                "title": f"Work {n} on <i>intestinal</i> permeability",
                "container_title": f"Journal {n % 400}",
                "year": 1990 + n % 35,
                "fetch_status": "ok",
                "created_at": now,
                "study_design": design,
                "evidence_level": LEVELS[design],
                "evidence_level_source": "inferred",
                "integrity": rng.choice(NOTICE_KINDS) if n % 100 == 0 else None,
            }
        )
    return works
