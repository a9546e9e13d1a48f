"""The cohort cells (`CohortCell`) of a store, recomputed from its raw rows once per sync pass that moved its
customers, and the snapshot row saying when and with which settings (`CohortSnapshot`).

Why a snapshot and not cells moved by deltas: a customer's cohort is the period of their first *counted* order,
which the owner's excluded statuses and date basis decide, and one order arriving earlier than a customer's first
moves every one of their cells to another cohort (and its first product, coupon and country with it). Like the
customers' whole-history figures (`snapshots`), the cells are computed for the store's own settings after a sync
pass that refreshed the customer snapshot (whose `computed_at` says the customers moved), by a queued job
(`analytics.tasks`: the whole history is read, too long to hold the pass), after a rebuild, and on first ask when
missing or counted otherwise (`current`).

One read of the counted orders with a customer, ordered by customer and date, a few thousand customers at a time:
each batch's first orders get their products and coupons in two indexed reads, and every order adds to its
customer's period cells on each grain, then to each (dimension, value) its customer's first order has.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from storelens.analytics.metrics.cohorts import GRAINS, period_start, periods_between
from storelens.analytics.metrics.orders import DATE_FIELD
from storelens.analytics.metrics.report_settings import ReportSettings, report_settings
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.models import CohortCell, CohortSnapshot, CustomerSnapshot
from storelens.analytics.rollups.snapshots import settings_key

BATCH = 2000  # customers whose first orders' products and coupons are read at once (an IN list per batch)
CellKey = tuple[str, str, str, date, int, str, str]  # grain, dimension, value, cohort, period, currency, country
COLUMNS = ("grain", "dimension", "value", "cohort", "period", "currency", "country", "customers", "orders", "net_minor")
ALL: tuple[str, str] = ("", "")  # the (dimension, value) holding every customer
PACE = 10  # stale cells wait this many times the last refresh's duration after it (`paced_until`) ...
PACE_FROM_S = 5.0  # ... when that refresh took at least this long: 10k orders take ~2 s, 500k minutes


def current(store: Any) -> CohortSnapshot:
    """The store's cohort snapshot for its own settings, computed now only when there is none or the owner changed
    how the store counts (a stale one is served: the running pass refreshes it at its end)."""
    snapshot = CohortSnapshot.objects.filter(store=store).first()
    if snapshot is None or snapshot.settings_key != settings_key(report_settings(store)):
        snapshot = refresh(store)
    return snapshot


def note_changed(store: Any, earliest: datetime | None) -> None:
    """Called where customers' rollups move (`rollups.customers`, in the same transaction as the change): the
    earliest order date the change touched, kept as the store's `changed_from` when earlier than the one noted."""
    if earliest is not None:
        CohortSnapshot.objects.filter(store=store).filter(
            Q(changed_from__isnull=True) | Q(changed_from__gt=earliest)
        ).update(changed_from=earliest)


def exact_before(store: Any, snapshot: CohortSnapshot, tz: tzinfo) -> date | None:
    """The store-local day before which every cell's customers are still exact: `date.max` when the cells are fresh;
    while stale, the day of the earliest order date any change since touched (a whole period ending before it is
    untouched: a customer's activity and first order before that day are as counted); None when nothing says.

    Why it holds: every change that moves a customer (`rollups.customers`) notes its orders' dates, old and new, on
    every basis; an order moved between customers or a guest merged into a registered customer notes the dates of
    the orders moved (or the customer's earliest), and a customer's first order can only move to one of those. The
    note is reset when a refresh begins reading, so what it reads later is noted again."""
    if not is_stale(store, snapshot):
        return date.max
    return local_day(snapshot.changed_from, tz) if snapshot.changed_from is not None else None


def is_stale(store: Any, snapshot: CohortSnapshot) -> bool:
    """Whether customers moved since the cells were computed: the customer snapshot is stale (the listener marks it
    when a customer's rollups move) or was refreshed after them."""
    customers = CustomerSnapshot.objects.filter(store=store).values_list("stale", "computed_at").first()
    return customers is not None and (customers[0] or customers[1] > snapshot.computed_at)


def needs_refresh(store: Any, snapshot: CohortSnapshot | None) -> bool:
    """Missing, counted with other settings, or customers moved since."""
    return (
        snapshot is None or snapshot.settings_key != settings_key(report_settings(store)) or is_stale(store, snapshot)
    )


def refresh_if_stale(store: Any) -> CohortSnapshot | None:
    """The job queued by a pass that refreshed the customer snapshot: recompute when customers moved since."""
    snapshot = CohortSnapshot.objects.filter(store=store).first()
    return refresh(store) if needs_refresh(store, snapshot) else None


def paced_until(snapshot: CohortSnapshot | None, now: datetime) -> datetime | None:
    """When a refresh of stale cells may run, if not now: PACE times the last refresh's duration after it ended.

    A large store's refresh reads its whole history (223 s at 500k orders on the shared bench machine) and its
    incremental passes come every few minutes, each moving a customer or two: refreshing after every pass would keep
    a worker busy with one store's cohorts. Refreshes shorter than PACE_FROM_S are never held back. The cells stay
    exact as of `computed_at`; the page says so and when they are refreshed next."""
    if snapshot is None or snapshot.seconds < PACE_FROM_S:
        return None
    due = snapshot.computed_at + timedelta(seconds=snapshot.seconds * PACE)
    return due if due > now else None


def refresh(store: Any) -> CohortSnapshot:
    """Recompute every cohort cell of the store for its own settings, and write the difference in one transaction.

    Only cells that changed are written (a pass moves a few customers): rewriting a large store's million cells
    held SQLite's one write lock for longer than the sync's writers wait for it. The store's row is locked first so
    that two refreshes of one store (two queue workers) write one after the other on PostgreSQL, each against what
    the other wrote; SQLite's IMMEDIATE transactions already queue them.

    `computed_at` is the time the rows were about to be read, not written: a pass that ends while they are read
    (its customer snapshot refreshed after that time) leaves the cells stale, so the job it queued recounts them.
    Stamped at the write, such cells missed the pass's orders and still passed for fresh."""
    from storelens.stores.models import Store

    settings = report_settings(store)
    CohortSnapshot.objects.filter(store=store).update(changed_from=None)  # what is read from now on is noted again
    read_at = timezone.now()
    started = time.monotonic()
    cells = compute_cells(store, settings)
    customers = sum(v[0] for k, v in cells.items() if k[0] == "month" and k[1:3] == ALL and k[4] == 0)
    with transaction.atomic():
        list(Store.objects.select_for_update().filter(pk=store.pk).values_list("pk"))
        _write(store, cells)
        snapshot, _ = CohortSnapshot.objects.update_or_create(
            store=store,
            defaults={
                "settings_key": settings_key(settings),
                "computed_at": read_at,
                "customers": customers,
                "seconds": time.monotonic() - started,
                "deferred_until": None,
            },
        )
    return snapshot


def compute_cells(store: Any, settings: ReportSettings) -> dict[CellKey, list[int]]:
    """[customers, orders, net] per cell, from the store's counted orders with a customer and their refunds."""
    from storelens.commerce.models import Order, Refund

    refunded = dict(
        Refund.objects.filter(store=store, deleted_at__isnull=True, order__isnull=False)
        .values("order_id")
        .annotate(net=Sum(F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor")))
        .order_by()
        .values_list("order_id", "net")
    )
    column = DATE_FIELD[settings.date_basis]
    rows = (
        Order.objects.filter(
            store=store, deleted_at__isnull=True, customer__isnull=False, **{f"{column}__isnull": False}
        )
        .exclude(status__in=sorted(settings.all_excluded))
        .order_by("customer_id", column, "wc_id")
        .values_list("customer_id", "pk", column, "currency", "total_minor", "total_tax_minor", "shipping_total_minor")
        .iterator(chunk_size=5000)
    )
    cells: dict[CellKey, list[int]] = {}
    batch: list[list[tuple]] = []
    customer = None
    for row in rows:
        if row[0] != customer:
            if len(batch) >= BATCH:
                _add_batch(batch, cells, settings.tz, refunded)
                batch = []
            customer = row[0]
            batch.append([])
        batch[-1].append(row)
    if batch:
        _add_batch(batch, cells, settings.tz, refunded)
    return cells


def first_order_dimensions(first_pks: list[int]) -> tuple[dict[int, set[int]], dict[int, list[str]], dict[int, str]]:
    """The products (wc ids, variations folded into their product), coupon codes and billing country of these
    orders: what a cohort is filtered by."""
    from storelens.commerce.models import LineItem, Order

    products: dict[int, set[int]] = {}
    for order_id, product in LineItem.objects.filter(order_id__in=first_pks).values_list("order_id", "product_wc_id"):
        if product:
            products.setdefault(order_id, set()).add(product)
    coupons: dict[int, list[str]] = {}
    countries: dict[int, str] = {}
    for pk, used, country in Order.objects.filter(pk__in=first_pks).values_list(
        "pk", "coupon_discounts", "billing_country"
    ):
        coupons[pk] = sorted({str(code) for code, _ in used or ()})
        countries[pk] = country or ""
    return products, coupons, countries


def dimensions(products: Iterable[int], coupons: list[str]) -> list[tuple[str, str]]:
    """Every (dimension, value) a customer counts under: all, each first product, each first coupon, each pair."""
    ids = sorted(products)
    keys = [ALL, *(("product", str(p)) for p in ids), *(("coupon", c) for c in coupons)]
    keys += [("both", f"{p}|{c}") for p in ids for c in coupons]
    return keys


def _add_batch(batch: list[list[tuple]], cells: dict[CellKey, list[int]], tz: tzinfo, refunded: dict[int, int]) -> None:
    products, coupons, countries = first_order_dimensions([orders[0][1] for orders in batch])
    days: dict[datetime, date] = {}
    for orders in batch:
        first_pk = orders[0][1]
        keys = dimensions(products.get(first_pk, ()), coupons.get(first_pk, []))
        country = countries.get(first_pk, "")
        dated = []
        for _, pk, when, currency, total, tax, shipping in orders:
            day = days.get(when)
            if day is None:
                day = days[when] = local_day(when, tz)
            dated.append((day, currency, total - tax - shipping - refunded.get(pk, 0)))
        for grain in GRAINS:
            cohort = period_start(dated[0][0], grain)
            activity: dict[tuple[int, str], list[int]] = {}
            seen: set[int] = set()
            for day, currency, net in dated:
                k = periods_between(cohort, day, grain)
                cell = activity.get((k, currency))
                if cell is None:
                    cell = activity[(k, currency)] = [0, 0, 0]
                if k not in seen:  # counted once per period, in the currency of their first order of it
                    seen.add(k)
                    cell[0] += 1
                cell[1] += 1
                cell[2] += net
            for (k, currency), (n, orders_n, net) in activity.items():
                for dimension, value in keys:
                    key = (grain, dimension, value, cohort, k, currency, country)
                    cell = cells.get(key)
                    if cell is None:
                        cells[key] = [n, orders_n, net]
                    else:
                        cell[0] += n
                        cell[1] += orders_n
                        cell[2] += net


def _write(store: Any, cells: dict[CellKey, list[int]], chunk: int = 500) -> None:
    """Compare with the stored cells (a plain cursor: Django's per-value converters cost seconds over a million rows)
    and delete, update and insert only what differs."""
    table = connection.ops.quote_name(CohortCell._meta.db_table)
    stored: dict[CellKey, tuple[int, int, int, int]] = {}
    gone: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(COLUMNS)} FROM {table} WHERE store_id = %s", [store.pk])
        for pk, grain, dimension, value, cohort, k, currency, country, n, orders, net in cursor.fetchall():
            key = (grain, dimension, value, _day(cohort), k, currency, country)
            if key in stored:  # never written twice, but a duplicate would count twice: drop it
                gone.append(stored[key][0])
            stored[key] = (pk, n, orders, net)
    new: dict[CellKey, list[int]] = {}
    changed: list[tuple[int, int, int, int]] = []
    for key, figures in cells.items():
        old = stored.pop(key, None)
        if old is None:
            new[key] = figures
        elif list(old[1:]) != figures:
            changed.append((*figures, old[0]))
    gone += [old[0] for old in stored.values()]
    with connection.cursor() as cursor:
        for i in range(0, len(gone), chunk):
            part = gone[i : i + chunk]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(part))})", part)
        if changed:
            cursor.executemany(f"UPDATE {table} SET customers = %s, orders = %s, net_minor = %s WHERE id = %s", changed)
    _insert(store, new)


def _day(value: Any) -> date:
    """A date column as the plain cursor gives it (SQLite: text; PostgreSQL: a date)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _insert(store: Any, cells: dict[CellKey, list[int]], batch: int = 5000) -> None:
    """One executemany per batch: bulk_create's per-object preparation would dominate a large store's refresh."""
    if not cells:
        return
    table = connection.ops.quote_name(CohortCell._meta.db_table)
    adapt = connection.ops.adapt_datefield_value
    sql = f"INSERT INTO {table} (store_id, {', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * (len(COLUMNS) + 1))})"
    rows = [
        (store.pk, grain, dimension, value, adapt(cohort), k, currency, country, *figures)
        for (grain, dimension, value, cohort, k, currency, country), figures in cells.items()
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            cursor.executemany(sql, rows[i : i + batch])
