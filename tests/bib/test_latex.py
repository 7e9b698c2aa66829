import pytest

from tests.helpers import random_texts
from tracker.bib.latex import (
    escape,
    latex_to_text,
    title_to_latex,
    to_ascii,
)


@pytest.mark.parametrize(
    "text, latex",
    [
        ("50% & more #1 $5 a_b", r"50\% \& more \#1 \$5 a\_b"),
        (
            "{braces} ~ ^",
            r"\textbraceleft{}braces\textbraceright{} \textasciitilde{} \textasciicircum{}",
        ),
        (
            r"\input{/etc/passwd}",
            r"\textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{}",
        ),
        (
            "unbalanced } { }",
            r"unbalanced \textbraceright{} \textbraceleft{} \textbraceright{}",
        ),
    ],
)
def test_escape(text, latex):
    assert escape(text) == latex


@pytest.mark.parametrize(
    "title, latex",
    [
        (
            "Intestinal Barrier in Human Health and Disease",
            "Intestinal Barrier in Human Health and Disease",
        ),
        (
            "The role of DNA methylation in IBD patients from Germany",
            "The role of {DNA} methylation in {IBD} patients from {Germany}",
        ),
        (
            "mRNA vaccines: COVID-19 and CRISPR-Cas9",
            "{mRNA} vaccines: {COVID-19} and {CRISPR-Cas9}",
        ),
        (
            "Growth of <i>E. coli</i> in H<sub>2</sub>O",
            r"Growth of \textit{E. coli} in H$_{2}$O",
        ),
        ("Mass of 10<sup>6</sup> stars", "Mass of 10$^{6}$ stars"),
        ("Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;", r"Tom \& Jerry \textbf{bold}"),
        ("<script>alert(1)</script> safe", "alert(1) safe"),
        (
            "A } and \\input{/etc/passwd} % #",
            r"A \textbraceright{} and \textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{} \% \#",
        ),
    ],
)
def test_title_to_latex(title, latex):
    assert title_to_latex(title) == latex


def test_ascii_accents():
    assert to_ascii("Müller–Łukasz") == r"M{\"u}ller{\textendash}{\L}ukasz"
    assert title_to_latex("Gut flora of people living in Zürich", ascii=True) == (
        r"Gut flora of people living in {Z{\"u}rich}"
    )
    assert escape("naïve & café", ascii=True) == r"na{\"\i}ve \& caf{\'e}"


def test_decoding():
    assert (
        latex_to_text(r"M{\"u}ller \textit{in vivo} {DNA} 61--65")
        == "Müller in vivo DNA 61–65"
    )
    assert latex_to_text("plain   text") == "plain text"


def test_ascii_output_is_ascii_and_says_what_it_dropped():
    from tracker.bib.latex import dropped_characters, to_ascii

    with dropped_characters() as dropped:
        text = to_ascii("Müller 한국어 \ufffd\x85 ﬁsh ％ done")
    assert text.isascii()
    assert text.startswith('M{\\"u}ller') and "{fi}sh" in text and "\\%" in text
    assert dropped == {"한", "국", "어", "\ufffd", "\x85"}


def character_walk(value):
    """What tracker.bib.latex._simple_decode did before it was one substitution."""
    from tracker.bib.latex import _UNESCAPE

    out, index = [], 0
    while index < len(value):
        character = value[index]
        if character == "\\" and index + 1 < len(value):
            out.append(_UNESCAPE.get(value[index + 1], value[index + 1]))
            index += 2
            continue
        if character not in "{}":
            out.append(" " if character == "~" else character)
        index += 1
    return "".join(out).replace("---", "—").replace("--", "–")


def test_the_plain_decoder_reads_as_the_character_walk_did():
    from tracker.bib.latex import _simple_decode

    texts = random_texts("ab{}\\~-&%$#_ \n", count=5000, longest=24, seed=8)
    texts += ["Caf\\'e", "\\", "a\\", "--- and -- x", "{\\&} ~ {}", "\\\\{"]
    assert [_simple_decode(t) for t in texts] == [character_walk(t) for t in texts]
