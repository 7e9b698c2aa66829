"""Crossref and the web: the one HTTP session, the throttle, the Crossref REST API and
DOI content negotiation, web pages for ingestion, and Crossref records as table rows.

The only package that imports requests and urllib3. It may use the pure packages
(:mod:`tracker.text`) and the settings; never the store, the web or the command line.
:mod:`.records` and :mod:`.bundled` are pure, so that importing them costs no HTTP
library.
"""
