"""The ``tracker`` command line: a thin click layer over the library.

Each command parses its options, calls one library function and prints the result,
as text or, with ``--json``, as one JSON document. Errors the library raises become
one line on stderr and the exit code the SPEC gives them (2 for bad input).

Each command imports the library it uses when it runs, so that ``tracker --help`` and
every command start without loading what they do not need.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from typing import Any

import click

from .. import __version__
from ..errors import InvalidDOI, InvalidInput, TrackerError
from ..text.doi import normalize_doi
from ..vocabulary import CLAIM_STATUSES, STANCES, STUDY_DESIGNS
from . import display

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
DEFAULT_DB = "db/tracker.db"


def _database_after_command(ctx: click.Context, param: Any, value: str | None):
    """``tracker claim list --db x.db`` means ``tracker --db x.db claim list``."""
    if value is not None:
        ctx.find_root().obj["db_path"] = value
    return value


class TrackerCommand(click.Command):
    """A command that also takes ``--db`` after its name, where people put it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params.append(
            click.Option(
                ["--db"],
                "db_after",
                type=click.Path(dir_okay=False),
                expose_value=False,
                is_eager=True,
                callback=_database_after_command,
                help="The SQLite database (as `tracker --db PATH ...`).",
            )
        )


class TrackerGroup(click.Group):
    """A click group that reports every error on one line, with the SPEC's exit codes.

    Click prints usage errors over several lines and exits 1 for its own exceptions;
    our users (and scripts) get one line on stderr and a predictable code instead.
    Its commands take ``--db`` after their names too.
    """

    command_class = TrackerCommand
    group_class = type

    def main(
        self,
        args=None,
        prog_name=None,
        complete_var=None,
        standalone_mode=True,
        **extra,
    ):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        arguments = sys.argv[1:] if args is None else list(args)
        for argument in arguments:
            if not display.is_utf8(argument):
                _fail(
                    f"the argument {display.visible(argument)!r} is not valid UTF-8",
                    2,
                )
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.Abort:
            _interrupted()
        except click.exceptions.NoArgsIsHelpError as error:
            # `tracker` or `tracker claim` alone: the help, as --help shows it.
            click.echo(error.ctx.get_help())
            sys.exit(0)
        except click.UsageError as error:
            _fail(error.format_message(), 2)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code)
        except TrackerError as error:
            _fail(str(error), error.exit_code)
        except sqlite3.Error as error:
            _fail(f"database error: {error}", 1)
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {display.visible(' '.join(message.split()))}", err=True)
    sys.exit(code)


def _interrupted() -> None:
    """Ctrl-C: one line, exit 130, at once. Every transaction has been rolled back on
    the way here; what is skipped is the interpreter's shutdown, where the process
    pool's manager thread, its workers just ended, can print a traceback of its own
    (seen on a busy machine)."""
    click.echo("Error: interrupted", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


class DOIType(click.ParamType):
    """A DOI in any pasted form, normalised; an invalid one is a usage error."""

    name = "DOI"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        try:
            return normalize_doi(value)
        except InvalidDOI as error:
            self.fail(str(error), param, ctx)


class ClaimTextType(click.ParamType):
    """Claim text, stripped; empty text is a usage error."""

    name = "TEXT"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from ..claims import clean_claim_text

        try:
            return clean_claim_text(value)
        except InvalidInput as error:
            self.fail(str(error), param, ctx)


class DOIOrStdinType(DOIType):
    """A DOI, or ``-`` for DOIs read from standard input."""

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        return value if value == "-" else super().convert(value, param, ctx)


class WorkType(click.ParamType):
    """A work by its row id (ASCII digits) or its DOI."""

    name = "WORK"

    def convert(self, value: Any, param: Any, ctx: Any) -> int | str:
        if isinstance(value, int) or (value.isascii() and value.isdigit()):
            return ROW_ID.convert(value, param, ctx)
        return DOI.convert(value, param, ctx)


DOI = DOIType()
DOI_OR_STDIN = DOIOrStdinType()
CLAIM_TEXT = ClaimTextType()
#: SQLite row ids: positive 64-bit integers.
ROW_ID = click.IntRange(1, 2**63 - 1)
WORK = WorkType()


def json_option(function):
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print one JSON document instead of text.",
    )(function)


def emit(result: Any, as_json: bool, text: str) -> None:
    """Print ``result`` as JSON, or ``text`` for people."""
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(display.visible(text))


def _expand_stdin(dois: tuple[str, ...]) -> list[str]:
    """Replace ``-`` by the DOIs on standard input; any invalid one is a usage error."""
    expanded: list[str] = []
    for doi in dois:
        if doi != "-":
            expanded.append(doi)
            continue
        for number, raw in enumerate(sys.stdin.buffer, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise click.UsageError(
                    f"standard input, line {number}: not valid UTF-8"
                ) from None
            for word in line.split():
                try:
                    expanded.append(normalize_doi(word))
                except InvalidDOI as error:
                    raise click.UsageError(
                        f"standard input, line {number}: {error}"
                    ) from error
    return expanded


class ProgressBar:
    """A progress bar on stderr, shown only on a terminal and for more than a few items."""

    MINIMUM = 5

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def start(self, total: int) -> None:
        if total > self.MINIMUM and sys.stderr.isatty():
            self.bar = click.progressbar(
                length=total, label=self.label, file=sys.stderr
            )
            self.bar.__enter__()

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


def _note(line: str) -> None:
    """A line for the person waiting, on standard error."""
    click.echo(line, err=True)


def database(ctx: click.Context, create: bool = True):
    from ..store.database import open_database

    return open_database(ctx.obj["db_path"], create=create)


@click.group(cls=TrackerGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="tracker")
@click.option(
    "--db",
    "db_path",
    envvar="TRACKER_DB",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The SQLite database (also TRACKER_DB). Its folder is created if missing.",
)
@click.pass_context
def cli(ctx: click.Context, db_path: str) -> None:
    """Track what articles claim and the evidence each claim rests on.

    \b
    Example:
        tracker claim add "Tight junctions regulate gut permeability." \\
            --doi 10.3390/ijerph182312836 --stance supports
        tracker serve
    """
    ctx.obj = {"db_path": db_path}


@cli.command()
@json_option
@click.pass_context
def init(ctx: click.Context, as_json: bool) -> None:
    """Create the database, or upgrade it to the current schema. Safe to repeat.

    \b
    Example:
        tracker --db db/tracker.db init
    """
    from ..store.database import init_database

    _, report = init_database(ctx.obj["db_path"], adopt=True)
    if report["created"]:
        text = f"Created {report['path']} (schema version {report['schema_version']})."
    elif report["upgraded_from"] != report["schema_version"]:
        text = (
            f"Upgraded {report['path']} from schema version {report['upgraded_from']}"
            f" to {report['schema_version']}."
        )
    else:
        text = f"{report['path']} is up to date (schema version {report['schema_version']})."
    emit(report, as_json, text)


@cli.command()
@click.argument("source")
@click.option(
    "--title", help="The article's title (default: its first heading or line)."
)
@click.option("--url", help="Where the article was published.")
@json_option
@click.pass_context
def ingest(ctx, source, title, url, as_json) -> None:
    """Store an article (plain text, Markdown or HTML; a file, an http(s) address or -
    for standard input) with its claims and its reference list.

    \b
    Example:
        tracker ingest examples/leaky-gut.txt
        tracker ingest https://example.org/post.html --json
    """
    from ..ingest import ingest_article, read_article
    from ..settings import Settings

    article = read_article(source, Settings.from_env())
    report = ingest_article(database(ctx), article, title, url)
    emit(report, as_json, display.format_ingest_report(report))


@cli.group()
def claim() -> None:
    """Add, list, show, link, correct and delete claims."""


@claim.command("add")
@click.argument("text", type=CLAIM_TEXT)
@click.option(
    "--article", "article_id", type=ROW_ID, help="The article the claim comes from."
)
@click.option(
    "--doi",
    "dois",
    type=DOI,
    multiple=True,
    help="A work backing the claim (repeatable).",
)
@click.option(
    "--stance",
    type=click.Choice(STANCES),
    help="Stance of the DOIs' works. [default: cites]",
)
@click.option("--note", help="A note on the evidence links.")
@json_option
@click.pass_context
def claim_add(ctx, text, article_id, dois, stance, note, as_json) -> None:
    """Add a claim, optionally linked to the works that back it.

    \b
    Example:
        tracker claim add "Tight junctions regulate permeability." \\
            --doi 10.3390/ijerph182312836 --stance supports
    """
    from ..claims import add_claim

    result = add_claim(database(ctx), text, article_id, dois, stance, note)
    emit(
        result, as_json, f"Added claim {result['id']}.\n{display.format_claim(result)}"
    )


@claim.command("list")
@click.option(
    "--article", "article_id", type=ROW_ID, help="Only claims from this article."
)
@click.option(
    "--status", type=click.Choice(CLAIM_STATUSES), help="Only claims with this status."
)
@click.option("--search", help="Only claims containing these words (stemmed).")
@json_option
@click.pass_context
def claim_list(ctx, article_id, status, search, as_json) -> None:
    """List claims with their status and how much evidence each has.

    \b
    Example:
        tracker claim list --status unreviewed
    """
    from ..claims import list_claims

    result = list_claims(database(ctx, create=False), article_id, status, search)
    emit(result, as_json, display.format_claim_list(result))


@claim.command("show")
@click.argument("claim_id", type=ROW_ID)
@json_option
@click.pass_context
def claim_show(ctx, claim_id, as_json) -> None:
    """Show one claim with its evidence and the works' metadata.

    \b
    Example:
        tracker claim show 1 --json
    """
    from ..claims import get_claim

    result = get_claim(database(ctx, create=False), claim_id)
    emit(result, as_json, display.format_claim(result))


@claim.command("link")
@click.argument("claim_id", type=ROW_ID)
@click.argument("doi", type=DOI)
@click.option(
    "--stance", type=click.Choice(STANCES), help="The work's stance. [default: cites]"
)
@click.option("--note", help="A note on this link.")
@click.option("--quote", help="A passage of the work that bears on the claim.")
@json_option
@click.pass_context
def claim_link(ctx, claim_id, doi, stance, note, quote, as_json) -> None:
    """Link a claim to a work; linking the same pair again updates the link.

    Only the options given change an existing link.

    \b
    Example:
        tracker claim link 1 doi:10.3390/nu10081016 --stance supports --note "Review"
    """
    from ..claims import link_evidence

    result = link_evidence(database(ctx), claim_id, doi, stance, note, quote)
    emit(result, as_json, f"Claim {claim_id}:\n{display.format_evidence(result)}")


@claim.command("unlink")
@click.argument("claim_id", type=ROW_ID)
@click.argument("doi", type=DOI)
@json_option
@click.pass_context
def claim_unlink(ctx, claim_id, doi, as_json) -> None:
    """Remove the link between a claim and a work.

    \b
    Example:
        tracker claim unlink 1 10.3390/nu10081016
    """
    from ..claims import unlink_evidence

    unlink_evidence(database(ctx, create=False), claim_id, doi)
    emit(
        {"claim_id": claim_id, "doi": doi, "unlinked": True},
        as_json,
        f"Unlinked {doi} from claim {claim_id}.",
    )


@claim.command("edit")
@click.argument("claim_id", type=ROW_ID)
@click.option("--text", type=CLAIM_TEXT, help="The corrected claim text.")
@click.option("--status", type=click.Choice(CLAIM_STATUSES), help="The review status.")
@json_option
@click.pass_context
def claim_edit(ctx, claim_id, text, status, as_json) -> None:
    """Correct a claim's text or set its status.

    \b
    Example:
        tracker claim edit 3 --status supported
    """
    from ..claims import edit_claim

    result = edit_claim(database(ctx, create=False), claim_id, text, status)
    emit(result, as_json, display.format_claim(result))


@claim.command("review")
@click.argument("claim_id", type=ROW_ID)
@click.option(
    "--status", required=True, type=click.Choice(CLAIM_STATUSES), help="The verdict."
)
@click.option("--note", help="Why: it goes to the review log with the verdict.")
@json_option
@click.pass_context
def claim_review(ctx, claim_id, status, note, as_json) -> None:
    """Record a verdict on a claim (logged in review_log with your name).

    \b
    Example:
        tracker claim review 6 --status partly_supported --note "Review, not trials"
    """
    from ..review import review_claim

    result = review_claim(database(ctx, create=False), claim_id, status, note)
    emit(result, as_json, display.format_claim(result))


@claim.command("acknowledge")
@click.argument("claim_id", type=ROW_ID)
@click.argument("doi", type=DOI)
@click.option("--note", help="Why the work is cited knowingly.")
@json_option
@click.pass_context
def claim_acknowledge(ctx, claim_id, doi, note, as_json) -> None:
    """Acknowledge that a claim cites a retracted or corrected work knowingly: the
    flag stays visible but stops `tracker check` failing.

    \b
    Example:
        tracker claim acknowledge 6 10.1016/s0140-6736(97)11096-0 --note "Cited as retracted"
    """
    from ..review import acknowledge

    result = acknowledge(database(ctx, create=False), claim_id, doi, note)
    emit(result, as_json, f"Claim {claim_id}: {result['kind']} {doi} acknowledged.")


@claim.command("delete")
@click.argument("claim_id", type=ROW_ID)
@json_option
@click.pass_context
def claim_delete(ctx, claim_id, as_json) -> None:
    """Delete a claim and its evidence links (the works stay).

    \b
    Example:
        tracker claim delete 3
    """
    from ..claims import delete_claim

    delete_claim(database(ctx, create=False), claim_id)
    emit({"id": claim_id, "deleted": True}, as_json, f"Deleted claim {claim_id}.")


@cli.command()
@click.argument("dois", nargs=-1, type=DOI_OR_STDIN)
@click.option(
    "--refresh", is_flag=True, help="Fetch works again even if they have metadata."
)
@json_option
@click.pass_context
def fetch(ctx, dois, refresh, as_json) -> None:
    """Fetch metadata from Crossref (and the DOI resolver) for works.

    With DOIs (or - to read them from standard input, one per line or separated by
    spaces), those DOIs, added as works when new; without, every stored work still
    without metadata. Exits 1 when some DOI could not be fetched. Waits before a
    retry are announced on standard error.

    \b
    Example:
        TRACKER_MAILTO=you@example.org tracker fetch 10.3390/nu10081016
        tracker fetch - < dois.txt
    """
    from ..fetch import fetch_works
    from ..settings import Settings

    settings = Settings.from_env()
    dois = _expand_stdin(dois)
    db = database(ctx)
    with ProgressBar("Fetching") as progress:
        report = fetch_works(
            db,
            dois or None,
            refresh,
            settings,
            progress=progress.advance,
            on_plan=progress.start,
            on_retry=_note,
        )
    emit(report.as_json(), as_json, display.format_fetch_report(report))
    if not report.complete:
        ctx.exit(1)


@cli.command()
@click.option(
    "--article", "article_id", type=ROW_ID, help="Only this article's citations."
)
@json_option
@click.pass_context
def resolve(ctx, article_id, as_json) -> None:
    """Find DOIs for cited references that have none (Crossref bibliographic search).

    A candidate is accepted only when its title, first author and year agree with the
    reference; otherwise the best candidates are kept for `tracker citation accept`.

    \b
    Example:
        tracker resolve --article 1
    """
    from ..resolve import resolve_citations
    from ..settings import Settings

    report = resolve_citations(database(ctx), article_id, Settings.from_env())
    emit(report, as_json, display.format_resolve_report(report))


@cli.command()
@click.option("--article", "article_id", type=ROW_ID, help="Only this article.")
@json_option
@click.pass_context
def check(ctx, article_id, as_json) -> None:
    """Report problems: references without DOI or not found, references that disagree
    with the record, retracted or corrected works, claims without evidence.

    Exits 1 when there is a problem other than a minor one.

    \b
    Example:
        tracker check --article 1
    """
    from ..check import check as check_problems
    from ..check import serious

    report = check_problems(database(ctx, create=False), article_id)
    emit(report, as_json, display.format_check_report(report))
    if serious(report):
        ctx.exit(1)


@cli.command("parse")
@click.argument("source", default="-", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "bibtex", "csl-json"]),
    default="text",
    show_default=True,
    help="What to print (--json is the fields as JSON).",
)
@json_option
def parse_command(source, output_format, as_json) -> None:
    """Read reference strings, one per line (a file, or - for standard input), into
    authors, year, title, container, volume, issue, pages and the rest.

    Nothing is stored. --json prints one object per non-empty line, in order;
    --format bibtex or csl-json writes them as a bibliography.

    \b
    Example:
        tracker parse references.txt --json
        pbpaste | tracker parse --format bibtex > references.bib
    """
    from ..parse import as_json as fields_of
    from ..parse import parse_lines, to_bibtex, to_csl
    from ..text.reader import read_source

    text = read_source(source).text
    parses = parse_lines(text)
    if as_json:
        emit([fields_of(raw, parsed) for raw, parsed in parses], True, "")
    elif output_format == "bibtex":
        click.echo(to_bibtex(parses), nl=False)
    elif output_format == "csl-json":
        emit(to_csl(parses), True, "")
    else:
        click.echo(display.visible(display.format_parses(parses)))


@cli.group()
def citation() -> None:
    """List an article's references and set their DOIs by hand."""


@citation.command("list")
@click.option(
    "--article", "article_id", type=ROW_ID, help="Only this article's references."
)
@json_option
@click.pass_context
def citation_list(ctx, article_id, as_json) -> None:
    """List references with their DOI and verification verdict.

    \b
    Example:
        tracker citation list --article 1
    """
    from ..store.citations import list_citations

    result = list_citations(database(ctx, create=False), article_id)
    emit(result, as_json, display.format_citation_list(result))


@citation.command("accept")
@click.argument("citation_id", type=ROW_ID)
@click.argument("doi", type=DOI)
@json_option
@click.pass_context
def citation_accept(ctx, citation_id, doi, as_json) -> None:
    """Set a reference's DOI (a candidate `tracker resolve` kept, or any DOI).

    \b
    Example:
        tracker citation accept 12 10.1093/idpl/ipw007
    """
    from ..resolve import accept_candidate

    result = accept_candidate(database(ctx, create=False), citation_id, doi)
    emit(result, as_json, f"Reference {citation_id} is now {doi}.")


@cli.group()
def export() -> None:
    """Write the bibliography as BibTeX, CSL-JSON, RIS or a formatted reference list."""


def selection_options(function):
    for option in reversed(
        (
            click.option(
                "--article",
                "article_id",
                type=ROW_ID,
                help="Works the article cites or its claims rest on.",
            ),
            click.option(
                "--claim", "claim_id", type=ROW_ID, help="The claim's evidence."
            ),
            click.option(
                "--status",
                type=click.Choice(CLAIM_STATUSES),
                help="Works behind claims with this status.",
            ),
            click.option(
                "-o",
                "--output",
                type=click.Path(dir_okay=False),
                help="Write to this file (default: standard output).",
            ),
        )
    ):
        function = option(function)
    return function


@export.command("bibtex")
@selection_options
@click.option(
    "--biblatex",
    is_flag=True,
    help="biblatex types and numeric months (@online, month = 8).",
)
@click.option(
    "--ascii",
    "ascii_only",
    is_flag=True,
    help='LaTeX accents instead of UTF-8 ({\\"u}).',
)
@click.pass_context
def export_bibtex_command(
    ctx, article_id, claim_id, status, output, biblatex, ascii_only
) -> None:
    """BibTeX for the selected works (all by default), with stable citation keys.

    \b
    Example:
        tracker export bibtex --article 1 -o bib/leaky-gut.bib
    """
    from ..bib.bibtex import ExportOptions
    from ..bibliography import export_bibtex

    options = ExportOptions(biblatex=biblatex, ascii=ascii_only)
    text, report = export_bibtex(
        database(ctx, create=False), article_id, claim_id, status, options
    )
    _write_output(text, output, report)


@export.command("csl-json")
@selection_options
@click.pass_context
def export_csl_command(ctx, article_id, claim_id, status, output) -> None:
    """CSL-JSON for the selected works (all by default), for citation processors.

    \b
    Example:
        tracker export csl-json --claim 6 -o bib/claim-6.json
    """
    from ..bibliography import export_csl

    items, report = export_csl(
        database(ctx, create=False), article_id, claim_id, status
    )
    _write_output(
        json.dumps(items, indent=2, ensure_ascii=False) + "\n", output, report
    )


@export.command("ris")
@selection_options
@click.pass_context
def export_ris_command(ctx, article_id, claim_id, status, output) -> None:
    """RIS for the selected works (all by default), for EndNote, Mendeley and Zotero.

    \b
    Example:
        tracker export ris --article 1 -o bib/leaky-gut.ris
    """
    from ..bibliography import export_ris

    text, report = export_ris(database(ctx, create=False), article_id, claim_id, status)
    _write_output(text, output, report)


@export.command("bibliography")
@selection_options
@click.option(
    "--style",
    default="ama",
    show_default=True,
    metavar="ama|apa|vancouver|harvard|PATH.csl",
    help="A citation style by name, or a CSL style file.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "html", "md"]),
    default="text",
    show_default=True,
)
@click.pass_context
def export_bibliography_command(
    ctx, article_id, claim_id, status, output, style, output_format
) -> None:
    """The selected works as a formatted reference list (AMA by default).

    \b
    Example:
        tracker export bibliography --article 1 --style ama
    """
    from ..bibliography import export_formatted

    text, report = export_formatted(
        database(ctx, create=False),
        style,
        output_format,
        article_id,
        claim_id,
        status,
    )
    _write_output(text, output, report)


def _write_output(text: str, output: str | None, report: dict) -> None:
    if output:
        from ..files import write_file

        write_file(output, text)
        entries = display.plural(report["entries"], "entry", "entries")
        click.echo(f"Wrote {entries} to {output}.", err=True)
    else:
        click.echo(text, nl=False)
    for warning in report.get("warnings", []):
        click.echo(f"Warning: {warning}", err=True)
    if report["skipped"]:
        click.echo(
            f"Left out {display.plural(len(report['skipped']), 'work')} without metadata"
            " (run `tracker fetch`): " + ", ".join(report["skipped"]),
            err=True,
        )


@cli.group("import")
def import_group() -> None:
    """Read a bibliography into the database."""


@import_group.command("bibtex")
@click.argument("path", type=click.Path(dir_okay=False))
@json_option
@click.pass_context
def import_bibtex_command(ctx, path, as_json) -> None:
    """Import a .bib file (Zotero, Better BibTeX, JabRef, Mendeley, Google Scholar...).

    Entries with a DOI become works to fetch; the file's keys are kept; a DOI or key
    already stored is reported, not duplicated; malformed entries are reported with
    their line while the rest imports; then the command exits 1.

    \b
    Example:
        tracker import bibtex ~/Zotero/library.bib --json
    """
    from ..bibliography import import_bibtex

    report = import_bibtex(database(ctx), path)
    emit(report, as_json, display.format_import_report(report))
    if report["failed"]:
        ctx.exit(1)


@cli.group()
def work() -> None:
    """Set a work's citation key or its level of evidence."""


@work.command("level")
@click.argument("doi", type=DOI)
@click.option(
    "--level",
    required=True,
    type=click.Choice(["1", "2", "3", "4", "5", "none"]),
    help="Oxford CEBM level, or none.",
)
@click.option("--design", type=click.Choice(STUDY_DESIGNS), help="The study design.")
@click.option("--reason", required=True, help="Why: it goes to the review log.")
@json_option
@click.pass_context
def work_level(ctx, doi, level, design, reason, as_json) -> None:
    """Override a work's inferred level of evidence (and study design), with a reason.

    \b
    Example:
        tracker work level 10.3390/nu10081016 --level none --design narrative_review \\
            --reason "Narrative review; no systematic search"
    """
    value = None if level == "none" else int(level)
    from ..review import set_evidence_level

    result = set_evidence_level(database(ctx, create=False), doi, value, reason, design)
    emit(
        result,
        as_json,
        f"{doi}: {result['study_design']}, level {result['evidence_level'] or 'none'}.",
    )


@work.command("key")
@click.argument("reference", type=WORK)
@click.argument("key")
@json_option
@click.pass_context
def work_key(ctx, reference, key, as_json) -> None:
    """Set the citation key of a work (its DOI or id); keys never change on their own.

    \b
    Example:
        tracker work key 10.3390/nu10081016 abdelhamid2018retinoic
    """
    from ..bibliography import set_citekey

    result = set_citekey(database(ctx, create=False), reference, key)
    emit(
        result,
        as_json,
        f"Work {result['work_id']} is now cited as {result['citekey']}.",
    )


@cli.command()
@click.option("--article", "article_id", type=int, required=True, help="Article id.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help="html: one self-contained page for an editor; md: Markdown for a CMS or an"
    " issue tracker.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write.")
@click.pass_context
def report(ctx, article_id, output_format, output) -> None:
    """An article's review: its claims, their evidence and its checked references.

    \b
    Example:
        tracker report --article 1 -o leaky-gut-review.html
    """
    from ..web.report import article_report

    text = article_report(database(ctx, create=False), article_id, output_format)
    if output:
        from ..files import write_file

        write_file(output, text)
        click.echo(f"Wrote the report on article {article_id} to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. 127.0.0.1 accepts connections from this machine only;"
    " 0.0.0.0 accepts them from anywhere.",
)
@click.option(
    "-p", "--port", default=8001, show_default=True, type=click.IntRange(0, 65535)
)
@click.option(
    "--root",
    is_flag=True,
    help="Print a sign-in address for the actor 'root', who may record verdicts.",
)
@click.pass_context
def serve(ctx, host, port, root) -> None:
    """Browse and review the database in Datasette.

    Anyone who can reach the server may browse; only a signed-in reviewer may record
    verdicts (--root, or passwords set with TRACKER_PASSWORD_HASH_<USER>).

    \b
    Example:
        tracker serve --root --port 8001
    """
    from ..web.serve import serve as run_datasette

    database(ctx)
    run_datasette(ctx.obj["db_path"], host, port, root=root)
