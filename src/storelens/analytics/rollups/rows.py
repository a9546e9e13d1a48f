"""Adapters from what the sync stores (models, change-feed states) to the rows `metrics` reads.

Kept apart from the definitions so those stay pure and testable without a database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storelens.analytics.metrics.types import OrderRow, RefundRow
from storelens.commerce.orders import payment_label

if TYPE_CHECKING:
    from storelens.commerce.changes import OrderState, RefundState


def order_row_from_state(state: OrderState) -> OrderRow:
    return OrderRow(
        id=state.wc_id,
        status=state.status,
        currency=state.currency,
        created_at=state.created_at,
        paid_at=state.paid_at,
        completed_at=state.completed_at,
        total=state.total_minor,
        total_tax=state.total_tax_minor,
        shipping_total=state.shipping_total_minor,
        discount_total=state.discount_total_minor,
        fee_total=state.fee_total_minor,
        subtotal=state.subtotal_minor,
        items_count=state.items_count,
        customer_key=state.customer_key or "",
        country=state.billing_country,
        payment=state.payment_method,
        shipping=state.shipping_methods,
        coupons=state.coupon_discounts,
    )


def refund_row_from_state(state: RefundState) -> RefundRow:
    return RefundRow(
        id=state.wc_id,
        order_id=state.parent_wc_id,
        created_at=state.created_at,
        amount=state.amount_minor,
        refunded_tax=state.refunded_tax_minor,
        refunded_shipping=state.refunded_shipping_minor,
        refunded_fees=state.refunded_fees_minor,
        items=state.items_quantity,
        full=state.full_refund,
    )


ORDER_FIELDS = (
    "wc_id",
    "status",
    "currency",
    "created_at",
    "paid_at",
    "completed_at",
    "total_minor",
    "total_tax_minor",
    "shipping_total_minor",
    "discount_total_minor",
    "fee_total_minor",
    "subtotal_minor",
    "items_count",
    "customer__key",
    "billing_email",
    "billing_country",
    "payment_method",
    "payment_method_title",
    "shipping_methods",
    "coupon_discounts",
    "deleted_at",
)
REFUND_FIELDS = (
    "wc_id",
    "parent_wc_id",
    "created_at",
    "amount_minor",
    "refunded_tax_minor",
    "refunded_shipping_minor",
    "refunded_fees_minor",
    "items_quantity",
    "full_refund",
    "deleted_at",
)


def order_row_from_values(v: dict[str, Any]) -> OrderRow:
    """From `Order.objects.values(*ORDER_FIELDS)`: cheap enough to stream a whole store for raw checks."""
    key = v["customer__key"] or ""  # the sync resolves every order with an e-mail or account to an identity
    return OrderRow(
        id=v["wc_id"],
        status=v["status"],
        currency=v["currency"],
        created_at=v["created_at"],
        paid_at=v["paid_at"],
        completed_at=v["completed_at"],
        total=v["total_minor"],
        total_tax=v["total_tax_minor"],
        shipping_total=v["shipping_total_minor"],
        discount_total=v["discount_total_minor"],
        fee_total=v["fee_total_minor"],
        subtotal=v["subtotal_minor"],
        items_count=v["items_count"],
        customer_key=key,
        deleted=v["deleted_at"] is not None,
        country=v["billing_country"],
        payment=payment_label(v["payment_method_title"], v["payment_method"]),
        shipping=tuple(v["shipping_methods"] or ()),
        coupons=tuple((code, int(minor)) for code, minor in v["coupon_discounts"] or ()),
    )


def refund_row_from_values(v: dict[str, Any]) -> RefundRow:
    return RefundRow(
        id=v["wc_id"],
        order_id=v["parent_wc_id"],
        created_at=v["created_at"],
        amount=v["amount_minor"],
        refunded_tax=v["refunded_tax_minor"],
        refunded_shipping=v["refunded_shipping_minor"],
        refunded_fees=v["refunded_fees_minor"],
        items=v["items_quantity"],
        deleted=v["deleted_at"] is not None,
        full=v.get("full_refund", False),
    )


def raw_rows(store: Any) -> tuple[list[OrderRow], list[RefundRow]]:
    """Every order and refund of a source as rows: the raw side of every rollup check, and drill-down."""
    from storelens.commerce.models import Order, Refund

    orders = [order_row_from_values(v) for v in Order.objects.filter(store=store).values(*ORDER_FIELDS)]
    refunds = [refund_row_from_values(v) for v in Refund.objects.filter(store=store).values(*REFUND_FIELDS)]
    return orders, refunds
