"""The Cohorts part of `bench/dashboard.py` (run that script; this module only holds the cases).

"page" is what the view runs: `reports.cohorts.cohorts` over the cohort cells, for the last 12 months by month
(no filter), by week with a first-product filter, and by quarter with a first-coupon and a country filter. "raw"
computes the same triangle from the orders table: every counted order with a customer (one indexed SQL read,
ordered by customer and date), each customer's first order deciding the cohort (its products, coupons and country
read for the filter), net less each order's refunds (one grouped SQL read), bucketed in Python (SQL cannot bucket by
a DST-aware local day portably). Both are asserted equal before timing. The cells' refresh (what the end of a sync
pass that moved customers runs) is timed once and printed too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any


def raw_cohorts(
    store: Any, grain: str, first: date, last: date, product: int | None, coupon: str, country: str
) -> dict[tuple[date, int], tuple[int, int, int]]:
    """(cohort, period) → (customers, orders, net) from the raw rows."""
    from django.db.models import F, Sum

    from storelens.analytics.metrics.cohorts import period_start, periods_between
    from storelens.analytics.metrics.orders import DATE_FIELD
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.metrics.timezones import local_day
    from storelens.analytics.reports.counted import counted_orders
    from storelens.commerce.models import LineItem, Order, Refund

    s = report_settings(store)
    column = DATE_FIELD[s.date_basis]
    refunded = dict(
        Refund.objects.filter(store=store, deleted_at__isnull=True, order__isnull=False)
        .values("order_id")
        .annotate(net=Sum(F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor")))
        .order_by()
        .values_list("order_id", "net")
    )
    rows = (
        Order.objects.filter(counted_orders(store, s), customer__isnull=False)
        .order_by("customer_id", column, "wc_id")
        .annotate(net=F("total_minor") - F("total_tax_minor") - F("shipping_total_minor"))
        .values_list("customer_id", "pk", column, "net", "billing_country", "coupon_discounts")
    )
    per_customer: dict[int, list[tuple]] = {}
    for row in rows.iterator(chunk_size=5000):
        per_customer.setdefault(row[0], []).append(row)
    firsts = {orders[0][1] for orders in per_customer.values()}
    with_product: set[int] = set()
    if product:
        ids = sorted(firsts)
        for i in range(0, len(ids), 5000):
            with_product |= set(
                LineItem.objects.filter(order_id__in=ids[i : i + 5000], product_wc_id=product).values_list(
                    "order_id", flat=True
                )
            )
    lo = period_start(first, grain)
    out: dict[tuple[date, int], list[Any]] = {}
    for orders in per_customer.values():
        _, first_pk, when, _, billed, used = orders[0]
        if product and first_pk not in with_product:
            continue
        if coupon and coupon not in {code for code, _ in used or ()}:
            continue
        if country and billed != country:
            continue
        cohort = period_start(local_day(when, s.tz), grain)
        if not lo <= cohort <= last:
            continue
        seen: set[int] = set()
        for _, pk, when, net, _, _ in orders:
            k = periods_between(cohort, local_day(when, s.tz), grain)
            cell = out.setdefault((cohort, k), [0, 0, 0])
            if k not in seen:
                seen.add(k)
                cell[0] += 1
            cell[1] += 1
            cell[2] += net - refunded.get(pk, 0)
    return {key: (c[0], c[1], c[2]) for key, c in out.items()}


def report(store: Any, stores: list[Any], today: date, runs: int, timed: Callable[..., Any]) -> None:
    from storelens.analytics.metrics.periods import shift_months
    from storelens.analytics.reports.cohorts import cohorts
    from storelens.analytics.rollups.cohorts import refresh

    t0 = time.perf_counter()
    snapshot = refresh(store)
    print(f"\ncohort cells refreshed ({snapshot.customers:,} customers) in {time.perf_counter() - t0:.1f} s")
    first = shift_months(today, -12)
    for name, grain, product, coupon, country in (
        ("cohorts, 12 months by month", "month", None, "", ""),
        ("cohorts by week, first product", "week", 7, "", ""),
        ("cohorts by quarter, coupon + US", "quarter", None, "save3", "US"),
    ):

        def page(grain: str = grain, product: Any = product, coupon: str = coupon, country: str = country) -> Any:
            table = cohorts(stores, grain, first, today, today, product, coupon, country)
            return {
                (c.start, p.k): (p.customers, p.orders, p.net_minor)
                for c in table.cohorts
                for p in c.periods
                if p.customers or p.orders or p.net_minor
            }

        def raw(grain: str = grain, product: Any = product, coupon: str = coupon, country: str = country) -> Any:
            return raw_cohorts(store, grain, first, today, product, coupon, country)

        assert page() == raw(), f"{name}: cohorts ≠ raw rows"
        p50, p95, _ = timed(page, runs)
        r50, _, _ = timed(raw, max(3, runs // 2))
        print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×")
