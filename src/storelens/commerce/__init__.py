"""The exact copy of each store: orders, line items, refunds, customers, products, variations, coupons, subscriptions.

This package's public face is here: the sync writes through these upserts (idempotent, keyed by (store, WooCommerce
id), in bulk, each emitting the change feed `commerce.changes` that the rollups listen to), tests seed through them.
Writing the same payload twice changes nothing and emits no change. Models live in `commerce.models`, money in
`commerce.money`, the change feed's types in `commerce.changes`.

Django imports this package before its models are ready, so the names below load their module on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import (
        mark_missing_deleted,
        upsert_coupons,
        upsert_products,
        upsert_subscriptions,
        upsert_variations,
    )
    from .customers import Identity, mark_customers_deleted, merge_guests_into_registered, upsert_customers
    from .orders import ORDER_FIELDS, OrderUpsertResult, current_order_states, mark_orders_deleted, upsert_orders
    from .payloads import email_key, wc_key
    from .refunds import REFUND_FIELDS, mark_refunds_deleted, upsert_refunds

_HOME = {
    "mark_missing_deleted": "catalogue",
    "upsert_coupons": "catalogue",
    "upsert_products": "catalogue",
    "upsert_subscriptions": "catalogue",
    "upsert_variations": "catalogue",
    "Identity": "customers",
    "mark_customers_deleted": "customers",
    "merge_guests_into_registered": "customers",
    "upsert_customers": "customers",
    "ORDER_FIELDS": "orders",
    "OrderUpsertResult": "orders",
    "current_order_states": "orders",
    "mark_orders_deleted": "orders",
    "upsert_orders": "orders",
    "email_key": "payloads",
    "wc_key": "payloads",
    "REFUND_FIELDS": "refunds",
    "mark_refunds_deleted": "refunds",
    "upsert_refunds": "refunds",
}
__all__ = [
    "ORDER_FIELDS",
    "REFUND_FIELDS",
    "Identity",
    "OrderUpsertResult",
    "current_order_states",
    "email_key",
    "mark_customers_deleted",
    "mark_missing_deleted",
    "mark_orders_deleted",
    "mark_refunds_deleted",
    "merge_guests_into_registered",
    "upsert_coupons",
    "upsert_customers",
    "upsert_orders",
    "upsert_products",
    "upsert_refunds",
    "upsert_subscriptions",
    "upsert_variations",
    "wc_key",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
