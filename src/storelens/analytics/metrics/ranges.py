"""Range metrics: one function per number on a page, each summing counted orders and refunds over whole local days
(its definition in its docstring)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from storelens.analytics.metrics.orders import contributions, is_counted, order_day
from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.types import OrderRow, RefundRow, Totals
from storelens.commerce.money import divide_minor


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
    """gross_sales(range) = Σ line-item subtotals of counted orders in range (refunds do not reduce it); see
    `order_gross_sales` for how it differs from WooCommerce Analytics' Revenue report (fees)."""
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
    """refunds(range) = WooCommerce Analytics' Refunds figure over refunds created in range whose order is counted:
    −(net + tax + shipping) of each refund whose net is negative (a shipping-only refund adds 0; a full refund takes
    its order's figures), as `metrics.orders.refund_totals` defines it."""
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


def new_and_returning(
    orders: Iterable[OrderRow], settings: ReportSettings, first: date, last: date, currency: str | None = None
) -> tuple[int, int]:
    """(new, returning) customers of the range: those with a counted order in the range (in `currency`, when given)
    whose first counted order ever falls in the range (new) or before it (returning). Customers are counted from
    orders only, by identity key (guests by lowercased e-mail, registered by id).

    "Ever" is over all of the store's counted orders, whatever their currency: a customer is new once. The readers
    (`reports.customer_counts`) answer exactly this from the customer standings or an orders query; the property
    test checks them against it.
    """
    orders = list(orders)
    firsts = first_counted_days(orders, settings)
    active = set()
    for order in orders:
        if order.customer_key and is_counted(order, settings) and currency in (None, order.currency):
            day = order_day(order, settings.date_basis, settings.tz)
            if day is not None and first <= day <= last:
                active.add(order.customer_key)
    new = sum(1 for key in active if first <= firsts[key] <= last)
    return new, sum(1 for key in active if firsts[key] < first)
