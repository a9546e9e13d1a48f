"""The counted-order rule and a local-day range as SQL filters (the same rule `definitions` applies in Python), the
period before a range, and per-day totals for a product or country filter.

Local days become one UTC interval (`timezones.range_bounds_utc`), so "in range" means exactly what it means for the
rollups.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from storelens.analytics.definitions import ALWAYS_EXCLUDED, DateBasis, ReportSettings
from storelens.analytics.timezones import range_bounds_utc

BASIS_FIELD = {DateBasis.CREATED: "created_at", DateBasis.PAID: "paid_at", DateBasis.COMPLETED: "completed_at"}


def counted_orders(store: Any, settings: ReportSettings, prefix: str = "") -> Q:
    """The counted-order rule as a Q on Order (or on a relation to it, with `prefix` like "order__")."""
    column = BASIS_FIELD[settings.date_basis]
    return Q(**{f"{prefix}store": store, f"{prefix}deleted_at__isnull": True, f"{prefix}{column}__isnull": False}) & ~Q(
        **{f"{prefix}status__in": sorted(settings.all_excluded)}
    )


def in_range(settings: ReportSettings, first: date, last: date, prefix: str = "") -> Q:
    column = BASIS_FIELD[settings.date_basis]
    start, end = range_bounds_utc(first, last, settings.tz)
    return Q(**{f"{prefix}{column}__gte": start, f"{prefix}{column}__lt": end})


def days_between(first: date, last: date) -> int:
    return (last - first).days + 1


def previous_period(first: date, last: date) -> tuple[date, date]:
    n = days_between(first, last)
    return first - timedelta(days=n), first - timedelta(days=1)


def filtered_daily(
    store: Any,
    settings: ReportSettings,
    first: date,
    last: date,
    product: int | None = None,
    country: str = "",
    statuses: Sequence[str] = (),
) -> dict[date, Any]:
    """Per-day totals of the orders that sold `product` or are billed to `country`, with their refunds; only
    `statuses` when given (the owner's excluded ones included, never the always-excluded ones), else the counted ones.

    A country alone is answered by the per-country rollups (`country_rollups`). With a product, this reads the
    matching raw rows and applies the same `definitions` (whole orders are counted: an order with the product counts
    with its full net), so the per-product rollup, which holds line figures, cannot answer it. Only rows that can fall
    in the range are read: the matching orders dated in it on the basis (through the date index), and the refunds
    made in it with their orders."""
    if country and not product:
        from storelens.analytics.country_rollups import country_daily

        return country_daily(store, settings, first, last, country, statuses)
    from storelens.analytics.definitions import Totals, contributions
    from storelens.analytics.rows import ORDER_FIELDS, REFUND_FIELDS, order_row_from_values, refund_row_from_values
    from storelens.commerce.models import LineItem, Order, Refund

    qs = Order.objects.filter(store=store)
    if product:
        qs = qs.filter(pk__in=LineItem.objects.filter(store=store, product_wc_id=product).values("order_id"))
    if country:
        qs = qs.filter(billing_country=country.upper())
    start, end = range_bounds_utc(first, last, settings.tz)
    made_in_range = Refund.objects.filter(store=store, created_at__gte=start, created_at__lt=end)
    parents = set(made_in_range.values_list("parent_wc_id", flat=True))
    rows = {v["wc_id"]: v for v in qs.filter(in_range(settings, first, last)).values(*ORDER_FIELDS)}
    if parents - set(rows):
        rows.update((v["wc_id"], v) for v in qs.filter(wc_id__in=parents - set(rows)).values(*ORDER_FIELDS))
    orders = [order_row_from_values(v) for v in rows.values()]
    refunds = [refund_row_from_values(v) for v in made_in_range.values(*REFUND_FIELDS) if v["parent_wc_id"] in rows]
    out: dict[date, Totals] = {}
    excluded = settings.all_excluded
    for c in contributions(orders, refunds, settings.date_basis, settings.tz):
        wanted = c.status in statuses and c.status not in ALWAYS_EXCLUDED if statuses else c.status not in excluded
        if first <= c.day <= last and wanted:
            out.setdefault(c.day, Totals()).add(c.totals)
    return out
