"""The web: ``tracker serve`` (Datasette with the tracker's configuration) and the
Datasette plugin (:mod:`.plugins`), with its configuration (``metadata.yml``,
``datasette.yml``), templates and static files as package data.

This package is the plugin Datasette loads through the ``datasette`` entry point, so
that Datasette finds its ``static/`` folder; the hooks live in :mod:`.plugins`. It may
import the store, the use cases and the pure packages; never the command line or the
HTTP libraries.
"""

from .plugins import (
    asgi_wrapper,
    extra_css_urls,
    extra_template_vars,
    forbidden,
    handle_exception,
    menu_links,
    prepare_connection,
    register_routes,
    render_cell,
)

__all__ = [
    "asgi_wrapper",
    "extra_css_urls",
    "extra_template_vars",
    "forbidden",
    "handle_exception",
    "menu_links",
    "prepare_connection",
    "register_routes",
    "render_cell",
]
