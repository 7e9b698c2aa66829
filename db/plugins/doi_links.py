"""Show every DOI as a link to its resolver, escaped like any other value."""

from datasette import hookimpl
from markupsafe import Markup

from tracker.doi import doi_url


@hookimpl
def render_cell(value, column):
    if column != "doi" or not isinstance(value, str) or not value:
        return None
    return Markup('<a href="{}">{}</a>').format(doi_url(value), value)
