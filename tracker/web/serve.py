"""Serve the database with Datasette, configured for reviewing claims and evidence.

The configuration is package data beside this module: ``metadata.yml`` (titles and
descriptions) and ``datasette.yml`` (labels, facets, sort orders, permissions, the
canned queries, whose SQL is the store's). Datasette 0.65 takes both YAML files as one
metadata document, so :func:`datasette_metadata` merges them and names the database
section after the served file. The plugin (:mod:`tracker.web.plugins`) and its static
files load through the ``datasette`` entry point.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..errors import InvalidInput, TrackerError
from ..store.queries import CANNED_QUERIES

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
_PLACEHOLDER = "tracker"
#: Datasette settings. Suggested facets are off: they try one query per column on every
#: page (up to 50 ms each), which on a large view costs more than the page itself; the
#: facets reviewers need are configured, and any column can be faceted from its menu.
SETTINGS = {"suggest_facets": False}


def datasette_metadata(db_path: str | Path, config_dir: Path = CONFIG_DIR) -> dict:
    """The Datasette 0.65 metadata for serving ``db_path``."""
    merged: dict[str, Any] = {}
    for name in ("metadata.yml", "datasette.yml"):
        _deep_merge(merged, _read_yaml(config_dir / name))
    name = Path(db_path).stem
    databases = merged.get("databases", {})
    if _PLACEHOLDER in databases:
        databases[name] = databases.pop(_PLACEHOLDER)
    for query_name, query in databases.get(name, {}).get("queries", {}).items():
        query["sql"] = CANNED_QUERIES[query_name].strip()
        redirect = query.get("on_success_redirect", "")
        if redirect.startswith(f"/{_PLACEHOLDER}/"):
            query["on_success_redirect"] = (
                f"/{name}/" + redirect[len(_PLACEHOLDER) + 2 :]
            )
    passwords = password_hashes()
    if passwords:
        merged.setdefault("plugins", {})["datasette-auth-passwords"] = passwords
    return merged


def password_hashes(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """datasette-auth-passwords configuration from TRACKER_PASSWORD_HASH_<USER> variables.

    The hashes are read from the environment when Datasette starts (``$env``), so no
    password or hash is ever written to a file.
    """
    env = os.environ if environ is None else environ
    prefix = "TRACKER_PASSWORD_HASH_"
    return {
        f"{name[len(prefix) :].lower()}_password_hash": {"$env": name}
        for name in sorted(env)
        if name.startswith(prefix) and env[name].strip()
    }


def datasette_arguments(
    db_path: str | Path,
    metadata_path: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    root: bool = False,
) -> list[str]:
    """The ``datasette serve`` command line for the database and its configuration."""
    arguments = [
        "serve",
        str(db_path),
        "--metadata",
        str(metadata_path),
        "--host",
        host,
        "--port",
        str(port),
    ]
    for name, value in SETTINGS.items():
        arguments += ["--setting", name, _setting_text(value)]
    return arguments + ["--root"] if root else arguments


def _setting_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def datasette_app(
    db_path: str | Path,
    config_dir: Path = CONFIG_DIR,
    settings: dict[str, Any] | None = None,
):
    """A Datasette instance configured as ``tracker serve`` configures it, for tests,
    benchmarks and embedding; ``settings`` adds to or overrides :data:`SETTINGS`."""
    from datasette.app import Datasette

    return Datasette(
        [str(db_path)],
        metadata=datasette_metadata(db_path, config_dir),
        settings={**SETTINGS, **(settings or {})},
    )


def serve(
    db_path: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    config_dir: Path = CONFIG_DIR,
    root: bool = False,
) -> None:
    """Run Datasette on ``db_path`` until interrupted; with ``root``, print a sign-in
    address for the actor ``root``.

    :raises InvalidInput: the address cannot be listened on (a port in use, a host
        name that does not resolve)
    """
    from datasette.cli import cli as datasette_cli

    check_address(host, port)
    metadata = datasette_metadata(db_path, config_dir)
    with tempfile.TemporaryDirectory(prefix="tracker-serve-") as folder:
        metadata_path = Path(folder) / "metadata.json"
        metadata_path.write_text(json.dumps(metadata), encoding="utf-8")
        args = datasette_arguments(db_path, metadata_path, host, port, root)
        datasette_cli.main(args=args, prog_name="tracker serve")


def check_address(host: str, port: int) -> None:
    """Refuse, in one line, an address the server could not listen on."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
    except (socket.gaierror, UnicodeError) as error:
        raise InvalidInput(
            f"cannot serve on {host}: the host name does not resolve"
        ) from error
    with socket.socket(family, kind, proto) as probe:
        # As the server will: an old connection's TIME_WAIT does not block the port.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            in_use = error.errno == errno.EADDRINUSE
            reason = "the port is in use" if in_use else error.strerror
            raise InvalidInput(f"cannot serve on {host}:{port}: {reason}") from error


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
