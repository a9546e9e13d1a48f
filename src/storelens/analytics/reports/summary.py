"""One report over stores and a date range: what `storelens report`, the API summary and the pages' KPI tiles show.

Totals come from the rollups. New and returning customers depend on each customer's first counted order ever, which
no daily cell can hold: they come from `customer_counts.new_and_returning` (read from the store's customer standings
when those can answer exactly, else from the orders), so the CLI, the API summary and every page count them the same
way.

Currency: with a target currency, each (store, day, currency) cell is converted at that day's ECB rate (see `fx`);
an amount is never converted with a guessed rate: an unknown one raises `fx.UnknownRate`. Without one, a single
store's amounts are added up in the store's currency the way WooCommerce Analytics does (a EUR order in a USD store is
added at face value), and `unconverted` lists what was added that way so callers can say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from storelens.analytics.metrics.ranges import average_order_value
from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.metrics.types import Totals
from storelens.analytics.reports.cells import cells, sums, totals_of
from storelens.analytics.reports.customer_counts import new_and_returning
from storelens.analytics.reports.fx import Rates
from storelens.commerce.money import decimal_string, divide_minor, exponent_of

MONEY_FIELDS = ("total_sales", "net_sales", "gross_sales", "coupons", "taxes", "shipping", "fees", "refunds")


class ReportError(ValueError):
    """The report cannot be made as asked; the message says what to pass instead."""


@dataclass
class Report:
    currency: str
    first: date
    last: date
    timezone: str
    totals: Totals = field(default_factory=Totals)
    new_customers: int = 0
    returning_customers: int = 0
    unconverted: dict[str, int] = field(default_factory=dict)  # currency → orders added at face value
    daily: dict[date, Totals] = field(default_factory=dict)

    @property
    def aov(self) -> int:
        return average_order_value(self.totals)

    def as_json(self) -> dict[str, Any]:
        """The keys `storelens report --json` prints; money as decimal strings with the currency's decimals."""
        t, c = self.totals, self.currency
        return {
            "orders": t.orders,
            "net_sales": decimal_string(t.net_sales, c),
            "total_sales": decimal_string(t.total_sales, c),
            "gross_sales": decimal_string(t.gross_sales, c),
            "coupons": decimal_string(t.coupons, c),
            "refunds": decimal_string(t.refunds, c),
            "taxes": decimal_string(t.taxes, c),
            "shipping": decimal_string(t.shipping, c),
            "aov": decimal_string(self.aov, c),
            "items_sold": t.items_sold,
            "new_customers": self.new_customers,
            "returning_customers": self.returning_customers,
            "currency": c,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "timezone": self.timezone,
        }


def timezone_label(store: Any) -> str:
    if store.timezone_string:
        return store.timezone_string
    offset = Decimal(str(store.gmt_offset or 0))
    if offset == 0:
        return "UTC"
    hours, minutes = divmod(abs(int(offset * 60)), 60)
    return f"UTC{'+' if offset > 0 else '-'}{hours}:{minutes:02d}"


def rescale(minor: int, from_currency: str, to_currency: str) -> int:
    """Face value in another currency's minor units (WooCommerce's unconverted addition); exact when widening."""
    shift = exponent_of(to_currency) - exponent_of(from_currency)
    if shift >= 0:
        return minor * 10**shift
    return divide_minor(minor, 10**-shift)


def resolve_currency(stores: Sequence[Any], currency: str | None) -> str:
    """The currency a report over these stores is in: the one asked for, or the stores' common currency."""
    if currency:
        return currency.upper()
    store_currencies = sorted({(s.currency or "").upper() for s in stores})
    if len(store_currencies) != 1 or not store_currencies[0]:
        raise ReportError(
            f"These stores sell in {', '.join(c or '(unknown)' for c in store_currencies)}: pass --currency CODE "
            "to convert everything into one currency at ECB rates."
        )
    return store_currencies[0]


def daily_in(
    report: Report,
    stores: Sequence[Any],
    convert: bool,
    date_basis: str | None,
    excluded: list[str] | None,
    rates: Rates,
    statuses: Sequence[str] | None = None,
) -> dict[date, Totals]:
    """Per local day, every store's cells brought into the report's currency (converted at the day's ECB rate, or at
    face value in WooCommerce-parity mode); adds them into `report.totals` as well. Only `statuses` when given, the
    owner's excluded ones included (`cells.by_status`: the Sales status filter's rule, whatever `excluded` says)."""
    target = report.currency
    out: dict[date, Totals] = {}
    for store in stores:
        settings = report_settings(store, date_basis, excluded)
        qs = cells(store, settings, report.first, report.last, statuses=statuses or ())
        for row in qs.values("day", "currency").annotate(**sums()).order_by("day", "currency"):
            t = totals_of(row)
            cell_currency = row["currency"]
            if cell_currency != target:
                for name in MONEY_FIELDS:
                    value = getattr(t, name)
                    if convert:
                        value = rates.convert_minor(value, cell_currency, target, row["day"])
                    else:
                        value = rescale(value, cell_currency, target)
                    setattr(t, name, value)
                if not convert:
                    report.unconverted[cell_currency] = report.unconverted.get(cell_currency, 0) + t.orders
            out.setdefault(row["day"], Totals()).add(t)
            report.totals.add(t)
    return out


def build(
    stores: Sequence[Any],
    first: date,
    last: date,
    currency: str | None = None,
    date_basis: str | None = None,
    excluded_statuses: Iterable[str] | None = None,
    rates: Rates | None = None,
    with_customers: bool = True,
) -> Report:
    """The report over stores and days; `report.daily` keeps the per-day totals for charts."""
    if not stores:
        raise ReportError("No store to report on: connect one first (storelens sources add …).")
    if first > last:
        raise ReportError(f"--from {first} is after --to {last}: the range is inclusive, from the earlier day.")
    excluded = list(excluded_statuses) if excluded_statuses is not None else None
    target = resolve_currency(stores, currency)
    labels = sorted({timezone_label(s) for s in stores})
    report = Report(currency=target, first=first, last=last, timezone=", ".join(labels))
    report.daily = daily_in(report, stores, currency is not None, date_basis, excluded, rates or Rates())
    if with_customers:
        report.new_customers, report.returning_customers = new_and_returning(stores, first, last, date_basis, excluded)
    return report
