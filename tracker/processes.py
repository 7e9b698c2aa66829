"""Work spread over the machine's cores, in worker processes that end with their parent.

A :class:`~concurrent.futures.ProcessPoolExecutor` alone leaves its workers running
when the command is killed (they finish their chunk, for minutes on a large article),
and prints a traceback from every worker on Ctrl-C. Here workers ignore Ctrl-C (the
command handles it), ask Linux to kill them when their parent dies, and watch for it
elsewhere; an interrupted map stops its workers at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: prctl(PR_SET_PDEATHSIG): the signal Linux sends a process when its parent dies.
_PR_SET_PDEATHSIG = 1


def parallel_map(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    chunksize: int = 16,
    workers: int | None = None,
) -> list[Result]:
    """``[function(item) for item in items]``, on every core, in order."""
    pool = ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
    try:
        results = list(pool.map(function, items, chunksize=chunksize))
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return results


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now, not after their current chunk."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=1)


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the worker could ask
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int, every: float = 1.0) -> None:
    """Where the kernel cannot be asked: end this worker once its parent is gone."""
    while True:
        time.sleep(every)
        if os.getppid() != parent:
            os._exit(1)
