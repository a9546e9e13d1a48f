"""The home page's figures: today, the chosen range (month to date unless the owner picks another) against the
period before it and the same days last year, the goal, the forecast and the last three months. All from ONE rollup
query through `summary.build`, so they equal `storelens report` for the same days.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storelens.analytics.metrics.periods import (
    month_end,
    month_start,
    previous_period,
    same_days_of,
    shift_months,
    year_before,
)
from storelens.analytics.metrics.types import Totals
from storelens.analytics.reports.fx import Rates
from storelens.analytics.reports.summary import Report, build
from storelens.commerce.money import divide_minor


def comparison_period(first: date, last: date) -> tuple[date, date]:
    """The period a range is compared with, as an owner reads it: a whole month → the whole month before; the first
    days of a month (month to date) → the same days of the month before; any other range → the same number of days
    just before it (Sales' "previous period")."""
    if first.day == 1 and last == month_end(first):
        before = shift_months(first, -1)
        return before, month_end(before)
    if first.day == 1 and (first.year, first.month) == (last.year, last.month):
        return same_days_of(shift_months(first, -1), last.day)
    return previous_period(first, last)


def forecast_minor(previous_3_months: Sequence[Report], month: date) -> int:
    """This month's forecast = average daily net sales over the previous three whole months × days in this month.

    Putler's documented starting point ("the average sales of the previous three months"), taken per day so that
    February and 31-day months are compared fairly. No trend, no seasonality: a plain, checkable baseline.
    """
    net = sum(r.totals.net_sales for r in previous_3_months)
    days = sum((r.last - r.first).days + 1 for r in previous_3_months)
    return divide_minor(net * calendar.monthrange(month.year, month.month)[1], days) if days else 0


@dataclass
class Home:
    currency: str
    today: date
    today_report: Report
    mtd: Report  # the month so far, for the forecast and the goal
    range_report: Report  # the chosen range (month to date by default)
    previous: Report  # comparison_period of the range
    last_year: Report  # the range's days a year earlier
    months: list[Report] = field(default_factory=list)  # the three previous whole months, oldest first
    forecast_minor: int = 0
    goal_minor: int | None = None

    @property
    def goal_progress(self) -> float | None:
        if not self.goal_minor:
            return None
        return max(0.0, self.mtd.totals.net_sales / self.goal_minor)

    def daily_series(self) -> list[tuple[date, Totals]]:
        """The chosen range day by day, every day present (a day without orders is a real zero)."""
        out = []
        day = self.range_report.first
        while day <= self.range_report.last:
            out.append((day, self.range_report.daily.get(day, Totals())))
            day += timedelta(days=1)
        return out


def home(
    stores: Sequence[Any],
    today: date,
    currency: str | None = None,
    goal_minor: int | None = None,
    first: date | None = None,
    last: date | None = None,
) -> Home:
    """Every home figure from ONE rollup query over the span they cover (the chosen range's days a year earlier →
    the later of today and the range's end), sliced by day here: the page costs one indexed aggregate whatever the
    history size, and a picked range costs no more than month to date."""
    start = month_start(today)
    first, last = (first, last) if first and last else (start, today)
    ranges = {
        "today": (today, today),
        "mtd": (start, today),
        "range": (first, last),
        "previous": comparison_period(first, last),
        "last_year": year_before(first, last),
    }
    for back in (3, 2, 1):
        month_first = shift_months(start, -back)
        ranges[f"month-{back}"] = (month_first, month_end(month_first))
    span_first = min(f for f, _ in ranges.values())
    span_last = max(lst for _, lst in ranges.values())
    whole = build(stores, span_first, span_last, currency=currency, rates=Rates(), with_customers=False)

    def rep(first: date, last: date) -> Report:
        daily = {d: t for d, t in whole.daily.items() if first <= d <= last}
        totals = Totals()
        for t in daily.values():
            totals.add(t)
        return Report(
            currency=whole.currency, first=first, last=last, timezone=whole.timezone, totals=totals, daily=daily
        )

    reports = {name: rep(*r) for name, r in ranges.items()}
    months = [reports["month-3"], reports["month-2"], reports["month-1"]]
    return Home(
        currency=whole.currency,
        today=today,
        today_report=reports["today"],
        mtd=reports["mtd"],
        range_report=reports["range"],
        previous=reports["previous"],
        last_year=reports["last_year"],
        months=months,
        forecast_minor=forecast_minor(months, today),
        goal_minor=goal_minor,
    )
