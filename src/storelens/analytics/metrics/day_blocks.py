"""Aligned blocks of days, so a rollup can answer a long range from a few rows.

A block of span k covers 2**k consecutive local days starting on a day whose number (days since 1970-01-01) is a
multiple of 2**k. A rollup that also keeps its cells summed per block (`ProductDailyRollup`, span > 0) reads the few
blocks of `cover(range)` instead of one row per day. Only the spans in SPANS are kept: blocks of 1, 8, 64 and 256
days. Every range is the disjoint union of at most `max_blocks(length)` of them (≤ 35 + length ÷ 256).

Why these four and not every power of two up to 256: the price is paid on writes, where a contribution moves its
cell once per kept span, and the history import's single writer is CPU-bound. Measured on the kept 1M-order / 3M-line
SQLite database (products page, same run): all nine spans 0…8 read 6 blocks for 30 days (p50 ≈ 13–15 ms) and 9 for
365 days (≈ 17 ms); spans 0, 3, 6, 8 read 9 blocks (≈ 16 ms) and 19 (≈ 12–27 ms), still ~100× faster than raw,
for 4 upserts per cell instead of 9. Spans 0, 3, 6 alone read 22 blocks for a year (≈ 31–33 ms) and grow linearly
past 64-day blocks, so 256 stays for long ranges.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

EPOCH = date(1970, 1, 1)
SPANS = (0, 3, 6, 8)  # blocks of 1, 8, 64 and 256 days; ascending, span 0 (the day itself) first
MAX_SPAN = SPANS[-1]


def block_start(day: date, span: int) -> date:
    """The first day of the span-`span` block holding `day`."""
    n = (day - EPOCH).days
    return EPOCH + timedelta(days=n - n % (1 << span))


def cover(first: date, last: date) -> list[tuple[int, date]]:
    """The fewest blocks (span, first day) of the kept spans that exactly cover first..last (both included), widest
    first where they fit: greedily the widest kept block that starts at the current day and ends within the range
    (optimal because each kept span's blocks are unions of the next narrower one's)."""
    out: list[tuple[int, date]] = []
    n, end = (first - EPOCH).days, (last - EPOCH).days
    widest_first = SPANS[::-1]
    while n <= end:
        span = next(s for s in widest_first if not n % (1 << s) and n + (1 << s) - 1 <= end)
        out.append((span, EPOCH + timedelta(days=n)))
        n += 1 << span
    return out


def max_blocks(length: int) -> int:
    """An upper bound of len(cover(...)) for a range of `length` + 1 days: at most 2·(2**(k' − k) − 1) blocks of each
    span k below the next kept span k' (on either end of the range), plus the widest blocks."""
    ends = sum(2 * ((1 << (wider - span)) - 1) for span, wider in pairwise(SPANS))
    return ends + length // (1 << MAX_SPAN) + 1
