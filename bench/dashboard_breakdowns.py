"""The Breakdowns page part of `bench/dashboard.py` (run that script; this module only holds the cases).

"page" is what the view runs: `reports.breakdowns.breakdown` over the breakdown cells (coupons, payment and shipping
methods) or the per-country cells, for 90 and 365 days. "raw" computes the same rows from the orders and refunds
tables: the counted orders of the range and the refunds of counted orders in the range (SQL, indexed), with each
order's shipping methods or coupons split over their values in Python (JSON lists cannot be unnested portably in
SQL); payment methods and countries, one per order, are grouped in SQL (GROUP BY over the range's orders and the
refunds joined to them). Both are asserted equal before timing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any


def raw_breakdown(store: Any, first: date, last: date, dimension: str) -> dict[str, list[int]]:
    """value → [orders, net sales, discount] from the raw rows."""
    from django.db.models import Count, F, Sum

    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.metrics.timezones import range_bounds_utc
    from storelens.analytics.reports.counted import counted_orders, in_range
    from storelens.commerce.models import Order, Refund
    from storelens.commerce.orders import payment_label

    s = report_settings(store)
    out: dict[str, list[int]] = {}

    def values(title: str, method: str, shipping: list, coupons: list, country: str, discount: int) -> list:
        if dimension == "payment":
            return [(payment_label(title, method), discount)]
        if dimension == "shipping":
            return [(m, discount) for m in shipping or [""]]
        if dimension == "country":
            return [(country, discount)]
        return [(code, d) for code, d in coupons]

    def add(value: str, n: int, net: int, off: int) -> None:
        cell = out.setdefault(value, [0, 0, 0])
        cell[0] += n
        cell[1] += net
        cell[2] += off

    orders = Order.objects.filter(counted_orders(store, s) & in_range(s, first, last))
    net_of = F("total_minor") - F("total_tax_minor") - F("shipping_total_minor")
    start, end = range_bounds_utc(first, last, s.tz)
    refunds = Refund.objects.filter(
        counted_orders(store, s, "order__"), deleted_at__isnull=True, created_at__gte=start, created_at__lt=end
    ).annotate(net=F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor"))
    if dimension in ("payment", "country"):  # one value per order: grouped in SQL
        keys = ("payment_method_title", "payment_method") if dimension == "payment" else ("billing_country",)
        sums = {"n": Count("pk"), "net_sum": Sum(net_of), "off": Sum("discount_total_minor")}
        for *key, n, net, off in orders.values_list(*keys).annotate(**sums).order_by():
            add(payment_label(*key) if dimension == "payment" else key[0], n, net or 0, off or 0)
        for *key, net in refunds.values_list(*(f"order__{k}" for k in keys)).annotate(Sum("net")).order_by():
            add(payment_label(*key) if dimension == "payment" else key[0], 0, -(net or 0), 0)
        return {v: f for v, f in out.items() if any(f)}
    dims = ("payment_method_title", "payment_method", "shipping_methods", "coupon_discounts", "billing_country")
    for *dim, discount, net in orders.annotate(net=net_of).values_list(*dims, "discount_total_minor", "net"):
        for value, off in values(*dim, discount):
            add(value, 1, net, off)
    for *dim, net in refunds.values_list(*(f"order__{d}" for d in dims), "net"):
        for value, _ in values(*dim, 0):
            add(value, 0, -net, 0)
    return {v: f for v, f in out.items() if any(f)}


def report(store: Any, stores: list[Any], today: date, runs: int, timed: Callable[..., Any]) -> None:
    from storelens.analytics.reports.breakdowns import breakdown

    for days in (90, 365):
        first = today - timedelta(days=days - 1)
        for dimension in ("coupon", "payment", "shipping", "country"):

            def page(first: date = first, dimension: str = dimension) -> Any:
                return {
                    r.value: [r.orders, r.net_sales, r.discount]
                    for r in breakdown(stores, first, today, dimension).rows
                }

            def raw(first: date = first, dimension: str = dimension) -> Any:
                return raw_breakdown(store, first, today, dimension)

            assert page() == raw(), f"breakdown {dimension} ≠ raw rows"
            p50, p95, _ = timed(page, runs)
            r50, _, _ = timed(raw, max(3, runs // 2))
            name = f"breakdown {dimension}, {days} d"
            print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×")


def report_customers(store: Any, today: date, runs: int, timed: Callable[..., Any]) -> None:
    """New vs returning per period: "page" is `new_and_returning_over_time`, whole months and weeks from the cohort
    cells and the periods the range cuts (its first and last) from their own orders; "raw" is the definition from the
    orders table, period by period (`new_and_returning_from_orders`: the customers with a counted order in the
    period, then each one's first counted order ever, in SQL). The page's previous way (every period from the range's
    orders: distinct customers per period in SQL, new ones from the standings) is timed too, as "orders path".
    Every answer is asserted equal to raw before timing."""
    from storelens.analytics.metrics.periods import month_start, shift_months
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.reports import breakdowns
    from storelens.analytics.reports.customer_counts import new_and_returning_from_orders
    from storelens.analytics.reports.period_customers import cells_exact_before, is_whole
    from storelens.analytics.rollups.cohorts import refresh_if_stale

    s = report_settings(store)
    if cells_exact_before(store, s) != date.max:  # bench/dashboard.py refreshed the customer snapshot since
        refresh_if_stale(store)  # its rebuild: what the job queued by that pass end runs
    assert cells_exact_before(store, s) == date.max, "the cohort cells are stale or counted otherwise"
    this_month = month_start(today)
    cases = (
        ("new vs returning, 12 months *", today - timedelta(days=364), today, "month"),
        ("new vs returning, 12 whole months", shift_months(this_month, -12), this_month - timedelta(days=1), "month"),
        ("new vs returning, 52 weeks *", today - timedelta(days=7 * 52 - 1), today, "week"),
    )
    cut_days = 0
    for name, first, last, grain in cases:
        periods = breakdowns.periods_of(first, last, grain)

        def page(first: date = first, last: date = last, grain: str = grain) -> Any:
            return [(p.new, p.returning) for p in breakdowns.new_and_returning_over_time([store], first, last, grain)]

        def raw(periods: list = periods) -> Any:
            return [new_and_returning_from_orders(store, s, a, b) for a, b in periods]

        def orders_path(periods: list = periods) -> Any:
            return breakdowns._from_orders(store, s, periods)

        assert page() == raw() == orders_path(), f"{name}: page ≠ raw rows"
        p50, p95, _ = timed(page, runs)
        r50, _, _ = timed(raw, 3)
        o50, _, _ = timed(orders_path, 3)
        print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×")
        print(f"{'  orders path (before)':<34}{o50:>10.1f}{'':>10}{r50:>12.1f}{r50 / o50:>11.0f}×")
        cut_days = max(cut_days, sum((b - a).days + 1 for a, b in periods if not is_whole(a, b, grain)))
    print(f"  * the periods the range cuts (up to {cut_days} days) are read from the orders; whole ones from the cells")


def main() -> None:
    """Alone: `--data-dir` of an earlier `bench/dashboard.py` run (its seeded Bench store and rebuilt rollups) times
    just these cases; without it, seeds and rebuilds as that script does."""
    import argparse
    import tempfile

    import dashboard

    parser = argparse.ArgumentParser(description="The Breakdowns page against the raw rows")
    parser.add_argument("--orders", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", default="", help="reuse this bench/dashboard.py data directory")
    args = parser.parse_args()
    dashboard.setup_django(args.data_dir or tempfile.mkdtemp(prefix="storelens-bench-"))
    from django.db import connection

    from storelens.analytics.rollups.rebuild import rebuild
    from storelens.stores.models import Store

    store = Store.objects.filter(name="Bench").first()
    if store is None:
        store = dashboard.seed(args.orders, 3, date.today())
        rebuild(store)
    from storelens.commerce.models import Order

    print(f"Database: {connection.vendor}, {Order.objects.filter(store=store).count():,} orders")
    print(f"{'page':<34}{'p50 ms':>10}{'p95 ms':>10}{'raw p50 ms':>12}{'raw ÷ page':>12}")
    report(store, [store], date.today(), args.runs, dashboard.timed)
    report_customers(store, date.today(), args.runs, dashboard.timed)


if __name__ == "__main__":
    main()
