import pytest

from tests.helpers import random_texts
from tracker.text.markers import MarkerStyle
from tracker.text.sentences import is_claim, sentence_spans

BRACKETS = MarkerStyle(brackets=True)


def sentences(text: str, style: MarkerStyle = BRACKETS) -> list[str]:
    [spans] = sentence_spans(text, [(0, len(text))], style)
    return [text[start:end] for start, end in spans]


def test_segmenter_survives_abbreviations_decimals_and_quotes():
    text = (
        "Inflammatory bowel disease (IBD) affects 0.3% of Europeans, e.g. in Germany. "
        "Smith et al. reported this in Int J. Epidemiol. 2019;48(2):123-130. "
        "He said “it works.” Then it failed."
    )
    assert sentences(text) == [
        "Inflammatory bowel disease (IBD) affects 0.3% of Europeans, e.g. in Germany.",
        "Smith et al. reported this in Int J. Epidemiol. 2019;48(2):123-130.",
        "He said “it works.”",
        "Then it failed.",
    ]


def test_line_breaks_inside_a_block_are_wrapping():
    text = "A\nhealthy diet provides the body with essential nutrition: fluid,\nand adequate calories.[1][2] It matters."
    assert (
        sentences(text)[0]
        == "A\nhealthy diet provides the body with essential nutrition: fluid,\nand adequate calories.[1][2]"
    )


def test_markers_pushed_to_the_next_line_go_back():
    text = "It lowers disease risks, such as obesity and cancer.\n[1][5]"
    assert sentences(text) == [text]


def test_flattened_superscripts_end_sentences():
    text = "Fish oil lowers triglycerides.1,2 The effect on events is less certain.3"
    assert sentences(text, MarkerStyle(flattened=True)) == [
        "Fish oil lowers triglycerides.1,2",
        "The effect on events is less certain.3",
    ]


def test_a_long_block_gives_the_same_sentences_in_pieces():
    sentence = "Dietary fibre feeds the microbiota in the colon of healthy adults. "
    text = sentence * 200
    assert len(sentences(text.strip())) == 200


@pytest.mark.parametrize(
    "sentence, claim",
    [
        (
            "Under normal and healthy circumstances, the intestinal lining is selectively permeable.",
            True,
        ),
        ("So, what comes first, leaky gut or chronic disease?", False),
        ("Please keep in mind this is not an exhaustive list of conditions.", False),
        (
            "The term leaky gut has gained popularity, so let’s talk about what it means…",
            False,
        ),
        ("Subscribe to our newsletter for more tips on gut health.", False),
        ("Updated: Aug 26, 2023", False),
        ("2 min read", False),
        ("Hello everyone and welcome back to the blog!", False),
        ("**** American Heart Association[edit] ****", False),
        ("Smoking kills.[3]", True),
        ("See [3].", False),
        ("Smoking causes cancer.[3]", True),
    ],
)
def test_is_claim(sentence, claim):
    assert is_claim(sentence, has_markers="[3]" in sentence) == claim


@pytest.mark.parametrize(
    "sentence",
    [
        "Talk to your doctor first!",
        "Avoid processed meat and sugary drinks as much as you can.",
        "Make sure you drink enough water every single day.",
        "Don't skip breakfast if you exercise in the morning.",
        "Try adding more fibre to your meals over the next few weeks.",
        "This is amazing news for anyone with a sensitive gut!",
    ],
)
def test_advice_and_exclamations_are_not_claims(sentence):
    assert not is_claim(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Use of antibiotics in early life is linked to later obesity.",
        "Eating more fibre lowers the risk of colorectal cancer.",
        "Check-ups are recommended every six months for adults.",
    ],
)
def test_statements_that_begin_like_verbs_are_claims(sentence):
    assert is_claim(sentence)


def test_every_cited_sentence_is_a_claim():
    assert is_claim("Talk to your doctor first [3]!", has_markers=True)
    assert is_claim("Does fibre help (Smith 2020)?", has_markers=True)


def test_the_quick_look_for_calls_to_action_misses_none():
    """Texts made of the pieces the pattern looks for, with letters that a case-blind
    pattern takes for ASCII ones: the quick look answers as the pattern does."""
    from tracker.text import sentences as module

    pieces = ["let", "LET", "ſ", "s", "’", "'", "click", "ClIcK", "here", "ſubſcribe"]
    pieces += ["SUBSCRIBE", "İ", "\u212a", " ", "x", "-", "subscribed", "lets"]
    for text in random_texts(pieces, count=5000, longest=8, seed=4, shortest=1):
        assert module._calls_to_action_within(text) == bool(
            module._ANYWHERE_CTA.search(text)
        ), text


@pytest.mark.parametrize("count", [2, 5, 20])
def test_words_are_counted_as_the_word_pattern_finds_them(count):
    from tracker.text import sentences as module

    pieces = ["a", "bc", "É", "ſ", "x'y", "’", "-", "1", "2b", "_", " ", "\n", ".", "—"]
    for text in random_texts(pieces, count=3000, longest=3 * count, seed=count):
        expected = len(module._WORD.findall(text)) >= count
        assert module._has_words(count, text) == expected, text
