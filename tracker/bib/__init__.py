"""Bibliographies: LaTeX encoding, citation keys, BibTeX (written and read) and
CSL-JSON. Pure: works in, text out (and .bib text in, entries out).

May import :mod:`tracker.text`, :mod:`tracker.errors`, :mod:`tracker.vocabulary`,
bibtexparser and pylatexenc; never sqlite3, sqlite_utils, requests or urllib3, nor the
store, the Crossref client, the web or the command line.
"""
