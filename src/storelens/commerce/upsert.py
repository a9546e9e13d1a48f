"""Idempotent upserts of store objects, keyed by (source, WooCommerce id), with the change feed.

Callers (the sync) run each page inside one `transaction.atomic()` together with its checkpoint; these functions do
their reads and writes in bulk (a handful of queries per page, not per row) so the database keeps up with the store.
Writing the same payload twice changes nothing and emits no change.

The upserts live with what they hold (orders, refunds, customers, catalogue); this module is the one import
path callers use for all of them.
"""

from __future__ import annotations

from .catalogue import mark_missing_deleted, upsert_coupons, upsert_products, upsert_subscriptions, upsert_variations
from .customers import Identity, mark_customers_deleted, merge_guests_into_registered, upsert_customers
from .orders import (
    ORDER_FIELDS,
    OrderUpsertResult,
    current_order_states,
    mark_orders_deleted,
    parse_order,
    upsert_orders,
)
from .payloads import email_key, wc_key
from .refunds import REFUND_FIELDS, mark_refunds_deleted, parse_refund, upsert_refunds

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
    "parse_order",
    "parse_refund",
    "upsert_coupons",
    "upsert_customers",
    "upsert_orders",
    "upsert_products",
    "upsert_refunds",
    "upsert_subscriptions",
    "upsert_variations",
    "wc_key",
]
