"""The package's layout holds: each subpackage imports only what its docstring allows,
HTTP libraries are imported only by tracker.crossref, and SQL stands only in
tracker.store.

Imports are read from the source (every ``import`` and ``from ... import``, including
those inside functions), resolved to absolute module names and checked against the
rules below; SQL is found as string literals that read as SQL statements.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from .helpers import REPO

PACKAGE = REPO / "tracker"
HTTP = {"requests", "urllib3"}
SQLITE = {"sqlite3", "sqlite_utils"}
WEB = {"datasette", "markupsafe", "uvicorn"}
USE_CASES = {
    "tracker.claims",
    "tracker.ingest",
    "tracker.fetch",
    "tracker.resolve",
    "tracker.check",
    "tracker.bibliography",
    "tracker.review",
    "tracker.parse",
}
#: What each part of the tracker may not import (third-party or tracker modules;
#: a name forbids the module and everything below it).
FORBIDDEN = {
    "tracker.text": HTTP
    | SQLITE
    | WEB
    | {"click"}
    | {"tracker.store", "tracker.crossref", "tracker.bib", "tracker.checks"}
    | {"tracker.web", "tracker.cli", "tracker.settings"}
    | USE_CASES,
    "tracker.bib": HTTP
    | SQLITE
    | WEB
    | {"click"}
    | {"tracker.store", "tracker.crossref", "tracker.checks", "tracker.web"}
    | {"tracker.cli", "tracker.settings"}
    | USE_CASES,
    "tracker.checks": HTTP
    | SQLITE
    | WEB
    | {"click"}
    | {"tracker.store", "tracker.crossref", "tracker.bib", "tracker.web"}
    | {"tracker.cli", "tracker.settings"}
    | USE_CASES,
    "tracker.crossref": SQLITE
    | WEB
    | {"click"}
    | {"tracker.store", "tracker.web", "tracker.cli"}
    | USE_CASES,
    "tracker.store": HTTP
    | WEB
    | {"click"}
    | {"tracker.crossref", "tracker.web", "tracker.cli"}
    | USE_CASES,
    "tracker.web": HTTP | {"click", "tracker.cli"},
    "tracker.cli": HTTP,
    "use cases": HTTP | WEB | {"click", "tracker.web", "tracker.cli"},
    "tracker.vocabulary": HTTP | SQLITE | WEB | {"click", "tracker"},
    "tracker.errors": HTTP | SQLITE | WEB | {"click", "tracker"},
}
#: A string literal that is an SQL statement.
SQL = re.compile(
    r"^\s*(?:select\s.+\sfrom\s|insert\s+(?:or\s+\w+\s+)?into\s|replace\s+into\s"
    r"|update\s+\S+\s+set\s|delete\s+from\s|create\s+(?:unique\s+)?(?:table|index|view|trigger)\s"
    r"|drop\s+(?:table|index|view|trigger)\s|alter\s+table\s|pragma\s+\w+|begin\b)",
    re.IGNORECASE | re.DOTALL,
)


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, as absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.add(module)
            # `from . import claims` imports the module tracker.claims
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def rules_for(name: str) -> tuple[str, set[str]]:
    if name in USE_CASES or name in {
        "tracker.actor",
        "tracker.files",
        "tracker.processes",
        "tracker.settings",
    }:
        return "use cases", FORBIDDEN["use cases"]
    for part in sorted(FORBIDDEN, key=len, reverse=True):
        if name == part or name.startswith(part + "."):
            return part, FORBIDDEN[part]
    return "tracker", set()


def violations(part: str) -> list[str]:
    """``module imports other`` for each forbidden import of the modules of ``part``."""
    found = []
    for path in modules():
        name = module_name(path)
        owner, forbidden = rules_for(name)
        if owner != part:
            continue
        for module in sorted(imports_of(path)):
            if module == name or module.startswith(name + "."):
                continue  # a package importing its own modules
            if any(
                module == rule or module.startswith(rule + ".") for rule in forbidden
            ):
                found.append(f"{name} imports {module}")
    return found


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_each_part_imports_only_what_it_may(part):
    assert violations(part) == []


def test_every_module_falls_under_a_rule():
    unruled = [
        module_name(path)
        for path in modules()
        if rules_for(module_name(path))[0] == "tracker"
        and module_name(path) not in {"tracker", "tracker.__main__"}
    ]
    assert unruled == []


def sql_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        )
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "x"
                for part in node.values
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings:
                continue
            text = node.value
        else:
            continue
        if SQL.match(text):
            found.append(f"{module_name(path)}:{node.lineno}: {text.split()[0:3]}")
    return found


def test_sql_stands_only_in_the_store():
    outside = [
        found
        for path in modules()
        if not module_name(path).startswith("tracker.store")
        for found in sql_literals(path)
    ]
    assert outside == []


def test_the_rule_finds_sql():
    """The check itself: it sees the store's statements."""
    assert sql_literals(PACKAGE / "store" / "works.py")


def test_the_web_configuration_holds_no_sql():
    config = yaml.safe_load((PACKAGE / "web" / "datasette.yml").read_text())
    queries = config["databases"]["tracker"]["queries"]
    assert queries and not any("sql" in query for query in queries.values())


def test_every_subpackage_says_what_it_holds_and_may_import():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc, init


def test_the_rules_see_a_forbidden_import():
    """The check itself: the HTTP client's imports would break the text rules."""
    imported = imports_of(PACKAGE / "crossref" / "http.py")
    assert "requests" in imported and "tracker.settings" in imported
    _, forbidden = rules_for("tracker.text.doi")
    assert "requests" in forbidden and "tracker.store" in forbidden
    relative = imports_of(PACKAGE / "store" / "works.py")
    assert "tracker.text.doi" in relative and "tracker.store.database" in relative


def test_every_data_file_is_package_data():
    """A plain `pip install .` carries every file the package reads: each non-Python
    file under tracker/ matches a package-data pattern of pyproject.toml."""
    import fnmatch
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]
    data = [
        path
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and "__pycache__" not in path.parts
    ]
    assert data
    for path in data:
        folder = path.parent
        while not (folder / "__init__.py").exists():
            folder = folder.parent
        package = module_name(folder / "__init__.py")
        relative = path.relative_to(folder).as_posix()
        assert any(
            fnmatch.fnmatch(relative, pattern) for pattern in patterns.get(package, [])
        ), f"{path.relative_to(REPO)} is not package data"
