"""The types every metric definition reads and returns: order and refund rows, totals and a row's contribution to
one day."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime


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
    country: str = ""  # billing country (ISO 3166-1 alpha-2), the Sales page's country filter
    # The breakdown reports' dimensions: payment method as shown ("" none), distinct shipping method titles, and
    # (coupon code, its discount excluding tax) per coupon used.
    payment: str = ""
    shipping: tuple[str, ...] = ()
    coupons: tuple[tuple[str, int], ...] = ()


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
    full: bool = False  # it made its order fully refunded: counted with the order's own figures (refund_totals)


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
    country: str = ""  # the order's billing country (a refund's too): only the per-country rollups key on it
    hour: int = 0  # the store-local hour of the same instant as `day`: only the hourly (heatmap) rollups key on it
    # The order the contribution is of (a refund's: its order), for rollups that split a cell by the order's own
    # dimensions (the breakdowns: payment, shipping methods, coupons). Not part of the cell's identity.
    order: OrderRow | None = field(default=None, compare=False, repr=False)
