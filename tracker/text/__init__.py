"""Text: reading articles, their structure, DOIs, reference lists, sentences, markers.

Everything here is pure: text in, structure out. It may import the standard library,
pure third-party libraries (pysbd), :mod:`tracker.errors` and :mod:`tracker.vocabulary`;
never sqlite3, sqlite_utils, requests or urllib3, nor the store, the Crossref client,
the web or the command line. Reading a web page is :mod:`tracker.crossref.pages`.
"""
