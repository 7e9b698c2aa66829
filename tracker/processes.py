"""Work spread over the machine's cores, in worker processes that end with their parent.

A :class:`~concurrent.futures.ProcessPoolExecutor` alone leaves its workers running
when the command is killed (they finish their chunk, for minutes on a large article),
and prints a traceback from every worker on Ctrl-C. Here workers ignore Ctrl-C (the
command handles it), ask Linux to kill them when their parent dies, and watch for it
elsewhere; an interrupted map stops its workers at once.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
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
) -> Iterator[Result]:
    """``function(item) for item in items``, on every core, in order.

    Each result is handed out as soon as it and those before it are ready, so the
    caller works on the first while the workers make the rest; items are read only a
    few chunks ahead of the workers, so a long generator of items is never held
    whole. Closing the iterator early stops the workers."""
    count = workers or os.cpu_count() or 1
    pool = ProcessPoolExecutor(
        max_workers=count, initializer=_start_worker, initargs=(os.getpid(),)
    )
    chunks = _chunks(items, chunksize)
    try:
        pending = deque(
            pool.submit(_run_chunk, function, chunk)
            for chunk in itertools.islice(chunks, _AHEAD * count)
        )
        while pending:
            results = pending.popleft().result()
            for chunk in itertools.islice(chunks, 1):
                pending.append(pool.submit(_run_chunk, function, chunk))
            yield from results
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


#: Chunks given out per worker before the first comes back.
_AHEAD = 4


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _run_chunk(function: Callable[[Item], Result], chunk: list[Item]) -> list[Result]:
    return [function(item) for item in chunk]


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
