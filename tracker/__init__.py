"""Evidence tracker: what an article claims, and the evidence each claim rests on."""

__version__ = "0.1.0"
