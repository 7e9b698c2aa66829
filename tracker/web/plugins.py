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
* The review pages (:mod:`.review`) at ``/-/review``, a menu link to them, and the
  stock pages' templates tidied for reviewers (``templates/``).

Registered through the ``datasette`` entry point, so it loads in any Datasette; it acts
only on the databases whose configuration names it (``tracker serve`` does, see
``datasette.yml``), and leaves other databases alone.
"""

from __future__ import annotations

import json
import re
import sqlite3
from functools import lru_cache
from html import escape as html_escape
from html import unescape

from datasette import hookimpl
from markupsafe import Markup, escape

from ..store.database import configure_connection
from ..text.doi import doi_url
from ..vocabulary import CLAIM_STATUSES, LEVEL_CHOICES, STANCES, STUDY_DESIGNS

PLUGIN = "evidence-tracker"
ALLOWED_TAGS = {"i", "em", "b", "strong", "sub", "sup", "sc", "u"}
TITLE_COLUMNS = {"title", "work_title", "subtitle"}
#: The database page lists these first, in this order: where a reviewer starts.
FIRST_VIEWS = (
    "claim_evidence",
    "claims_without_evidence",
    "claims_on_flagged_works",
    "claims_with_weak_evidence",
    "failed_verifications",
    "article_summary",
)
FIRST_TABLES = ("claims", "evidence", "works", "articles", "citations", "review_log")
#: The choices the canned queries' forms offer, by parameter.
#: (An empty first choice: nothing chosen yet; for the design, keep the one stored.)
CHOICES = {
    "status": ("", *CLAIM_STATUSES),
    "stance": ("", *STANCES),
    "level": ("", *LEVEL_CHOICES),
    "design": ("", *STUDY_DESIGNS),
}


def serves_tracker(datasette, database: str | None) -> bool:
    """True for the databases ``tracker serve`` configured."""
    if datasette is None or database is None:
        return False
    return (
        datasette.plugin_config(PLUGIN, database=database, fallback=False) is not None
    )


#: A tag: ``<i>``, ``</i>``, ``<jats:italic xml:lang="en">``. Anything else that
#: starts with ``<`` (a comment, ``< 5``, a broken tag) is text.
_TAG = re.compile(r"<(/?)([A-Za-z][\w.:-]*)(?:\s[^<>]*)?/?>")


@lru_cache(maxsize=4096)
def sanitise(value: str) -> Markup:
    """A title as safe HTML: its text escaped, only :data:`ALLOWED_TAGS` kept (without
    attributes, and closed), every other tag dropped with its text kept as text.
    Cached: a page shows the same work's title once per claim it backs."""
    if "<" not in value and "&" not in value:
        return Markup(html_escape(value, quote=False))
    parts: list[str] = []
    open_tags: list[str] = []
    position = 0
    for tag in _TAG.finditer(value):
        parts.append(_text(value[position : tag.start()]))
        position = tag.end()
        name = tag.group(2).lower().split(":")[-1]
        if name not in ALLOWED_TAGS:
            continue
        if not tag.group(1):
            open_tags.append(name)
            parts.append(f"<{name}>")
        elif name in open_tags:
            while open_tags:
                closing = open_tags.pop()
                parts.append(f"</{closing}>")
                if closing == name:
                    break
    parts.append(_text(value[position:]))
    parts.extend(f"</{name}>" for name in reversed(open_tags))
    return Markup("".join(parts))


def _text(text: str) -> str:
    return html_escape(unescape(text), quote=False) if text else ""


def doi_link(value: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(doi_url(value), value)


@hookimpl
def prepare_connection(conn, database, datasette):
    if serves_tracker(datasette, database):
        configure_connection(conn)


@hookimpl
def render_cell(value, column, database, datasette):
    if not isinstance(value, str) or not value:
        return None
    render = _cell_renderer(value, column)
    if render is None or not serves_tracker(datasette, database):
        return None
    return render(value)


def _cell_renderer(value: str, column: str):
    """How a tracker cell is shown, or None for Datasette's own rendering. Decided
    before the (costlier) check that the database is the tracker's: most cells need
    nothing."""
    if column == "doi":
        return doi_link
    if column in TITLE_COLUMNS and "<" in value:
        return sanitise
    if value[0] in "[{":
        return json_cell
    return None


def json_cell(value: str) -> Markup | None:
    """A JSON list of words as the words; any other JSON folded behind a summary, so
    that a whole Crossref record does not fill the page. None: not JSON."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if isinstance(data, list) and all(isinstance(item, str | int) for item in data):
        return Markup(escape(", ".join(str(item) for item in data)))
    size = (
        f"{len(value) / 1024:.1f} KB" if len(value) >= 1024 else f"{len(value)} bytes"
    )
    what = "record" if isinstance(data, dict) else f"{len(data)} items"
    pretty = json.dumps(data, indent=2, ensure_ascii=False)
    return Markup(
        '<details class="json"><summary>JSON {}, {}</summary><pre>{}</pre></details>'
    ).format(what, size, pretty)


def ordered(items: list[dict], first: tuple[str, ...]) -> list[dict]:
    """Tables or views with the ones named in ``first`` first, in that order."""
    rank = {name: index for index, name in enumerate(first)}
    return sorted(
        items, key=lambda item: (rank.get(item["name"], len(first)), item["name"])
    )


@hookimpl
def extra_template_vars(database, view_name, request, datasette):
    """On the tracker's stock pages: the switch for the tidied templates, the order of
    tables and views, and for a canned query its form (title, description, choices),
    which Datasette 0.65 does not pass to the page of a write query."""
    if not serves_tracker(datasette, database):
        return {"tracker_page": False}

    async def variables():
        form = None
        name = (request.url_vars or {}).get("table") if request else None
        if view_name == "table" and name:
            actor = request.actor
            query = await datasette.get_canned_query(database, name, actor)
            if query and query.get("write"):
                form = {
                    "title": query.get("title") or name,
                    "description": query.get("description") or "",
                    "params": query.get("params") or [],
                    "choices": CHOICES,
                }
        return {
            "tracker_page": True,
            "tracker_form": form,
            "tracker_views": lambda views: ordered(views, FIRST_VIEWS),
            "tracker_tables": lambda tables: ordered(tables, FIRST_TABLES),
        }

    return variables


@hookimpl
def forbidden(datasette, request, message):
    """A refused visitor on the tracker's pages learns how to sign in."""
    if not _serves_any_tracker(datasette):
        return None

    async def page():
        from .review import sign_in_page

        return await sign_in_page(datasette, request, message)

    return page


def _serves_any_tracker(datasette) -> bool:
    return any(serves_tracker(datasette, name) for name in datasette.databases)


@hookimpl
def extra_css_urls(database, datasette):
    """The style sheet on the tracker's pages, and on the pages of no database (the
    home page, the review pages) when a tracker database is served."""
    wanted = (
        serves_tracker(datasette, database)
        if database
        else _serves_any_tracker(datasette)
    )
    if not wanted:
        return []
    return [datasette.urls.static_plugins(PLUGIN, "review.css")]


@hookimpl
def register_routes(datasette):
    from datasette.views.special import JsonDataView

    from . import review

    return [
        (r"^/-/review$", review.overview),
        (r"^/-/review/articles/(?P<article_id>\d{1,18})$", review.article),
        (r"^/-/review/works/(?P<work_id>\d{1,18})$", review.work),
        (r"^/-/review/sign-in$", review.sign_in),
        # Before Datasette's own route, which shows every visitor the file's path.
        (
            r"^/-/databases(\.(?P<format>json))?$",
            JsonDataView.as_view(
                datasette,
                "databases.json",
                lambda request: databases_shown(datasette, request.actor),
                needs_request=True,
            ),
        ),
    ]


def databases_shown(datasette, actor: dict | None) -> list[dict]:
    """Datasette's list of databases, with where each lives on disk only for root."""
    listed = datasette._connected_databases()
    if actor and actor.get("id") == "root":
        return listed
    return [
        {key: value for key, value in database.items() if key != "path"}
        for database in listed
    ]


@hookimpl
def asgi_wrapper(datasette):
    """Refuse multipart posts in one line: no tracker form sends them, and the CSRF
    layer of this Datasette fails on them with a 500 (asgi-csrf against
    python-multipart's current API)."""

    def wrap(app):
        async def refuse_multipart(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method") == "POST":
                content_type = dict(scope.get("headers") or []).get(
                    b"content-type", b""
                )
                if content_type.lower().startswith(b"multipart/form-data"):
                    await _plain_response(send, 400, MULTIPART_REFUSED)
                    return
            await app(scope, receive, send)

        return refuse_multipart

    return wrap


@hookimpl
def handle_exception(datasette, request, exception):
    """Datasette's own bugs on odd addresses, as the 400 or 404 they should be, with a
    reason, instead of a 500: a row address with too few key values, a page token
    that is not a number, ``_through`` that is not JSON, a sort by a column the table
    lacks."""
    translated = _translated(exception)
    if translated is None:
        return None
    from datasette.handle_exception import handle_exception as datasette_default

    return datasette_default(datasette, request, translated)


def _translated(exception: BaseException):
    from datasette.utils.asgi import BadRequest, NotFound
    from datasette.views.base import DatasetteError

    message = str(exception)
    if (
        isinstance(exception, sqlite3.ProgrammingError)
        and "binding parameter" in message
    ):
        return NotFound(
            "No such row: this table's rows are named by several values,"
            " separated by commas (as its row links show)"
        )
    if isinstance(exception, json.JSONDecodeError):
        return BadRequest('_through must be JSON: {"table", "column", "value"}')
    if isinstance(exception, ValueError) and "invalid literal for int()" in message:
        return BadRequest('_next must be the page token from a "next page" link')
    if (
        isinstance(exception, DatasetteError)
        and exception.status == 500
        and exception.message.startswith("Cannot sort")
    ):
        return BadRequest(exception.message)
    return None


MULTIPART_REFUSED = (
    "Error: forms are posted as application/x-www-form-urlencoded;"
    " multipart/form-data is not accepted\n"
)


async def _plain_response(send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode("utf-8")})


@hookimpl
def menu_links(datasette):
    if _serves_any_tracker(datasette):
        return [{"href": datasette.urls.path("/-/review"), "label": "Review articles"}]
    return []
