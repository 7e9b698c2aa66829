"""The README's "A short tour" is run as written: every ``$ tracker ...`` line in its
code blocks, in order, on a fresh database in an empty folder, offline, with its
output compared with the lines the README shows under it."""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass, field

import pytest
from click.testing import CliRunner

from tracker.cli import cli

from .helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
PROMPT = "    $ "


@dataclass
class Step:
    command: str
    output: list[str] = field(default_factory=list)


def tour_section(readme: str) -> str:
    return readme.split("\n## A short tour\n", 1)[1].split("\n## ", 1)[0]


def tour_steps(section: str) -> tuple[list[Step], list[str]]:
    """The commands of the section's indented code blocks, each with the lines shown
    under it (blank lines inside a block are part of the output), and the indented
    lines that follow no command."""
    steps: list[Step] = []
    orphans: list[str] = []
    current: Step | None = None
    blanks = 0
    for line in section.splitlines():
        if line.startswith(PROMPT):
            current = Step(line[len(PROMPT) :])
            steps.append(current)
            blanks = 0
        elif not line.strip():
            blanks += 1
        elif line.startswith("    "):
            if current is None:
                orphans.append(line)
            else:
                current.output += [""] * blanks + [line[4:]]
            blanks = 0
        else:  # prose ends the code block
            current, blanks = None, 0
    return steps, orphans


def test_the_tour_is_read_whole():
    steps, orphans = tour_steps(tour_section(README))
    assert len(steps) >= 20
    assert {s.command.split()[0] for s in steps} <= {"tracker", "TRACKER_OFFLINE=1"}
    assert all(step.output for step in steps), "every command shows its output"
    assert orphans == [], "every code block of the tour is a session"


def run(runner: CliRunner, command: str):
    words = shlex.split(command)
    env = {}
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[0] == "tracker"
    return runner.invoke(cli, words[1:], env={"TRACKER_OFFLINE": "1", **env})


def test_the_tour_gives_what_the_readme_shows(tmp_path, monkeypatch):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for step in tour_steps(tour_section(README))[0]:
        result = run(runner, step.command)
        shown = "\n".join(step.output)
        assert result.output.rstrip("\n") == shown, f"$ {step.command}"
        expected_code = 2 if shown.startswith("Error:") else (0, 1)
        if isinstance(expected_code, int):
            assert result.exit_code == expected_code, f"$ {step.command}"
        else:
            assert result.exit_code in expected_code, f"$ {step.command}"
    assert (tmp_path / "db" / "tracker.db").exists()
    assert (
        (tmp_path / "bib" / "leaky-gut.bib")
        .read_text(encoding="utf-8")
        .startswith("@article{abdelhamid2018retinoic,")
    )


@pytest.mark.parametrize(
    "command", ["tracker fetch", "TRACKER_OFFLINE=1 tracker fetch"]
)
def test_the_tour_never_reaches_the_network(command, tmp_path, monkeypatch):
    """Every step runs offline, whatever the README sets."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    run(runner, "tracker claim add Claim. --doi 10.1000/nowhere")
    result = run(runner, command)
    assert "0 requests" in result.output
