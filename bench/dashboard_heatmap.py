"""The Sales heatmap part of `bench/dashboard.py` (run that script; this module only holds the cases).

"page" is what the view runs: `reports.heatmap.heatmap` over the hourly cells, for 90 and 365 days, orders and net
sales. "raw" computes the same 7 × 24 figures from the orders and refunds tables: the counted orders of the range
with their net sales and the refunds of counted orders (SQL, indexed), bucketed by the store-local weekday and hour
in Python (SQL cannot bucket by a DST-aware local hour portably). Both are asserted equal before timing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any


def raw_heatmap(store: Any, first: date, last: date) -> tuple[list[list[int]], list[list[int]]]:
    """(orders, net sales) per [weekday][hour] from the raw rows."""
    from django.db.models import F

    from storelens.analytics.metrics.orders import DATE_FIELD
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.metrics.timezones import local_time, range_bounds_utc
    from storelens.analytics.reports.counted import counted_orders, in_range
    from storelens.commerce.models import Order, Refund

    s = report_settings(store)
    orders = [[0] * 24 for _ in range(7)]
    net = [[0] * 24 for _ in range(7)]
    qs = Order.objects.filter(counted_orders(store, s) & in_range(s, first, last))
    net_of = F("total_minor") - F("total_tax_minor") - F("shipping_total_minor")
    for when, value in qs.annotate(net=net_of).values_list(DATE_FIELD[s.date_basis], "net"):
        t = local_time(when, s.tz)
        orders[t.weekday()][t.hour] += 1
        net[t.weekday()][t.hour] += value
    start, end = range_bounds_utc(first, last, s.tz)
    refunds = Refund.objects.filter(
        counted_orders(store, s, "order__"), deleted_at__isnull=True, created_at__gte=start, created_at__lt=end
    ).annotate(net=F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor"))
    for created, value in refunds.values_list("created_at", "net"):
        t = local_time(created, s.tz)
        net[t.weekday()][t.hour] -= value
    return orders, net


def report(store: Any, stores: list[Any], today: date, runs: int, timed: Callable[..., Any]) -> None:
    from storelens.analytics.reports.heatmap import heatmap

    for days in (90, 365):
        first = today - timedelta(days=days - 1)

        def page(first: date = first) -> Any:
            h = heatmap(stores, first, today)
            return h.orders, h.net_sales

        def raw(first: date = first) -> Any:
            return raw_heatmap(store, first, today)

        assert page() == raw(), "heatmap ≠ raw rows"
        p50, p95, _ = timed(page, runs)
        r50, _, _ = timed(raw, max(3, runs // 2))
        name = f"sales heatmap, {days} d (both figures)"
        print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×")
