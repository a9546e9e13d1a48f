"""Cohort definitions: which period a store-local day falls in, and how many periods separate two days.

A customer's cohort is the period (week, month or quarter) holding the store-local day of their first counted order
(`orders.is_counted`, on the store's date basis); period k of a cohort is the k-th period after it (0: the cohort's
own). Weeks start on Mondays (ISO), as the Subscriptions page's weeks do. Pure functions, no database.
"""

from __future__ import annotations

from datetime import date, timedelta

GRAINS: tuple[str, ...] = ("month", "week", "quarter")
"""The cohort sizes an owner picks from; month first: Metorik's default."""


def period_start(day: date, grain: str) -> date:
    """The first day of the period holding `day`."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if grain == "month":
        return day.replace(day=1)
    raise ValueError(f"Unknown cohort grain {grain!r}: choose one of {', '.join(GRAINS)}.")


def periods_between(cohort: date, day: date, grain: str) -> int:
    """How many periods `day`'s period comes after the period starting on `cohort` (0: the same period)."""
    if grain == "week":
        return (period_start(day, "week") - cohort).days // 7
    months = (day.year - cohort.year) * 12 + day.month - cohort.month
    return months // 3 if grain == "quarter" else months


def nth_period_start(cohort: date, k: int, grain: str) -> date:
    """The first day of period k of the cohort starting on `cohort`."""
    if grain == "week":
        return cohort + timedelta(weeks=k)
    months = cohort.month - 1 + k * (3 if grain == "quarter" else 1)
    return date(cohort.year + months // 12, months % 12 + 1, 1)


def period_label(start: date, grain: str) -> str:
    """What a row of the triangle is called: "Mar 2025", "Q1 2025", "Week of 3 Mar 2025"."""
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if grain == "week":
        return f"Week of {start.day} {start:%b %Y}"
    return f"{start:%b %Y}"
