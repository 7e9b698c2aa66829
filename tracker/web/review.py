"""The review pages: ``/-/review`` (every article), ``/-/review/articles/<id>`` (an
article as written, its claims with their evidence, its references with their checks,
and forms for a signed-in reviewer), ``/-/review/works/<id>`` and
``/-/review/sign-in``.

They are Datasette routes rendered with Datasette's ``base.html``, so its navigation,
sign-in, CSRF protection and permissions apply. Reads go through the store, writes
through the same library functions as the command line, on Datasette's own
connections, so ``review_log`` records the signed-in actor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import sqlite_utils
from datasette.utils.asgi import Forbidden, NotFound, Response
from markupsafe import Markup

from .. import review as reviewing
from ..errors import InvalidInput, TrackerError
from ..store import pages
from ..store.database import wrap_connection
from ..text.doi import doi_url
from ..vocabulary import CLAIM_STATUSES, EVIDENCE_LEVELS
from .cards import Cards
from .charts import bar_chart
from .highlight import article_blocks
from .plugins import sanitise, serves_tracker

LEVEL_LABELS = {**{str(n): f"level {n}" for n in EVIDENCE_LEVELS}, "none": "no level"}


def tracker_database(datasette) -> str:
    """The name of the database ``tracker serve`` configured."""
    for name in datasette.databases:
        if serves_tracker(datasette, name):
            return name
    raise NotFound("No tracker database is served here")


def helpers(base: str = "") -> dict[str, Any]:
    """What the templates call: safe titles, DOI addresses, the base of every link."""
    return {"title": sanitise, "doi_url": doi_url, "base": base.rstrip("/")}


def byline(work: dict[str, Any]) -> str:
    """ "Di Tommaso N, Gasbarrini A, Ponziani FR. Journal. 2021." (three authors at most)."""
    authors = work.get("authors") or []
    parts = []
    if authors:
        parts.append(
            ", ".join(authors) + (" et al." if work.get("more_authors") else "")
        )
    parts += [str(work[key]) for key in ("container_title", "year") if work.get(key)]
    return "".join(f"{part}. " for part in parts).strip()


def level_text(work: dict[str, Any]) -> str:
    """ "Randomised controlled trial · level 2", with who set it when a reviewer did."""
    design = (work.get("study_design") or "").replace("_", " ") or "design not read"
    level = (
        f"level {work['evidence_level']}" if work.get("evidence_level") else "no level"
    )
    by = (
        " (set by a reviewer)"
        if work.get("evidence_level_source") == "reviewer"
        else ""
    )
    return f"{design} · {level}{by}"


def verdict_of(verdict: str | None, doi: str | None) -> tuple[str, str]:
    """A reference's verdict as a name (for its colour) and as words."""
    if not doi:
        return "unresolved", "unresolved"
    if not verdict:
        return "unchecked", "not checked"
    return verdict, verdict.replace("_", " ")


def _decorate(work: dict[str, Any]) -> None:
    """Add what the pages show of a work, prepared once here rather than in the
    templates (an article page shows thousands)."""
    work["title_html"] = (
        sanitise(work["title"])
        if work.get("title")
        else work.get("doi") or "Untitled work"
    )
    work["byline"] = byline(work)
    work["level_text"] = level_text(work)
    work["doi_href"] = doi_url(work["doi"]) if work.get("doi") else None
    work["verdict_name"], work["verdict_words"] = verdict_of(
        work.get("verdict"), work.get("doi")
    )


def page_context(data: dict[str, Any], cards: Cards) -> dict[str, Any]:
    """What the article page (and the report) shows of an article read by
    :func:`tracker.store.pages.article`, its claims drawn by ``cards``."""
    for claim in data["claims"]:
        for item in claim["evidence"]:
            _decorate(item)
    for reference in data["references"]:
        _decorate(reference)
    blocks, unplaced = article_blocks(
        data["text"], data["claims"], data["references_start"]
    )
    return {
        "article": data,
        "blocks": blocks,
        "unplaced": unplaced,
        "counts": counts(data),
        "charts": article_charts(data),
        "card": cards,
        "statuses": CLAIM_STATUSES,
        "errors": cards.errors,
        "reviewer": cards.reviewer,
        "recorded": None,
    }


def article_charts(data: dict[str, Any]) -> list[Markup]:
    """The article's claims by status and its evidence by level, as inline SVG."""
    statuses = Counter(claim["status"] for claim in data["claims"])
    levels = Counter(
        str(item["evidence_level"]) if item["evidence_level"] else "none"
        for claim in data["claims"]
        for item in claim["evidence"]
    )
    return [
        bar_chart("Claims by status", {s: statuses[s] for s in CLAIM_STATUSES}),
        bar_chart(
            "Evidence by level (Oxford CEBM)",
            {level: levels[level] for level in LEVEL_LABELS},
            LEVEL_LABELS,
        ),
    ]


def form_keys(data: dict[str, Any]) -> set[str]:
    """The names of the forms the article page shows a reviewer (as :data:`ACTIONS`
    names them), so that a refusal is shown beside its form, or above the page when
    the form is not there (a claim of another article, a link that is gone)."""
    keys = set()
    for claim in data["claims"]:
        keys.add(f"claim-{claim['id']}")
        for item in claim["evidence"]:
            keys.update(
                f"{kind}-{item['evidence_id']}" for kind in ("evidence", "level")
            )
            if item["integrity"] and not item["acknowledged"]:
                keys.add(f"ack-{item['evidence_id']}")
    return keys


def overview_charts(data: dict[str, Any]) -> list:
    return [
        bar_chart("Claims by status", data["claims_by_status"]),
        bar_chart(
            "Evidence by level (Oxford CEBM)", data["evidence_by_level"], LEVEL_LABELS
        ),
    ]


def counts(data: dict[str, Any]) -> dict[str, int]:
    claims = data["claims"]
    return {
        "claims": len(claims),
        "linked": sum(1 for claim in claims if claim["evidence"]),
        "reviewed": sum(1 for claim in claims if claim["status"] != "unreviewed"),
        "references": len(data["references"]),
        "problems": sum(
            1
            for reference in data["references"]
            if reference["verdict"] in ("mismatch", "wrong_work")
            or not reference["doi"]
        ),
    }


async def _read(datasette, request, function: Callable, *args):
    """Check the visitor may view the tracker's database, then read from it."""
    database = tracker_database(datasette)
    allowed = await datasette.permission_allowed(
        request.actor, "view-database", database, default=True
    )
    if not allowed:
        raise Forbidden("You may not view this database")
    data = await datasette.get_database(database).execute_fn(
        lambda conn: function(wrap_connection(conn), *args)
    )
    return database, data


async def _render(datasette, request, template: str, context: dict, status=200):
    base = datasette.urls.path("")
    html = await datasette.render_template(
        template, {**context, "h": helpers(base)}, request=request
    )
    return Response.html(html, status=status)


async def overview(datasette, request) -> Response:
    database, data = await _read(datasette, request, pages.overview)
    context = {
        **data,
        "charts": overview_charts(data),
        "database": database,
        "statuses": CLAIM_STATUSES,
    }
    return await _render(datasette, request, "tracker_overview.html", context)


async def article(datasette, request) -> Response:
    article_id = int(request.url_vars["article_id"])
    errors: dict[str, Any] = {}
    if request.method == "POST":
        redirect, errors = await _record(datasette, request, article_id)
        if redirect:
            return Response.redirect(redirect)
    database, data = await _read(datasette, request, pages.article, article_id)
    if data is None:
        raise NotFound(f"No article {article_id}")
    reviewer = _reviewer(request)
    errors = {
        (key if reviewer and key in form_keys(data) else "_page"): refusal
        for key, refusal in errors.items()
    }
    recorded = request.args.get("recorded", "")
    cards = Cards(
        article_id,
        reviewer=reviewer,
        token=request.scope["csrftoken"]() if reviewer else "",
        errors=errors,
        base=datasette.urls.path("").rstrip("/"),
    )
    context = {
        **page_context(data, cards),
        "database": database,
        "sign_in": datasette.urls.path("/-/review/sign-in?next=" + quote(request.path)),
        "report": False,
        "links": True,
        "recorded": next(
            (c["id"] for c in data["claims"] if str(c["id"]) == recorded), None
        ),
    }
    status = (403 if reviewer is None else 400) if errors else 200
    return await _render(datasette, request, "tracker_article.html", context, status)


async def work(datasette, request) -> Response:
    work_id = int(request.url_vars["work_id"])
    database, data = await _read(datasette, request, pages.work, work_id)
    if data is None:
        raise NotFound(f"No work {work_id}")
    data["level_text"] = level_text(data)
    context = {"work": data, "database": database, "links": True}
    return await _render(datasette, request, "tracker_work.html", context)


async def sign_in(datasette, request) -> Response:
    """How to sign in; back where one was, once signed in."""
    next_path = request.args.get("next", "")
    if not next_path.startswith("/") or next_path.startswith("//"):
        next_path = ""
    if _reviewer(request) and next_path:
        return Response.redirect(next_path)
    return await sign_in_page(datasette, request, next_path=next_path)


async def sign_in_page(
    datasette, request, refusal: str | None = None, next_path: str = ""
) -> Response:
    """The sign-in page: the password page when reviewers have passwords, and the
    ``--root`` address (good once) otherwise. With ``refusal`` it answers a refused
    request (403), saying why."""
    passwords = datasette.plugin_config("datasette-auth-passwords")
    context = {
        "database": tracker_database(datasette),
        "password_login": datasette.urls.path("/-/login") if passwords else "",
        "next": next_path,
        "refusal": refusal,
    }
    status = 403 if refusal else 200
    return await _render(datasette, request, "tracker_sign_in.html", context, status)


def _reviewer(request) -> str | None:
    actor = request.actor or {}
    return actor.get("id")


#: The forms of the article page, by their ``action`` field: the field that names the
#: form on the page (to show a refusal beside it), and the fields it keeps when refused.
ACTIONS = {
    "status": ("claim", "claim_id", ("status", "note")),
    "stance": ("evidence", "evidence_id", ("stance", "note")),
    "level": ("level", "evidence_id", ("work_id", "level", "design", "reason")),
    "acknowledge": ("ack", "evidence_id", ("work_id", "note")),
}


async def _record(datasette, request, article_id: int):
    """Carry out a posted form: (where to go, {}) or (None, the refusal by form)."""
    form = await request.post_vars()
    action = form.get("action", "")
    if action not in ACTIONS:
        return None, {"_page": {"message": "unknown form", "values": {}}}
    prefix, key_field, fields = ACTIONS[action]
    values = {name: form.get(name, "") for name in ("claim_id", key_field, *fields)}
    key = f"{prefix}-{values[key_field]}"
    actor = _reviewer(request)
    if actor is None:
        message = "sign in to review: only a signed-in reviewer may record changes"
        return None, {key: {"message": message, "values": values}}
    database = tracker_database(datasette)
    try:
        message = await datasette.get_database(database).execute_write_fn(
            lambda conn: record(wrap_connection(conn), action, values, actor),
            block=True,
        )
    except TrackerError as error:
        return None, {key: {"message": str(error), "values": values}}
    datasette.add_message(request, message, datasette.INFO)
    claim = values["claim_id"]
    path = (
        f"/-/review/articles/{article_id}?recorded={quote(claim)}#claim-{quote(claim)}"
    )
    return datasette.urls.path(path), {}


def _number(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"{what} {value!r} is not a number") from None


def _level(value: str) -> int | None:
    return None if value in ("", "none") else _number(value, "level")


def record(
    db: sqlite_utils.Database, action: str, values: dict[str, str], actor: str
) -> str:
    """Write one form's values through the library, as ``actor``; the message to show."""
    note = values.get("note", "").strip() or None
    claim_id = _number(values["claim_id"], "claim")
    if action == "status":
        reviewing.review_claim(db, claim_id, values["status"], note, actor)
        return f"Recorded: claim {claim_id} is {values['status'].replace('_', ' ')}."
    if action == "stance":
        evidence_id = _number(values["evidence_id"], "evidence link")
        reviewing.set_evidence_stance(db, evidence_id, values["stance"], note, actor)
        return f"Recorded: the work {values['stance']} claim {claim_id}."
    work_id = _number(values["work_id"], "work")
    if action == "level":
        stored = reviewing.set_evidence_level(
            db,
            work_id,
            _level(values["level"]),
            values["reason"],
            values["design"] or None,
            actor,
        )
        level = stored["evidence_level"]
        return (
            f"Recorded: {'level ' + str(level) if level else 'no level'} for the work."
        )
    reviewing.acknowledge(db, claim_id, work_id, note, actor)
    return f"Recorded: claim {claim_id} cites the flagged work knowingly."
