"""Subscriptions page benchmark: the page read from the MRR snapshot the sync keeps, against the raw path.

    .venv/bin/python bench/subscriptions.py                                   # 5,000 subscriptions, 100,000 orders
    .venv/bin/python bench/subscriptions.py --subscriptions 80000 --orders 1000000 --runs 5   # issue 16's size
    STORELENS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/subscriptions.py

The page reads the MRR snapshot (`analytics.reports.mrr_cells`): whole periods from cells, clipped ones and the
LTV window from the day cell of their start plus the customers touched in them. The raw path is what the page did
before it and still does while the snapshot is stale: every subscription row swept by `metrics.mrr.movements`
(`spans_mrr_report`) and the rows counted (`counted_subscription_figures`). Both are asserted equal before timing,
and the ratio raw ÷ page is printed (issue 16: ≥ 50× at 1M orders), with the snapshot's refresh time. The older
comparison stays: the MRR series one SQL query per boundary ("naive"). Orders only show the page does not grow
with them (failed renewals read them through an index).

Why 80,000 subscriptions at 1M orders: a subscription store's orders are mostly renewals; monthly subscriptions
living about a year on average give ~12 orders each, so 1M orders over three years is some 80k subscriptions.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard import FastInsert, setup_django, timed


def seed(subscriptions: int, orders: int, today: date) -> Any:
    from storelens.accounts.models import Workspace
    from storelens.commerce.models import Order, Subscription
    from storelens.stores.models import Store

    rng = random.Random(5)
    store = Store.objects.create(
        workspace=Workspace.objects.create(name="Bench subs"), currency="USD", timezone_string="America/New_York"
    )
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    insert = FastInsert(Order, ["store_id", "wc_id", "status", "currency", "created_at", "total_minor", "created_via"])
    batch = []
    for i in range(orders):
        renewal = rng.random() < 0.1
        status = "failed" if rng.random() < 0.04 else "completed"
        created = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        via = "subscription" if renewal else "checkout"
        batch.append((store.pk, i + 1, status, "USD", created, rng.randint(500, 20000), via))
        if len(batch) == 5000:
            insert.run(batch)
            batch = []
    insert.run(batch)
    statuses = ["active"] * 50 + ["cancelled"] * 25 + ["on-hold"] * 8 + ["expired"] * 7 + ["pending-cancel"] * 5
    statuses += ["pending"] * 5
    subs = []
    for i in range(subscriptions):
        status = rng.choice(statuses)
        start = now - timedelta(days=rng.randint(0, 3 * 365))
        stop = start + timedelta(days=rng.randint(1, 600))
        subs.append(
            Subscription(
                store=store, wc_id=10_000_000 + i, wc_customer_id=rng.randint(1, subscriptions * 3 // 4), status=status,
                billing_period=rng.choice(["month", "month", "month", "year", "week"]), billing_interval=1,
                total_minor=rng.randint(500, 15000), currency="USD", start_at=start,
                cancelled_at=stop if status in ("cancelled", "pending-cancel") else None,
                end_at=stop if status == "expired" else None,
            )
        )  # fmt: skip
    Subscription.objects.bulk_create(subs, batch_size=2000)
    return store


def naive_series(store: Any, first: date, last: date, grain: str) -> list[int]:
    """MRR at each boundary with one SQL aggregate per boundary over the rows (the per-row monthly amount rounded in
    Python, as the definition does): the way without `metrics.mrr`."""
    from django.db.models import Q

    from storelens.analytics.metrics.mrr import monthly_whole_minor
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.metrics.timezones import day_start_utc
    from storelens.analytics.reports.subscription_mrr import period_days
    from storelens.commerce.models import Subscription

    tz = report_settings(store).tz
    bounds = [day_start_utc(d, tz) for d, _ in period_days(first, last, grain)]
    bounds.append(day_start_utc(last + timedelta(days=1), tz))
    out = []
    for b in bounds:
        rows = (
            Subscription.objects.filter(store=store, deleted_at__isnull=True, start_at__lt=b)
            .exclude(status__in=["pending", "trash"])
            .exclude(Q(cancelled_at__lt=b) | Q(end_at__lt=b))
            .values_list("total_minor", "billing_period", "billing_interval")
        )
        out.append(sum(monthly_whole_minor(*r) for r in rows))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=5000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="storelens-bench-subs-"))
    from django.db import connection

    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.metrics.timezones import day_start_utc, range_bounds_utc
    from storelens.analytics.reports.mrr_cells import usable
    from storelens.analytics.reports.subscription_mrr import (
        failed_renewals,
        mrr_report,
        spans_mrr_report,
        subscription_page,
    )
    from storelens.analytics.reports.subscriptions import counted_subscription_figures, subscription_figures
    from storelens.analytics.rollups.subscription_mrr import refresh

    today = date.today()
    print(f"Database: {connection.vendor}; seeding {args.subscriptions:,} subscriptions, {args.orders:,} orders …")
    store = seed(args.subscriptions, args.orders, today)
    s = report_settings(store)
    refreshed = [refresh(store).seconds for _ in range(max(1, min(3, args.runs)))]
    assert usable(store, s.tz, day_start_utc(today + timedelta(days=1), s.tz)) is not None
    print(f"MRR snapshot refresh (all rows, 3 grains): {1000 * sorted(refreshed)[len(refreshed) // 2]:.0f} ms")
    print(f"{'case':<40}{'p50 ms':>10}{'p95 ms':>10}{'raw ms':>12}{'ratio':>10}")
    first = today - timedelta(days=364)
    for grain in ("month", "week"):

        def page(grain: str = grain) -> Any:
            return mrr_report(store, s, first, today, grain), subscription_figures(store, s, first, today)

        def raw(grain: str = grain) -> Any:
            return spans_mrr_report(store, s, first, today, grain), counted_subscription_figures(store, s, first, today)

        assert page() == raw(), "snapshot path ≠ raw path"
        p50, p95, _ = timed(page, args.runs)
        r50, _, _ = timed(raw, args.runs)
        name = f"page: MRR + KPIs, 12 months by {grain}"
        print(f"{name:<40}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>9.1f}×")
    for grain in ("month", "week"):

        def series(grain: str = grain) -> Any:
            r = mrr_report(store, s, first, today, grain)
            return [r.periods[0][2].mrr_start] + [p.mrr_end for _, _, p in r.periods]

        def naive(grain: str = grain) -> Any:
            return naive_series(store, first, today, grain)

        assert series() == naive(), "MRR series ≠ the rows' own answer"
        p50, p95, _ = timed(series, args.runs)
        n50, _, _ = timed(naive, max(3, args.runs // 2))
        name = f"MRR series by {grain} vs per-boundary SQL"
        print(f"{name:<40}{p50:>10.1f}{p95:>10.1f}{n50:>12.1f}{n50 / p50:>9.1f}×")
    start, end = range_bounds_utc(first, today, s.tz)
    for name, fn in (
        ("KPIs (subscription_figures)", lambda: subscription_figures(store, s, first, today)),
        ("failed renewals, 12 months", lambda: failed_renewals(store, start, end)),
        ("list, first page of 50", lambda: subscription_page([store])),
    ):
        p50, p95, _ = timed(fn, args.runs)
        print(f"{name:<40}{p50:>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"\n(total {time.perf_counter() - t0:.0f} s)")
