"""The command line: click commands (:mod:`.commands`) and their text output
(:mod:`.display`). A thin layer: each command parses its options, calls one library
function and prints. It may import everything in the tracker but the HTTP libraries,
and imports each use case only when its command runs."""

from .commands import cli

__all__ = ["cli"]
