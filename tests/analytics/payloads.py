"""Small WooCommerce order/refund payloads (the shape `/wc/v3/orders` returns) for tests that write through the
sync's upserts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def money(minor: int, places: int = 2) -> str:
    return str(Decimal(minor).scaleb(-places))


def order_payload(
    wc_id: int,
    *,
    status: str = "completed",
    currency: str = "USD",
    created: str,
    paid: str | None = None,
    completed: str | None = None,
    net: int = 10000,
    tax: int = 0,
    shipping: int = 0,
    discount: int = 0,
    quantity: int = 1,
    email: str = "",
    customer_id: int = 0,
    refund_ids: list[int] | None = None,
    country: str = "US",
) -> dict[str, Any]:
    """`net` is the line total (after discount); total = net + tax + shipping; subtotal = net + discount."""
    return {
        "id": wc_id,
        "number": str(wc_id),
        "status": status,
        "currency": currency,
        "date_created_gmt": created,
        "date_modified_gmt": created,
        "date_paid_gmt": paid,
        "date_completed_gmt": completed,
        "total": money(net + tax + shipping),
        "total_tax": money(tax),
        "shipping_total": money(shipping),
        "discount_total": money(discount),
        "line_items": [
            {
                "id": wc_id * 10,
                "name": f"Item {wc_id}",
                "product_id": 7,
                "variation_id": 0,
                "quantity": quantity,
                "subtotal": money(net + discount),
                "total": money(net),
                "total_tax": money(tax),
            }
        ],
        "billing": {"email": email, "country": country},
        "customer_id": customer_id,
        "refunds": [{"id": r} for r in refund_ids or []],
    }


def refund_payload(
    wc_id: int, parent: int, created: str, *, items: int = 0, tax: int = 0, shipping: int = 0
) -> dict[str, Any]:
    """amount = items + tax + shipping, with the lines negative as WooCommerce gives them."""
    return {
        "id": wc_id,
        "parent_id": parent,
        "date_created_gmt": created,
        "amount": money(items + tax + shipping),
        "reason": "",
        "line_items": [
            {"id": wc_id * 10, "product_id": 7, "quantity": -1, "total": money(-items), "total_tax": money(-tax)}
        ],
        "shipping_lines": [{"id": wc_id * 10 + 1, "total": money(-shipping), "total_tax": "0.00"}],
        "fee_lines": [],
    }
