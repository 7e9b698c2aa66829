"""The tracker's fixed vocabularies, in one place.

The schema's triggers refuse any other value, the command line offers these as its
choices, and the web forms as their options, so each word is defined here and nowhere
else. Pure constants: this module imports nothing.
"""

#: How a work bears on a claim; ``cites``: linked (by the article), not yet judged.
STANCES = ("supports", "contradicts", "mentions", "cites")
DEFAULT_STANCE = "cites"
#: Stances that count as support when the strength of a claim's evidence is judged.
SUPPORTING_STANCES = ("supports", "cites")

#: A reviewer's verdict on a claim.
CLAIM_STATUSES = (
    "unreviewed",
    "supported",
    "partly_supported",
    "unsupported",
    "contradicted",
)
DEFAULT_STATUS = "unreviewed"

#: Whether a work's metadata has been fetched.
FETCH_STATUSES = ("pending", "ok", "not_found", "error")

#: Where a citation's DOI came from: written in the reference, matched by `resolve`,
#: or set by hand.
DOI_SOURCES = ("text", "matched", "manual")

#: A reference compared with its work's record, as a whole ...
VERDICTS = ("ok", "minor", "mismatch", "wrong_work")
#: ... and field by field (``missing``: one side does not give the field).
FIELD_RESULTS = ("ok", "minor", "mismatch", "missing")
#: Verdicts that mean the reference disagrees with the record.
DISAGREEING_VERDICTS = ("minor", "mismatch", "wrong_work")

#: Study designs, each with its Oxford CEBM 2011 level (None: no level).
DESIGN_LEVELS = {
    "systematic_review": 1,
    "meta_analysis": 1,
    "randomised_controlled_trial": 2,
    "cohort": 3,
    "case_control": 4,
    "cross_sectional": 4,
    "case_report": 4,
    "animal_or_in_vitro": 5,
    "narrative_review": None,
    "editorial_or_letter": None,
    "preprint": None,
    "unknown": None,
}
STUDY_DESIGNS = tuple(DESIGN_LEVELS)
EVIDENCE_LEVELS = (1, 2, 3, 4, 5)
#: The levels as forms offer them: "none" for a work with no level.
LEVEL_CHOICES = ("1", "2", "3", "4", "5", "none")
#: Who set a work's level: inferred from its record, or a reviewer.
LEVEL_SOURCES = ("inferred", "reviewer")

#: Retraction and correction notices, most serious first.
NOTICE_KINDS = ("retracted", "withdrawn", "concern", "corrected")

#: Where a work's citation key came from.
CITEKEY_SOURCES = ("generated", "imported", "manual")

#: Problems reported without making ``check`` exit with 1.
NOT_SERIOUS = ("minor",)
