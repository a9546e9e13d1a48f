"""What one order or refund adds: its day on a date basis, whether it is counted, its money figures and its
contribution (what rollups store)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, tzinfo

from storelens.analytics.metrics.report_settings import ReportSettings
from storelens.analytics.metrics.timezones import local_day, local_time
from storelens.analytics.metrics.types import Contribution, OrderRow, RefundRow, Totals
from storelens.stores.reporting import ALWAYS_EXCLUDED, DateBasis

DATE_FIELD: dict[DateBasis, str] = {
    DateBasis.CREATED: "created_at",
    DateBasis.PAID: "paid_at",
    DateBasis.COMPLETED: "completed_at",
}
"""The order's date on each basis: the field of `OrderRow` and the column of `commerce.Order` (WooCommerce's
`date_created_gmt`, `date_paid_gmt`, `date_completed_gmt`), for the SQL that applies these definitions."""


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
    """gross of an order = Σ line-item `subtotal` (before coupons, excluding tax), as issue 6 defines it.

    The sum is taken over the exact line subtotals the store gave at dp=4 (`LineItem.subtotal_e4`) and rounded once
    per order (`Order.subtotal_minor`), so tax-inclusive stores no longer drift by a cent per line. Known difference
    with WooCommerce Analytics' Revenue report: its `gross_sales` (Admin/API/Reports/Orders/Stats/DataStore.php:
    `SUM(total_sales) + SUM(discount_amount) − SUM(tax_total) − SUM(shipping_total)`) is net + coupons, which also
    includes fees; the two agree on orders without fees.
    """
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


def refund_totals(refund: RefundRow, order: OrderRow | None = None) -> Totals:
    """Everything one refund of a counted order adds to the refund's day: negative sales, positive refunds.

    Gross sales and coupons are not touched: they describe what was sold, and refunds are reported as their own
    figure. Items sold does go down by the refunded quantities, as in WooCommerce Analytics, whose refund rows in
    `wc_order_stats` carry `num_items_sold` = Σ refund line quantities (negative) on the refund's date.

    The refund that made its order fully refunded (`refund.full`) counts as WooCommerce 11 Analytics counts it: the
    order's net sales, taxes, shipping and items taken back whole, whatever its own lines say (an amount-only refund
    of everything is thus split into net, tax and shipping; the last refund after partial ones takes the whole order
    again, as WooCommerce's own figures do). Its total sales stay −amount.

    `refunds` is WooCommerce Analytics' own Refunds figure: −(net + tax + shipping) of the refund's row, counted only
    when that net is negative (Orders/Stats/DataStore.php: `SUM(CASE WHEN net_total < 0 …)`), so a refund of
    shipping alone (net 0) adds nothing to it, and a full refund adds its order's total.
    """
    if refund.full and order is not None:
        net, tax, shipping, items = -order_net_sales(order), -order.total_tax, -order.shipping_total, -order.items_count
    else:
        net, tax, shipping, items = (
            refund_net_sales(refund),
            -refund.refunded_tax,
            -refund.refunded_shipping,
            refund.items,
        )
    return Totals(
        orders=0,
        total_sales=-refund.amount,
        net_sales=net,
        taxes=tax,
        shipping=shipping,
        fees=-refund.refunded_fees,
        refunds=-(net + tax + shipping) if net < 0 else 0,
        items_sold=items,
    )


# --- contributions (what rollups store) --------------------------------------------------------------------------


def order_contribution(order: OrderRow, basis: DateBasis, tz: tzinfo) -> Contribution | None:
    """The order's cell on this basis, or None when it can never be counted (no date, deleted, always-excluded).

    The status stays in the cell so the owner's excluded statuses apply at query time without rebuilding.
    """
    if not order_has_basis_date(order, basis):
        return None
    when = order_date(order, basis)
    assert when is not None
    local = local_time(when, tz)
    return Contribution(
        day=local.date(),
        currency=order.currency,
        status=order.status,
        totals=order_totals(order),
        country=order.country,
        hour=local.hour,
        order=order,
    )


def refund_contribution(refund: RefundRow, order: OrderRow | None, basis: DateBasis, tz: tzinfo) -> Contribution | None:
    """The refund's cell: its own day, its order's currency and status; None while its order is unknown or
    uncountable."""
    if refund.deleted or refund.created_at is None or order is None or not order_has_basis_date(order, basis):
        return None
    local = local_time(refund.created_at, tz)
    return Contribution(
        day=local.date(),
        currency=order.currency,
        status=order.status,
        totals=refund_totals(refund, order),
        country=order.country,
        hour=local.hour,
        order=order,
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
