"""Named pieces of regular expressions that several readers share.

Each is a fragment to build patterns with, not a compiled pattern: a year, a capital
letter, the particles of family names.
"""

#: A publication year as references write it (1600 to 2099).
YEAR = r"(?:1[6-9]\d\d|20\d\d)"

#: The number of an entry in a reference list, or of a citation marker: lists of
#: 100,000 entries and more are numbered too.
LIST_NUMBER = r"[0-9]{1,6}"

#: Capital letters (inside a character class): ASCII, Latin-1 and Latin Extended-A.
UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"

#: Particles that belong to a family name ("van Gogh", "de la Cruz").
PARTICLES = frozenset(
    {
        "van",
        "von",
        "de",
        "der",
        "den",
        "di",
        "da",
        "del",
        "della",
        "la",
        "le",
        "du",
        "dos",
        "das",
        "ten",
        "ter",
        "zu",
        "bin",
        "al",
        "el",
        "st.",
        "mc",
        "o'",
    }
)
#: The particles that stand between two capitalised names in running text.
NAME_PARTICLES = r"van|von|de|der|den|di|da|del|la|le|du"

#: Words that journal abbreviations and word lists leave out.
FUNCTION_WORDS = frozenset(
    {"of", "the", "and", "for", "in", "on", "a", "an", "&", "de", "la", "der", "und", "et"}
)  # fmt: skip
