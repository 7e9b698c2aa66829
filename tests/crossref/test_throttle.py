import threading
import time

import pytest

from tracker.crossref.throttle import (
    CUSHION,
    FLOOR,
    POLITE,
    PUBLIC,
    SAFETY,
    Limit,
    Throttle,
    announced_limit,
    crossref_limits,
)

CURRENT = Limit(10, 1.0, 3)


@pytest.mark.parametrize(
    "headers, expected",
    [
        (
            {
                "x-rate-limit-limit": "3",
                "x-rate-limit-interval": "1s",
                "x-concurrency-limit": "3",
            },
            Limit(3, 1.0, 3),
        ),
        (
            {"X-Rate-Limit-Limit": "50", "X-Rate-Limit-Interval": "1s"},
            Limit(50, 1.0, 3),
        ),
        ({"x-ratelimit-limit": "5", "x-ratelimit-interval": "1s"}, Limit(5, 1.0, 3)),
        (
            {"x-rate-limit-limit": "3000", "x-rate-limit-interval": "60s"},
            Limit(3000, 60.0, 3),
        ),
        (
            {"x-rate-limit-limit": "2", "x-rate-limit-interval": "500ms"},
            Limit(2, 0.5, 3),
        ),
        ({"x-concurrency-limit": "1"}, Limit(10, 1.0, 1)),
        ({"x-rate-limit-limit": "junk"}, None),
        ({}, None),
    ],
)
def test_announced_limit(headers, expected):
    assert announced_limit(headers, CURRENT) == expected


def test_documented_pools():
    assert crossref_limits(polite=True) == POLITE
    assert crossref_limits(polite=False) == PUBLIC
    assert POLITE["list"] == Limit(3, 1.0, 3) and PUBLIC["single"] == Limit(5, 1.0, 1)


class FakeClock:
    """A clock that moves only when the throttle waits (or a test says so)."""

    def __init__(self):
        self.time = 1000.0

    def now(self) -> float:
        return self.time

    def wait(self, condition, seconds: float) -> None:
        self.time += seconds


def starts(throttle: Throttle, clock: FakeClock, count: int, work: float = 0.0):
    times = []
    for _ in range(count):
        with throttle.slot():
            times.append(clock.now())
            clock.time += work
    return [round(b - a, 9) for a, b in zip(times, times[1:], strict=False)]


def test_starts_are_spaced_by_the_rate():
    clock = FakeClock()
    throttle = Throttle(Limit(10, 1.0, 1), clock)
    assert starts(throttle, clock, 6) == [round(0.1 * SAFETY, 9)] * 5


def test_spacing_counts_from_the_actual_start_of_a_late_request():
    """A request that started late (the machine was busy) moves the next one later,
    so no two starts are ever closer than the spacing."""
    clock = FakeClock()
    throttle = Throttle(Limit(10, 1.0, 1), clock)
    with throttle.slot():
        first = clock.now()
    clock.time += 0.5  # the next caller comes late
    with throttle.slot():
        late = clock.now()
    with throttle.slot():
        after = clock.now()
    assert late == first + 0.5
    assert after - late == pytest.approx(0.1 * SAFETY)


def test_slow_requests_need_no_extra_wait():
    clock = FakeClock()
    throttle = Throttle(Limit(10, 1.0, 1), clock)
    assert starts(throttle, clock, 4, work=0.3) == [0.3, 0.3, 0.3]


def test_starts_are_spaced_on_the_real_clock_too():
    throttle = Throttle(Limit(20, 1.0, 1))
    times = []
    for _ in range(5):
        with throttle.slot():
            times.append(time.monotonic())
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.05


def hold_slots(throttle: Throttle, count: int, seconds: float) -> None:
    def work():
        with throttle.slot():
            time.sleep(seconds)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_one_request_at_a_time_until_the_server_has_spoken():
    throttle = Throttle(Limit(100, 1.0, 3))
    hold_slots(throttle, 4, 0.05)
    assert throttle.peak_in_flight == 1


def test_concurrency_is_capped_once_calibrated():
    throttle = Throttle(Limit(100, 1.0, 3))
    throttle.observe({})
    hold_slots(throttle, 10, 0.1)
    assert throttle.peak_in_flight == 3


def test_announced_limits_are_adopted_but_never_above_the_documented_ones():
    throttle = Throttle(Limit(3, 1.0, 3))
    throttle.observe(
        {
            "x-rate-limit-limit": "50",
            "x-rate-limit-interval": "1s",
            "x-concurrency-limit": "10",
        }
    )
    assert throttle.limit == Limit(3, 1.0, 3)
    throttle.observe(
        {
            "x-rate-limit-limit": "2",
            "x-rate-limit-interval": "1s",
            "x-concurrency-limit": "1",
        }
    )
    assert throttle.limit == Limit(2, 1.0, 1)


def test_a_429_halves_the_pace_and_answers_bring_it_back():
    throttle = Throttle(Limit(10, 1.0, 3))
    throttle.refused()
    assert throttle.limit.rate == 5 and throttle.limit.concurrency == 2
    throttle.refused()
    assert throttle.limit.rate == 2.5 and throttle.limit.concurrency == 1
    for _ in range(3):
        throttle.answered()
    assert throttle.limit.rate == pytest.approx(6.25)
    for _ in range(10):
        throttle.answered()
    assert throttle.limit == Limit(10, 1.0, 3)


def test_refusals_never_stop_a_pool():
    throttle = Throttle(Limit(3, 1.0, 3))
    for _ in range(50):
        throttle.refused()
    assert throttle.limit.rate == pytest.approx(3 * FLOOR)
    assert throttle.limit.concurrency == 1


def test_recovery_stops_at_the_announced_limit():
    throttle = Throttle(Limit(10, 1.0, 3))
    throttle.observe(
        {
            "x-rate-limit-limit": "4",
            "x-rate-limit-interval": "1s",
            "x-concurrency-limit": "2",
        }
    )
    throttle.refused()
    assert throttle.limit.rate == 2
    for _ in range(20):
        throttle.answered()
    assert throttle.limit == Limit(4, 1.0, 2)


def test_no_window_holds_more_starts_than_the_rate_even_when_starts_run_late():
    """Any four starts at 3 a second span the interval and the cushion, so that a
    request reaching the server up to CUSHION late still finds its window clear."""
    clock = FakeClock()
    throttle = Throttle(Limit(3, 1.0, 3), clock)
    throttle.observe({})
    starts = []
    for number in range(12):
        with throttle.slot():
            starts.append(clock.now())
        if number % 3 == 0:
            clock.time += 0.08  # some requests take longer to prepare
    for first, fourth in zip(starts, starts[3:], strict=False):
        assert fourth - first >= 1.0 + CUSHION - 1e-9


def test_a_lower_announced_rate_moves_the_next_start():
    clock = FakeClock()
    throttle = Throttle(Limit(10, 1.0, 1), clock)
    with throttle.slot():
        first = clock.now()
    throttle.observe({"x-rate-limit-limit": "2", "x-rate-limit-interval": "1s"})
    with throttle.slot():
        second = clock.now()
    assert second - first == pytest.approx(0.5 * SAFETY)
