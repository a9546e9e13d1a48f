"""Alert tick benchmark: one store's four detectors (what `alerts.episodes.detect` runs per store every 5 minutes),
read from the hourly and daily rollup cells, against the same "orders stopped" answer computed from the raw orders.

    .venv/bin/python bench/alerts.py --orders 150000     # seeds like bench/dashboard.py, then times both sides

"tick" is `detect(now)` for the store (orders stopped, refund spike, store down, day far above normal, and the
open-alert bookkeeping). "raw" is the order hours of the last ten weeks read from the orders table (each order's
paid time in the store's zone, one row per order) followed by the same gap computation. Both sides' order hours are
asserted equal before timing. The tick reads at most ten weeks of hour cells, so its time does not grow with the
store's history; the raw side grows with its order count.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dashboard  # bench/dashboard.py: seeding, timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    dashboard.setup_django(tempfile.mkdtemp(prefix="storelens-bench-alerts-"))
    from django.db import connection
    from django.utils import timezone

    from storelens.alerts.detect import WEEKS, order_hours
    from storelens.alerts.episodes import detect
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.metrics.timezones import local_time
    from storelens.analytics.rollups.rebuild import rebuild
    from storelens.commerce.models import Order
    from storelens.stores.models import Store

    today = date.today()
    print(f"Database: {connection.vendor}; seeding {args.orders:,} orders …")
    t0 = time.perf_counter()
    store = dashboard.seed(args.orders, args.items, today)
    rebuild(store)
    now = timezone.now()
    Store.objects.filter(pk=store.pk).update(
        status=Store.Status.CONNECTED, last_sync_at=now, keys_verified_at=now, date_basis="paid"
    )
    store.refresh_from_db()
    print(f"  seeded and rolled up in {time.perf_counter() - t0:.1f} s")
    rs = report_settings(store)
    first = local_time(now, rs.tz).date() - timedelta(days=7 * WEEKS + 14)

    def cells() -> list[int]:
        return order_hours(store, rs, first)

    def raw() -> list[int]:
        since = now - timedelta(days=7 * WEEKS + 15)
        rows = (
            Order.objects.filter(store=store, paid_at__gte=since, paid_at__isnull=False)
            .exclude(status__in=sorted(rs.all_excluded))
            .values_list("paid_at", flat=True)
        )
        hours = set()
        for paid in rows.iterator(chunk_size=10_000):
            local = local_time(paid, rs.tz)
            if local.date() >= first:
                hours.add(local.date().toordinal() * 24 + local.hour)
        return sorted(hours)

    assert cells() == raw(), "the hour cells and the orders disagree"
    tick_median, tick_p95, outcome = dashboard.timed(lambda: detect(now, Store.objects.filter(pk=store.pk)), args.runs)
    raw_median, raw_p95, _ = dashboard.timed(raw, args.runs)
    cell_median, cell_p95, _ = dashboard.timed(cells, args.runs)
    print(f"  tick outcome: {outcome}")
    print(f"  tick (4 detectors):     median {tick_median:8.1f} ms   p95 {tick_p95:8.1f} ms")
    print(f"  order hours from cells: median {cell_median:8.1f} ms   p95 {cell_p95:8.1f} ms")
    print(f"  order hours from rows:  median {raw_median:8.1f} ms   p95 {raw_p95:8.1f} ms")
    print(f"  ratio (rows / cells):   {raw_median / cell_median:.1f}×")


if __name__ == "__main__":
    main()
