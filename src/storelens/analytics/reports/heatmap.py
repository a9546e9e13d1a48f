"""The Sales heatmap: orders or net sales per weekday × hour of day, in each store's own time zone, for any range.

Read from the hourly cells (`HourlyRollup`), never from the orders: a year of a store is at most 8,784 (day, hour)
sums per currency and status, whatever its order count. Several stores are added up hour by hour of their own
local clocks (9 am in Berlin with 9 am in New York), which is what "when do my customers buy" asks. Money follows
`summary`'s rule: converted at each day's ECB rate into a reporting currency, or a single currency added at face
value (WooCommerce's way) with what was added so listed in `unconverted`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Sum

from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.models import HourlyRollup
from storelens.analytics.reports.fx import Rates
from storelens.analytics.reports.summary import ReportError, rescale, resolve_currency

METRICS = ("orders", "net_sales")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Heatmap:
    """`orders[weekday][hour]` and `net_sales[weekday][hour]`: Monday is 0 (ISO order), hours are the store-local
    0–23, money in minor units of `currency`; `values` is the grid of the figure asked for (`metric`)."""

    metric: str
    currency: str
    first: date
    last: date
    orders: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in WEEKDAYS])
    net_sales: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in WEEKDAYS])
    unconverted: dict[str, int] = field(default_factory=dict)  # currency → orders added at face value

    @property
    def values(self) -> list[list[int]]:
        return self.orders if self.metric == "orders" else self.net_sales

    @property
    def peak(self) -> tuple[int, int, int] | None:
        """(weekday, hour, value) of the busiest hour, or None when the range is empty."""
        best = max(((v, d, h) for d, row in enumerate(self.values) for h, v in enumerate(row)), default=(0, 0, 0))
        return None if best[0] <= 0 else (best[1], best[2], best[0])

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.values)


def heatmap(
    stores: Sequence[Any],
    first: date,
    last: date,
    metric: str = "orders",
    currency: str | None = None,
    date_basis: str | None = None,
    excluded_statuses: Iterable[str] | None = None,
    rates: Rates | None = None,
) -> Heatmap:
    """The range's weekday × hour totals over `stores`, with each store's own date basis and excluded statuses
    unless given (as every report). `currency` converts at ECB rates; without it the stores must share one.

    Both figures come from one query per store: cells already in the target currency are grouped by (weekday, hour)
    in SQL; only cells in another currency are read per day, to be converted at that day's rate.
    """
    if metric not in METRICS:
        raise ReportError(f"Unknown heatmap figure {metric!r}: choose one of {', '.join(METRICS)}.")
    if not stores:
        raise ReportError("No store to report on: connect one first.")
    if first > last:
        raise ReportError(f"The range starts ({first}) after it ends ({last}): give the earlier day first.")
    target = resolve_currency(stores, currency)
    convert = currency is not None
    rates = rates or Rates()
    excluded = list(excluded_statuses) if excluded_statuses is not None else None
    out = Heatmap(metric=metric, currency=target, first=first, last=last)
    for store in stores:
        settings = report_settings(store, date_basis, excluded)
        cells = HourlyRollup.objects.filter(
            store=store, basis=settings.date_basis.value, day__gte=first, day__lte=last
        ).exclude(status__in=sorted(settings.all_excluded))
        sums = {"n": Sum("orders"), "net": Sum("net_sales_minor")}
        same = cells.filter(currency=target).values_list("weekday", "hour").annotate(**sums).order_by()
        for weekday, hour, n, net in same:
            out.orders[weekday][hour] += int(n or 0)
            out.net_sales[weekday][hour] += int(net or 0)
        other = cells.exclude(currency=target).values_list("day", "hour", "currency").annotate(**sums).order_by()
        for day, hour, cell_currency, n, net in other:
            if convert:
                value = rates.convert_minor(int(net or 0), cell_currency, target, day)
            else:
                value = rescale(int(net or 0), cell_currency, target)
                out.unconverted[cell_currency] = out.unconverted.get(cell_currency, 0) + int(n or 0)
            out.orders[day.weekday()][hour] += int(n or 0)
            out.net_sales[day.weekday()][hour] += value
    return out
