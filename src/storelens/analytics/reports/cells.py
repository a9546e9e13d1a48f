"""Answers from the daily and per-country rollup cells: a range's totals, per day or per currency, and the Sales
page's per-day totals under a country or product filter.

Every sum is a SQL SUM over integer columns. Excluded statuses and the date basis come from `ReportSettings`; the
range is whole store-local days, inclusive (rollup days are already local).

The status filter rule (`by_status`, `status_shown`), decided here for every reader of a status filter: the Sales
page with and without a country or product filter, and the orders list's comparison net. Without a filter, the
counted statuses (the owner's excluded ones left out). With one, exactly the statuses asked for, the owner's excluded
ones included, never the always-excluded ones (drafts, trash). Why: an owner who picks "cancelled" asks to see the
cancelled orders, and a 0 would read as "none were cancelled"; WooCommerce Analytics does the same (its
`get_status_subquery` applies the excluded statuses only when no status is asked for), so figures stay comparable with
the store's own reports. The unfiltered figures never change, the cells keep every status so each answer is exact from
them, and the pages say in words when a status asked for is one the owner's figures leave out (`asked_but_excluded`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum

from storelens.analytics.metrics.orders import contributions
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.timezones import range_bounds_utc
from storelens.analytics.metrics.types import Totals
from storelens.analytics.models import TOTALS_COLUMNS, CountryDailyRollup, DailyRollup
from storelens.analytics.reports.counted import in_range
from storelens.analytics.rollups.rows import ORDER_FIELDS, REFUND_FIELDS, order_row_from_values, refund_row_from_values
from storelens.stores.reporting import ALWAYS_EXCLUDED


def by_status(qs: QuerySet, settings: ReportSettings, statuses: Sequence[str] = ()) -> QuerySet:
    """Cells (or rows with a `status`) of the statuses asked for, else of the counted ones (the rule: module doc)."""
    if statuses:
        return qs.filter(status__in=sorted(set(statuses) - ALWAYS_EXCLUDED))
    return qs.exclude(status__in=sorted(settings.all_excluded))


def status_shown(status: str, settings: ReportSettings, statuses: Sequence[str] = ()) -> bool:
    """`by_status` for one order's status, for the readers that add raw rows up in Python."""
    return status in statuses and status not in ALWAYS_EXCLUDED if statuses else status not in settings.all_excluded


def asked_but_excluded(stores: Sequence[Any], statuses: Sequence[str]) -> list[tuple[str, list[Any]]]:
    """The statuses asked for that a store's figures leave out, each with those stores: shown anyway, and the page
    says so, lest an owner take them for part of the figures."""
    from storelens.analytics.metrics.report_settings import report_settings

    excluded = [(store, report_settings(store).excluded_statuses) for store in stores]
    out = []
    for status in dict.fromkeys(statuses):
        which = [store for store, leaves_out in excluded if status in leaves_out and status not in ALWAYS_EXCLUDED]
        if which:
            out.append((status, which))
    return out


def cells(
    store: Any,
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
    statuses: Sequence[str] = (),
) -> QuerySet:
    """The store's daily cells of the days, on the settings' basis, of the counted statuses or of `statuses`."""
    qs = DailyRollup.objects.filter(store=store, basis=settings.date_basis.value, day__gte=first, day__lte=last)
    qs = by_status(qs, settings, statuses)
    if currency:
        qs = qs.filter(currency=currency)
    return qs


def sums() -> dict[str, Sum]:
    """`Totals` field → SUM of its column, for `.aggregate(**sums())` or `.annotate(**sums())` over cells."""
    return {name: Sum(column) for name, column in TOTALS_COLUMNS.items()}


def totals_of(row: dict[str, Any]) -> Totals:
    """The `Totals` of one row of `sums()` (a SUM over no cell is NULL: zero)."""
    return Totals(**{name: int(row.get(name) or 0) for name in Totals.names()})


def totals(store: Any, settings: ReportSettings, first: date, last: date, currency: str | None = None) -> Totals:
    """The range's totals for one store (all currencies added unconverted when `currency` is None, like WooCommerce)."""
    return totals_of(cells(store, settings, first, last, currency).aggregate(**sums()))


def daily(
    store: Any, settings: ReportSettings, first: date, last: date, currency: str | None = None
) -> dict[date, Totals]:
    """Totals per local day with activity (days without any order or refund are absent)."""
    rows = cells(store, settings, first, last, currency).values("day").annotate(**sums()).order_by("day")
    return {row["day"]: totals_of(row) for row in rows}


def currencies(store: Any, settings: ReportSettings, first: date, last: date) -> dict[str, Totals]:
    """Totals per currency: what a page shows for a store that sells in several."""
    rows = cells(store, settings, first, last).values("currency").annotate(**sums()).order_by("currency")
    return {row["currency"]: totals_of(row) for row in rows}


def country_daily(
    store: Any, settings: ReportSettings, first: date, last: date, country: str, statuses: Sequence[str] = ()
) -> dict[date, Totals]:
    """Per local day, the totals of the counted orders billed to `country` and of their refunds (or of `statuses`:
    `by_status`). The same days and numbers `filtered_daily` computes from raw rows."""
    qs = CountryDailyRollup.objects.filter(
        store=store,
        basis=settings.date_basis.value,
        country=country.upper(),
        day__gte=first,
        day__lte=last,
    )
    rows = by_status(qs, settings, statuses).values("day").annotate(**sums()).order_by("day")
    return {row["day"]: totals_of(row) for row in rows}


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
    `statuses` when given, else the counted ones (`by_status`).

    A country alone is answered by the per-country rollups (`country_daily`). With a product, this reads the
    matching raw rows and applies the same definitions (`metrics.orders`: whole orders are counted, an order with the
    product counts with its full net), so the per-product rollup, which holds line figures, cannot answer it. Only
    rows that can fall in the range are read: the matching orders dated in it on the basis (through the date index),
    and the refunds made in it with their orders."""
    if country and not product:
        return country_daily(store, settings, first, last, country, statuses)
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
    for c in contributions(orders, refunds, settings.date_basis, settings.tz):
        if first <= c.day <= last and status_shown(c.status, settings, statuses):
            out.setdefault(c.day, Totals()).add(c.totals)
    return out
