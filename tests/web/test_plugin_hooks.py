"""Datasette finds every hook of the plugin: it registers the module the entry point
names (tracker.web), so a hook defined in plugins.py and not exported there is silently
never called."""

import inspect

import tracker.web
from tracker.vocabulary import EVIDENCE_LEVELS, LEVEL_CHOICES
from tracker.web import plugins


def hooks_of(module) -> set[str]:
    return {
        name
        for name, value in inspect.getmembers(module, inspect.isfunction)
        if hasattr(value, "datasette_impl")
    }


def test_every_hook_is_exported_by_the_plugin_module():
    defined = hooks_of(plugins)
    assert {
        "register_routes",
        "extra_template_vars",
        "forbidden",
        "render_cell",
    } <= defined
    assert defined <= set(tracker.web.__all__)
    assert hooks_of(tracker.web) == defined


def test_the_forms_offer_every_level_and_none():
    assert (*(str(level) for level in EVIDENCE_LEVELS), "none") == LEVEL_CHOICES
