"""Serve the database with Datasette, configured for reviewing claims and evidence.

The configuration lives in the repository's ``db/`` folder: ``metadata.yml`` (titles
and descriptions), ``datasette.yml`` (labels, facets, sort orders) and ``plugins/``.
Datasette 0.65 takes both YAML files as one metadata document, so :func:`datasette_metadata`
merges them and names the database section after the served file.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .errors import TrackerError

CONFIG_DIR = Path(__file__).resolve().parent.parent / "db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
_PLACEHOLDER = "tracker"


def datasette_metadata(db_path: str | Path, config_dir: Path = CONFIG_DIR) -> dict:
    """The Datasette 0.65 metadata for serving ``db_path``."""
    merged: dict[str, Any] = {}
    for name in ("metadata.yml", "datasette.yml"):
        _deep_merge(merged, _read_yaml(config_dir / name))
    databases = merged.get("databases", {})
    if _PLACEHOLDER in databases:
        databases[Path(db_path).stem] = databases.pop(_PLACEHOLDER)
    return merged


def datasette_arguments(
    db_path: str | Path,
    metadata_path: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    config_dir: Path = CONFIG_DIR,
) -> list[str]:
    """The ``datasette serve`` command line for the database and its configuration."""
    return [
        "serve",
        str(db_path),
        "--metadata",
        str(metadata_path),
        "--plugins-dir",
        str(config_dir / "plugins"),
        "--host",
        host,
        "--port",
        str(port),
    ]


def datasette_app(db_path: str | Path, config_dir: Path = CONFIG_DIR):
    """A Datasette instance configured as ``tracker serve`` configures it, for tests
    and for embedding."""
    from datasette.app import Datasette

    return Datasette(
        [str(db_path)],
        metadata=datasette_metadata(db_path, config_dir),
        plugins_dir=str(config_dir / "plugins"),
    )


def serve(
    db_path: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    config_dir: Path = CONFIG_DIR,
) -> None:
    """Run Datasette on ``db_path`` until interrupted."""
    from datasette.cli import cli as datasette_cli

    metadata = datasette_metadata(db_path, config_dir)
    with tempfile.TemporaryDirectory(prefix="tracker-serve-") as folder:
        metadata_path = Path(folder) / "metadata.json"
        metadata_path.write_text(json.dumps(metadata), encoding="utf-8")
        args = datasette_arguments(db_path, metadata_path, host, port, config_dir)
        datasette_cli.main(args=args, prog_name="tracker serve")


def _read_yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as error:
        raise TrackerError(f"the Datasette configuration {path} is missing") from error


def _deep_merge(target: dict, source: dict) -> dict:
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = value
    return target
