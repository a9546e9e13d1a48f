"""The home page's figures: today, month to date against last month and last year, the goal, the forecast and the
last three months. All from rollups, through `summary.build`, so they equal `storelens report` for the same days.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storelens.analytics.metrics.periods import month_end, month_start, same_days_of, shift_months
from storelens.analytics.metrics.types import Totals
from storelens.analytics.reports.fx import Rates
from storelens.analytics.reports.summary import Report, build
from storelens.commerce.money import divide_minor


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
    mtd: Report
    last_month_same_days: Report
    last_year_same_days: Report
    months: list[Report] = field(default_factory=list)  # the three previous whole months, oldest first
    forecast_minor: int = 0
    goal_minor: int | None = None

    @property
    def goal_progress(self) -> float | None:
        if not self.goal_minor:
            return None
        return max(0.0, self.mtd.totals.net_sales / self.goal_minor)

    def daily_series(self) -> list[tuple[date, Totals]]:
        out = []
        day = self.mtd.first
        while day <= self.today:
            out.append((day, self.mtd.daily.get(day, Totals())))
            day += timedelta(days=1)
        return out


def home(stores: Sequence[Any], today: date, currency: str | None = None, goal_minor: int | None = None) -> Home:
    """Every home figure from ONE rollup query over the span they cover (same month last year → today), sliced by day
    here: the page costs one indexed aggregate whatever the history size."""
    start = month_start(today)
    days = today.day
    ranges = {
        "today": (today, today),
        "mtd": (start, today),
        "last_month": same_days_of(shift_months(start, -1), days),
        "last_year": same_days_of(shift_months(start, -12), days),
    }
    for back in (3, 2, 1):
        first = shift_months(start, -back)
        ranges[f"month-{back}"] = (first, month_end(first))
    span_first = min(f for f, _ in ranges.values())
    whole = build(stores, span_first, today, currency=currency, rates=Rates(), with_customers=False)

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
        last_month_same_days=reports["last_month"],
        last_year_same_days=reports["last_year"],
        months=months,
        forecast_minor=forecast_minor(months, today),
        goal_minor=goal_minor,
    )
