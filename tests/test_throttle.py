import threading
import time

import pytest

from tracker.throttle import (
    POLITE,
    PUBLIC,
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


def test_starts_are_spaced_by_the_rate():
    throttle = Throttle(Limit(10, 1.0, 1))
    starts = []
    for _ in range(6):
        with throttle.slot():
            starts.append(time.monotonic())
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.1


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


def test_slowing_down_after_a_429_lasts():
    throttle = Throttle(Limit(10, 1.0, 3))
    throttle.slow_down()
    assert throttle.limit.rate == 5 and throttle.limit.concurrency == 1
    throttle.observe(
        {
            "x-rate-limit-limit": "10",
            "x-rate-limit-interval": "1s",
            "x-concurrency-limit": "3",
        }
    )
    assert throttle.limit.rate == 5 and throttle.limit.concurrency == 1


def test_a_lower_announced_rate_moves_the_next_start():
    throttle = Throttle(Limit(10, 1.0, 1))
    with throttle.slot():
        first = time.monotonic()
    throttle.observe({"x-rate-limit-limit": "2", "x-rate-limit-interval": "1s"})
    with throttle.slot():
        second = time.monotonic()
    assert second - first >= 0.5
