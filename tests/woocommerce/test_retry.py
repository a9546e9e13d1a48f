from __future__ import annotations

import random
from datetime import UTC, datetime

from storelens.woocommerce.retry import RetryPolicy, parse_retry_after


def test_backoff_doubles_within_jitter_and_is_capped() -> None:
    policy = RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=8.0, rng=random.Random(7))
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (9, 8.0)]:
        delay = policy.delay_for(attempt, None)
        assert delay is not None
        assert ceiling / 2 <= delay <= ceiling


def test_jitter_spreads_retries_of_several_workers() -> None:
    policy = RetryPolicy(base_delay=1.0, rng=random.Random(1))
    delays = {round(policy.backoff(3), 6) for _ in range(20)}
    assert len(delays) > 10


def test_gives_up_after_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert policy.delay_for(1, None) is not None
    assert policy.delay_for(2, None) is not None
    assert policy.delay_for(3, None) is None


def test_retry_after_is_honoured_but_not_forever() -> None:
    policy = RetryPolicy(base_delay=0.01, max_retry_after=120, rng=random.Random(3))
    delay = policy.delay_for(1, 30.0)
    assert delay is not None and 30.0 <= delay <= 30.01
    assert policy.delay_for(1, 3600.0) is None


def test_retry_after_header_forms() -> None:
    now = datetime(2026, 11, 28, 23, 49, 25, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Sat, 28 Nov 2026 23:49:35 GMT", now=now) == 10.0
    assert parse_retry_after("Sat, 28 Nov 2026 23:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
