"""Aligned blocks of days, so a rollup can answer a long range from a few rows.

A block of span k covers 2**k consecutive local days starting on a day whose number (days since 1970-01-01) is a
multiple of 2**k. Every range of days is the disjoint union of at most about 2·MAX_SPAN such blocks (`cover`), so a
rollup that also keeps its cells summed per block (`ProductDailyRollup`, span > 0) reads at most that many blocks'
cells for any range instead of one row per day: the products page reads as much for a year as for a month. The price
is paid on writes: a contribution moves its cell in every span (MAX_SPAN + 1 upserts instead of one).
"""

from __future__ import annotations

from datetime import date, timedelta

EPOCH = date(1970, 1, 1)
MAX_SPAN = 8  # blocks of up to 256 days
SPANS = tuple(range(MAX_SPAN + 1))


def block_start(day: date, span: int) -> date:
    """The first day of the span-`span` block holding `day`."""
    n = (day - EPOCH).days
    return EPOCH + timedelta(days=n - n % (1 << span))


def cover(first: date, last: date) -> list[tuple[int, date]]:
    """The fewest aligned blocks (span, first day) that exactly cover first..last (both included), widest first where
    they fit: greedily the widest block that starts at the current day and ends within the range."""
    out: list[tuple[int, date]] = []
    n, end = (first - EPOCH).days, (last - EPOCH).days
    while n <= end:
        span = MAX_SPAN
        while span and (n % (1 << span) or n + (1 << span) - 1 > end):
            span -= 1
        out.append((span, EPOCH + timedelta(days=n)))
        n += 1 << span
    return out
