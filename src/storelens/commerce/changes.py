"""The change feed: every order/refund write tells its listeners (old state, new state) inside the page transaction.

Analytics (issue 6) registers its rollup updater here, so rollups move in the same transaction as the rows they sum
and a crash can never leave them apart. `old` is None for an insert; `new` is None for a hard delete (the row is kept
with `deleted_at`, but it no longer counts anywhere).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class LineSummary:
    product_wc_id: int
    variation_wc_id: int
    quantity: Decimal
    subtotal_minor: int
    total_minor: int


@dataclass(frozen=True)
class OrderState:
    wc_id: int
    status: str
    currency: str
    created_at: datetime | None
    paid_at: datetime | None
    completed_at: datetime | None
    total_minor: int
    total_tax_minor: int
    shipping_total_minor: int
    shipping_tax_minor: int
    discount_total_minor: int
    fee_total_minor: int
    subtotal_minor: int
    items_count: int
    customer_key: str | None
    billing_country: str
    coupon_codes: tuple[str, ...]
    lines: tuple[LineSummary, ...]
    # The breakdown reports' dimensions (payment method, shipping methods, per-coupon discounts in minor units).
    payment_method: str = ""
    shipping_methods: tuple[str, ...] = ()
    coupon_discounts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class RefundState:
    wc_id: int
    parent_wc_id: int
    created_at: datetime | None
    currency: str
    amount_minor: int
    refunded_tax_minor: int
    refunded_shipping_minor: int
    refunded_fees_minor: int
    items_quantity: int = 0  # Σ refund line quantities (negative)
    full_refund: bool = False  # made its order fully refunded: counted with the order's figures (Refund.full_refund)
    # The refund's line items (negative quantities and amounts, as WooCommerce gives them): per-product rollups
    # take refunded units and amounts off the refunded product on the refund's date.
    lines: tuple[LineSummary, ...] = ()


@dataclass(frozen=True)
class OrderChange:
    store_id: int
    wc_id: int
    old: OrderState | None
    new: OrderState | None


@dataclass(frozen=True)
class RefundChange:
    store_id: int
    wc_id: int
    old: RefundState | None
    new: RefundState | None


Listener = Callable[[Any, list[OrderChange], list[RefundChange]], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> Listener:
    """Add a listener (idempotent; usable as a decorator): `listener(source, order_changes, refund_changes)`."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def unregister(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def emit(store: Any, order_changes: list[OrderChange], refund_changes: list[RefundChange]) -> None:
    """Called by the upserts inside their transaction; a listener's exception rolls the page back (on purpose)."""
    changes = [c for c in order_changes if c.old != c.new]
    refunds = [c for c in refund_changes if c.old != c.new]
    if not changes and not refunds:
        return
    for listener in list(_listeners):
        listener(store, changes, refunds)
