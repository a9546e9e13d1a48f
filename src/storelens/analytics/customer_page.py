"""What the Customers page, a customer's profile and the customers API read: the stores' snapshots combined, the
range's new and returning customers, and one customer's figures — each through an index, never every customer.

Several stores (sharing a currency) are combined exactly: counts, totals and segments add up; the top list is the
best of each store's own top list; the median and the top 20 %'s share need the combined ranking, which is read from
each store's (store, net) index only as far as the position asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from heapq import merge
from typing import Any

from storelens.analytics.customer_models import CustomerSnapshot, CustomerStanding
from storelens.analytics.customer_snapshot import current, settings_key, standing_value
from storelens.analytics.customer_values import (
    RFM_SEGMENTS,
    CustomerSummary,
    CustomerValue,
    customer_values,
    median_minor,
    ranked,
    rfm,
    share,
    top_count,
)
from storelens.analytics.money import divide_minor
from storelens.analytics.settings import report_settings
from storelens.analytics.timezones import range_bounds_utc


@dataclass
class CustomersOverview(CustomerSummary):
    """`CustomerSummary` over stores, plus how current it is."""

    as_of: datetime | None = None
    stale: bool = False  # some store's customers moved since `as_of`; the next sync pass refreshes them
    currencies: tuple[str, ...] = ()


def overview(stores: Sequence[Any], top_n: int = 20) -> CustomersOverview:
    """The whole-history figures of these stores (their own settings), as of their snapshots."""
    snapshots = [current(store) for store in stores]
    n = sum(s.customers for s in snapshots)
    total = sum(s.net_total_minor for s in snapshots)
    segments = {name: sum(s.segments.get(name, 0) for s in snapshots) for name, _ in RFM_SEGMENTS}
    top = ranked([standing_value(row) for store in stores for row in _ranked(store)[:top_n]])[:top_n]
    if len(snapshots) == 1:
        median, top_net = snapshots[0].ltv_median_minor, snapshots[0].top20_net_minor
    else:
        median, top_net = _combined_median(stores, n), _combined_top_net(stores, top_count(n))
    return CustomersOverview(
        customers=n,
        ltv_avg_minor=divide_minor(total, n),
        ltv_median_minor=median,
        top20_share=share(top_net, total),
        top=top,
        segments=segments,
        as_of=min((s.computed_at for s in snapshots), default=None),
        stale=any(s.stale for s in snapshots),
        currencies=tuple(sorted({c for s in snapshots for c in s.currencies})),
    )


def _ranked(store: Any) -> Any:
    return CustomerStanding.objects.filter(store=store).order_by("-net_minor", "customer_id").values()


def _nets(store: Any, descending: bool, limit: int) -> list[int]:
    order = "-net_minor" if descending else "net_minor"
    qs = CustomerStanding.objects.filter(store=store).order_by(order)
    return list(qs.values_list("net_minor", flat=True)[:limit])


def _combined_top_net(stores: Sequence[Any], k: int) -> int:
    runs = [_nets(store, True, k) for store in stores]
    return sum(v for _, v in zip(range(k), merge(*runs, reverse=True), strict=False))


def _combined_median(stores: Sequence[Any], n: int) -> int:
    if not n:
        return 0
    runs = [_nets(store, False, n // 2 + 1) for store in stores]
    ascending = [v for _, v in zip(range(n // 2 + 1), merge(*runs), strict=False)]
    return median_minor(ascending[(n - 1) // 2], ascending[n // 2], n % 2 == 1)


def new_and_returning(stores: Sequence[Any], first: date, last: date) -> tuple[int, int]:
    """(new, returning) customers of the range over these stores, with each store's own settings: new = first
    counted order ever in the range; returning = a counted order in the range, the first one earlier.

    From a fresh snapshot, when no counted order is dated at or after the range's end (every range ending today):
    a customer then has an order in the range exactly when their last one is in it, so
    new = #(first in range) and returning = #(last ≥ start) − #(first ≥ start), two counts on the standings'
    date indexes. Otherwise (a past range, a stale snapshot) from the orders (`report.customers`), so these two
    numbers are always exact, not as of the last pass."""
    from storelens.analytics.report import customers

    new = returning = 0
    for store in stores:
        settings = report_settings(store)
        start, end = range_bounds_utc(first, last, settings.tz)
        snapshot = CustomerSnapshot.objects.filter(store=store).first()
        standings = CustomerStanding.objects.filter(store=store)
        if (
            snapshot is None
            or snapshot.stale
            or snapshot.settings_key != settings_key(settings)
            or standings.filter(last_at__gte=end).exists()
        ):
            n, r = customers(store, settings, first, last)
        else:
            n = standings.filter(first_at__gte=start, first_at__lt=end).count()
            r = standings.filter(last_at__gte=start).count() - standings.filter(first_at__gte=start).count()
        new += n
        returning += r
    return new, returning


def customer_value(customer: Any) -> CustomerValue | None:
    """One customer's current lifetime figures (from their own rollups) scored against their store's snapshot bounds:
    exact for the customer now, relative to everyone as of the snapshot."""
    values = customer_values(customer.store, report_settings(customer.store), customer_id=customer.pk)
    if not values:
        return None
    return rfm(values, current(customer.store).bounds)[0]
