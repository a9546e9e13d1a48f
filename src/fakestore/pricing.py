"""Order arithmetic exactly as WooCommerce presents it.

Line totals, coupon discounts, taxes, shipping and fees are kept as decimal strings; order totals are derived
from them so that `total = Σ line totals + Σ shipping + Σ fees + total_tax` holds to the cent, line taxes are
rounded per line and the `taxes` arrays keep the unrounded values, as on a real store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from .money import ZERO, d, fmt, inclusive_tax, number, round_dp, tax_of, trim


@dataclass(frozen=True)
class TaxRate:
    id: int
    country: str
    state: str
    percent: Decimal
    label: str
    code: str
    tax_class: str = ""  # "" is WooCommerce's standard class


TAX_RATES: list[TaxRate] = [
    TaxRate(1, "US", "NY", Decimal("8.875"), "NY Sales Tax", "US-NY-NY SALES TAX-1"),
    TaxRate(2, "US", "CA", Decimal("7.25"), "CA Sales Tax", "US-CA-CA SALES TAX-1"),
    TaxRate(3, "US", "TX", Decimal("6.25"), "TX Sales Tax", "US-TX-TX SALES TAX-1"),
    TaxRate(4, "DE", "", Decimal("19"), "MwSt", "DE-MWST-1"),
    TaxRate(5, "JP", "", Decimal("10"), "消費税", "JP-消費税-1"),
]
# The `eu` tax profile: German VAT with its reduced rate, and a second country's (Austria), plus France, as a store
# selling across borders (one-stop shop) sets them up; prices are entered inclusive of these rates.
REDUCED = "reduced-rate"
EU_TAX_RATES: list[TaxRate] = [
    TaxRate(4, "DE", "", Decimal("19"), "MwSt", "DE-MWST-1"),
    TaxRate(6, "DE", "", Decimal("7"), "MwSt. 7 %", "DE-MWST. 7 %-2", REDUCED),
    TaxRate(7, "AT", "", Decimal("20"), "USt", "AT-UST-1"),
    TaxRate(8, "AT", "", Decimal("10"), "USt. 10 %", "AT-UST. 10 %-2", REDUCED),
    TaxRate(9, "FR", "", Decimal("20"), "TVA", "FR-TVA-1"),
    TaxRate(10, "FR", "", Decimal("5.5"), "TVA 5,5 %", "FR-TVA 5,5 %-2", REDUCED),
]
RATE_BY_ID = {r.id: r for r in [*TAX_RATES, *EU_TAX_RATES]}


def rate_for(country: str, state: str, tax_class: str = "", rates: list[TaxRate] | None = None) -> TaxRate | None:
    for rate in TAX_RATES if rates is None else rates:
        if rate.country == country and (not rate.state or rate.state == state) and rate.tax_class == tax_class:
            return rate
    return None


def line_taxes(subtotal: Decimal, total: Decimal, rate: TaxRate | None, places: int = 2) -> tuple[str, str, list[dict]]:
    """(subtotal_tax, total_tax, taxes[]) of one line item."""
    if rate is None:
        return "0.00", "0.00", []
    sub_tax, tot_tax = tax_of(subtotal, rate.percent), tax_of(total, rate.percent)
    return (
        fmt(sub_tax, places),
        fmt(tot_tax, places),
        [{"id": rate.id, "total": trim(tot_tax), "subtotal": trim(sub_tax)}],
    )


def inclusive_line(gross_subtotal: Decimal, gross_total: Decimal, rate: TaxRate | None) -> tuple[dict, Decimal]:
    """The money fields of a line whose prices include tax, the way WooCommerce keeps them, and its net total.

    WooCommerce takes the tax out of the gross price (`WC_Tax::calc_inclusive_tax`: price − price ÷ (1 + rate),
    kept to 6 decimals) and stores the line's subtotal and total net of it *unrounded* (19.99 at 19 % → 16.798319),
    with the taxes unrounded too. The REST API prints them with `dp` decimals: "16.80" by default, "16.7983" with
    dp=4 (the serializer applies it to such orders at every dp)."""
    if rate is None:
        return {
            "subtotal": fmt(gross_subtotal, 6),
            "subtotal_tax": "0.00",
            "total": fmt(gross_total, 6),
            "total_tax": "0.00",
            "taxes": [],
        }, gross_total
    sub_tax, tot_tax = inclusive_tax(gross_subtotal, rate.percent), inclusive_tax(gross_total, rate.percent)
    net_total = gross_total - tot_tax
    return {
        "subtotal": fmt(gross_subtotal - sub_tax, 6),
        "subtotal_tax": fmt(sub_tax, 6),
        "total": fmt(net_total, 6),
        "total_tax": fmt(tot_tax, 6),
        "taxes": [{"id": rate.id, "total": trim(tot_tax), "subtotal": trim(sub_tax)}],
    }, net_total


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
    prices_include_tax: bool = False,
    places: int = 2,
) -> dict:
    """One line item; with `prices_include_tax` the subtotal and total given are gross (see `inclusive_line`).

    `places` keeps net amounts and their taxes to that many decimals: 6 for a net line of a tax-inclusive store
    (a REST-created order's line, whose net price is the gross one less the base rate's tax, unrounded)."""
    sub_tax, tot_tax, taxes = line_taxes(subtotal, total, rate, places)
    money = {
        "subtotal": fmt(subtotal, places),
        "subtotal_tax": sub_tax,
        "total": fmt(total, places),
        "total_tax": tot_tax,
    }
    if prices_include_tax:
        inclusive, total = inclusive_line(subtotal, total, rate)
        taxes = inclusive.pop("taxes")
        money = inclusive
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
        "tax_class": rate.tax_class if rate is not None else "",
        **money,
        "taxes": taxes,
        "meta_data": meta,
        "sku": sku,
        # WooCommerce 11 (not 9.9): the product's GTIN/UPC/EAN/ISBN field, "" when unset, null once it is deleted
        "global_unique_id": "" if sku is not None else None,
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


def tax_line(item_id: int, rate: TaxRate, tax_total: Decimal, shipping_tax_total: Decimal, places: int = 2) -> dict:
    return {
        "id": item_id,
        "rate_code": rate.code,
        "rate_id": rate.id,
        "label": rate.label,
        "compound": False,
        "tax_total": fmt(tax_total, places),
        "shipping_tax_total": fmt(shipping_tax_total, places),
        "rate_percent": number(rate.percent),
        "meta_data": [],
    }


def apply_totals(order: dict, next_item_id: int = 0) -> None:
    """Recompute the order-level totals and its tax_lines from its lines (in place).

    A tax line that did not exist yet gets the item id `next_item_id` (then the following ones).

    An order with prices inclusive of tax is totalled as the tax-inclusive (eu) store does it, which rounds tax at
    subtotal (`woocommerce_tax_round_at_subtotal=yes`, as the seeded real EU store): the line, fee and shipping taxes
    are summed unrounded (the `taxes` arrays) and only the order's total and total_tax are rounded, so the total is
    the sum of the gross prices to the cent. Rounding each line's tax first put it 1 cent off in 73 of the real EU
    store's 268 orders. Otherwise taxes are rounded per line, as the tax lines are (WooCommerce's default).
    """
    lines, ships, fees = order["line_items"], order["shipping_lines"], order["fee_lines"]
    at_subtotal = bool(order.get("prices_include_tax"))
    places = 6 if at_subtotal else 2

    def tax_sum(items: list[dict], field: str = "total") -> Decimal:
        if at_subtotal:
            return sum((d(t[field]) for x in items for t in x["taxes"] if t[field] != ""), ZERO)
        return sum((round_dp(d(x["subtotal_tax" if field == "subtotal" else "total_tax"])) for x in items), ZERO)

    if at_subtotal:  # shipping and fee taxes are kept unrounded too (a 2.50 fee at 19 %: 0.475)
        for x in (*ships, *fees):
            x["total_tax"] = fmt(sum((d(t["total"]) for t in x["taxes"]), ZERO), 6)
    items_total = sum((d(li["total"]) for li in lines), ZERO)
    items_subtotal = sum((d(li["subtotal"]) for li in lines), ZERO)
    line_tax, line_sub_tax = tax_sum(lines), tax_sum(lines, "subtotal")
    fee_total = sum((d(f["total"]) for f in fees), ZERO)
    fee_tax = tax_sum(fees)
    ship_total = sum((d(s["total"]) for s in ships), ZERO)
    ship_tax = tax_sum(ships)
    cart_tax = line_tax + fee_tax
    total_tax = cart_tax + ship_tax
    order["discount_total"] = fmt(items_subtotal - items_total)
    order["discount_tax"] = fmt(line_sub_tax - line_tax)
    order["shipping_total"] = fmt(ship_total)
    order["shipping_tax"] = fmt(ship_tax, places)
    order["cart_tax"] = fmt(cart_tax, places)
    order["total"] = fmt(items_total + fee_total + ship_total + total_tax)
    order["total_tax"] = fmt(total_tax)
    rate_ids = {t["id"] for group in (lines, ships, fees) for x in group for t in x["taxes"]}
    existing = {t["rate_id"]: t["id"] for t in order.get("tax_lines", [])}
    tax_lines = []
    for rid in sorted(rate_ids):
        rate = RATE_BY_ID.get(rid)
        if rate is None:
            continue
        rounded = (lambda v: v) if at_subtotal else round_dp
        per_rate_cart = sum(
            (rounded(d(t["total"])) for group in (lines, fees) for x in group for t in x["taxes"] if t["id"] == rid),
            ZERO,
        )
        per_rate_ship = sum(
            (rounded(d(t["total"])) for s in ships for t in s["taxes"] if t["id"] == rid),
            ZERO,
        )
        item_id = existing.get(rid)
        if item_id is None:
            item_id = next_item_id
            next_item_id += 1
        tax_lines.append(tax_line(item_id, rate, per_rate_cart, per_rate_ship, places))
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
