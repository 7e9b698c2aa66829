"""One very large article: ``tracker ingest`` of a 50 MB text of unique sentences, as a
command, against the same command on a 5 MB text of the same kind, in the same run.

Printed: time, MB/s and the peak memory of each (the command and its worker
processes, from the operating system), and the ratios of the 50 MB run to the 5 MB
one: time should grow with the text and memory should not grow beyond the text and
what is stored. Targets for the 50 MB run: at least 1 MB/s, at most 300 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_ingest import unique_text  # noqa: E402

SIZES = (5_000_000, 50_000_000)
TARGET_MB_PER_SECOND = 1.0
TARGET_PEAK_MB = 300


def ingest(path: Path, folder: Path) -> tuple[float, float, str]:
    """Run ``tracker ingest`` in a fresh process: (seconds, peak MB, its report)."""
    script = (
        "import resource, sys\n"
        "from tracker.cli import cli\n"
        "try:\n"
        "    cli.main(sys.argv[1:], standalone_mode=False)\n"
        "finally:\n"
        "    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "    sys.stderr.write(f'peak {max(own, workers)}\\n')\n"
    )
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "--db",
            str(folder / f"{path.stem}.db"),
            "ingest",
            str(path),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TRACKER_OFFLINE": "1"},
    )
    elapsed = time.perf_counter() - start
    peak_kb = int(result.stderr.rsplit("peak ", 1)[1].split()[0])
    return elapsed, peak_kb / 1024, result.stdout.strip().splitlines()[0]


def main() -> int:
    figures = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for size in SIZES:
            path = folder / f"article-{size // 1_000_000}mb.txt"
            path.write_text(unique_text(size), encoding="utf-8")
            megabytes = path.stat().st_size / 1e6
            seconds, peak, report = ingest(path, folder)
            figures[size] = (megabytes, seconds, peak)
            print(
                f"  {megabytes:5.1f} MB: {seconds:7.2f} s  {megabytes / seconds:5.2f} MB/s"
                f"  peak {peak:6.0f} MB  ({report})"
            )
    (small_mb, small_s, small_peak), (large_mb, large_s, large_peak) = (
        figures[size] for size in SIZES
    )
    print(
        f"ingest of one large article: {large_mb:.0f} MB against {small_mb:.0f} MB:"
        f" time {large_s / small_s:.1f}x for {large_mb / small_mb:.0f}x the text,"
        f" memory {large_peak / small_peak:.1f}x"
    )
    speed_ok = large_mb / large_s >= TARGET_MB_PER_SECOND
    memory_ok = large_peak <= TARGET_PEAK_MB
    print(
        f"  targets: >= {TARGET_MB_PER_SECOND} MB/s {'met' if speed_ok else 'missed'},"
        f" <= {TARGET_PEAK_MB} MB {'met' if memory_ok else 'missed'}"
    )
    return 0 if speed_ok and memory_ok else 1


if __name__ == "__main__":
    sys.exit(main())
