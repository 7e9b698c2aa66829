"""Client-side rate and concurrency limits, so that a well-behaved run never sees a 429.

Crossref limits each pool by request kind (from 1 December 2025):

======  ==========================  ========================
pool    single records /works/{doi}  lists /works?filter=...
======  ==========================  ========================
public  5 per second, 1 at a time    1 per second, 1 at a time
polite  10 per second, 3 at a time   3 per second, 3 at a time
======  ==========================  ========================

and announces the budget of each response in ``x-rate-limit-limit``,
``x-rate-limit-interval`` and ``x-concurrency-limit`` (some responses spell them
``x-ratelimit-*``). A :class:`Throttle` starts with the documented numbers and lowers
them when a response announces less; it never raises them above the documented
numbers, since older responses announced budgets far above what is enforced today.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

#: Requests are spaced a little wider than the limit allows, so that a window that
#: begins exactly on a request never holds one request too many.
SAFETY = 1.05
#: And no window of ``interval`` seconds holds ``rate`` starts: the window is measured
#: from the actual starts, widened by this much, since on a busy machine a request can
#: reach the server later than it left the throttle (the server counts arrivals).
CUSHION = 0.1
#: After a 429 the rate is multiplied by this, down to FLOOR of the limit; each answer
#: that is not a 429 adds RECOVERY of the limit back (additive increase,
#: multiplicative decrease), so that a burst of refusals slows the pool for a while
#: instead of for the rest of the run.
DECREASE = 0.5
FLOOR = 1 / 16
RECOVERY = 1 / 8


@dataclass(frozen=True)
class Limit:
    """``rate`` requests per ``interval`` seconds, at most ``concurrency`` at a time."""

    rate: float
    interval: float
    concurrency: int

    @property
    def spacing(self) -> float:
        """Seconds between the starts of two requests."""
        return self.interval / self.rate * SAFETY


POLITE = {"single": Limit(10, 1.0, 3), "list": Limit(3, 1.0, 3)}
PUBLIC = {"single": Limit(5, 1.0, 1), "list": Limit(1, 1.0, 1)}


def crossref_limits(polite: bool) -> dict[str, Limit]:
    """The documented limits of the pool the requests go to."""
    return dict(POLITE if polite else PUBLIC)


def announced_limit(headers: Mapping[str, str], current: Limit) -> Limit | None:
    """The limit a response announces, or None when it announces nothing usable."""
    lowered = {key.lower(): value for key, value in headers.items()}

    def header(*names: str) -> str | None:
        return next((lowered[name] for name in names if name in lowered), None)

    rate = _number(header("x-rate-limit-limit", "x-ratelimit-limit"))
    interval = _seconds(header("x-rate-limit-interval", "x-ratelimit-interval"))
    concurrency = _number(header("x-concurrency-limit"))
    if rate is None and concurrency is None:
        return None
    return Limit(
        rate=rate if rate and rate > 0 else current.rate,
        interval=interval if interval else current.interval,
        concurrency=int(concurrency)
        if concurrency and concurrency >= 1
        else current.concurrency,
    )


class Clock:
    """The time a throttle reads and waits by: the monotonic clock. Tests give a
    throttle a clock of their own, so that its spacing can be checked exactly."""

    def now(self) -> float:
        return time.monotonic()

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        """Wait ``seconds`` on ``condition`` (held by the caller), or until notified."""
        condition.wait(seconds)


class Throttle:
    """Spaces request starts and caps requests in flight; safe across threads.

    Each start is spaced from the previous *actual* start, read from the clock when a
    request is let through: a thread that wakes late delays the next start instead of
    shortening the gap to it. The last ``rate`` starts are kept too, and a new one
    waits until the oldest of them is more than an interval (and :data:`CUSHION`) old.

    A 429 lowers the pool's pace (:meth:`refused`), answers raise it again
    (:meth:`answered`), never above the documented limit or the one announced.
    """

    def __init__(self, limit: Limit, clock: Clock | None = None):
        self.ceiling = limit
        self.announced = limit
        self.factor = 1.0
        self.limit = limit
        self.clock = clock or Clock()
        self._condition = threading.Condition()
        self._in_flight = 0
        self._last_start: float | None = None
        self._starts: deque[float] = deque()
        #: Until a response has announced the server's limits, one request at a time.
        self._calibrated = False
        self.peak_in_flight = 0
        self.starts = 0
        self.refusals = 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a free slot and the next start time; hold the slot while inside."""
        with self._condition:
            while True:
                if self._in_flight >= self._concurrency():
                    self._condition.wait()
                    continue
                now = self.clock.now()
                due = self._next_start(now)
                if now >= due:
                    break
                self.clock.wait(self._condition, due - now)
            self._record_start(now)
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
        try:
            yield
        finally:
            with self._condition:
                self._in_flight -= 1
                self._condition.notify_all()

    def _next_start(self, now: float) -> float:
        if self._last_start is None:
            return now
        due = self._last_start + self.limit.spacing
        window = max(1, int(self.limit.rate))
        if len(self._starts) >= window:
            due = max(due, self._starts[-window] + self.limit.interval + CUSHION)
        return due

    def _record_start(self, now: float) -> None:
        self._last_start = now
        self._starts.append(now)
        while len(self._starts) > max(1, int(self.ceiling.rate)):
            self._starts.popleft()
        self.starts += 1

    def _concurrency(self) -> int:
        return self.limit.concurrency if self._calibrated else 1

    def observe(self, headers: Mapping[str, str]) -> None:
        """Adopt the limit a response announces, never above the documented ceiling."""
        announced = announced_limit(headers, self.limit)
        with self._condition:
            if announced is not None:
                rate = min(
                    announced.rate / announced.interval,
                    self.ceiling.rate / self.ceiling.interval,
                )
                concurrency = max(
                    1, min(announced.concurrency, self.ceiling.concurrency)
                )
                self.announced = Limit(rate, 1.0, concurrency)
                self._pace()
            self._calibrated = True
            self._condition.notify_all()

    def refused(self) -> None:
        """A 429: slow the pool down (multiplicatively, to a floor)."""
        with self._condition:
            self.refusals += 1
            self.factor = max(FLOOR, self.factor * DECREASE)
            self._pace()

    def answered(self) -> None:
        """An answer that was not a 429: recover a step towards the full limit."""
        if self.factor >= 1.0:
            return
        with self._condition:
            self.factor = min(1.0, self.factor + RECOVERY)
            self._pace()

    def _pace(self) -> None:
        """Use the announced limit scaled by the current factor, from the next start."""
        limit = self.announced
        self.limit = Limit(
            limit.rate * self.factor,
            limit.interval,
            max(1, round(limit.concurrency * self.factor)),
        )
        self._condition.notify_all()


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    match = re.match(r"\s*(\d+(?:\.\d+)?)", value)
    return float(match.group(1)) if match else None


def _seconds(value: str | None) -> float | None:
    """``1s``, ``60s``, ``1000ms`` or a bare number of seconds."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*", value)
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2) or "s"
    return number * {"ms": 0.001, "s": 1.0, "m": 60.0}[unit]
