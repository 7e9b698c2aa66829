"""The Datasette plugin: what every page of a tracker database needs.

* Every connection enforces foreign keys and waits for locks (SQLite leaves keys
  unenforced unless each connection asks, and Datasette does not ask: without this a
  write from the web could point evidence at a claim that does not exist).
* Every DOI is a link to its resolver, escaped like any other value.
* Titles keep their formatting (italics, sub- and superscripts) and nothing else:
  Crossref titles carry markup (``<i>E. coli</i>``, ``H<sub>2</sub>O``) and may carry
  anything, so a title cell is rebuilt from its text, escaped, with only harmless tags
  put back; a ``<script>`` in a title is shown as text and never runs.
* The review style sheet.

Registered through the ``datasette`` entry point, so it loads in any Datasette; it acts
only on the databases whose configuration names it (``tracker serve`` does, see
``datasette.yml``), and leaves other databases alone.
"""

from __future__ import annotations

from html.parser import HTMLParser

from datasette import hookimpl
from markupsafe import Markup, escape

from ..store.database import configure_connection
from ..text.doi import doi_url

PLUGIN = "evidence-tracker"
ALLOWED_TAGS = {"i", "em", "b", "strong", "sub", "sup", "sc", "u"}
TITLE_COLUMNS = {"title", "work_title", "subtitle"}


def serves_tracker(datasette, database: str | None) -> bool:
    """True for the databases ``tracker serve`` configured."""
    if datasette is None or database is None:
        return False
    return (
        datasette.plugin_config(PLUGIN, database=database, fallback=False) is not None
    )


class _Sanitiser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.open = []

    def handle_starttag(self, tag, attrs):
        name = tag.split(":")[-1]
        if name in ALLOWED_TAGS:
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
    """A title as safe HTML: its text escaped, only :data:`ALLOWED_TAGS` kept."""
    parser = _Sanitiser()
    parser.feed(value)
    return Markup(parser.result())


def doi_link(value: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(doi_url(value), value)


@hookimpl
def prepare_connection(conn, database, datasette):
    if serves_tracker(datasette, database):
        configure_connection(conn)


@hookimpl
def render_cell(value, column, database, datasette):
    if (
        not isinstance(value, str)
        or not value
        or not serves_tracker(datasette, database)
    ):
        return None
    if column == "doi":
        return doi_link(value)
    if column in TITLE_COLUMNS and "<" in value:
        return sanitise(value)
    return None


@hookimpl
def extra_css_urls(database, datasette):
    if not serves_tracker(datasette, database):
        return []
    return [datasette.urls.static_plugins(PLUGIN, "review.css")]
