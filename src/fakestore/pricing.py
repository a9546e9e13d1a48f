"""Order arithmetic exactly as WooCommerce presents it.

Line totals, coupon discounts, taxes, shipping and fees are kept as decimal strings; order totals are derived
from them so that `total = Σ line totals + Σ shipping + Σ fees + total_tax` holds to the cent, line taxes are
rounded per line and the `taxes` arrays keep the unrounded values, as on a real store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from .money import ZERO, d, fmt, number, round_dp, tax_of, trim


@dataclass(frozen=True)
class TaxRate:
    id: int
    country: str
    state: str
    percent: Decimal
    label: str
    code: str


TAX_RATES: list[TaxRate] = [
    TaxRate(1, "US", "NY", Decimal("8.875"), "NY Sales Tax", "US-NY-NY SALES TAX-1"),
    TaxRate(2, "US", "CA", Decimal("7.25"), "CA Sales Tax", "US-CA-CA SALES TAX-1"),
    TaxRate(3, "US", "TX", Decimal("6.25"), "TX Sales Tax", "US-TX-TX SALES TAX-1"),
    TaxRate(4, "DE", "", Decimal("19"), "MwSt", "DE-MWST-1"),
    TaxRate(5, "JP", "", Decimal("10"), "消費税", "JP-消費税-1"),
]
RATE_BY_ID = {r.id: r for r in TAX_RATES}


def rate_for(country: str, state: str) -> TaxRate | None:
    for rate in TAX_RATES:
        if rate.country == country and (not rate.state or rate.state == state):
            return rate
    return None


def line_taxes(subtotal: Decimal, total: Decimal, rate: TaxRate | None) -> tuple[str, str, list[dict]]:
    """(subtotal_tax, total_tax, taxes[]) of one line item."""
    if rate is None:
        return "0.00", "0.00", []
    sub_tax, tot_tax = tax_of(subtotal, rate.percent), tax_of(total, rate.percent)
    return fmt(sub_tax), fmt(tot_tax), [{"id": rate.id, "total": trim(tot_tax), "subtotal": trim(sub_tax)}]


def shipping_taxes(total: Decimal, rate: TaxRate | None) -> tuple[str, list[dict]]:
    if rate is None:
        return "0.00", []
    tax = tax_of(total, rate.percent)
    return fmt(tax), [{"id": rate.id, "total": trim(tax), "subtotal": ""}]


def line_item(
    item_id: int,
    meta_base: int,
    *,
    name: str,
    product_id: int,
    variation_id: int,
    quantity: int,
    subtotal: Decimal,
    total: Decimal,
    sku: str,
    parent_name: str | None,
    attributes: list[tuple[str, str]] | None,
    rate: TaxRate | None,
    reduced_stock: bool = False,
) -> dict:
    sub_tax, tot_tax, taxes = line_taxes(subtotal, total, rate)
    meta: list[dict] = []
    for i, (attr, option) in enumerate(attributes or []):
        meta.append(
            {
                "id": meta_base + i,
                "key": "pa_" + attr.lower(),
                "value": option.lower(),
                "display_key": attr,
                "display_value": option,
            }
        )
    if reduced_stock:
        meta.append(
            {
                "id": meta_base + 9,
                "key": "_reduced_stock",
                "value": str(quantity),
                "display_key": "_reduced_stock",
                "display_value": str(quantity),
            }
        )
    return {
        "id": item_id,
        "name": name,
        "product_id": product_id,
        "variation_id": variation_id,
        "quantity": quantity,
        "tax_class": "",
        "subtotal": fmt(subtotal),
        "subtotal_tax": sub_tax,
        "total": fmt(total),
        "total_tax": tot_tax,
        "taxes": taxes,
        "meta_data": meta,
        "sku": sku,
        "price": number(total / quantity) if quantity else 0,
        "image": {"id": 0 if variation_id else "", "src": ""},
        "parent_name": parent_name,
    }


def shipping_line(
    item_id: int, method_id: str, title: str, instance: str, total: Decimal, rate: TaxRate | None
) -> dict:
    tax, taxes = shipping_taxes(total, rate)
    if rate is not None and total == 0:
        taxes = [{"id": rate.id, "total": "0", "subtotal": ""}]
    return {
        "id": item_id,
        "method_title": title,
        "method_id": method_id,
        "instance_id": instance,
        "total": fmt(total),
        "total_tax": tax,
        "taxes": taxes,
        "tax_status": "taxable",
        "meta_data": [],
    }


def fee_line(item_id: int, name: str, amount: Decimal, taxable: bool, rate: TaxRate | None) -> dict:
    use_rate = rate if taxable else None
    tax, taxes = shipping_taxes(amount, use_rate)
    return {
        "id": item_id,
        "name": name,
        "tax_class": "",
        "tax_status": "taxable" if taxable else "none",
        "amount": trim(amount, 2),
        "total": fmt(amount),
        "total_tax": tax,
        "taxes": taxes,
        "meta_data": [],
    }


def tax_line(item_id: int, rate: TaxRate, tax_total: Decimal, shipping_tax_total: Decimal) -> dict:
    return {
        "id": item_id,
        "rate_code": rate.code,
        "rate_id": rate.id,
        "label": rate.label,
        "compound": False,
        "tax_total": fmt(tax_total),
        "shipping_tax_total": fmt(shipping_tax_total),
        "rate_percent": number(rate.percent),
        "meta_data": [],
    }


def apply_totals(order: dict, next_item_id: int = 0) -> None:
    """Recompute the order-level totals and its tax_lines from its lines (in place).

    A tax line that did not exist yet gets the item id `next_item_id` (then the following ones).
    """
    lines, ships, fees = order["line_items"], order["shipping_lines"], order["fee_lines"]
    items_total = sum((d(li["total"]) for li in lines), ZERO)
    items_subtotal = sum((d(li["subtotal"]) for li in lines), ZERO)
    line_tax = sum((d(li["total_tax"]) for li in lines), ZERO)
    line_sub_tax = sum((d(li["subtotal_tax"]) for li in lines), ZERO)
    fee_total = sum((d(f["total"]) for f in fees), ZERO)
    fee_tax = sum((d(f["total_tax"]) for f in fees), ZERO)
    ship_total = sum((d(s["total"]) for s in ships), ZERO)
    ship_tax = sum((d(s["total_tax"]) for s in ships), ZERO)
    cart_tax = line_tax + fee_tax
    total_tax = cart_tax + ship_tax
    order["discount_total"] = fmt(items_subtotal - items_total)
    order["discount_tax"] = fmt(line_sub_tax - line_tax)
    order["shipping_total"] = fmt(ship_total)
    order["shipping_tax"] = fmt(ship_tax)
    order["cart_tax"] = fmt(cart_tax)
    order["total"] = fmt(items_total + fee_total + ship_total + total_tax)
    order["total_tax"] = fmt(total_tax)
    rate_ids = {t["id"] for group in (lines, ships, fees) for x in group for t in x["taxes"]}
    existing = {t["rate_id"]: t["id"] for t in order.get("tax_lines", [])}
    tax_lines = []
    for rid in sorted(rate_ids):
        rate = RATE_BY_ID.get(rid)
        if rate is None:
            continue
        per_rate_cart = sum(
            (round_dp(d(t["total"])) for group in (lines, fees) for x in group for t in x["taxes"] if t["id"] == rid),
            ZERO,
        )
        per_rate_ship = sum(
            (round_dp(d(t["total"])) for s in ships for t in s["taxes"] if t["id"] == rid),
            ZERO,
        )
        item_id = existing.get(rid)
        if item_id is None:
            item_id = next_item_id
            next_item_id += 1
        tax_lines.append(tax_line(item_id, rate, per_rate_cart, per_rate_ship))
    order["tax_lines"] = tax_lines


def coupon_line(item_id: int, meta_id: int, coupon: dict, discount: Decimal, discount_tax: Decimal) -> dict:
    ctype = coupon["discount_type"]
    nominal = number(coupon["amount"])
    info = json.dumps(
        [coupon["id"], coupon["code"], None if ctype == "fixed_cart" else ctype, nominal], separators=(",", ":")
    )
    return {
        "id": item_id,
        "code": coupon["code"],
        "discount": trim(discount, 2),
        "discount_tax": trim(discount_tax, 2),
        "meta_data": [
            {"id": meta_id, "key": "coupon_info", "value": info, "display_key": "coupon_info", "display_value": info}
        ],
        "discount_type": ctype,
        "nominal_amount": nominal,
        "free_shipping": bool(coupon.get("free_shipping")),
    }


def discounts(subtotals: list[Decimal], quantities: list[int], coupon: dict) -> list[Decimal]:
    """Per-line discount of one coupon the way WC_Discounts spreads it (fixed_cart: per unit, cents)."""
    ctype, amount = coupon["discount_type"], d(coupon["amount"])
    if ctype == "percent":
        return [round_dp(s * amount / 100) for s in subtotals]
    if ctype == "fixed_product":
        return [min(s, amount * q) for s, q in zip(subtotals, quantities, strict=True)]
    # fixed_cart: never more than half the cart here, so generated orders keep a positive total
    total_c = int(min(amount, sum(subtotals, ZERO) / 2) * 100)
    units = sum(quantities) or 1
    per_unit = total_c // units
    out = [min(int(s * 100), per_unit * q) for s, q in zip(subtotals, quantities, strict=True)]
    remainder = total_c - sum(out)
    i = 0
    while remainder > 0 and i < 10 * len(out):
        k = i % len(out)
        if out[k] < int(subtotals[k] * 100):
            out[k] += 1
            remainder -= 1
        i += 1
    return [Decimal(c) / 100 for c in out]
