"""E-mail digest benchmark: one store's digest figures from the rollups (what `dashboard.digests.store_digest` reads)
against the same figures from the raw rows.

    .venv/bin/python bench/digest.py --orders 150000     # seeds like bench/dashboard.py, then times both sides

"digest" is `store_digest` for last month against the month before: `summary.build` twice (totals, new and returning
customers from the customer standings) and the product leaderboard. "raw" is `bench/dashboard.py`'s `raw_totals` for
both months, the orders-table new/returning customers query, and `product_leaderboard_raw`. The orders, net sales,
refunds and top products of both sides are asserted equal before timing. A digest tick builds one such digest per
subscribed member and store, so this ratio is the tick's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dashboard  # bench/dashboard.py: seeding, timing and the raw totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    dashboard.setup_django(tempfile.mkdtemp(prefix="storelens-bench-digest-"))
    from django.db import connection

    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.reports.customer_counts import new_and_returning_from_orders
    from storelens.analytics.reports.home import comparison_period
    from storelens.analytics.reports.products import product_leaderboard_raw
    from storelens.analytics.rollups.rebuild import rebuild
    from storelens.dashboard.digests import TOP_PRODUCTS, period_for, store_digest

    today = date.today()
    print(f"Database: {connection.vendor}; seeding {args.orders:,} orders …")
    t0 = time.perf_counter()
    store = dashboard.seed(args.orders, args.items, today)
    rebuild(store)
    print(f"  seeded and rolled up in {time.perf_counter() - t0:.1f} s")
    first, last = period_for("monthly", today)
    before = comparison_period(first, last)

    def digest() -> Any:
        item = store_digest(store, first, last, before)
        top = [(p.product_wc_id, p.units, p.net_minor) for p in item.top]
        t, b = item.current.totals, item.previous.totals
        customers = (item.current.new_customers, item.current.returning_customers)
        customers += (item.previous.new_customers, item.previous.returning_customers)
        return (t.orders, t.net_sales, t.refunds, b.orders, b.net_sales, b.refunds, customers, top)

    def raw() -> Any:
        now, then = dashboard.raw_totals(store, first, last), dashboard.raw_totals(store, *before)
        settings = report_settings(store)
        customers = new_and_returning_from_orders(store, settings, first, last)
        customers += new_and_returning_from_orders(store, settings, *before)
        lines = product_leaderboard_raw(store, settings, first, last)[:TOP_PRODUCTS]
        return (*now, *then, customers, [(p.product_wc_id, p.units, p.net_minor) for p in lines])

    assert digest() == raw(), f"digest ≠ raw rows:\n{digest()}\n{raw()}"
    p50, p95, _ = dashboard.timed(digest, args.runs)
    r50, _, _ = dashboard.timed(raw, max(3, args.runs // 2))
    print(f"{'':<34}{'p50 ms':>10}{'p95 ms':>10}{'raw p50 ms':>12}{'raw ÷ digest':>14}")
    print(f"{'one store, monthly digest':<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>13.0f}×")


if __name__ == "__main__":
    main()
