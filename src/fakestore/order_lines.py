"""Order lines as WooCommerce builds them from a REST body: products, shipping, fees, coupons, then totals."""

from __future__ import annotations

from typing import Any

from .books import Book
from .errors import StoreError
from .money import ZERO, d, inclusive_tax, round_dp, tax_of
from .pricing import (
    EU_TAX_RATES,
    TAX_RATES,
    apply_totals,
    coupon_line,
    discounts,
    fee_line,
    line_item,
    rate_for,
    shipping_line,
)

# The shop's base country per tax profile: WooCommerce takes the tax out of a tax-inclusive price at the BASE rate
# (`wc_get_price_excluding_tax`, woocommerce_adjust_non_base_location_prices on by default).
BASE_COUNTRY = {"eu": "DE", "us": "US"}


class OrderLines:
    """Line building for FakeStore's order writes (a mixin: the catalogue lives on the store)."""

    products: Book
    variations: Book

    def _tax_rate(self, order: dict, tax_class: str = "") -> Any:
        """The customer's rate for a tax class: shipping address first, then billing (tax based on shipping)."""
        ship = order["shipping"]
        where = ship if ship.get("country") else order["billing"]
        return rate_for(where.get("country", ""), where.get("state", ""), tax_class, self._rates())

    def _rates(self) -> list[Any]:
        return EU_TAX_RATES if self.config.tax_profile == "eu" else TAX_RATES

    def _tax_class(self, product: dict | None, variation: dict | None) -> str:
        own = (variation or {}).get("tax_class", "")
        if own and own != "parent":
            return own
        return (product or {}).get("tax_class", "") or ""

    def _set_lines(self, order: dict, payload: dict, ids: ItemIds, *, replace: bool) -> None:
        rate = self._tax_rate(order)
        if "line_items" in payload and payload["line_items"] is not None:
            lines = [] if replace else list(order["line_items"])
            for req in payload["line_items"]:
                existing = next((li for li in lines if req.get("id") and li["id"] == int(req["id"])), None)
                if existing is not None:
                    lines.remove(existing)
                    if int(req.get("quantity", existing["quantity"]) or 0) == 0:
                        continue
                    merged = {
                        "product_id": existing["product_id"],
                        "variation_id": existing["variation_id"],
                        "quantity": existing["quantity"],
                    }
                    merged.update({k: v for k, v in req.items() if k != "id"})
                    if "quantity" in req and "total" not in req:
                        merged.pop("subtotal", None)
                    lines.append(self._line_from_request(merged, existing["id"], order))
                else:
                    lines.append(self._line_from_request(req, ids.take(), order))
            order["line_items"] = lines
        if "shipping_lines" in payload and payload["shipping_lines"] is not None:
            ships = [] if replace else list(order["shipping_lines"])
            for req in payload["shipping_lines"]:
                existing = next((s for s in ships if req.get("id") and s["id"] == int(req["id"])), None)
                if existing is not None:
                    ships.remove(existing)
                    if req.get("method_id") is None and req.get("total") is None:
                        continue
                base = existing or {}
                ships.append(
                    shipping_line(
                        existing["id"] if existing else ids.take(),
                        str(req.get("method_id", base.get("method_id", "flat_rate"))),
                        str(req.get("method_title", base.get("method_title", "Flat rate"))),
                        str(req.get("instance_id", base.get("instance_id", ""))),
                        d(req.get("total", base.get("total", "0"))),
                        rate,
                    )
                )
            order["shipping_lines"] = ships
        if "fee_lines" in payload and payload["fee_lines"] is not None:
            fees = [] if replace else list(order["fee_lines"])
            for req in payload["fee_lines"]:
                existing = next((f for f in fees if req.get("id") and f["id"] == int(req["id"])), None)
                if existing is not None:
                    fees.remove(existing)
                base = existing or {}
                fees.append(
                    fee_line(
                        existing["id"] if existing else ids.take(),
                        str(req.get("name", base.get("name", "Fee"))),
                        d(req.get("total", base.get("total", "0"))),
                        str(req.get("tax_status", base.get("tax_status", "taxable"))) == "taxable",
                        rate,
                    )
                )
            order["fee_lines"] = fees
        if "coupon_lines" in payload and payload["coupon_lines"] is not None:
            order["coupon_lines"] = []
            for req in payload["coupon_lines"]:
                code = str(req.get("code", ""))
                coupon = self.coupon_by_code(code)
                if coupon is None:
                    raise StoreError(400, "woocommerce_rest_invalid_coupon", f'Coupon "{code}" does not exist!')
                subs = [d(li["subtotal"]) for li in order["line_items"]]
                qtys = [li["quantity"] for li in order["line_items"]]
                per_line = discounts(subs, qtys, coupon)
                for li, disc in zip(order["line_items"], per_line, strict=True):
                    new_total = max(ZERO, d(li["total"]) - disc)
                    line_rate = self._tax_rate(order, li["tax_class"])
                    li.update(
                        line_item(
                            li["id"],
                            li["id"] * 10,
                            name=li["name"],
                            product_id=li["product_id"],
                            variation_id=li["variation_id"],
                            quantity=li["quantity"],
                            subtotal=d(li["subtotal"]),
                            total=new_total,
                            sku=li["sku"],
                            parent_name=li["parent_name"],
                            attributes=None,
                            rate=line_rate,
                            places=6 if order.get("prices_include_tax") else 2,
                        )
                        | {"meta_data": li["meta_data"], "image": li["image"]}
                    )
                disc_total = sum(per_line, ZERO)
                disc_tax = sum((tax_of(x, rate.percent) for x in per_line), ZERO) if rate else ZERO
                order["coupon_lines"].append(
                    coupon_line(ids.take(), ids.take() * 10, coupon, disc_total, round_dp(disc_tax))
                )
        apply_totals(order, ids.take())
        order["needs_processing"] = (
            any(not self._is_virtual(li) for li in order["line_items"]) or not order["line_items"]
        )

    def _is_virtual(self, line: dict) -> bool:
        product = self.products.get(line["product_id"])
        return bool(product and product.get("virtual"))

    def _line_from_request(self, req: dict, item_id: int, order: dict) -> dict:
        """A line as WC_REST_Orders_Controller::prepare_line_items() makes it: without `total`/`subtotal` in the
        request, the product's price times the quantity excluding tax (`wc_get_price_excluding_tax`), taxed at the
        customer's rate on top (exclusive, `calculate_taxes`); given totals are taken as net amounts.

        With prices inclusive of tax the price loses the tax of the shop's BASE rate for its class, unrounded (6
        decimals), and the customer's rate is added back: a German customer pays the listed price, an Austrian one
        pays 20 % on the German net (real EU store, POST /orders set_paid: 7 stickers at 1.99 for AT → net 11.7059,
        tax 2.3412; 3 posters at 19.99 for DE → net 50.394958, tax 9.575042)."""
        pid = int(req.get("product_id") or 0)
        vid = int(req.get("variation_id") or 0)
        product = self.products.get(pid) if pid else None
        variation = self.variations.get(vid) if vid else None
        if product is None and variation is None and not req.get("name"):
            raise StoreError(400, "woocommerce_rest_invalid_product_id", "Product ID provided is invalid.")
        if variation is not None and product is None:
            product = self.products.get(variation["parent_id"])
            pid = variation["parent_id"]
        if product is not None and product["type"] == "variable" and variation is None:
            raise StoreError(400, "woocommerce_rest_invalid_product_id", "Product ID provided is invalid.")
        qty = int(req.get("quantity") or 1)
        source = variation or product or {}
        price = d(source.get("price") or req.get("price") or 0)
        tax_class = self._tax_class(product, variation)
        rate = self._tax_rate(order, tax_class)
        line_price = price * qty
        if order.get("prices_include_tax") and source:
            base = rate_for(BASE_COUNTRY.get(self.config.tax_profile, ""), "", tax_class, self._rates())
            if base is not None:
                line_price = round_dp(line_price - inclusive_tax(line_price, base.percent), 6)
        subtotal = d(req["subtotal"]) if req.get("subtotal") not in (None, "") else line_price
        total = d(req["total"]) if req.get("total") not in (None, "") else subtotal
        attrs = [(a["name"], a["option"]) for a in variation["attributes"]] if variation else None
        if variation is not None and product is not None:
            name = f"{product['name']} - {variation['name']}"
            parent_name = product["name"]
        else:
            name = product["name"] if product else str(req.get("name"))
            parent_name = None
        return line_item(
            item_id,
            item_id * 10,
            name=name,
            product_id=pid,
            variation_id=vid,
            quantity=qty,
            subtotal=subtotal,
            total=total,
            sku=source.get("sku", ""),
            parent_name=parent_name,
            attributes=attrs,
            rate=rate,
            places=6 if order.get("prices_include_tax") else 2,
        )


class ItemIds:
    """Order item ids for new lines: id*100+k like the generator, past every id the order already uses."""

    def __init__(self, order_id: int, order: dict | None = None) -> None:
        used = [order_id * 100 - 1]
        if order is not None:
            for group in ("line_items", "shipping_lines", "fee_lines", "tax_lines", "coupon_lines"):
                used.extend(x["id"] for x in order[group])
        self._next = max(max(used) + 1, order_id * 100)

    def take(self) -> int:
        value = self._next
        self._next += 1
        return value
