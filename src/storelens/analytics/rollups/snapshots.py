"""The Customers page's whole-history figures, computed once per sync pass instead of on every request.

Why: LTV, the top 20 %'s share and RFM segments rank every customer of the store against all the others; at a million
orders that is a quarter of a million customers grouped and sorted three times — seconds per request even from the
customer rollups. None of it depends on the selected range, so `refresh` computes it from the rollups at the end of
each sync pass that moved them (and after `rollups.rebuild.rebuild`) and stores:

- `CustomerSnapshot`: counts, total and median LTV, the top 20 %'s net, customers per segment, RFM bounds;
- `CustomerStanding`: one row per customer (orders, lifetime net, first/last counted order, scores, segment),
  indexed by (store, net) for ranked lists and by (store, first order) for "new customers in this range".

The figures are exact as of `computed_at`: the refresh reads the same rollups `customer_values` reads, and the
customer-rollup listener marks the snapshot `stale` when they move, so a page can say so until the pass ends.
A store without a snapshot (just after an upgrade), or whose counting settings changed since, is refreshed when
first asked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone

from storelens.analytics.metrics.customers import RFM_SEGMENTS, CustomerValue, median_minor, rfm, rfm_bounds, top_count
from storelens.analytics.metrics.report_settings import ReportSettings, report_settings
from storelens.analytics.models import CustomerRollup, CustomerSnapshot, CustomerStanding

CHUNK = 500  # customer ids per IN (…)
STANDING_COLUMNS = ("currency", "orders", "net_minor", "first_at", "last_at", "r", "f", "m", "segment")


def settings_key(settings: ReportSettings) -> str:
    """What the figures were counted with: the date basis and every excluded status."""
    return f"{settings.date_basis.value}|{','.join(sorted(settings.all_excluded))}"


def mark_stale(store: Any) -> None:
    """The listener's side: one UPDATE of at most one row per page that moved a customer's rollups."""
    CustomerSnapshot.objects.filter(store=store, stale=False).update(stale=True)


def current(store: Any) -> CustomerSnapshot:
    """The store's snapshot for its own settings, computing it now only when there is none yet (or the owner changed
    how the store counts): a stale one is served as is, it is refreshed at the end of the running sync pass."""
    snapshot = CustomerSnapshot.objects.filter(store=store).first()
    if snapshot is None or snapshot.settings_key != settings_key(report_settings(store)):
        snapshot = refresh(store)
    return snapshot


def refresh_if_stale(store: Any) -> CustomerSnapshot | None:
    """The end of a sync pass: refresh when the rollups moved since the last refresh (or there is no snapshot yet)."""
    snapshot = CustomerSnapshot.objects.filter(store=store).first()
    if snapshot is not None and not snapshot.stale and snapshot.settings_key == settings_key(report_settings(store)):
        return None
    return refresh(store)


def refresh(store: Any) -> CustomerSnapshot:
    """Recompute the store's snapshot and standings from its customer rollups, writing only the standings that
    changed (an incremental pass moves a few customers and the few whose scores cross a quintile bound)."""
    settings = report_settings(store)
    values = customer_values(store, settings)
    bounds = rfm_bounds(values)
    rfm(values, bounds)
    nets = sorted(v.net_minor for v in values)
    n = len(nets)
    segments = {name: 0 for name, _ in RFM_SEGMENTS}
    for v in values:
        segments[v.segment] += 1
    fields = {
        "settings_key": settings_key(settings),
        "computed_at": timezone.now(),
        "stale": False,
        "customers": n,
        "net_total_minor": sum(nets),
        "ltv_median_minor": median_minor(nets[(n - 1) // 2], nets[n // 2], n % 2 == 1) if n else 0,
        "top20_net_minor": sum(nets[n - top_count(n) :]) if n else 0,
        "currencies": sorted({v.currency for v in values}),
        "segments": segments,
        "bounds": bounds,
    }
    with transaction.atomic():
        _write_standings(store, values)
        snapshot, _ = CustomerSnapshot.objects.update_or_create(store=store, defaults=fields)
    return snapshot


def _write_standings(store: Any, values: list[CustomerValue]) -> None:
    """Compare with the stored rows in their database form (a plain cursor: Django's per-value converters cost
    seconds over a quarter of a million rows) and write only what differs."""
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(CustomerStanding._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT customer_id, {', '.join(STANDING_COLUMNS)} FROM {table} WHERE store_id = %s", [store.pk]
        )
        stored = {row[0]: (*row[1:4], _utc(row[4]), _utc(row[5]), *row[6:]) for row in cursor.fetchall()}
    changed = []
    for v in values:
        row = (v.currency, v.orders, v.net_minor, v.first_at, v.last_at, v.r, v.f, v.m, v.segment)
        if stored.pop(v.customer_id, None) != row:
            changed.append((v.customer_id, (*row[:3], adapt(v.first_at), adapt(v.last_at), *row[5:])))
    gone = sorted(stored)
    for i in range(0, len(gone), CHUNK):
        CustomerStanding.objects.filter(customer_id__in=gone[i : i + CHUNK]).delete()
    _upsert(store, changed)


def _utc(value: Any) -> datetime:
    """A date as the plain cursor gives it (SQLite: naive UTC; PostgreSQL: aware) → aware UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _upsert(store: Any, rows: list[tuple[int, tuple]], batch: int = 2000) -> None:
    """Rows in database form (dates adapted): INSERT … ON CONFLICT (customer) DO UPDATE in batches of `executemany`
    (SQLite and PostgreSQL both speak it); the first refresh of a large store writes every customer, later ones only
    those that moved."""
    if not rows:
        return
    table = connection.ops.quote_name(CustomerStanding._meta.db_table)
    columns = ("store_id", "customer_id", *STANDING_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in STANDING_COLUMNS)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT (customer_id) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            cursor.executemany(sql, [(store.pk, customer_id, *row) for customer_id, row in rows[i : i + batch]])


def customer_values(store: Any, settings: ReportSettings, customer_id: int | None = None) -> list[CustomerValue]:
    """Every customer's lifetime value over the whole history (LTV = Σ order net − Σ refund net, counted orders),
    from the customer rollups: one row per customer and status instead of every order and refund. With
    `customer_id`, only that customer's (a profile: a few rows through the customer index)."""
    if customer_id is None:
        rows = CustomerRollup.objects.filter(store=store, basis=settings.date_basis.value)
    else:  # no source condition: the (customer, basis, …) unique index is then the only one that fits
        rows = CustomerRollup.objects.filter(customer_id=customer_id, basis=settings.date_basis.value)
    per = (
        rows.exclude(status__in=sorted(settings.all_excluded))
        .values("customer_id")
        .annotate(
            orders=Sum("orders"),
            net=Sum("net_minor"),
            first_at=Min("first_at"),
            last_at=Max("last_at"),
            currency=Max("currency"),
        )
        .order_by()
    )
    return [
        CustomerValue(
            customer_id=customer_id,
            store_id=store.pk,
            name="",
            email="",
            currency=currency,
            orders=int(orders),
            net_minor=int(net or 0),
            first_at=first_at,
            last_at=last_at,
        )
        for customer_id, orders, net, first_at, last_at, currency in per.values_list(
            "customer_id", "orders", "net", "first_at", "last_at", "currency"
        ).iterator(5000)
    ]
