"""Enforce foreign keys on every connection Datasette opens.

SQLite leaves foreign-key enforcement off unless each connection asks for it, and
Datasette does not ask; without this, a write from the web could point evidence at a
claim that does not exist.
"""

from datasette import hookimpl


@hookimpl
def prepare_connection(conn):
    conn.execute("PRAGMA foreign_keys = ON")
