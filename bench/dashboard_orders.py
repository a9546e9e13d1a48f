"""The orders and sales-filter part of `bench/dashboard.py` (run that script; this module only holds the cases).

Orders list. The list is raw rows by nature, so "raw" here is the same list computed the way the page did before it
was made fast: with the list's indexes dropped (inside a transaction that is rolled back, so the run keeps them), an
exact `COUNT(*)` over every order the filter matches and `OFFSET` to reach the page. "page" is what the view runs
now: `reports.orders.keyset_page` (a cursor, index-ordered) plus `order_count` (rollup cells, a capped count
for a search, the page's own rows when it is the whole list). Each sort option, a status filter, a country filter,
searches (a term nothing matches: the worst case; a part of customers' e-mails; an order number; a term every order
holds; the raw side also without SQLite's FTS5 customer table and e-mail index), a deep page (the 400th of 50) and
a 365-day range are timed; the detail page and the CSV export have no raw twin and are printed as absolute figures
(the export streams every order of the range: it is a download, not a page view).

Sales filters. "page" is the view's call (country: `filtered_daily` → per-country rollup cells, plus the countries
list; status: the rollup cells of those statuses) for the range and the previous period; "raw" computes the same
per-day numbers from the orders and refunds of the range, selected through their date indexes and bucketed by
local day in Python. Both are checked equal before timing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

ORDER_LIST_INDEXES = (
    "order_list_status_created",
    "order_list_total",
    "order_list_number",
    "order_list_deleted",
    "order_list_email_trgm",
    "customer_first_name_trgm",
    "customer_last_name_trgm",
    "customer_email_trgm",
    "order_search_email",
)
SEARCH_TABLES = ("commerce_customer_search",)  # SQLite's FTS5 trigram table over customers (commerce 0005)
PER_PAGE = 50


@contextmanager
def without_list_indexes() -> Iterator[None]:
    """The orders table as it was before the list's indexes: dropped in a transaction that is rolled back."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in ORDER_LIST_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
            for name in SEARCH_TABLES if connection.vendor == "sqlite" else ():
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(name)}")
        yield
        transaction.set_rollback(True)


def order_cases(stores: list[Any], today: date) -> list[tuple[str, Callable[[], Any], Callable[[], Any]]]:
    from storelens.analytics.reports.order_search import plain_filter, search_term
    from storelens.analytics.reports.orders import keyset_page, order_count, orders_list
    from storelens.commerce.models import Order

    first = today - timedelta(days=29)

    def case(sort: str = "date", search: str = "", statuses: tuple = (), country: str = "", days: int = 30) -> tuple:
        start = today - timedelta(days=days - 1)

        def page() -> Any:
            qs = orders_list(stores, start, today, search, statuses, country, sort)
            keyset = keyset_page(qs, sort, per_page=PER_PAGE)
            count = order_count(stores, start, today, search, statuses, country, keyset)
            return [o.pk for o in keyset.rows], count

        def raw() -> Any:
            qs = orders_list(stores, start, today, "", statuses, country, sort)
            if search:  # the search as one plain condition (LIKE scans), as the page ran it before
                qs = qs.filter(plain_filter(stores, search_term(search)))
            return [o.pk for o in qs[:PER_PAGE]], qs.count()

        return page, raw

    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = []
    for label, sort in [("newest", "date"), ("oldest", "-date"), ("largest", "total"), ("smallest", "-total"),
                        ("number ↓", "number"), ("number ↑", "-number")]:  # fmt: skip
        cases.append((f"orders 30 d, {label}", *case(sort)))
    cases.append(("orders 30 d, status failed", *case(statuses=("failed",))))
    cases.append(("orders 30 d, status completed", *case(statuses=("completed",))))
    cases.append(("orders 30 d, country DE", *case(country="DE")))
    cases.append(("orders 30 d, search (no match)", *case(search="smith")))
    cases.append(("orders 30 d, search (customers)", *case(search="c1234")))  # c1234@…, c12340@… …
    cases.append(("orders 30 d, search (number)", *case(search=f"#{Order.objects.order_by('-pk')[0].number}")))
    cases.append(("orders 30 d, search (common)", *case(search="example.com")))
    cases.append(("orders 365 d, search (no match)", *case(search="smith", days=365)))
    cases.append(("orders 365 d, newest", *case(days=365)))

    # The 400th page: 399 cursor hops are walked once up front; OFFSET is what the raw side pays every time.
    qs = orders_list(stores, first, today)
    cursor, hops = "", 0
    while hops < 399:  # fewer on a small run: the last page there is
        following = keyset_page(qs, "date", after=cursor, per_page=PER_PAGE).next_cursor
        if not following:
            break
        cursor, hops = following, hops + 1

    def deep_page() -> Any:
        return [o.pk for o in keyset_page(qs, "date", after=cursor, per_page=PER_PAGE).rows]

    def deep_raw() -> Any:
        return [o.pk for o in qs[hops * PER_PAGE : (hops + 1) * PER_PAGE]]

    assert deep_page() == deep_raw()
    cases.append((f"orders 30 d, page {hops + 1}", deep_page, deep_raw))
    for name, page, raw in cases[:-1]:  # the same rows, and the same count wherever the page's is exact
        (rows, count), (raw_rows, raw_count) = page(), raw()
        assert rows == raw_rows and (count.value == raw_count or not count.exact), (name, count, raw_count)
    return cases


def order_absolutes(stores: list[Any], today: date) -> list[tuple[str, Callable[[], Any]]]:
    """Pages with no raw twin: one order's page and the 30-day CSV export."""
    from storelens.commerce.models import Order

    refunded = Order.objects.filter(store=stores[0], refunds__isnull=False).order_by("-pk").first()
    assert refunded is not None

    def detail() -> Any:
        order = Order.objects.select_related("store", "customer").get(pk=refunded.pk)
        return order, list(order.line_items.order_by("wc_item_id")), list(order.refunds.order_by("created_at"))

    def export() -> int:
        from storelens.analytics.reports.orders import orders_list

        qs = orders_list(stores, today - timedelta(days=29), today)
        return sum(1 for o in qs.iterator(chunk_size=2000) if o.total_minor >= 0)

    return [("order detail (items, refunds)", detail), ("orders CSV 30 d (all rows)", export)]


def raw_filtered_daily(store: Any, first: date, last: date, country: str = "", statuses: tuple = ()) -> dict[date, int]:
    """Net sales per local day of the range's orders (and refunds) billed to `country` / in `statuses`, from raw rows
    selected through their date indexes."""
    from django.db.models import F

    from storelens.analytics.metrics.orders import DATE_FIELD
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.metrics.timezones import local_day, range_bounds_utc
    from storelens.analytics.reports.counted import counted_orders, in_range
    from storelens.commerce.models import Order, Refund
    from storelens.stores.reporting import ALWAYS_EXCLUDED

    s = report_settings(store, excluded_statuses=[] if statuses else None)
    out: dict[date, int] = {}
    orders = Order.objects.filter(counted_orders(store, s) & in_range(s, first, last))
    refunds = Refund.objects.filter(counted_orders(store, s, "order__"), deleted_at__isnull=True)
    start, end = range_bounds_utc(first, last, s.tz)
    refunds = refunds.filter(created_at__gte=start, created_at__lt=end)
    if country:
        orders, refunds = orders.filter(billing_country=country), refunds.filter(order__billing_country=country)
    if statuses:
        wanted = sorted(set(statuses) - ALWAYS_EXCLUDED)
        orders, refunds = orders.filter(status__in=wanted), refunds.filter(order__status__in=wanted)
    column = DATE_FIELD[s.date_basis]
    net = F("total_minor") - F("total_tax_minor") - F("shipping_total_minor")
    for when, value in orders.annotate(net=net).values_list(column, "net"):
        d = local_day(when, s.tz)
        out[d] = out.get(d, 0) + value
    refund_net = F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor")
    for when, value in refunds.annotate(net=refund_net).values_list("created_at", "net"):
        d = local_day(when, s.tz)
        out[d] = out.get(d, 0) - value
    return {d: v for d, v in out.items() if v}


def sales_filter_cases(stores: list[Any], today: date) -> list[tuple[str, Callable[[], Any], Callable[[], Any]]]:
    from storelens.analytics.metrics.periods import previous_period
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.reports.cells import filtered_daily
    from storelens.analytics.reports.fx import Rates
    from storelens.analytics.reports.summary import Report, daily_in
    from storelens.dashboard.insights_sales import countries_with_orders

    store = stores[0]
    settings = report_settings(store)
    first = today - timedelta(days=89)
    prev = previous_period(first, today)
    periods = [(first, today), prev]

    def net(daily: dict[date, Any]) -> dict[date, int]:
        return {d: t.net_sales for d, t in daily.items() if t.net_sales}

    def country_page() -> Any:
        countries = countries_with_orders(stores, prev[0], today)
        return [net(filtered_daily(store, settings, f, la, country="DE")) for f, la in periods], countries

    def country_raw() -> Any:
        return [raw_filtered_daily(store, f, la, country="DE") for f, la in periods]

    def status_page() -> Any:
        out = []
        for f, la in periods:
            fresh = Report(currency="USD", first=f, last=la, timezone="")
            out.append(net(daily_in(fresh, stores, False, None, [], Rates(), ["completed"])))
        return out

    def status_raw() -> Any:
        return [raw_filtered_daily(store, f, la, statuses=("completed",)) for f, la in periods]

    assert country_page()[0] == country_raw()
    assert status_page() == status_raw()
    return [("sales 90 d + prev, country DE", country_page, country_raw),
            ("sales 90 d + prev, status completed", status_page, status_raw)]  # fmt: skip


def report(stores: list[Any], today: date, runs: int, timed: Callable[..., tuple[float, float, Any]]) -> None:
    """Print the orders and sales-filter rows in `dashboard.py`'s table format."""
    raw_runs = max(3, runs // 2)
    for name, page, raw in sales_filter_cases(stores, today):
        p50, p95, _ = timed(page, runs)
        r50, _, _ = timed(raw, raw_runs)
        print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×", flush=True)
    for name, page, raw in order_cases(stores, today):
        p50, p95, _ = timed(page, runs)
        with without_list_indexes():
            r50, _, _ = timed(raw, raw_runs)
        print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{r50:>12.1f}{r50 / p50:>11.0f}×", flush=True)
    for name, page in order_absolutes(stores, today):
        p50, p95, _ = timed(page, max(3, runs // 2))
        print(f"{name:<34}{p50:>10.1f}{p95:>10.1f}{'–':>12}{'–':>12}", flush=True)
