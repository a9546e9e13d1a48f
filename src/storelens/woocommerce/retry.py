"""When to try a store request again, and how long to wait first.

Small WordPress hosts fall over under load (PHP workers exhausted, 502/504 from the proxy, 429/508 from the host):
backing off exponentially with jitter lets them recover, and `Retry-After` is the host telling us exactly how long.
Auth failures (4xx) are never retried: the answer will not change and the owner must act.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class RetryPolicy:
    """`max_attempts` counts the first try. Delays: base·2^(n-1) capped at max_delay, then "equal jitter"
    (half fixed, half random) so that several workers hitting one store don't retry in lock-step."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = 300.0  # a Retry-After longer than this is not waited for: we give up and report
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt` (1 = the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def delay_for(self, attempt: int, retry_after: float | None) -> float | None:
        """How long to wait before the next try, or None when we should give up now."""
        if attempt >= self.max_attempts:
            return None
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return max(retry_after, 0.0) + self.rng.uniform(0, min(1.0, self.base_delay))
        return self.backoff(attempt)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a `Retry-After` header: delta-seconds or an HTTP date. None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


async def real_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)
