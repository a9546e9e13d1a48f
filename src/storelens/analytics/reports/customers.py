"""What the Customers page, a customer's profile, the customers API and the CSV read: the stores' snapshots
combined, the ranked standings, and one customer's figures — each through an index, never every customer (the
range's new and returning customers are `customer_counts`).

Several stores (sharing a currency) are combined exactly: counts, totals and segments add up; the top list is the
best of each store's own top list; the median and the top 20 %'s share need the combined ranking, which is read from
each store's (store, net) index only as far as the position asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from heapq import merge
from typing import Any

from django.db.models import Count, F, Max, Min, Sum

from storelens.analytics.metrics.customers import (
    RFM_SEGMENTS,
    CustomerSummary,
    CustomerValue,
    median_minor,
    ranked,
    rfm,
    share,
    top_count,
)
from storelens.analytics.metrics.orders import DATE_FIELD
from storelens.analytics.metrics.report_settings import ReportSettings, report_settings
from storelens.analytics.models import CustomerStanding
from storelens.analytics.reports.counted import counted_orders
from storelens.analytics.rollups.snapshots import current, customer_values
from storelens.commerce.money import divide_minor


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


def customer_value(customer: Any) -> CustomerValue | None:
    """One customer's current lifetime figures (from their own rollups) scored against their store's snapshot bounds:
    exact for the customer now, relative to everyone as of the snapshot."""
    values = customer_values(customer.store, report_settings(customer.store), customer_id=customer.pk)
    if not values:
        return None
    return rfm(values, current(customer.store).bounds)[0]


def customer_values_raw(store: Any, settings: ReportSettings) -> list[CustomerValue]:
    """The same from the raw orders and refunds: what the rollups are checked against (tests, bench)."""
    from storelens.commerce.models import Order, Refund

    column = DATE_FIELD[settings.date_basis]
    per = (
        Order.objects.filter(counted_orders(store, settings), customer__isnull=False)
        .values("customer_id")
        .annotate(
            orders=Count("pk"),
            net=Sum(F("total_minor") - F("total_tax_minor") - F("shipping_total_minor")),
            first_at=Min(column),
            last_at=Max(column),
            currency=Max("currency"),
        )
    )
    refunds = dict(
        Refund.objects.filter(counted_orders(store, settings, "order__"), deleted_at__isnull=True)
        .values("order__customer_id")
        .annotate(net=Sum(F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor")))
        .values_list("order__customer_id", "net")
    )
    out = []
    for row in per.values_list("customer_id", "orders", "net", "first_at", "last_at", "currency").iterator(2000):
        customer_id, orders, net, first_at, last_at, currency = row
        out.append(
            CustomerValue(
                customer_id=customer_id,
                store_id=store.pk,
                name="",
                email="",
                currency=currency,
                orders=orders,
                net_minor=int(net or 0) - int(refunds.get(customer_id) or 0),
                first_at=first_at,
                last_at=last_at,
            )
        )
    return out


def with_people(values: list[CustomerValue]) -> list[CustomerValue]:
    """Fill names and e-mails, for the customers about to be shown (a page of them, not the whole store)."""
    from storelens.commerce.models import Customer

    people = {
        c.pk: c
        for c in Customer.objects.filter(pk__in=[v.customer_id for v in values]).only(
            "pk", "first_name", "last_name", "email"
        )
    }
    for v in values:
        person = people.get(v.customer_id)
        if person is not None:
            v.email = person.email
            v.name = f"{person.first_name} {person.last_name}".strip() or person.email or "Guest"
        else:
            v.name = v.name or "Guest"
    return values


def standing_value(row: CustomerStanding | dict[str, Any]) -> CustomerValue:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return CustomerValue(
        customer_id=get("customer_id"),
        store_id=get("store_id"),
        name="",
        email="",
        currency=get("currency"),
        orders=get("orders"),
        net_minor=get("net_minor"),
        first_at=get("first_at"),
        last_at=get("last_at"),
        r=get("r"),
        f=get("f"),
        m=get("m"),
        segment=get("segment"),
    )


def ranked_standings(stores: Iterable[Any], segment: str = "") -> Any:
    """Every customer of these stores, highest lifetime net first (ties by customer id), through the rank index."""
    qs = CustomerStanding.objects.filter(store__in=list(stores))
    if segment:
        qs = qs.filter(segment=segment)
    return qs.order_by("-net_minor", "customer_id")
