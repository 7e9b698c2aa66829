"""What the tests share besides fixtures: paths to the material, recorded Crossref
records, settings pointing at the fake Crossref, and a runner for ``tracker``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CROSSREF = FIXTURES / "crossref"
#: The shared material (articles, .bib files, recorded Crossref responses) lives beside
#: the checkout; tests that need its third-party texts skip when it is absent.
SHARED = Path(os.environ.get("TRACKER_SHARED", REPO.parent / "shared"))
EXAMPLE_ARTICLE = REPO / "examples" / "leaky-gut.txt"
#: The example article's two works.
BARRIER = "10.3390/ijerph182312836"
RETINOIC = "10.3390/nu10081016"

#: Limits the fake Crossref enforces: Crossref's polite pool since 1 December 2025.
POLITE_LIMITS = {"single": (10, 3), "list": (3, 3), "negotiation": (10, 3)}
PUBLIC_LIMITS = {"single": (5, 1), "list": (1, 1), "negotiation": (5, 1)}
#: DOIs of other registration agencies, answered by content negotiation.
NEGOTIATED = {
    "10.5281/zenodo.3699950": (
        "cn_datacite_csl-json_10.5281__zenodo.3699950.json",
        "datacite",
    ),
    "10.15497/rda00052": ("cn_datacite_csl-json_10.15497__rda00052.json", "datacite"),
    "10.2760/283135": ("cn_op-publications-europa_csl-json_10.2760__283135.json", "op"),
}


def shared_path(*parts: str) -> Path:
    """A path inside ../shared/, skipping the test when that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is not available (the shared material sits beside the checkout)"
        )
    return path


def shared_articles() -> list[tuple[str, dict]]:
    """(name, expected) for every article in ../shared/articles/ with its JSON."""
    folder = SHARED / "articles"
    if not folder.exists():
        return []
    return [
        (path.stem, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(folder.glob("*.json"))
    ]


def recorded_work(doi: str) -> dict:
    """The recorded Crossref message of one work."""
    name = doi.replace("/", "__") + ".json"
    return json.loads((CROSSREF / "works" / name).read_text(encoding="utf-8"))[
        "message"
    ]


def negotiated_items() -> tuple[dict[str, dict], dict[str, str]]:
    items, agencies = {}, {}
    for doi, (name, agency) in NEGOTIATED.items():
        items[doi] = json.loads((CROSSREF / "other" / name).read_text(encoding="utf-8"))
        agencies[doi] = agency
    return items, agencies


def settings_for(server, mailto: str | None = "tests@example.org", **overrides):
    """Settings that send the tracker to ``server`` (a FakeCrossref), with short
    timeouts and back-off."""
    from tracker.settings import Settings

    values = {
        "crossref_api": server.url,
        "doi_resolver": server.resolver_url,
        "mailto": mailto,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "backoff_factor": 0.05,
        **overrides,
    }
    return Settings(**values)


class Tracker:
    """Runs ``tracker`` commands in-process against one database."""

    def __init__(self, db_path: Path):
        from tracker.cli import cli

        self.cli = cli
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(
            self.cli,
            ["--db", str(self.db_path), *args],
            input=input,
            catch_exceptions=False,
        )

    def json(self, *args: str, input: str | None = None):
        result = self(*args, "--json", input=input)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


def all_commands(group=None, prefix=()):
    """Every command and subcommand of ``tracker``, as tuples of names."""
    import click

    from tracker.cli import cli

    group = group or cli
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))
