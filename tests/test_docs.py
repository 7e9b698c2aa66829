"""The README documents every command, and its set-up commands exist."""

import re

import pytest

from .helpers import REPO, all_commands

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [" ".join(c) for c in all_commands()])
def test_every_command_is_in_the_readme(command):
    assert f"tracker {command}" in README


def test_setup_is_make_demo_and_make_test():
    assert "make demo" in README and "make test" in README
    targets = set(
        re.findall(r"^([a-z]+):", (REPO / "Makefile").read_text(), re.MULTILINE)
    )
    assert {"install", "demo", "serve", "test", "bench"} <= targets


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text()
