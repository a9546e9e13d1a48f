"""The customers part of `bench/dashboard.py` (run that script; this module only holds the cases).

Customers page. "page" is exactly what the view runs (`dashboard.insights_customers.customers`, minus rendering):
the stores' customer snapshots combined (`overview`: counts, average and median LTV, top 20 % share,
segments, the top 20 with their names), the KPI report's rollup totals, and the range's new and returning customers
(`new_and_returning`: new through the standings' first-order index, returning as the range's distinct
customers − new). "raw" computes the same numbers from the orders and refunds: every customer's lifetime figures
grouped from the raw rows, RFM ranked over them (`customer_values_raw` + `rfm` + `customer_summary`), and new /
returning from the orders table (`report.customers`). Both are asserted equal before timing, for the default 30-day
range and a 365-day one.

A customer's profile ("profile": the top customer's rollups scored against the snapshot bounds) and a page of the
customers API (ranked through the standings' index) have no cheaper raw twin than the whole raw computation, so they
are printed as absolute figures, with the snapshot refresh the end of a sync pass pays (no customer moved: the read
and ranking cost; every standing is rewritten only on the first refresh).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any


def report(store: Any, stores: list[Any], today: date, runs: int, timed: Callable[..., Any]) -> None:
    from storelens.analytics.metrics.customers import customer_summary, rfm
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.reports.customer_counts import new_and_returning, new_and_returning_from_orders
    from storelens.analytics.reports.customers import (
        customer_value,
        customer_values_raw,
        overview,
        ranked_standings,
        standing_value,
        with_people,
    )
    from storelens.analytics.reports.summary import build
    from storelens.analytics.rollups.snapshots import refresh
    from storelens.commerce.models import Customer

    settings = report_settings(store)

    def page(first: date, last: date) -> Callable[[], Any]:
        def run() -> Any:
            summary = overview(stores)
            with_people(summary.top)
            build(stores, first, last, with_customers=False)
            return summary, new_and_returning(stores, first, last)

        return run

    def raw(first: date, last: date) -> Callable[[], Any]:
        def run() -> Any:
            summary = customer_summary(rfm(customer_values_raw(store, settings)))
            return summary, new_and_returning_from_orders(store, settings, first, last)

        return run

    def figures(answer: Any) -> tuple:
        s, new_returning = answer
        top = [(v.customer_id, v.net_minor, v.orders, v.segment) for v in s.top]
        return (s.customers, s.ltv_avg_minor, s.ltv_median_minor, s.top20_share, s.segments, top, new_returning)

    ranges = [("30 d", today - timedelta(days=29), today), ("365 d", today - timedelta(days=364), today)]
    for _, first, last in ranges:
        assert figures(page(first, last)()) == figures(raw(first, last)()), "customers page ≠ raw rows"
    top = overview(stores).top[0]
    customer = Customer.objects.select_related("store").get(pk=top.customer_id)
    profile = customer_value(customer)
    assert profile is not None and (profile.net_minor, profile.r, profile.f, profile.m) == (
        top.net_minor,
        top.r,
        top.f,
        top.m,
    )

    for label, first, last in ranges:
        p50, p95, _ = timed(page(first, last), runs)
        r50, _, _ = timed(raw(first, last), max(3, runs // 2))
        print(f"{'customers, ' + label + ' (snapshot)':<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×")

    def api_page() -> Any:
        standings = ranked_standings(stores)
        rows = [standing_value(r) for r in standings.values()[50:100]]
        return with_people(rows), standings.count()

    for name, fn in [
        ("customer profile (indexed)", lambda: customer_value(customer)),
        ("customers API, page 2 of 50", api_page),
    ]:
        p50, p95, _ = timed(fn, runs)
        print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{'–':>12}{'–':>12}")
    t0 = time.perf_counter()
    refresh(store)
    print(f"{'customer snapshot refresh (pass end)':<34}{(time.perf_counter() - t0) * 1000:>10.1f}")
