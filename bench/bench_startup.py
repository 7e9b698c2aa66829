"""Start-up: what the command line costs before it does anything, against a bare
interpreter importing click (what any click command line pays).

Each command runs in a fresh process, ROUNDS times, the commands taken in turns within
a round so that a slow spell of the machine falls on all alike; the median of each is
printed with its ratio to ``python -c "import click"``. Then what importing
``tracker.cli`` loads beyond click (the libraries a command imports only when it
runs), and the cost start-up adds to one article: ``tracker ingest`` of the bundled
example in a fresh process, against the same ingest in this one.
Target: ``tracker --help`` within 4x of the bare interpreter.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker.ingest import ingest_article, read_article  # noqa: E402
from tracker.store.database import open_database  # noqa: E402

ROUNDS = 15
TARGET_RATIO = 4.0
EXAMPLE = REPO / "examples" / "leaky-gut.txt"
PYTHON = sys.executable
#: The command as installed (its console script), else the package run as a module.
_SCRIPT = Path(PYTHON).parent / "tracker"
TRACKER = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "tracker"]
BARE = 'python -c "import click"'
#: Libraries no command needs until it runs: none may load with the command line.
HEAVY = ("requests", "sqlite_utils", "bibtexparser", "pysbd", "pycrfsuite", "datasette")

_LOADED = f"""
import sys
import tracker.cli
print(" ".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - start


def start_up() -> dict[str, float]:
    """Median seconds of each command over ROUNDS fresh processes."""
    commands = {
        BARE: [PYTHON, "-c", "import click"],
        "tracker --help": [*TRACKER, "--help"],
        "tracker --version": [*TRACKER, "--version"],
        "tracker ingest --help": [*TRACKER, "ingest", "--help"],
    }
    runs: dict[str, list[float]] = {label: [] for label in commands}
    for command in commands.values():
        seconds(command)  # the files in the page cache, as for a user
    for _ in range(ROUNDS):
        for label, command in commands.items():
            runs[label].append(seconds(command))
    return {label: statistics.median(times) for label, times in runs.items()}


def ingest_costs(folder: Path) -> tuple[float, ...]:
    """Median seconds of ``tracker ingest`` of the example in a fresh process, of
    importing what it imports in a fresh process, and of the same ingest in this
    process, each into a fresh database."""
    command, imports, here = [], [], []
    for round_ in range(5):
        path = folder / f"command{round_}.db"
        command.append(seconds([*TRACKER, "--db", str(path), "ingest", str(EXAMPLE)]))
        imports.append(seconds([PYTHON, "-c", "import tracker.cli, tracker.ingest"]))
        db = open_database(folder / f"here{round_}.db")
        start = time.perf_counter()
        ingest_article(db, read_article(str(EXAMPLE)))
        here.append(time.perf_counter() - start)
        db.close()
    return tuple(map(statistics.median, (command, imports, here)))


def main() -> int:
    timings = start_up()
    baseline = timings.pop(BARE)
    print(f"start-up: median of {ROUNDS} fresh processes each")
    print(f"  {BARE:<26} {baseline * 1000:7.1f} ms  (baseline)")
    for label, taken in timings.items():
        print(f"  {label:<26} {taken * 1000:7.1f} ms  {taken / baseline:5.2f}x")
    loaded = subprocess.run(
        [PYTHON, "-c", _LOADED], check=True, capture_output=True, text=True, cwd=REPO
    ).stdout.split()
    print(
        "  loaded with the command line: "
        + (", ".join(loaded) if loaded else f"none of {', '.join(HEAVY)}")
    )
    with tempfile.TemporaryDirectory() as name:
        command, imports, here = ingest_costs(Path(name))
    print(
        f"  one article ({EXAMPLE.name}): tracker ingest {command * 1000:.0f} ms, of"
        f" which importing what it runs {imports * 1000:.0f} ms (the rest: a new"
        f" database, the reference model and word lists, the ingest); in this"
        f" process {here * 1000:.0f} ms"
    )
    ratio = timings["tracker --help"] / baseline
    met = ratio <= TARGET_RATIO and not loaded
    print(
        f"  target: tracker --help within {TARGET_RATIO:.0f}x of the bare interpreter,"
        f" no library loaded before it is used: {'met' if met else 'missed'} ({ratio:.2f}x)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
