"""Dashboard benchmark: each page's analytics queries against computing the same numbers from the raw rows.

    .venv/bin/python bench/dashboard.py                    # 1,000,000 orders, 3,000,000 line items, SQLite
    .venv/bin/python bench/dashboard.py --orders 100000    # quicker
    STORELENS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/dashboard.py

Rows are seeded straight into the tables (bulk INSERT, no sync), then the rollups are built with
`analytics.rollups.rebuild` (the repair path; the sync keeps them in step page by page). For every page it times
the queries the page's view runs (p50 and p95 of N runs, server time only, no HTML) and, in the same run, the same
numbers computed from the raw rows with plain SQL aggregates over the orders and refunds tables (indexed), and prints
the ratio raw ÷ page. "report + customers" is the CLI / API summary with new and returning customers (read from the
customer standings) against the rollup-free totals plus the orders-table customers query (`report.customers`).
Pages whose lists have no rollup (customers) are timed too and marked. The orders list and
the sales page's country and status filters are in `bench/dashboard_orders.py`, the products page in
`bench/dashboard_products.py`, the Sales heatmap in `bench/dashboard_heatmap.py`, the Breakdowns page in
`bench/dashboard_breakdowns.py`, the Cohorts page in `bench/dashboard_cohorts.py` (their docstrings say what their
raw side is).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def setup_django(data_dir: str) -> None:
    os.environ.setdefault("STORELENS_DATA_DIR", data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "storelens.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


STATUSES = ["completed"] * 70 + ["processing"] * 8 + ["refunded"] * 4 + ["on-hold"] * 5 + ["pending"] * 5
STATUSES += ["failed"] * 4 + ["cancelled"] * 4


class FastInsert:
    """INSERT … VALUES via executemany with every column listed: constant columns (defaults) prepared once, the rest
    passed as plain values, so a million rows take seconds instead of the ORM's minutes."""

    def __init__(self, model: Any, given: list[str]) -> None:
        from django.db import connection

        self.connection = connection
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.given = given
        self.constants = {
            f.column: f.get_db_prep_save(f.get_default(), connection) for f in fields if f.attname not in given
        }
        self.columns = [model._meta.get_field(a).column for a in given] + list(self.constants)
        self.datetime_positions = [
            i for i, a in enumerate(given) if model._meta.get_field(a).get_internal_type() == "DateTimeField"
        ]
        quote = connection.ops.quote_name
        marks = ", ".join(["%s"] * len(self.columns))
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in self.columns)}) VALUES ({marks})"
        )

    def run(self, rows: list[tuple]) -> None:
        adapt = self.connection.ops.adapt_datetimefield_value
        tail = tuple(self.constants.values())
        prepared = []
        for row in rows:
            row = list(row)
            for i in self.datetime_positions:
                row[i] = adapt(row[i]) if row[i] is not None else None
            prepared.append((*row, *tail))
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, prepared)


class BreakdownSeed:
    """Each order's payment method, shipping methods and coupons (what the Breakdowns page splits by), as column
    values ready for `FastInsert`: 4 gateways, 1–2 of 4 shipping methods, a coupon of 30 on 15 % of orders."""

    PAYMENTS = [("stripe", "Credit card"), ("ppcp", "PayPal"), ("bacs", "Bank transfer"), ("cod", "Cash on delivery")]
    SHIPPING = [["Flat rate"], ["Free shipping"], ["Local pickup"], ["Express", "Flat rate"], []]

    def __init__(self, order_model: Any) -> None:
        from django.db import connection

        self.rng = random.Random(11)
        self.json = lambda name, value: order_model._meta.get_field(name).get_db_prep_save(value, connection)
        self.shipping = [self.json("shipping_methods", s) for s in self.SHIPPING]
        self.no_coupon = self.json("coupon_discounts", [])

    def row(self, subtotal: int) -> tuple:
        method, title = self.rng.choice(self.PAYMENTS)
        shipping = self.rng.choice(self.shipping)
        if self.rng.random() < 0.15:
            discount = subtotal // 10
            return (
                method,
                title,
                shipping,
                self.json("coupon_discounts", [[f"save{self.rng.randrange(30)}", discount]]),
                discount,
            )
        return method, title, shipping, self.no_coupon, 0


def seed(orders: int, items_per_order: int, today: date) -> Any:
    """Orders over two years up to `today`, `items_per_order` line items each, refunds on 3 % of them."""
    from django.db import connection, transaction

    from storelens.accounts.models import Workspace
    from storelens.commerce.models import Customer, LineItem, Order, Refund
    from storelens.stores.models import Store

    rng = random.Random(7)
    workspace = Workspace.objects.create(name="Bench")
    store = Store.objects.create(workspace=workspace, name="Bench", currency="USD", timezone_string="America/New_York")
    end = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(days=1)
    span = 730 * 86400
    customers = Customer.objects.bulk_create(
        [Customer(store=store, key=f"email:c{i}@example.com", email=f"c{i}@example.com") for i in range(orders // 4)],
        batch_size=5000,
    )
    customer_ids = [c.pk for c in customers]
    order_insert = FastInsert(
        Order,
        ["store_id", "wc_id", "number", "status", "currency", "created_at", "modified_at", "paid_at", "completed_at",
         "total_minor", "total_tax_minor", "shipping_total_minor", "subtotal_minor", "items_count", "customer_id",
         "billing_country", "payment_method", "payment_method_title", "shipping_methods", "coupon_discounts",
         "discount_total_minor"],
    )  # fmt: skip
    dims = BreakdownSeed(Order)  # payment, shipping, coupons: their own generator, so the other columns stay as before
    line_insert = FastInsert(
        LineItem, ["store_id", "order_id", "wc_item_id", "product_wc_id", "name", "quantity", "subtotal_minor",
                   "total_minor"],
    )  # fmt: skip
    refund_insert = FastInsert(
        Refund, ["store_id", "wc_id", "parent_wc_id", "order_id", "currency", "created_at", "amount_minor"]
    )
    batch = 20000
    started = time.perf_counter()
    next_item = 1
    sid = store.pk
    for offset in range(0, orders, batch):
        rows, refunds = [], []
        for wc_id in range(offset + 1, min(orders, offset + batch) + 1):
            created = end - timedelta(seconds=rng.randrange(span))
            status = rng.choice(STATUSES)
            paid = created + timedelta(minutes=rng.randrange(1, 90)) if status not in ("pending", "failed") else None
            subtotal = rng.randrange(1000, 30000)
            tax = subtotal * 8 // 100
            ship = rng.choice([0, 500, 750])
            rows.append(
                (sid, wc_id, str(wc_id), status, "USD", created, created, paid,
                 paid if status == "completed" else None, subtotal + tax + ship, tax, ship, subtotal, items_per_order,
                 rng.choice(customer_ids), rng.choice(["US", "CA", "GB", "DE"]), *dims.row(subtotal))
            )  # fmt: skip
            if paid and rng.random() < 0.03:
                refunds.append((wc_id, paid + timedelta(days=rng.randrange(0, 20)), subtotal // 2))
        with transaction.atomic():
            order_insert.run(rows)
            pks = dict(
                Order.objects.filter(store=store, wc_id__gt=offset, wc_id__lte=offset + batch).values_list(
                    "wc_id", "pk"
                )
            )
            lines = []
            for wc_id, pk in pks.items():
                for k in range(items_per_order):
                    product = 1 + (wc_id * 7 + k) % 60
                    lines.append((sid, pk, next_item, product, f"Product {product}", 1, 1000, 1000))
                    next_item += 1
            line_insert.run(lines)
            refund_insert.run(
                [(sid, orders + wc_id, wc_id, pks[wc_id], "USD", when, amount) for wc_id, when, amount in refunds]
            )
        done = min(orders, offset + batch)
        rate = done / (time.perf_counter() - started)
        print(f"\r  seeded {done:,} orders ({rate:,.0f}/s)", end="", flush=True)
    print()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return store


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    samples, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))], result


def raw_totals(store: Any, first: date, last: date) -> tuple[int, int, int]:
    """(orders, net_sales, refunds) from the raw tables with SQL aggregates: the honest non-rollup way."""
    from django.db.models import F, Sum

    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.metrics.timezones import range_bounds_utc
    from storelens.analytics.reports.counted import counted_orders, in_range
    from storelens.commerce.models import Order, Refund

    s = report_settings(store)
    o = Order.objects.filter(counted_orders(store, s) & in_range(s, first, last)).aggregate(
        n=Sum(1), net=Sum(F("total_minor") - F("total_tax_minor") - F("shipping_total_minor"))
    )
    start, end = range_bounds_utc(first, last, s.tz)
    r = Refund.objects.filter(
        counted_orders(store, s, "order__"), deleted_at__isnull=True, created_at__gte=start, created_at__lt=end
    ).aggregate(
        amount=Sum("amount_minor"),
        net=Sum(F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor")),
    )
    return (o["n"] or 0, (o["net"] or 0) - (r["net"] or 0), r["amount"] or 0)


def raw_daily(store: Any, first: date, last: date) -> dict[date, int]:
    """Net sales per local day from raw rows (SQL can't bucket by a DST-aware local day portably: fetch and bucket)."""
    from django.db.models import F

    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.metrics.timezones import local_day, range_bounds_utc
    from storelens.analytics.reports.counted import counted_orders, in_range
    from storelens.commerce.models import Order, Refund

    s = report_settings(store)
    out: dict[date, int] = {}
    orders = Order.objects.filter(counted_orders(store, s) & in_range(s, first, last))
    for paid, net in orders.annotate(
        net=F("total_minor") - F("total_tax_minor") - F("shipping_total_minor")
    ).values_list("paid_at", "net"):
        d = local_day(paid, s.tz)
        out[d] = out.get(d, 0) + net
    start, end = range_bounds_utc(first, last, s.tz)
    refunds = Refund.objects.filter(
        counted_orders(store, s, "order__"), deleted_at__isnull=True, created_at__gte=start, created_at__lt=end
    ).annotate(net=F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor"))
    for created, net in refunds.values_list("created_at", "net"):
        d = local_day(created, s.tz)
        out[d] = out.get(d, 0) - net
    return out


PAGES = ("main", "customers", "orders", "products", "heatmap", "breakdowns", "cohorts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=3, help="line items per order (default 3)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--only", choices=["cohorts"], help="seed, then time only this page (its cells built alone)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --data-dir of an earlier run: its seeded, rebuilt Bench store (a 1M run seeds for 10+ min)",
    )
    parser.add_argument("--pages", default=",".join(PAGES), help=f"which pages to time, of {','.join(PAGES)}")
    args = parser.parse_args()
    pages = set(args.pages.split(","))
    if pages - set(PAGES):
        parser.error(f"unknown pages {sorted(pages - set(PAGES))}: choose from {','.join(PAGES)}")
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="storelens-bench-")
    setup_django(data_dir)
    from django.db import connection

    from storelens.analytics.metrics.periods import previous_period, series
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.reports.customer_counts import new_and_returning_from_orders
    from storelens.analytics.reports.home import home as home_figures
    from storelens.analytics.reports.summary import build
    from storelens.analytics.rollups.rebuild import rebuild

    today = date.today()
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    from storelens.stores.models import Store

    store = Store.objects.filter(name="Bench").first() if args.reuse else None
    if args.reuse and store is None:
        parser.error(f"--reuse: no Bench store in {data_dir}; run without --reuse to seed one")
    if store is None:
        print(f"Seeding {args.orders:,} orders and {args.orders * args.items:,} line items …")
        t0 = time.perf_counter()
        store = seed(args.orders, args.items, today)
        print(f"  seeded in {time.perf_counter() - t0:.1f} s")
    else:
        from storelens.commerce.models import Order

        print(f"  reusing the Bench store: {Order.objects.filter(store=store).count():,} orders, rollups as rebuilt")
    if args.only == "cohorts":  # its report builds its own cells (the refresh a pass end runs), timed
        import dashboard_cohorts

        print(f"{'page':<34}{'p50 ms':>10}{'p95 ms':>10}{'raw p50 ms':>12}{'raw ÷ page':>12}")
        dashboard_cohorts.report(store, [store], today, args.runs, timed)
        return
    if not args.reuse:
        t0 = time.perf_counter()
        cells = rebuild(store)
        print(f"  rollups rebuilt: {cells:,} cells in {time.perf_counter() - t0:.1f} s\n")
    stores = [store]
    first90, last = today - timedelta(days=89), today
    prev_first, prev_last = previous_period(first90, last)
    home = home_figures(stores, today)
    home_ranges = [(r.first, r.last) for r in (home.today_report, home.mtd, home.range_report, home.previous,
                                               home.last_year, *home.months)]  # fmt: skip

    def home_page() -> Any:
        return home_figures(stores, today)

    def home_raw() -> Any:
        return [raw_totals(store, f, la) for f, la in home_ranges]

    def sales_page() -> Any:
        current = build(stores, first90, last, with_customers=False)
        previous = build(stores, prev_first, prev_last, with_customers=False)
        return series(current.daily, first90, last), series(previous.daily, prev_first, prev_last)

    def sales_raw() -> Any:
        return raw_daily(store, first90, last), raw_daily(store, prev_first, prev_last)

    def report_page() -> Any:
        return build(stores, today - timedelta(days=364), today, with_customers=False).totals

    def report_raw() -> Any:
        return raw_totals(store, today - timedelta(days=364), today)

    first30 = today - timedelta(days=29)

    def report_customers_page() -> Any:
        r = build(stores, first30, today)  # with_customers: customer_page.new_and_returning over the standings
        return r.totals, (r.new_customers, r.returning_customers)

    def report_customers_raw() -> Any:
        return raw_totals(store, first30, today), new_and_returning_from_orders(
            store, report_settings(store), first30, today
        )

    if "main" in pages:  # sanity: the page's answer equals the raw answer
        page_t, raw_t = report_page(), report_raw()
        assert (page_t.orders, page_t.net_sales, page_t.refunds) == raw_t, (page_t, raw_t)
        assert report_customers_page()[1] == report_customers_raw()[1]
        page_daily = {d: t.net_sales for d, t in build(stores, first90, last, with_customers=False).daily.items()}
        raw = {d: v for d, v in raw_daily(store, first90, last).items() if v}
        assert {d: v for d, v in page_daily.items() if v} == raw

    print(f"{'page':<34}{'p50 ms':>10}{'p95 ms':>10}{'raw p50 ms':>12}{'raw ÷ page':>12}")
    for name, page, raw in (
        []
        if "main" not in pages
        else [
            ("home (6 ranges, rollups)", home_page, home_raw),
            ("sales 90 d by day + previous", sales_page, sales_raw),
            ("report / API summary, 365 d", report_page, report_raw),
            ("report + customers, 30 d", report_customers_page, report_customers_raw),
        ]
    ):
        p50, p95, _ = timed(page, args.runs)
        r50, _, _ = timed(raw, max(3, args.runs // 2))
        print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×")
    import dashboard_breakdowns
    import dashboard_cohorts
    import dashboard_customers
    import dashboard_heatmap
    import dashboard_orders
    import dashboard_products

    if "customers" in pages:
        dashboard_customers.report(store, stores, today, args.runs, timed)
    if "orders" in pages:
        dashboard_orders.report(stores, today, args.runs, timed)
    if "products" in pages:
        dashboard_products.report(store, today, args.runs, timed)
    if "heatmap" in pages:
        dashboard_heatmap.report(store, stores, today, args.runs, timed)
    if "breakdowns" in pages:
        dashboard_breakdowns.report(store, stores, today, args.runs, timed)
        dashboard_breakdowns.report_customers(store, today, args.runs, timed)
    if "cohorts" in pages:
        dashboard_cohorts.report(store, stores, today, args.runs, timed)
    print(f"\n(data directory: {data_dir})")


if __name__ == "__main__":
    main()
