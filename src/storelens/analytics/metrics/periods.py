"""Calendar arithmetic of ranges of store-local days: months, the period before a range, and buckets of a series.

Pure (dates and `Totals` in, dates and `Totals` out): the home page, the sales page, the API's series and the CLI
cut their ranges with these; the charts' comparison series sit beside the range through `beside`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from storelens.analytics.metrics.types import Totals


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def shift_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day (31 March − 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def same_days_of(month_first: date, days: int) -> tuple[date, date]:
    """The first `days` days of the month starting `month_first` (fewer when that month is shorter)."""
    return month_first, min(month_first + timedelta(days=days - 1), month_end(month_first))


def days_between(first: date, last: date) -> int:
    return (last - first).days + 1


def previous_period(first: date, last: date) -> tuple[date, date]:
    n = days_between(first, last)
    return first - timedelta(days=n), first - timedelta(days=1)


def year_before(first: date, last: date) -> tuple[date, date]:
    """The range's days a year earlier; a range ending on a month's last day ends on that month's last day (Feb 2025
    → all of Feb 2024, 29 days)."""
    earlier = shift_months(last, -12)
    return shift_months(first, -12), month_end(earlier) if last == month_end(last) else earlier


COMPARISONS: dict[str, str] = {"previous": "previous period", "last_year": "same period last year"}
"""What a range can be compared with (the owner's choice, remembered per user and workspace), and how to say it."""


def comparison_range(first: date, last: date, compare: str = "previous") -> tuple[date, date]:
    """The days a range is compared with: the same number of days just before it, or its days a year earlier."""
    return year_before(first, last) if compare == "last_year" else previous_period(first, last)


def beside(day: date, first: date, last: date, compare: str = "previous") -> date:
    """The day of the range `first`–`last` that a day of its comparison (`comparison_range`) stands beside: as many
    days later as the range is long, or the same day a year later. Charts move the comparison's days onto the range's
    before bucketing, so each week or month holds the comparison's matching days: cut by its own calendar, 29 Jan –
    28 Feb by month is a stub of January then February, and a line cut to the range's length drops most of it.
    29 February a year before lands on 28 February; a day that would fall outside the range is kept at its edge."""
    onto = shift_months(day, 12) if compare == "last_year" else day + timedelta(days=days_between(first, last))
    return min(max(onto, first), last)


def moved_beside(per_day: dict[date, Totals], first: date, last: date, compare: str = "previous") -> dict[date, Totals]:
    """The comparison's day totals on the range's days they stand beside (`beside`), ready for `series` over the
    range: its buckets then add up to the comparison's total. Two days landing on one (29 and 28 February a year
    before) are added up; the totals given are not changed."""
    out: dict[date, Totals] = {}
    for day, t in per_day.items():
        out.setdefault(beside(day, first, last, compare), Totals()).add(t)
    return out


def bucket(day: date, grain: str) -> date:
    """The first day of the day's week (Monday) or month, or the day itself."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def series(per_day: dict[date, Totals], first: date, last: date, grain: str = "day") -> list[tuple[date, Totals]]:
    """A gap-free series from `first` to `last` by day, week or month (empty buckets are zero, not missing)."""
    out: dict[date, Totals] = {}
    day = first
    while day <= last:
        out.setdefault(bucket(day, grain), Totals())
        day += timedelta(days=1)
    for day, t in per_day.items():
        if first <= day <= last:
            out[bucket(day, grain)].add(t)
    return sorted(out.items())


def add_all(parts: Iterable[Totals]) -> Totals:
    total = Totals()
    for part in parts:
        total.add(part)
    return total
