"""A range's new and returning customers: the one reader behind the CLI's `storelens report`, the API summary and
every page (`metrics.ranges.new_and_returning` is the definition it answers).

New = a customer with a counted order in the range whose first counted order ever falls in the range; returning =
the first one is earlier. A customer is counted per store. Two ways to the same numbers, chosen per store:

- the customer standings (`rollups.snapshots`), when they were counted with exactly the settings asked for, are
  fresh, and no counted order is dated at or after the range's end (every range ending today): a customer then has an
  order in the range exactly when their last one is in it, so new = #(first in range) and returning =
  #(last ≥ start) − #(first ≥ start), two counts on the standings' date indexes;
- otherwise (a past range, a stale snapshot, a basis or excluded statuses overridden for one report) the orders
  themselves (`new_and_returning_from_orders`), so the two numbers are always exact, never as of the last pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Min, Q, Subquery

from storelens.analytics.metrics.orders import DATE_FIELD
from storelens.analytics.metrics.report_settings import ReportSettings, report_settings
from storelens.analytics.metrics.timezones import range_bounds_utc
from storelens.analytics.models import CustomerSnapshot, CustomerStanding
from storelens.analytics.rollups.snapshots import settings_key


def new_and_returning(
    stores: Sequence[Any],
    first: date,
    last: date,
    date_basis: str | None = None,
    excluded_statuses: Iterable[str] | None = None,
) -> tuple[int, int]:
    """(new, returning) customers of the range over these stores, each store with its own settings unless
    `date_basis` or `excluded_statuses` override them for this report."""
    excluded = list(excluded_statuses) if excluded_statuses is not None else None
    new = returning = 0
    for store in stores:
        settings = report_settings(store, date_basis, excluded)
        n, r = _from_standings(store, settings, first, last)
        if n is None or r is None:
            n, r = new_and_returning_from_orders(store, settings, first, last)
        new += n
        returning += r
    return new, returning


def _from_standings(store: Any, settings: ReportSettings, first: date, last: date) -> tuple[int | None, int | None]:
    """The two counts from the store's standings, or (None, None) when they cannot answer exactly (module doc)."""
    if settings_key(settings) != settings_key(report_settings(store)):
        return None, None
    start, end = range_bounds_utc(first, last, settings.tz)
    snapshot = CustomerSnapshot.objects.filter(store=store).first()
    standings = CustomerStanding.objects.filter(store=store)
    if (
        snapshot is None
        or snapshot.stale
        or snapshot.settings_key != settings_key(settings)
        or standings.filter(last_at__gte=end).exists()
    ):
        return None, None
    new = standings.filter(first_at__gte=start, first_at__lt=end).count()
    return new, standings.filter(last_at__gte=start).count() - standings.filter(first_at__gte=start).count()


def new_and_returning_from_orders(store: Any, settings: ReportSettings, first: date, last: date) -> tuple[int, int]:
    """(new, returning) customers of one store from its orders: the customers active in the range, then each one's
    first counted order ever (through the customer index). Local days are turned into one UTC interval, so this is
    exactly `metrics.ranges.new_and_returning`."""
    from storelens.commerce.models import Order

    column = DATE_FIELD[settings.date_basis]
    start, end = range_bounds_utc(first, last, settings.tz)
    in_range = Q(**{f"{column}__gte": start, f"{column}__lt": end})
    counted = Order.objects.filter(
        store=store, deleted_at__isnull=True, customer__isnull=False, **{f"{column}__isnull": False}
    ).exclude(status__in=sorted(settings.all_excluded))
    active = counted.filter(in_range).values("customer_id")
    rows = (
        counted.filter(customer_id__in=Subquery(active))
        .values("customer_id")
        .annotate(first_at=Min(column), in_range=Count("pk", filter=in_range))
        .filter(in_range__gt=0)
    )
    new = returning = 0
    for row in rows:
        if row["first_at"] >= start:
            new += 1
        else:
            returning += 1
    return new, returning


def active_customers(store: Any, settings: ReportSettings, first: date, last: date) -> Iterator[tuple[int, datetime]]:
    """(customer id, order date on the basis) of every counted order of the range that has a customer: which
    customers were active when, for the readers that cut a range into periods."""
    from storelens.commerce.models import Order

    column = DATE_FIELD[settings.date_basis]
    start, end = range_bounds_utc(first, last, settings.tz)
    counted = Order.objects.filter(
        store=store, deleted_at__isnull=True, customer__isnull=False, **{f"{column}__gte": start, f"{column}__lt": end}
    ).exclude(status__in=sorted(settings.all_excluded))
    yield from counted.values_list("customer_id", column).iterator(chunk_size=5000)


def standings_hold_firsts(store: Any, settings: ReportSettings) -> bool:
    """Whether the standings' `first_at` is each customer's first counted order under `settings`: counted with
    exactly these settings (the store's own) and fresh. Unlike `last_at`, it then answers for any range."""
    snapshot = CustomerSnapshot.objects.filter(store=store).first()
    return (
        snapshot is not None
        and not snapshot.stale
        and snapshot.settings_key == settings_key(settings) == settings_key(report_settings(store))
    )


def counts_per_period(
    store: Any, settings: ReportSettings, periods: Sequence[tuple[date, date]]
) -> list[tuple[int, int]] | None:
    """(new, returning) per period from two grouped counts, or None when the standings cannot answer
    (`standings_hold_firsts`): new = standings whose first order falls in the period (every one of them ordered in
    it), returning = distinct customers with a counted order in the period − new. Only the periods' own orders are
    read: they need not be adjacent (the first and last of a range whose whole periods the cohort cells answer)."""
    from storelens.commerce.models import Order

    if not periods or not standings_hold_firsts(store, settings):
        return None
    column = DATE_FIELD[settings.date_basis]
    bounds = [range_bounds_utc(a, b, settings.tz) for a, b in periods]
    runs: list[list[datetime]] = []  # adjacent periods as one interval: one index range each
    for a, b in bounds:
        if runs and runs[-1][1] == a:
            runs[-1][1] = b
        else:
            runs.append([a, b])
    within = Q()
    first_within = Q()
    for a, b in runs:
        within |= Q(**{f"{column}__gte": a, f"{column}__lt": b})
        first_within |= Q(first_at__gte=a, first_at__lt=b)
    counted = Order.objects.filter(within, store=store, deleted_at__isnull=True, customer__isnull=False).exclude(
        status__in=sorted(settings.all_excluded)
    )
    active = counted.aggregate(
        **{
            f"p{i}": Count("customer_id", distinct=True, filter=Q(**{f"{column}__gte": a, f"{column}__lt": b}))
            for i, (a, b) in enumerate(bounds)
        }
    )
    firsts = CustomerStanding.objects.filter(first_within, store=store)
    new = firsts.aggregate(
        **{f"p{i}": Count("pk", filter=Q(first_at__gte=a, first_at__lt=b)) for i, (a, b) in enumerate(bounds)}
    )
    return [(new[f"p{i}"], active[f"p{i}"] - new[f"p{i}"]) for i in range(len(bounds))]


def first_counted_at(store: Any, settings: ReportSettings, customer_ids: set[int]) -> dict[int, datetime]:
    """Each customer's first counted order ever (UTC): from the standings when they were counted with exactly these
    settings and are fresh (`first_at` is whole-history, whatever range asks), else from the orders."""
    from storelens.commerce.models import Order

    if not customer_ids:
        return {}
    firsts: dict[int, datetime] = {}
    if standings_hold_firsts(store, settings):
        standings = CustomerStanding.objects.filter(store=store).values_list("customer_id", "first_at")
        firsts = {c: at for c, at in standings.iterator(chunk_size=5000) if c in customer_ids}
    missing = sorted(customer_ids - set(firsts))
    column = DATE_FIELD[settings.date_basis]
    for i in range(0, len(missing), 900):  # under SQLite's limit of bound parameters per statement
        counted = Order.objects.filter(
            store=store, deleted_at__isnull=True, customer_id__in=missing[i : i + 900], **{f"{column}__isnull": False}
        ).exclude(status__in=sorted(settings.all_excluded))
        firsts.update(counted.values("customer_id").annotate(first=Min(column)).values_list("customer_id", "first"))
    return firsts
