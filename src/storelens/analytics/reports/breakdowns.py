"""Breakdown reports: a range's orders, net sales and discounts by coupon, payment method, shipping method or
billing country, and its new and returning customers week by week or month by month.

Read from rollups kept by the sync, never from the orders: coupons, payment and shipping methods from
`BreakdownDailyRollup`, countries from `CountryDailyRollup` (the Sales page's country filter). A value's row holds
every order that has it, so an order with two shipping methods (or two coupons) is in two rows; payment methods and
countries partition the orders, so their rows add up to the Sales page's totals. Money follows `summary`'s rule:
converted at each day's ECB rate into a reporting currency, or a single currency added at face value (WooCommerce's
way) with what was added so listed in `unconverted`. New and returning customers: whole weeks and months from the
cohort cells, the periods a range cuts from their own orders (`new_and_returning_over_time`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from babel import Locale
from django.db.models import Sum

from storelens.analytics.metrics.periods import bucket
from storelens.analytics.metrics.report_settings import ReportSettings, report_settings
from storelens.analytics.metrics.timezones import local_day
from storelens.analytics.models import BreakdownDailyRollup, CountryDailyRollup
from storelens.analytics.reports.customer_counts import active_customers, counts_per_period, first_counted_at
from storelens.analytics.reports.fx import Rates
from storelens.analytics.reports.period_customers import whole_period_counts
from storelens.analytics.reports.summary import ReportError, rescale, resolve_currency

DIMENSIONS: dict[str, str] = {
    "coupon": "Coupons",
    "payment": "Payment methods",
    "shipping": "Shipping methods",
    "country": "Countries",
}
"""Each breakdown's key (the API's `dimension`, the page's tab) and its heading."""

NONE_LABELS = {"coupon": "(no code)", "payment": "No payment method", "shipping": "No shipping", "country": "Unknown"}


def value_label(dimension: str, value: str) -> str:
    """How a value reads: a country's English name (its code when babel has none), a placeholder for none."""
    if not value:
        return NONE_LABELS[dimension]
    if dimension == "country":
        return Locale("en").territories.get(value.upper(), value.upper())
    return value


@dataclass
class BreakdownRow:
    value: str  # as stored ("" = none): the coupon code, payment method, shipping method or ISO country code
    label: str
    orders: int = 0
    net_sales: int = 0  # minor units of the breakdown's currency: the orders' net minus their refunds in the range
    discount: int = 0  # coupons (a coupon's row: its own discount)


@dataclass
class Breakdown:
    dimension: str
    currency: str
    first: date
    last: date
    rows: list[BreakdownRow] = field(default_factory=list)  # by net sales, then orders, largest first
    unconverted: dict[str, int] = field(default_factory=dict)  # currency → orders added at face value

    @property
    def orders(self) -> int:
        return sum(r.orders for r in self.rows)

    @property
    def net_sales(self) -> int:
        return sum(r.net_sales for r in self.rows)


def _cells(dimension: str) -> tuple[Any, str, str]:
    """(model, value column, discount column) of a dimension's cells."""
    if dimension == "country":
        return CountryDailyRollup, "country", "coupons_minor"
    return BreakdownDailyRollup, "value", "discount_minor"


def breakdown(
    stores: Sequence[Any],
    first: date,
    last: date,
    dimension: str,
    currency: str | None = None,
    date_basis: str | None = None,
    excluded_statuses: Iterable[str] | None = None,
    rates: Rates | None = None,
) -> Breakdown:
    """The range's figures per value of `dimension` over `stores`, each store with its own date basis and excluded
    statuses unless given. `currency` converts at ECB rates; without it the stores must share one.

    One query per store: cells already in the target currency are grouped by value in SQL; only cells in another
    currency are read per day, to be converted at that day's rate.
    """
    if dimension not in DIMENSIONS:
        raise ReportError(f"Unknown breakdown {dimension!r}: choose one of {', '.join(DIMENSIONS)}.")
    if not stores:
        raise ReportError("No store to report on: connect one first.")
    if first > last:
        raise ReportError(f"The range starts ({first}) after it ends ({last}): give the earlier day first.")
    target = resolve_currency(stores, currency)
    convert = currency is not None
    rates = rates or Rates()
    excluded = list(excluded_statuses) if excluded_statuses is not None else None
    model, column, discount_column = _cells(dimension)
    sums = {"n": Sum("orders"), "net": Sum("net_sales_minor"), "off": Sum(discount_column)}
    by_value: dict[str, list[int]] = {}
    unconverted: dict[str, int] = {}
    for store in stores:
        settings = report_settings(store, date_basis, excluded)
        cells = model.objects.filter(store=store, basis=settings.date_basis.value, day__gte=first, day__lte=last)
        if dimension != "country":
            cells = cells.filter(dimension=dimension)
        cells = cells.exclude(status__in=sorted(settings.all_excluded))
        for value, n, net, off in cells.filter(currency=target).values_list(column).annotate(**sums).order_by():
            _add(by_value, value, int(n or 0), int(net or 0), int(off or 0))
        other = cells.exclude(currency=target).values_list(column, "day", "currency").annotate(**sums).order_by()
        for value, day, cell_currency, n, net, off in other:
            if convert:
                net_t = rates.convert_minor(int(net or 0), cell_currency, target, day)
                off_t = rates.convert_minor(int(off or 0), cell_currency, target, day)
            else:
                net_t, off_t = (
                    rescale(int(net or 0), cell_currency, target),
                    rescale(int(off or 0), cell_currency, target),
                )
                unconverted[cell_currency] = unconverted.get(cell_currency, 0) + int(n or 0)
            _add(by_value, value, int(n or 0), net_t, off_t)
    rows = [
        BreakdownRow(value, value_label(dimension, value), *figures)
        for value, figures in by_value.items()
        if any(figures)
    ]
    rows.sort(key=lambda r: (-r.net_sales, -r.orders, r.label))
    return Breakdown(dimension, target, first, last, rows, unconverted)


def _add(by_value: dict[str, list[int]], value: str, n: int, net: int, off: int) -> None:
    cell = by_value.setdefault(value, [0, 0, 0])
    cell[0] += n
    cell[1] += net
    cell[2] += off


@dataclass(frozen=True)
class CustomerPeriod:
    first: date
    last: date
    new: int
    returning: int


GRAINS = ("week", "month")


def periods_of(first: date, last: date, grain: str) -> list[tuple[date, date]]:
    """The weeks (Monday first) or months of a range, the first and last cut to it."""
    out = []
    start = first
    while start <= last:
        following = bucket(start, grain) + (timedelta(days=7) if grain == "week" else timedelta(days=32))
        end = min(last, bucket(following, grain) - timedelta(days=1))
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


def new_and_returning_over_time(
    stores: Sequence[Any],
    first: date,
    last: date,
    grain: str = "month",
    date_basis: str | None = None,
    excluded_statuses: Iterable[str] | None = None,
) -> list[CustomerPeriod]:
    """New and returning customers per week or month of the range: for each period exactly what
    `customer_counts.new_and_returning` answers for it (the definition of `metrics.ranges.new_and_returning`), but
    every period at once.

    Whole weeks and months come from the cohort cells (`period_customers`: one grouped read, as many cells as the
    store has cohorts, periods and countries, whatever the order count) when they were computed with these settings
    and no customer moved since. The periods the range cuts (its first and last), and every period when the cells
    cannot answer, are counted from their own orders (`_from_orders`). Asking the per-period reader instead read the
    orders again for each past period.
    """
    if grain not in GRAINS:
        raise ReportError(f"Unknown period {grain!r}: choose one of {', '.join(GRAINS)}.")
    if first > last:
        raise ReportError(f"The range starts ({first}) after it ends ({last}): give the earlier day first.")
    periods = periods_of(first, last, grain)
    new, returning = [0] * len(periods), [0] * len(periods)
    excluded = list(excluded_statuses) if excluded_statuses is not None else None
    for store in stores:
        settings = report_settings(store, date_basis, excluded)
        counts = whole_period_counts(store, settings, periods, grain)
        rest = [i for i in range(len(periods)) if i not in counts]
        counts.update(zip(rest, _from_orders(store, settings, [periods[i] for i in rest]), strict=True))
        for i, (n, r) in counts.items():
            new[i] += n
            returning[i] += r
    return [CustomerPeriod(a, b, n, r) for (a, b), n, r in zip(periods, new, returning, strict=True)]


def _from_orders(store: Any, settings: ReportSettings, periods: list[tuple[date, date]]) -> list[tuple[int, int]]:
    """(new, returning) of each of these periods (ascending, not necessarily adjacent) from their own orders: when
    the store's standings were counted with these settings and are fresh, two grouped counts
    (`customer_counts.counts_per_period`: distinct active customers per period in SQL, new ones from the standings'
    `first_at`); otherwise each run of adjacent periods' counted orders read once (the customers active in each
    period), and each customer's first counted order from the orders (`customer_counts.first_counted_at`)."""
    if not periods:
        return []
    counts = counts_per_period(store, settings, periods)
    if counts is not None:
        return counts
    starts = [a for a, _ in periods]
    active: set[tuple[int, int]] = set()
    run = 0
    for i in range(1, len(periods) + 1):
        if i < len(periods) and periods[i][0] == periods[i - 1][1] + timedelta(days=1):
            continue
        for customer_id, when in active_customers(store, settings, periods[run][0], periods[i - 1][1]):
            active.add((bisect_right(starts, local_day(when, settings.tz)) - 1, customer_id))
        run = i
    firsts = first_counted_at(store, settings, {c for _, c in active})
    new, returning = [0] * len(periods), [0] * len(periods)
    for i, customer_id in active:
        if local_day(firsts[customer_id], settings.tz) >= starts[i]:
            new[i] += 1
        else:
            returning[i] += 1
    return list(zip(new, returning, strict=True))
