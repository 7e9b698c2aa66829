"""Show titles with their formatting (italics, sub- and superscripts) and nothing else.

Crossref titles carry markup (``<i>E. coli</i>``, ``H<sub>2</sub>O``) and may carry
anything. A title cell is rebuilt from its text, escaped, with only these harmless tags
put back; a ``<script>`` in a title is shown as text and never runs.
"""

from html.parser import HTMLParser

from datasette import hookimpl
from markupsafe import Markup, escape

ALLOWED = {"i", "em", "b", "strong", "sub", "sup", "sc", "u"}
TITLE_COLUMNS = {"title", "work_title", "subtitle"}


class _Sanitiser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.open = []

    def handle_starttag(self, tag, attrs):
        name = tag.split(":")[-1]
        if name in ALLOWED:
            self.open.append(name)
            self.parts.append(f"<{name}>")

    def handle_endtag(self, tag):
        name = tag.split(":")[-1]
        if name in self.open:
            while self.open:
                closing = self.open.pop()
                self.parts.append(f"</{closing}>")
                if closing == name:
                    break

    def handle_data(self, data):
        self.parts.append(str(escape(data)))

    def result(self):
        self.close()
        return "".join(self.parts) + "".join(f"</{tag}>" for tag in reversed(self.open))


def sanitise(value: str) -> Markup:
    parser = _Sanitiser()
    parser.feed(value)
    return Markup(parser.result())


@hookimpl
def render_cell(value, column):
    if column not in TITLE_COLUMNS or not isinstance(value, str) or "<" not in value:
        return None
    return sanitise(value)
