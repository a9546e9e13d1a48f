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
    """`values[weekday][hour]`: Monday is 0 (ISO order), hours are the store-local 0–23; money in minor units."""

    metric: str
    currency: str
    first: date
    last: date
    values: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in WEEKDAYS])
    unconverted: dict[str, int] = field(default_factory=dict)  # currency → orders added at face value

    @property
    def peak(self) -> tuple[int, int, int] | None:
        """(weekday, hour, value) of the busiest hour, or None when the range is empty."""
        best = max(((v, d, h) for d, row in enumerate(self.values) for h, v in enumerate(row)), default=(0, 0, 0))
        return None if best[0] <= 0 else (best[1], best[2], best[0])

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.values)

    def rows(self) -> list[dict[str, Any]]:
        """One row per weekday × hour, for CSV and JSON: weekday name, hour, value."""
        return [
            {"weekday": WEEKDAYS[d], "hour": h, self.metric: v}
            for d, row in enumerate(self.values)
            for h, v in enumerate(row)
        ]


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
    unless given (as every report). `currency` converts at ECB rates; without it the stores must share one."""
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
    column = "orders" if metric == "orders" else "net_sales_minor"
    for store in stores:
        settings = report_settings(store, date_basis, excluded)
        rows = (
            HourlyRollup.objects.filter(store=store, basis=settings.date_basis.value, day__gte=first, day__lte=last)
            .exclude(status__in=sorted(settings.all_excluded))
            .values("day", "hour", "currency")
            .annotate(value=Sum(column), orders_sum=Sum("orders"))
            .order_by()
        )
        for row in rows:
            value = int(row["value"] or 0)
            cell_currency = row["currency"]
            if metric == "net_sales" and cell_currency != target:
                if convert:
                    value = rates.convert_minor(value, cell_currency, target, row["day"])
                else:
                    value = rescale(value, cell_currency, target)
                    out.unconverted[cell_currency] = out.unconverted.get(cell_currency, 0) + int(row["orders_sum"] or 0)
            out.values[row["day"].weekday()][row["hour"]] += value
    return out
