"""Refund records and their lines, with WooCommerce's negative signs: shared by generated and written refunds."""

from __future__ import annotations

from decimal import Decimal

from .money import d, fmt, trim
from .pricing import (
    RATE_BY_ID,
    tax_line,
)


def new_refund(rid: int, order_id: int, created: int, amount: str, reason: str, refunded_by: int) -> dict:
    """A refund record with no lines yet, in the key order WooCommerce prints."""
    return {
        "id": rid,
        "parent_id": order_id,
        "date_created": created,
        "date_created_gmt": created,
        "amount": amount,
        "reason": reason,
        "refunded_by": refunded_by,
        "refunded_payment": False,
        "meta_data": [],
        "line_items": [],
        "shipping_lines": [],
        "tax_lines": [],
        "fee_lines": [],
    }


def refund_summary(refund: dict) -> dict:
    """The refund as an order lists it in `refunds[]`: WooCommerce 11 adds `total_tax`, the refund's own tax (the sum
    of its tax lines, cart and shipping, rounded to cents, negative like `total`; "0.00" for an amount-only refund),
    measured on the real 11.0.1 stores for every refund kind of the seed."""
    tax = sum((d(t["tax_total"]) + d(t["shipping_tax_total"]) for t in refund["tax_lines"]), Decimal(0))
    return {"id": refund["id"], "reason": refund["reason"], "total": "-" + refund["amount"], "total_tax": fmt(tax)}


def refunded_item_meta(meta_id: int, item_id: int) -> dict:
    return {
        "id": meta_id,
        "key": "_refunded_item_id",
        "value": str(item_id),
        "display_key": "_refunded_item_id",
        "display_value": str(item_id),
    }


def refund_tax_line(item_id: int, rate_id: int, tax: Decimal, shipping_tax: Decimal) -> dict:
    """A tax line of a refund: the order's tax line for that rate, negated."""
    return tax_line(item_id, RATE_BY_ID[rate_id], -tax, -shipping_tax)


def _negate_taxes(taxes: list[dict]) -> list[dict]:
    """Shipping and fee taxes of a refund: negated totals, empty subtotals (WooCommerce keeps none for them)."""
    return [{"id": t["id"], "total": trim(-d(t["total"])), "subtotal": ""} for t in taxes]


def full_refund_lines(refund: dict, order: dict, refund_id: int) -> None:
    """Every line refunded at its full (discounted) value, with WooCommerce's negative signs."""
    item = refund_id * 100
    meta = refund_id * 1000
    lines = []
    for li in order["line_items"]:
        x = dict(li)
        x.update(
            {
                "id": item,
                "quantity": -li["quantity"],
                "subtotal": fmt(-d(li["total"])),
                "subtotal_tax": fmt(-d(li["total_tax"])),
                "total": fmt(-d(li["total"])),
                "total_tax": fmt(-d(li["total_tax"])),
                "taxes": [
                    {"id": t["id"], "total": trim(-d(t["total"])), "subtotal": trim(-d(t["total"]))}
                    for t in li["taxes"]
                ],
                "meta_data": [refunded_item_meta(meta, li["id"])],
            }
        )
        lines.append(x)
        item += 1
        meta += 10
    ships, fees = [], []
    for group, out in (("shipping_lines", ships), ("fee_lines", fees)):
        for s in order[group]:
            x = dict(s)
            x.update(
                {
                    "id": item,
                    "total": fmt(-d(s["total"])),
                    "total_tax": fmt(-d(s["total_tax"])),
                    "taxes": _negate_taxes(s["taxes"]),
                    "meta_data": [refunded_item_meta(meta, s["id"])],
                }
            )
            out.append(x)
            item += 1
            meta += 10
    taxes = []
    for t in order["tax_lines"]:
        taxes.append(refund_tax_line(item, t["rate_id"], d(t["tax_total"]), d(t["shipping_tax_total"])))
        item += 1
    refund["line_items"], refund["shipping_lines"], refund["fee_lines"], refund["tax_lines"] = lines, ships, fees, taxes
