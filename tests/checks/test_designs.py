import json

import pytest

from tracker.checks.designs import LEVELS, classify

from ..helpers import CROSSREF


@pytest.mark.parametrize(
    "title, abstract, design, level",
    [
        (
            "Omega-3 fatty acids: a systematic review and meta-analysis",
            None,
            "meta_analysis",
            1,
        ),
        ("Vitamin D and falls: a systematic review", None, "systematic_review", 1),
        (
            "A randomised controlled trial of zinc lozenges",
            None,
            "randomised_controlled_trial",
            2,
        ),
        (
            "Effects of fish oil in adults",
            "In this double-blind, placebo-controlled study...",
            "randomised_controlled_trial",
            2,
        ),
        ("Diet and mortality in the UK Biobank cohort", None, "cohort", 3),
        ("Coffee and liver cancer: a case-control study", None, "case_control", 4),
        (
            "Prevalence of obesity: a cross-sectional analysis",
            None,
            "cross_sectional",
            4,
        ),
        ("A case of scurvy in a teenager", None, "case_report", 4),
        ("Butyrate tightens junctions in mice", None, "animal_or_in_vitro", 5),
        (
            "Retinoic Acid, Leaky Gut, and Autoimmune Diseases",
            "This review summarises...",
            "narrative_review",
            None,
        ),
        ("Editorial: the year in nutrition", None, "editorial_or_letter", None),
        ("Intestinal Barrier in Human Health and Disease", None, "unknown", None),
    ],
)
def test_classify(title, abstract, design, level):
    found = classify("journal-article", title, abstract)
    assert (found.design, found.level) == (design, level)
    assert found.reason.startswith(("title:", "abstract:", "no design"))


def test_the_title_decides_before_the_abstract():
    found = classify(
        "journal-article",
        "A cohort study of sleep",
        "Unlike earlier randomised trials, ...",
    )
    assert found.design == "cohort" and found.reason == 'title: "cohort"'


def test_preprints_and_peer_reviews():
    assert classify("posted-content", "Sleep and memory", None).design == "preprint"
    assert (
        classify("peer-review", "Decision letter", None).design == "editorial_or_letter"
    )


def test_recorded_works_get_a_design():
    designs = set()
    for path in sorted((CROSSREF / "works").glob("*.json")):
        message = json.loads(path.read_text(encoding="utf-8"))["message"]
        abstract = message.get("abstract")
        found = classify(
            message.get("type"), (message.get("title") or [None])[0], abstract
        )
        assert found.level == LEVELS[found.design]
        designs.add(found.design)
    assert {"animal_or_in_vitro", "narrative_review", "preprint", "unknown"} <= designs
