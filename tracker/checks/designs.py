"""Study designs and levels of evidence. Pure functions.

A work's study design is inferred from its Crossref type, title and abstract, the
phrase that decided it kept as the explanation, and mapped to a level of the Oxford
CEBM 2011 table (for questions of treatment benefit): 1 systematic reviews and
meta-analyses, 2 randomised trials, 3 cohort studies, 4 case-control, cross-sectional
and case series, 5 mechanism-based reasoning (animal and in-vitro studies). Narrative
reviews, editorials and letters get no level; a preprint whose design cannot be read
gets none either. A reviewer can override both (``tracker work level``).

The title decides before the abstract: an abstract mentions other designs in passing
("unlike previous cohort studies...") far more often than a title does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.normalize import plain_text
from ..vocabulary import DESIGN_LEVELS

LEVELS = DESIGN_LEVELS

#: (design, pattern) in order of precedence: the first that matches decides.
_PATTERNS = [
    ("meta_analysis", r"meta-?\s?analys[ie]s|pooled analysis"),
    (
        "systematic_review",
        r"systematic(?:al)?\s+(?:literature\s+)?review|umbrella review|cochrane review|scoping review",
    ),
    (
        "randomised_controlled_trial",
        r"randomi[sz]ed(?:\s+\w+){0,3}\s+(?:controlled\s+)?trial|\brct\b|double-blind|placebo-controlled",
    ),
    (
        "cohort",
        r"cohort|prospective (?:study|analysis|follow-up)|longitudinal study|follow-up study|population-based study",
    ),
    ("case_control", r"case[-\s]control"),
    ("cross_sectional", r"cross[-\s]sectional|survey of|prevalence study"),
    ("case_report", r"case reports?\b|case series|a case of\b"),
    (
        "animal_or_in_vitro",
        r"\bmice\b|\bmouse\b|\brats?\b|\bmurine\b|\brodents?\b|\bin vitro\b|cell lines?|cultured cells|zebrafish|drosophila|\bpigs?\b|\bbeagles?\b|\bdogs?\b|animal model",
    ),
    ("narrative_review", r"\breview\b|an overview|state of the art|\bperspective\b"),
    (
        "editorial_or_letter",
        r"^(?:editorial|letter|comment(?:ary)?|correspondence|reply|response to|erratum|correction)\b|\beditorial\b",
    ),
]
_COMPILED = [
    (design, re.compile(pattern, re.IGNORECASE)) for design, pattern in _PATTERNS
]


@dataclass(frozen=True)
class Design:
    design: str
    level: int | None
    reason: str


def classify(work_type: str | None, title: str | None, abstract: str | None) -> Design:
    """The study design of a work, its level, and the phrase that decided them."""
    for source, text in (("title", title), ("abstract", abstract)):
        if not text:
            continue
        for design, pattern in _COMPILED:
            match = pattern.search(plain_text(text))
            if match:
                return Design(design, LEVELS[design], f'{source}: "{match.group()}"')
    if work_type == "posted-content":
        return Design("preprint", None, "Crossref type: posted-content")
    if work_type == "peer-review":
        return Design("editorial_or_letter", None, "Crossref type: peer-review")
    return Design("unknown", None, "no design named in the title or abstract")
