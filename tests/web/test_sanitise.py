"""Titles keep their formatting and nothing else."""

import pytest

from tracker.web.plugins import sanitise


@pytest.mark.parametrize(
    "title, shown",
    [
        ("Plain title", "Plain title"),
        ("<i>E. coli</i> in H<sub>2</sub>O", "<i>E. coli</i> in H<sub>2</sub>O"),
        ("<jats:italic>In vivo</jats:italic> work", "In vivo work"),
        ("<jats:sub>2</jats:sub>", "<sub>2</sub>"),
        ("A <script>alert(1)</script> title", "A alert(1) title"),
        ('<img src=x onerror="alert(1)">Image', "Image"),
        ('<i onclick="alert(1)">clicked</i>', "<i>clicked</i>"),
        ("Unclosed <b>bold", "Unclosed <b>bold</b>"),
        ("Stray </i> close", "Stray  close"),
        ("<i><b>both</i> after", "<i><b>both</b></i> after"),
        ("Less < than & more > 5", "Less &lt; than &amp; more &gt; 5"),
        (
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
        ("<!-- a comment -->Text", "&lt;!-- a comment --&gt;Text"),
        ("Caf&eacute; &amp; bar", "Café &amp; bar"),
        ("<SUP>2</SUP>", "<sup>2</sup>"),
    ],
)
def test_sanitise(title, shown):
    assert sanitise(title) == shown
