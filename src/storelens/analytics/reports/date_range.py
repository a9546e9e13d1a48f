"""The one home of the date ranges that pages, the API and `storelens report` are asked for: reading a day, and
bounding a range and its series before any reader sees it.

Why: a range is typed by anyone (a URL, an API client, a shell), and every reader turns it into UTC instants, a
previous period of the same length and one point per day, week or month. `/sales/?from=1900-01-01&to=2100-12-31`
by day walked 73,000 empty days twice (61 s of CPU, 20 MB), and 0001-01-01..9999-12-31 overflowed `date`
arithmetic (a 500 on the API, three pages and the CLI). So every range passes through `bound` first:

- a day is written YYYY-MM-DD and nothing else (`parse_day`);
- every day is kept within FLOOR..CEILING, far from the ends of `date`, so a previous period or the UTC start of
  the day after the last one never overflows;
- a range longer than MAX_POINTS days is cut to the days the stores have orders or figures on (plus today): the
  days cut hold no orders, so every total is the same, and the note says what was shown instead of what was asked.
  Shorter ranges are left exactly as asked (a month's chart keeps its empty days);
- a series has at most MAX_POINTS points: `grain_for` gives the asked grain or the next coarser one that fits (the
  pages, with a note), `points_problem` the message for a 422 (the API, whose client asked for a grain).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storelens.analytics.metrics.periods import days_between

MAX_POINTS = 1100  # three years of days, 21 years of weeks, 91 years of months
FLOOR = date(1900, 1, 1)
CEILING = date(2999, 12, 31)
GRAINS = ("day", "week", "month")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class DayError(ValueError):
    """A day that is not a real YYYY-MM-DD day; the message says how to write it."""


def parse_day(text: str) -> date:
    """A YYYY-MM-DD day. `date.fromisoformat` alone also reads 20250301 and 2025-W10-1, which no caller means."""
    if not _ISO_DAY.fullmatch(text or ""):
        raise DayError(f"{text!r} is not a day: write it as YYYY-MM-DD, e.g. 2025-03-31.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DayError(f"{text!r} is not a day of the calendar: write it as YYYY-MM-DD, e.g. 2025-03-31.") from None


def day_or_none(text: str | None) -> date | None:
    """`parse_day`, or None for a missing or unreadable day (pages fall back to their default range)."""
    try:
        return parse_day(text) if text else None
    except DayError:
        return None


@dataclass(frozen=True)
class Bounded:
    """A range as it will be read, and why it differs from the one asked for (`note` is empty when it does not)."""

    first: date
    last: date
    note: str = ""


def points(first: date, last: date, grain: str) -> int:
    """How many points a gap-free series from `first` to `last` has (see `metrics.periods.series`)."""
    if grain == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    if grain == "week":
        return ((last - timedelta(days=last.weekday())) - (first - timedelta(days=first.weekday()))).days // 7 + 1
    return days_between(first, last)


def grain_for(first: date, last: date, grain: str) -> tuple[str, str]:
    """The asked grain when its series fits in MAX_POINTS, else the next coarser one that does, with a note saying
    so. Month, the coarsest, is kept even past MAX_POINTS: only stores with orders over 91 years apart get there."""
    if grain not in GRAINS:
        grain = "day"
    shown = next((g for g in GRAINS[GRAINS.index(grain) :] if points(first, last, g) <= MAX_POINTS), "month")
    if shown == grain:
        return grain, ""
    return shown, (
        f"Shown by {shown}: by {grain} these {days_between(first, last):,} days would be "
        f"{points(first, last, grain):,} points (at most {MAX_POINTS:,})."
    )


def points_problem(first: date, last: date, grain: str) -> str:
    """Empty when the series fits, else what to ask instead (the API answers it as a 422)."""
    n = points(first, last, grain)
    if n <= MAX_POINTS:
        return ""
    fits = [g for g in GRAINS if points(first, last, g) <= MAX_POINTS]
    instead = f"grain={fits[0]}" if fits else "a shorter range"
    return (
        f"grain={grain} from {first} to {last} would be {n:,} points, more than {MAX_POINTS:,}: ask for {instead} "
        f"or a range of at most {MAX_POINTS:,} {grain}s."
    )


def data_days(stores: Sequence[Any]) -> tuple[date, date] | None:
    """The first and last day the stores have anything on: their rollup cells (every date basis) and the creation
    dates of their orders (a day either side, for the stores' time zones). None for stores without any."""
    from django.db.models import Max, Min

    from storelens.analytics.models import DailyRollup
    from storelens.commerce.models import Order

    cells = DailyRollup.objects.filter(store__in=list(stores)).aggregate(lo=Min("day"), hi=Max("day"))
    created = Order.objects.filter(store__in=list(stores)).aggregate(lo=Min("created_at"), hi=Max("created_at"))
    lows = [d for d in (cells["lo"], created["lo"] and created["lo"].date() - timedelta(days=1)) if d]
    highs = [d for d in (cells["hi"], created["hi"] and created["hi"].date() + timedelta(days=1)) if d]
    if not lows or not highs:
        return None
    return min(lows), max(highs)


def _clip(day: date) -> date:
    return min(max(day, FLOOR), CEILING)


def _label(first: date, last: date) -> str:
    return f"{first.day} {first:%b} {first.year:04d} – {last.day} {last:%b} {last.year:04d}"


def bound(first: date, last: date, stores: Sequence[Any], today: date) -> Bounded:
    """The range to read for the asked one (earlier day first): within FLOOR..CEILING, and when longer than
    MAX_POINTS days, cut to the stores' data and today (a range wholly outside them keeps its last MAX_POINTS days,
    which hold nothing either)."""
    asked = (first, last) if first <= last else (last, first)
    first, last = _clip(asked[0]), _clip(asked[1])
    why = f"Storelens reads days from {_label(FLOOR, CEILING).replace(' – ', ' to ')}"
    if days_between(first, last) > MAX_POINTS:
        window = data_days(stores) if stores else None
        lo, hi = (min(window[0], today), max(window[1], today)) if window else (today, today)
        cut_first, cut_last = max(first, lo), min(last, hi)
        why = "the stores have no orders on the days left out"
        if cut_first > cut_last:  # nothing of the data inside: the end of the asked range, no longer than allowed
            cut_first, cut_last = max(first, last - timedelta(days=MAX_POINTS - 1)), last
            why = f"none of the asked days has orders, and a range that long is read {MAX_POINTS:,} days at most"
        first, last = cut_first, cut_last
    if (first, last) == asked:
        return Bounded(first, last)
    return Bounded(first, last, f"Showing {_label(first, last)}: {why} (you asked for {_label(*asked)}).")
