"""Answers from rollups: totals and series for a range, per store or across stores of one currency.

Every sum is a SQL SUM over integer columns. Excluded statuses and the date basis come from `ReportSettings`; the
range is whole store-local days, inclusive (rollup days are already local).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet, Sum

from storelens.analytics.definitions import ReportSettings, Totals
from storelens.analytics.models import TOTALS_COLUMNS, DailyRollup


def cells(store: Any, settings: ReportSettings, first: date, last: date, currency: str | None = None) -> QuerySet:
    qs = DailyRollup.objects.filter(
        store=store, basis=settings.date_basis.value, day__gte=first, day__lte=last
    ).exclude(status__in=sorted(settings.all_excluded))
    if currency:
        qs = qs.filter(currency=currency)
    return qs


def _sums() -> dict[str, Sum]:
    return {name: Sum(column) for name, column in TOTALS_COLUMNS.items()}


def _totals(row: dict[str, Any]) -> Totals:
    return Totals(**{name: int(row.get(name) or 0) for name in Totals.names()})


def totals(store: Any, settings: ReportSettings, first: date, last: date, currency: str | None = None) -> Totals:
    """The range's totals for one store (all currencies added unconverted when `currency` is None, like WooCommerce)."""
    return _totals(cells(store, settings, first, last, currency).aggregate(**_sums()))


def daily(
    store: Any, settings: ReportSettings, first: date, last: date, currency: str | None = None
) -> dict[date, Totals]:
    """Totals per local day with activity (days without any order or refund are absent)."""
    rows = cells(store, settings, first, last, currency).values("day").annotate(**_sums()).order_by("day")
    return {row["day"]: _totals(row) for row in rows}


def currencies(store: Any, settings: ReportSettings, first: date, last: date) -> dict[str, Totals]:
    """Totals per currency: what a page shows for a store that sells in several."""
    rows = cells(store, settings, first, last).values("currency").annotate(**_sums()).order_by("currency")
    return {row["currency"]: _totals(row) for row in rows}


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
