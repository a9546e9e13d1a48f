"""Cohorts (Metorik's): customers grouped by the week, month or quarter of their first counted order, and per cohort
and period since, how many still ordered, their orders, net sales and cumulative net per customer.

Read from the stores' cohort cells (`rollups.cohorts`), never from the orders: a filtered triangle is one grouped
read of a few hundred cells. Several stores add up cohort by cohort (a store's periods are its own local days).
Money follows `summary`'s rule: converted into a reporting currency at ECB rates, or a single currency added at face
value (WooCommerce's way) with what was added so listed in `unconverted`. A cell has no single day, so an amount in
another currency is converted at the rate of its period's first day (the day the column starts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Sum

from storelens.analytics.metrics.cohorts import GRAINS, nth_period_start, period_label, period_start, periods_between
from storelens.analytics.models import CohortCell
from storelens.analytics.reports.fx import Rates
from storelens.analytics.reports.summary import ReportError, rescale, resolve_currency
from storelens.analytics.rollups.cohorts import current, is_stale
from storelens.commerce.money import divide_minor


@dataclass
class Period:
    """Period k of a cohort: customers who ordered in it, their orders and net (minor units), and the cohort's net
    from period 0 through this one per customer of the cohort (what an average customer has brought so far)."""

    k: int
    customers: int = 0
    orders: int = 0
    net_minor: int = 0
    cumulative_per_customer_minor: int = 0
    retention: float = 0.0  # customers ÷ cohort size


@dataclass
class Cohort:
    start: date
    label: str
    size: int
    periods: list[Period]  # 0 … the period holding today (elapsed periods without orders hold zeros)


@dataclass
class CohortTable:
    grain: str
    currency: str
    first: date
    last: date
    cohorts: list[Cohort]
    unconverted: dict[str, int] = field(default_factory=dict)  # currency → orders added at face value
    as_of: Any = None  # the oldest snapshot read
    stale: bool = False  # customers moved since (the running sync pass refreshes the cells at its end)
    next_refresh: Any = None  # a large store's paced refresh is queued for then (`rollups.cohorts.paced_until`)

    @property
    def width(self) -> int:
        return max((len(c.periods) for c in self.cohorts), default=0)

    @property
    def customers(self) -> int:
        return sum(c.size for c in self.cohorts)


def selector(product: int | None, coupon: str) -> tuple[str, str]:
    """The (dimension, value) of the cells answering these filters (`CohortCell`)."""
    coupon = coupon.strip().lower()
    if product and coupon:
        return "both", f"{product}|{coupon}"
    if product:
        return "product", str(product)
    if coupon:
        return "coupon", coupon
    return "", ""


def cohorts(
    stores: Sequence[Any],
    grain: str,
    first: date,
    last: date,
    today: date,
    product: int | None = None,
    coupon: str = "",
    country: str = "",
    currency: str | None = None,
    rates: Rates | None = None,
) -> CohortTable:
    """The cohorts starting in `first`..`last` (the cohort holding `first` included) over `stores`, each counted
    with its store's own settings, up to the period holding `today`."""
    if grain not in GRAINS:
        raise ReportError(f"Unknown cohort size {grain!r}: choose one of {', '.join(GRAINS)}.")
    if not stores:
        raise ReportError("No store to report on: connect one first.")
    if first > last:
        raise ReportError(f"The range starts ({first}) after it ends ({last}): give the earlier day first.")
    target = resolve_currency(stores, currency)
    convert = currency is not None
    rates = rates or Rates()
    dimension, value = selector(product, coupon)
    out = CohortTable(grain=grain, currency=target, first=first, last=last, cohorts=[])
    # (cohort, period) → [customers, orders, net in the target currency]
    sums: dict[tuple[date, int], list[int]] = {}
    snapshots = []
    for store in stores:
        snapshot = current(store)
        snapshots.append(snapshot)
        if is_stale(store, snapshot):
            out.stale = True
            if snapshot.deferred_until and (out.next_refresh is None or snapshot.deferred_until > out.next_refresh):
                out.next_refresh = snapshot.deferred_until
        cells = CohortCell.objects.filter(
            store=store,
            grain=grain,
            dimension=dimension,
            value=value,
            cohort__gte=period_start(first, grain),
            cohort__lte=last,
        )
        if country:
            cells = cells.filter(country=country.upper())
        grouped = (
            cells.values_list("cohort", "period", "currency")
            .annotate(n=Sum("customers"), o=Sum("orders"), net=Sum("net_minor"))
            .order_by()
        )
        for cohort, k, cell_currency, n, o, net in grouped:
            net = int(net or 0)
            if cell_currency != target:
                if convert:
                    net = rates.convert_minor(net, cell_currency, target, nth_period_start(cohort, k, grain))
                else:
                    net = rescale(net, cell_currency, target)
                    out.unconverted[cell_currency] = out.unconverted.get(cell_currency, 0) + int(o or 0)
            cell = sums.setdefault((cohort, k), [0, 0, 0])
            cell[0] += int(n or 0)
            cell[1] += int(o or 0)
            cell[2] += net
    out.as_of = min((s.computed_at for s in snapshots), default=None)
    last_period: dict[date, int] = {}
    for cohort, k in sums:
        last_period[cohort] = max(k, last_period.get(cohort, 0))
    for start in sorted(last_period):
        size = sums.get((start, 0), [0])[0]
        elapsed = max(periods_between(start, today, grain), last_period[start])
        periods, cumulative = [], 0
        for k in range(elapsed + 1):
            n, o, net = sums.get((start, k), (0, 0, 0))
            cumulative += net
            periods.append(
                Period(
                    k=k,
                    customers=n,
                    orders=o,
                    net_minor=net,
                    cumulative_per_customer_minor=divide_minor(cumulative, size),
                    retention=n / size if size else 0.0,
                )
            )
        out.cohorts.append(Cohort(start=start, label=period_label(start, grain), size=size, periods=periods))
    return out


def filter_options(stores: Sequence[Any], limit: int = 200) -> dict[str, list[tuple[str, int]]]:
    """What the page's filters offer, each with its customers (first orders), most first: the first products (wc
    ids), first coupons and billing countries found in the stores' month cells."""
    out: dict[str, list[tuple[str, int]]] = {}
    base = CohortCell.objects.filter(store__in=list(stores), grain="month", period=0)
    for name, cells, column in (
        ("product", base.filter(dimension="product"), "value"),
        ("coupon", base.filter(dimension="coupon"), "value"),
        ("country", base.filter(dimension=""), "country"),
    ):
        rows = cells.values_list(column).annotate(n=Sum("customers")).order_by("-n", column)[:limit]
        out[name] = [(str(v), int(n)) for v, n in rows if v]
    return out
