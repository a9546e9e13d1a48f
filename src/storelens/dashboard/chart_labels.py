"""How a day, week or month bucket is named on a chart axis and in a table: "7 Dec", "Dec 2026", never an ISO date.

A bucket cut by the range (the first week starting before the range's first day, the month still running) is named
by the days it really covers and marked with their number, so a bar is never labelled with a day outside the range.
"""

from __future__ import annotations

from datetime import date, timedelta

from storelens.analytics.metrics.periods import month_end


def covered(start: date, grain: str, first: date, last: date) -> tuple[date, date, bool]:
    """The days of the bucket starting `start` inside [first, last], and whether that is fewer than a whole one."""
    if grain == "week":
        end = start + timedelta(days=6)
    elif grain == "month":
        end = month_end(start)
    else:
        end = start
    shown_first, shown_last = max(start, first), min(end, last)
    return shown_first, shown_last, (shown_first, shown_last) != (start, end)


def _days(a: date, b: date) -> int:
    return (b - a).days + 1


def axis_label(start: date, grain: str, first: date, last: date) -> str:
    """Short: "7 Dec" (a day, a week by its first day), "Dec 2026"; a cut bucket adds its day count: "3 Sep (4 d)"."""
    shown_first, shown_last, partial = covered(start, grain, first, last)
    text = start.strftime("%b %Y") if grain == "month" else f"{shown_first.day} {shown_first:%b}"
    return f"{text} ({_days(shown_first, shown_last)} d)" if partial and grain != "day" else text


def table_label(start: date, grain: str, first: date, last: date) -> str:
    """Long: "Mon 7 Dec 2026", "Week of 7 Dec 2026", "December 2026"; a cut bucket: "3–6 Sep 2026 (4 days)"."""
    shown_first, shown_last, partial = covered(start, grain, first, last)
    if grain == "day":
        return f"{start:%a} {start.day} {start:%b %Y}"
    if partial and shown_first == shown_last:
        return f"{shown_first.day} {shown_first:%b %Y} (1 day)"
    if partial:
        span = f"{shown_first.day} {shown_first:%b}–{shown_last.day} {shown_last:%b %Y}"
        return f"{span} ({_days(shown_first, shown_last)} days)"
    if grain == "month":
        return start.strftime("%B %Y")
    return f"Week of {start.day} {start:%b %Y}"
