"""Metric definitions: the only place that says what a number on a Storelens page means.

Defaults follow WooCommerce Analytics (measured on WooCommerce 9.9 and checked against the real store's dataset in
`tests/analytics/test_real_store.py`), so an owner sees the numbers their wp-admin shows:

- An order is *counted* when its status is not excluded (the store's setting, default pending, failed, cancelled;
  checkout-draft, trash and auto-draft always), it was not deleted from the store, and it has a date on the chosen
  basis (created, paid or completed; an unpaid order has no paid date, so it is absent on the paid basis).
- An order falls on the store-local day of that date's `_gmt` value (see `timezones`).
- A refund falls on its own creation day, and counts only when its order is counted (whatever day the order fell on).
- Ranges are whole local days, both ends included.

Everything here is pure: rows in, integer minor units out. Rollups (`rollups.py`) store exactly the per-row
contributions computed here, so a rollup answer and a raw answer cannot drift apart by definition, only by bookkeeping
(which the property test in `tests/analytics/test_rollups_property.py` checks).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, tzinfo
from enum import StrEnum

from storelens.analytics.money import divide_minor
from storelens.analytics.timezones import local_day

ALWAYS_EXCLUDED: frozenset[str] = frozenset({"checkout-draft", "trash", "auto-draft"})
"""Statuses WooCommerce Analytics never counts, whatever the store's excluded-statuses setting says."""

DEFAULT_EXCLUDED: tuple[str, ...] = ("pending", "failed", "cancelled")
"""WooCommerce's default `woocommerce_excluded_report_order_statuses`."""


class DateBasis(StrEnum):
    CREATED = "created"
    PAID = "paid"
    COMPLETED = "completed"


@dataclass(frozen=True)
class OrderRow:
    """The fields of an order that metrics read (money in minor units of `currency`, dates aware UTC)."""

    id: int
    status: str
    currency: str
    created_at: datetime | None
    paid_at: datetime | None = None
    completed_at: datetime | None = None
    total: int = 0
    total_tax: int = 0
    shipping_total: int = 0
    discount_total: int = 0
    fee_total: int = 0
    subtotal: int = 0
    items_count: int = 0
    customer_key: str = ""
    deleted: bool = False


@dataclass(frozen=True)
class RefundRow:
    """A refund as metrics read it: amounts positive, as the refund object gives them.

    `refunded_tax` is all tax the refund gives back (line, shipping and fee tax); `refunded_shipping` excludes tax.
    """

    id: int
    order_id: int
    created_at: datetime | None
    amount: int = 0
    refunded_tax: int = 0
    refunded_shipping: int = 0
    refunded_fees: int = 0
    items: int = 0  # Σ refund line quantities, negative as WooCommerce gives them (0 for an amount-only refund)
    deleted: bool = False


@dataclass(frozen=True)
class ReportSettings:
    """How a store's numbers are cut: the date basis, the excluded statuses and the store's zone."""

    tz: tzinfo
    date_basis: DateBasis = DateBasis.PAID
    excluded_statuses: frozenset[str] = frozenset(DEFAULT_EXCLUDED)

    @property
    def all_excluded(self) -> frozenset[str]:
        return frozenset(self.excluded_statuses) | ALWAYS_EXCLUDED


@dataclass
class Totals:
    """Summable per-day contribution of orders and refunds; every field in minor units except the counts.

    The identity `total_sales == net_sales + taxes + shipping` holds for every order and refund, so it holds for
    every sum.
    """

    orders: int = 0
    total_sales: int = 0
    net_sales: int = 0
    gross_sales: int = 0
    coupons: int = 0
    taxes: int = 0
    shipping: int = 0
    fees: int = 0
    refunds: int = 0
    items_sold: int = 0

    # The rollup listener adds tens of thousands of these per import: `dataclasses.fields()` on each call was a
    # third of its time, so the names are computed once (below the class).
    def add(self, other: Totals) -> Totals:
        for name in _TOTALS_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def negated(self) -> Totals:
        return Totals(**{name: -getattr(self, name) for name in _TOTALS_NAMES})

    def is_zero(self) -> bool:
        return all(getattr(self, name) == 0 for name in _TOTALS_NAMES)

    @classmethod
    def names(cls) -> list[str]:
        return list(_TOTALS_NAMES)


_TOTALS_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Totals))


@dataclass(frozen=True)
class Contribution:
    """What one order or refund adds to one (local day, currency, order status) cell."""

    day: date
    currency: str
    status: str
    totals: Totals = field(default_factory=Totals)


# --- per order ---------------------------------------------------------------------------------------------------


def order_date(order: OrderRow, basis: DateBasis) -> datetime | None:
    """The order's date on the basis: `date_created_gmt`, `date_paid_gmt` or `date_completed_gmt` (None when unset)."""
    basis = DateBasis(basis)
    if basis is DateBasis.CREATED:
        return order.created_at
    return order.paid_at if basis is DateBasis.PAID else order.completed_at


def order_has_basis_date(order: OrderRow, basis: DateBasis) -> bool:
    """Whether the order can be counted at all on this basis (before status is considered)."""
    return not order.deleted and order.status not in ALWAYS_EXCLUDED and order_date(order, basis) is not None


def is_counted(order: OrderRow, settings: ReportSettings) -> bool:
    """Counted: not deleted, status outside the excluded set (plus the always-excluded), a date on the basis."""
    return order_has_basis_date(order, settings.date_basis) and order.status not in settings.all_excluded


def order_day(order: OrderRow, basis: DateBasis, tz: tzinfo) -> date | None:
    """The store-local day of the order's date on the basis."""
    when = order_date(order, basis)
    return None if when is None else local_day(when, tz)


def order_total_sales(order: OrderRow) -> int:
    """total_sales of an order = its `total` (tax, shipping and fees included, coupons already deducted)."""
    return order.total


def order_net_sales(order: OrderRow) -> int:
    """net of an order = `total − total_tax − shipping_total` (fees stay in, as in WooCommerce's `net_total`)."""
    return order.total - order.total_tax - order.shipping_total


def order_gross_sales(order: OrderRow) -> int:
    """gross of an order = Σ line-item `subtotal` (before coupons, excluding tax)."""
    return order.subtotal


def order_coupons(order: OrderRow) -> int:
    """coupons of an order = `discount_total` (excluding discount tax)."""
    return order.discount_total


def order_taxes(order: OrderRow) -> int:
    """taxes of an order = `total_tax` (line, shipping and fee tax)."""
    return order.total_tax


def order_shipping(order: OrderRow) -> int:
    """shipping of an order = `shipping_total` (excluding shipping tax)."""
    return order.shipping_total


def order_fees(order: OrderRow) -> int:
    """fees of an order = Σ fee-line totals (may be negative)."""
    return order.fee_total


def order_totals(order: OrderRow) -> Totals:
    """Everything one counted order adds to its day."""
    return Totals(
        orders=1,
        total_sales=order_total_sales(order),
        net_sales=order_net_sales(order),
        gross_sales=order_gross_sales(order),
        coupons=order_coupons(order),
        taxes=order_taxes(order),
        shipping=order_shipping(order),
        fees=order_fees(order),
        items_sold=order.items_count,
    )


# --- per refund --------------------------------------------------------------------------------------------------


def refund_amount(refund: RefundRow) -> int:
    """refunds of a refund = its `amount` (positive; tax, shipping and fees included)."""
    return refund.amount


def refund_net_sales(refund: RefundRow) -> int:
    """net of a refund = −(amount − refunded tax − refunded shipping), on the refund's own date."""
    return -(refund.amount - refund.refunded_tax - refund.refunded_shipping)


def refund_totals(refund: RefundRow) -> Totals:
    """Everything one refund of a counted order adds to the refund's day: negative sales, positive refunds.

    Gross sales and coupons are not touched: they describe what was sold, and refunds are reported as their own
    figure. Items sold does go down by the refunded quantities, as in WooCommerce Analytics, whose refund rows in
    `wc_order_stats` carry `num_items_sold` = Σ refund line quantities (negative) on the refund's date.
    """
    return Totals(
        orders=0,
        total_sales=-refund.amount,
        net_sales=refund_net_sales(refund),
        taxes=-refund.refunded_tax,
        shipping=-refund.refunded_shipping,
        fees=-refund.refunded_fees,
        refunds=refund_amount(refund),
        items_sold=refund.items,
    )


# --- contributions (what rollups store) --------------------------------------------------------------------------


def order_contribution(order: OrderRow, basis: DateBasis, tz: tzinfo) -> Contribution | None:
    """The order's cell on this basis, or None when it can never be counted (no date, deleted, always-excluded).

    The status stays in the cell so the owner's excluded statuses apply at query time without rebuilding.
    """
    if not order_has_basis_date(order, basis):
        return None
    day = order_day(order, basis, tz)
    assert day is not None
    return Contribution(day=day, currency=order.currency, status=order.status, totals=order_totals(order))


def refund_contribution(refund: RefundRow, order: OrderRow | None, basis: DateBasis, tz: tzinfo) -> Contribution | None:
    """The refund's cell: its own day, its order's currency and status; None while its order is unknown or
    uncountable."""
    if refund.deleted or refund.created_at is None or order is None or not order_has_basis_date(order, basis):
        return None
    return Contribution(
        day=local_day(refund.created_at, tz), currency=order.currency, status=order.status, totals=refund_totals(refund)
    )


def contributions(
    orders: Iterable[OrderRow], refunds: Iterable[RefundRow], basis: DateBasis, tz: tzinfo
) -> Iterator[Contribution]:
    by_id = {o.id: o for o in orders}
    for order in by_id.values():
        c = order_contribution(order, basis, tz)
        if c is not None:
            yield c
    for refund in refunds:
        c = refund_contribution(refund, by_id.get(refund.order_id), basis, tz)
        if c is not None:
            yield c


def range_totals(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> Totals:
    """Σ of counted contributions with first ≤ day ≤ last (and the currency, when given)."""
    out = Totals()
    for c in contributions(orders, refunds, settings.date_basis, settings.tz):
        if first <= c.day <= last and c.status not in settings.all_excluded and currency in (None, c.currency):
            out.add(c.totals)
    return out


# --- range metrics -----------------------------------------------------------------------------------------------
# Each takes the same arguments; `currency=None` adds every currency's minor units together, which is what
# WooCommerce Analytics does (it sums a EUR order into a USD store unconverted). Pages pass a currency.


def orders_count(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """orders(range) = number of counted orders whose basis date falls in the range."""
    return range_totals(orders, refunds, settings, first, last, currency).orders


def net_sales(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """net_sales(range) = Σ net of counted orders dated in range + Σ net of refunds dated in range whose order is
    counted (refund net is negative)."""
    return range_totals(orders, refunds, settings, first, last, currency).net_sales


def total_sales(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """total_sales(range) = Σ `total` of counted orders in range − Σ `amount` of their refunds dated in range."""
    return range_totals(orders, refunds, settings, first, last, currency).total_sales


def gross_sales(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """gross_sales(range) = Σ line-item subtotals of counted orders in range (refunds do not reduce it)."""
    return range_totals(orders, refunds, settings, first, last, currency).gross_sales


def coupons(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """coupons(range) = Σ `discount_total` of counted orders in range."""
    return range_totals(orders, refunds, settings, first, last, currency).coupons


def refunds_total(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """refunds(range) = Σ `amount` of refunds created in range whose order is counted (positive)."""
    return range_totals(orders, refunds, settings, first, last, currency).refunds


def taxes(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """taxes(range) = Σ `total_tax` of counted orders in range − Σ tax given back by their refunds in range."""
    return range_totals(orders, refunds, settings, first, last, currency).taxes


def shipping(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """shipping(range) = Σ `shipping_total` of counted orders in range − Σ shipping refunded in range (tax excl.)."""
    return range_totals(orders, refunds, settings, first, last, currency).shipping


def items_sold(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """items_sold(range) = Σ line quantities of counted orders in range + Σ (negative) line quantities of refunds in
    range whose order is counted, as WooCommerce Analytics sums `num_items_sold` over orders and refunds."""
    return range_totals(orders, refunds, settings, first, last, currency).items_sold


def aov(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """aov(range) = net_sales(range) ÷ orders(range), rounded half-up to the minor unit; 0 when no orders."""
    t = range_totals(orders, refunds, settings, first, last, currency)
    return average_order_value(t)


def average_order_value(totals: Totals) -> int:
    """AOV from already-summed totals (rollups use this too)."""
    return divide_minor(totals.net_sales, totals.orders)


def first_counted_days(orders: Iterable[OrderRow], settings: ReportSettings) -> dict[str, date]:
    """Each customer's first counted order day ever (guests by lowercased email, registered by id: the identity key)."""
    first: dict[str, date] = {}
    for order in orders:
        if not order.customer_key or not is_counted(order, settings):
            continue
        day = order_day(order, settings.date_basis, settings.tz)
        assert day is not None
        if order.customer_key not in first or day < first[order.customer_key]:
            first[order.customer_key] = day
    return first


def new_customers(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """new_customers(range) = customers whose first counted order ever falls in the range.

    "Ever" is over all of the store's counted orders, whatever their currency: a customer is new once.
    """
    orders = list(orders)
    del refunds  # customers are counted from orders only
    firsts = first_counted_days(orders, settings)
    active = _customers_in_range(orders, settings, first, last, currency)
    return sum(1 for key in active if first <= firsts[key] <= last)


def returning_customers(
    orders: Iterable[OrderRow],
    refunds: Iterable[RefundRow],
    settings: ReportSettings,
    first: date,
    last: date,
    currency: str | None = None,
) -> int:
    """returning_customers(range) = customers with a counted order in the range whose first counted order is earlier."""
    orders = list(orders)
    del refunds  # customers are counted from orders only
    firsts = first_counted_days(orders, settings)
    active = _customers_in_range(orders, settings, first, last, currency)
    return sum(1 for key in active if firsts[key] < first)


def _customers_in_range(
    orders: list[OrderRow], settings: ReportSettings, first: date, last: date, currency: str | None
) -> set[str]:
    keys = set()
    for order in orders:
        if order.customer_key and is_counted(order, settings) and currency in (None, order.currency):
            day = order_day(order, settings.date_basis, settings.tz)
            if day is not None and first <= day <= last:
                keys.add(order.customer_key)
    return keys
