"""Checks: judgements over data. References against their records (verification),
Crossref candidates against a reference (resolution), study designs and levels of
evidence, retraction and correction notices.

Pure: no SQL, no HTTP. May import :mod:`tracker.text`, :mod:`tracker.vocabulary` and
pure third-party libraries (rapidfuzz).
"""
