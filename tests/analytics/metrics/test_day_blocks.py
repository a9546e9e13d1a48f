"""Aligned day blocks: any range is covered exactly, by aligned blocks, and by few of them."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from storelens.analytics.metrics.day_blocks import SPANS, block_start, cover, max_blocks


@given(first=st.dates(date(1960, 1, 1), date(2040, 1, 1)), length=st.integers(0, 800))
def test_cover_is_an_exact_partition_into_few_aligned_blocks(first: date, length: int) -> None:
    last = first + timedelta(days=length)
    days: list[date] = []
    blocks = cover(first, last)
    for span, start in blocks:
        assert block_start(start, span) == start  # aligned
        days += [start + timedelta(days=i) for i in range(1 << span)]
    assert days == [first + timedelta(days=i) for i in range(length + 1)]  # in order, no gap, no overlap
    assert all(span in SPANS for span, _ in blocks)  # only the kept spans: no other blocks are written
    assert len(blocks) <= max_blocks(length)


def test_a_day_lies_in_exactly_one_block_per_span() -> None:
    day = date(2025, 3, 9)
    for span in SPANS:
        start = block_start(day, span)
        assert start <= day < start + timedelta(days=1 << span)
    assert cover(day, day) == [(0, day)]
