import pytest

from tracker.bib.citekeys import base_key, new_keys, unique_key


@pytest.mark.parametrize(
    "family, year, title, key",
    [
        (
            "Di Tommaso",
            2021,
            "Intestinal Barrier in Human Health and Disease",
            "ditommaso2021intestinal",
        ),
        (
            "Abdelhamid",
            2018,
            "Retinoic Acid, Leaky Gut, and Autoimmune Diseases",
            "abdelhamid2018retinoic",
        ),
        ("Müller-Łukasz", 2020, "The <i>E. coli</i> genome", "mullerlukasz2020e"),
        ("van der Berg", None, "On the origin of species", "vanderbergorigin"),
        (None, 1999, None, "anon1999"),
        ("O’Connor", 2001, "A 2001 odyssey", "oconnor2001odyssey"),
    ],
)
def test_base_key(family, year, title, key):
    assert base_key(family, year, title) == key


def test_clash_suffixes():
    taken = {"smith2020gut", "smith2020guta"}
    assert unique_key("smith2020gut", taken) == "smith2020gutb"
    assert unique_key("new2020", taken) == "new2020"
    taken = {"k"} | {f"k{chr(c)}" for c in range(ord("a"), ord("z") + 1)}
    assert unique_key("k", taken) == "kaa"


def test_keys_compare_without_case():
    """BibTeX takes Smith2020 and smith2020 for one key."""
    assert unique_key("abdelhamid2018retinoic", {"Abdelhamid2018retinoic"}) == (
        "abdelhamid2018retinoica"
    )


def test_a_clash_group_of_any_size_gets_distinct_keys():
    works = [(n, "Smith", 2020, "Gut health") for n in range(2000)]
    keys = new_keys(works, taken=["smith2020gut"])
    assert len(set(keys.values())) == 2000
    assert keys[0] == "smith2020guta" and keys[25] == "smith2020gutz"
    assert keys[26] == "smith2020gutaa"
