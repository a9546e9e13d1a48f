"""The products part of `bench/dashboard.py` (run that script; this module only holds the cases).

The shared seed sells products 1–60 without variations, writes refunds without lines and no catalogue, so first
products 51–60 are made variable (their lines get one of three variation ids), every seeded refund gets one refund
line (one unit of the first product of its order) and the 60 products and 30 variations are written to the catalogue
(names and SKUs); then the per-product rollup is rebuilt (timed, printed). This changes only line items, refund lines
and the catalogue, which no other page of the benchmark reads.

"page" is what the Products page, its CSV and `/api/v1/products` run: `product_leaderboard` (one grouped query over
the range's per-product rollup cells, plus the catalogue names); "raw" is `product_leaderboard_raw`: the same lines
from the line items of the range's counted orders and the refund lines of the range's refunds, grouped in SQL
through the orders' date index. Both are checked equal (every figure of every product and variation) before timing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any


def add_variations_and_refund_lines(store: Any) -> None:
    from django.db import connection, transaction

    from storelens.commerce.models import LineItem, Refund, RefundLine

    table = connection.ops.quote_name(LineItem._meta.db_table)
    refunds = list(Refund.objects.filter(store=store).values_list("pk", "wc_id", "order_id"))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET variation_wc_id = product_wc_id * 100 + wc_item_id %% 3 "
                "WHERE store_id = %s AND product_wc_id > 50",
                [store.pk],
            )
        first_line: dict[int, tuple[int, int, int]] = {}
        order_ids = [order_id for _, _, order_id in refunds]
        for i in range(0, len(order_ids), 5000):
            for order_id, product, variation, total in (
                LineItem.objects.filter(order_id__in=order_ids[i : i + 5000])
                .order_by("order_id", "wc_item_id")
                .values_list("order_id", "product_wc_id", "variation_wc_id", "total_minor")
            ):
                first_line.setdefault(order_id, (product, variation, total))
        RefundLine.objects.bulk_create(
            [
                RefundLine(
                    store=store,
                    refund_id=pk,
                    wc_item_id=wc_id * 10,
                    product_wc_id=first_line[order_id][0],
                    variation_wc_id=first_line[order_id][1],
                    quantity=-1,
                    subtotal_minor=-first_line[order_id][2],
                    total_minor=-first_line[order_id][2],
                )
                for pk, wc_id, order_id in refunds
                if order_id in first_line
            ],
            batch_size=2000,
        )
    if connection.vendor == "postgresql":  # as the seed does: current planner statistics for the changed tables
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
            cursor.execute(f"ANALYZE {connection.ops.quote_name(RefundLine._meta.db_table)}")


def add_catalogue(store: Any) -> None:
    """The store's products and variations, as the sync imports them (the seed writes none): the page names its
    lines from them. Products 51–60 are variable, with the three variations their lines got above."""
    from storelens.commerce.models import Product, Variation

    if Product.objects.filter(store=store).exists():
        return
    Product.objects.bulk_create(
        [
            Product(store=store, wc_id=n, name=f"Product {n}", sku=f"P{n}", type="variable" if n > 50 else "simple")
            for n in range(1, 61)
        ]
    )
    Variation.objects.bulk_create(
        [
            Variation(
                store=store,
                wc_id=n * 100 + k,
                product_wc_id=n,
                sku=f"P{n}-{k}",
                attributes=[{"name": "Size", "option": "SML"[k]}],
            )
            for n in range(51, 61)
            for k in range(3)
        ]
    )


def figures(lines: list[Any]) -> dict[tuple, tuple]:
    out = {}
    for p in lines:
        out[(p.currency, p.product_wc_id, p.variation_wc_id)] = p.figures()
        for v in p.variations:
            out[(v.currency, v.product_wc_id, v.variation_wc_id, "under")] = v.figures()
    return out


def report(
    store: Any, today: date, runs: int, timed: Callable[..., tuple[float, float, Any]], page_only: bool = False
) -> None:
    """The Products page's cases, then one product's page (`page_only`: that page alone, after the same seeding)."""
    from django.db import connection

    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.reports.products import product_leaderboard, product_leaderboard_raw
    from storelens.analytics.rollups.product_rebuild import rebuild

    t0 = time.perf_counter()
    add_variations_and_refund_lines(store)
    add_catalogue(store)
    seeded = time.perf_counter() - t0
    t0 = time.perf_counter()
    cells = rebuild(store)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE analytics_productdailyrollup")
    print(
        f"\nproducts: variations and refund lines added in {seeded:.1f} s; "
        f"per-product rollup rebuilt: {cells:,} cells in {time.perf_counter() - t0:.1f} s"
    )
    settings = report_settings(store)
    if page_only:
        report_product_page(store, today, runs, timed)
        return
    cases = [
        ("products 30 d, variations under", today - timedelta(days=29), today, False),
        ("products 30 d by variation", today - timedelta(days=29), today, True),
        ("products 365 d, variations under", today - timedelta(days=364), today, False),
    ]
    for name, first, last, by_variation in cases:

        def page(first: date = first, last: date = last, by_variation: bool = by_variation) -> Any:
            return product_leaderboard(store, settings, first, last, by_variation)

        def raw(first: date = first, last: date = last, by_variation: bool = by_variation) -> Any:
            return product_leaderboard_raw(store, settings, first, last, by_variation)

        page_lines, raw_lines = page(), raw()
        assert figures(page_lines) == figures(raw_lines), name
        assert sum(p.refunded_units for p in page_lines) > 0, "the refund lines must be in the range"
        p50, p95, _ = timed(page, runs)
        r50, _, _ = timed(raw, max(3, runs // 2))
        print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×")
    report_product_page(store, today, runs, timed)


def report_product_page(
    store: Any, today: date, runs: int, timed: Callable[..., tuple[float, float, Any]], rebuild_cells: bool = True
) -> None:
    """One product's page (`analytics.reports.product_page`), for the variable product with most line items, each part
    against its raw side (checked equal first): the series from the product's rollup day cells against
    `product_series_raw` (the raw Products leaderboard day by day); buyers and bought-together from their rollups
    (`ProductBuyerRollup`, `ProductPairRollup`, rebuilt here after the seed) against `product_buyers_raw` and
    `bought_together_raw` (the product's line items in range with their orders through the line items' (store,
    product) index, then those orders' refunds and other lines: read once for both, as the page did before its
    rollups); the lists as the page reads them (`product_lists`: the buyer cells once, ranked in SQL); and the whole
    page against its raw sides' medians added up (the raw series is a query per day: about 15 s a run for 365 days at
    1M orders)."""
    from django.db import connection
    from django.db.models import Count

    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.reports.product_buyers import (
        bought_together,
        bought_together_raw,
        product_buyers,
        product_buyers_raw,
        product_lists,
        product_orders,
    )
    from storelens.analytics.reports.product_page import product_series, product_series_raw
    from storelens.analytics.rollups import product_orders as buyer_rollups
    from storelens.commerce.models import LineItem

    if rebuild_cells:
        t0 = time.perf_counter()
        buyer_cells, pair_cells = buyer_rollups.rebuild(store)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE analytics_productbuyerrollup")
                cursor.execute("ANALYZE analytics_productpairrollup")
        print(
            f"\nproduct page rollups rebuilt: {buyer_cells:,} buyer cells, {pair_cells:,} pair cells "
            f"in {time.perf_counter() - t0:.1f} s"
        )
    settings = report_settings(store)
    product = (
        LineItem.objects.filter(store=store, product_wc_id__gt=50)
        .values_list("product_wc_id")
        .annotate(n=Count("id"))
        .order_by("-n")[0][0]
    )
    print(f"product page (product {product}):")
    for days in (30, 90, 365):
        first = today - timedelta(days=days - 1)

        def series(first: date = first) -> Any:
            return product_series(store, settings, product, first, today)

        def series_raw(first: date = first) -> Any:
            return product_series_raw(store, settings, product, first, today)

        def buyers(first: date = first) -> Any:
            return product_buyers(store, settings, product, first, today)

        def together(first: date = first) -> Any:
            return bought_together(store, settings, product, first, today)

        def lists_raw(first: date = first) -> Any:
            found = product_orders(store, settings, product, first, today)  # read once, for both lists
            return (
                product_buyers_raw(store, settings, product, first, today, orders=found),
                bought_together_raw(store, settings, product, first, today, orders=found),
            )

        def lists(first: date = first) -> Any:
            return product_lists(store, settings, product, first, today)

        def page(first: date = first) -> Any:
            return series(first), lists(first)

        assert series().days == series_raw().days, days
        raw_lists = lists_raw()
        assert buyers() == raw_lists[0] and together() == raw_lists[1], days
        assert raw_lists[1][1] > 0, "the product must have orders in the range"
        shown = lists()
        assert (shown.buyers, shown.buyer_count) == raw_lists[0], days
        assert (shown.together, shown.product_orders) == raw_lists[1], days
        raw_ms = {}
        parts = [
            (f"product series {days} d", series, series_raw),
            (f"buyers + bought together {days} d", lists, lists_raw),
        ]
        for name, fast, slow in parts:
            p50, p95, _ = timed(fast, runs)
            raw_ms[name] = r50 = timed(slow, max(3, runs // 2))[0]
            print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×")
        p50, p95, _ = timed(page, runs)  # the whole page's raw side: the two raw medians above added up
        r50 = sum(raw_ms.values())
        print(f"{f'whole product page {days} d':<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×")


def main() -> None:
    """Only the products part: seed as `bench/dashboard.py` does, then `report` (which rebuilds the per-product cells
    itself), without the other pages' rollups and raw sides: a 1M-order run of this part fits in minutes."""
    import argparse
    import sys
    import tempfile
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import dashboard

    parser = argparse.ArgumentParser(description="Products page and product page benchmark")
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=3, help="line items per order (default 3)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--page-only", action="store_true", help="one product's page only, not the Products page")
    parser.add_argument(
        "--reuse", action="store_true", help="with --data-dir of an earlier --page-only run: time its page, no seeding"
    )
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="storelens-bench-")
    dashboard.setup_django(data_dir)
    from django.db import connection

    today = date.today()
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    if args.reuse:  # the seed, variations, catalogue and every rollup of that run, as it left them
        from storelens.stores.models import Store

        store = Store.objects.filter(name="Bench").first()
        if store is None:
            parser.error(f"--reuse: no Bench store in {data_dir}; run with --page-only and no --reuse first")
        print(f"{'page':<34}{'p50 ms':>10}{'p95 ms':>10}{'raw p50 ms':>12}{'raw ÷ page':>12}")
        report_product_page(store, today, args.runs, dashboard.timed, rebuild_cells=False)
        return
    print(f"Seeding {args.orders:,} orders and {args.orders * args.items:,} line items …")
    t0 = time.perf_counter()
    store = dashboard.seed(args.orders, args.items, today)
    print(f"  seeded in {time.perf_counter() - t0:.1f} s")
    print(f"{'page':<34}{'p50 ms':>10}{'p95 ms':>10}{'raw p50 ms':>12}{'raw ÷ page':>12}")
    report(store, today, args.runs, dashboard.timed, args.page_only)
    print(f"\n(data directory: {data_dir})")


if __name__ == "__main__":
    main()
