"""The store: the SQLite database, its schema and upgrade steps, and the reads and
writes of each table. The only package that contains SQL.

It may import sqlite3 and sqlite_utils, and the pure packages (:mod:`tracker.text`,
:mod:`tracker.checks`, :mod:`tracker.vocabulary`); never requests or urllib3, the web or
the command line. Functions take an open :class:`sqlite_utils.Database` and return
plain dicts.
"""
