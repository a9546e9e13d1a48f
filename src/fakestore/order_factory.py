"""Full order and refund records, built on demand from (seed, order id) and the generator's index columns.

Nothing is stored per order but those columns: the same (seed, id) always builds the same JSON, so 100k orders
cost seconds and megabytes.
"""

from __future__ import annotations

import random
import string
from array import array
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .books import STATUSES, Book
from .catalog import Catalog, Sellable
from .customer_records import CustomerRecords
from .money import ZERO, d, fmt, number, round_dp, tax_of, trim
from .people import Person, case_variant, guest_person
from .pricing import (
    EU_TAX_RATES,
    RATE_BY_ID,
    REDUCED,
    TAX_RATES,
    TaxRate,
    apply_totals,
    coupon_line,
    discounts,
    fee_line,
    line_item,
    rate_for,
    shipping_line,
)
from .refund_lines import full_refund_lines, new_refund, refund_summary, refund_tax_line, refunded_item_meta
from .subscription_records import SubscriptionRecords
from .vocabulary import (
    COUPONS,
    CREATED_VIA,
    CUSTOMER_NOTES,
    FEES,
    FULL_REFUND_REASONS,
    PAID_STATUSES,
    PARTIAL_REFUND_REASONS,
    PAYMENT_METHODS,
    USER_AGENTS,
    VIA_WEIGHTS,
    WC_VERSION,
    currency_symbol,
    other_currency,
)


@dataclass
class RefundSpec:
    id: int
    created: int
    kind: str  # full, item, amount, remainder


@dataclass
class OrderFactory(CustomerRecords, SubscriptionRecords):
    """Builds full records of generated orders, refunds, subscriptions, customers and coupons on demand."""

    seed: int
    currency: str
    catalog: Catalog
    coupon_book: Book | None = None
    orders: Book | None = None
    # generator-only columns aligned with order positions
    paid: array = field(default_factory=lambda: array("q"))
    completed: array = field(default_factory=lambda: array("q"))
    coupon: array = field(default_factory=lambda: array("b"))
    flags: array = field(default_factory=lambda: array("B"))  # bit 0: other currency; bits 1-3: payment method
    refund_specs: dict[int, list[RefundSpec]] = field(default_factory=dict)
    customer_serial_base: int = 2
    customer_paying: bytearray = field(default_factory=bytearray)
    mixed_case_customers: dict[int, int] = field(default_factory=dict)
    # guest order position -> (registered customer id, or 0 and a guest order id, whose e-mail it uses; the
    # `case_variant` it is typed in, -1 as it is): a registered customer checking out as a guest, a repeat guest
    borrowed_email: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    # The tax profile (`FakeStoreConfig.tax_profile`): "us" prices exclusive of US sales taxes, mostly US buyers;
    # "eu" prices inclusive of VAT (DE/AT/FR with reduced rates for some products), mostly German buyers.
    tax_profile: str = "us"
    subscription_parent: dict[int, tuple[int, str, int]] = field(
        default_factory=dict
    )  # id -> (parent, status, created)
    _sellables: list[Sellable] = field(default_factory=list)
    _last: tuple[int, dict, list[dict]] | None = None

    def __post_init__(self) -> None:
        self._sellables = [s for s in self.catalog.sellables if s.price > 0]

    # --- coupons ---------------------------------------------------------------------------------------------
    def build_coupon(self, coupon_id: int, pos: int, book: Book) -> dict:
        index = pos
        code, ctype, amount, free_ship = COUPONS[index]
        created = book.created[pos]
        used_by: list[str] = []
        if self.orders is not None:
            for p in range(len(self.coupon)):
                if self.coupon[p] == index and self.orders.status[p] != 10:
                    owner = self.orders.owner[p]
                    used_by.append(str(owner) if owner else self.order_person(self.orders.ids[p], p).email)
        return {
            "id": coupon_id,
            "code": code,
            "amount": amount,
            "status": "publish",
            "date_created": created,
            "date_created_gmt": created,
            "date_modified": created,
            "date_modified_gmt": created,
            "discount_type": ctype,
            "description": f"Coupon {code}",
            "date_expires": None,
            "date_expires_gmt": None,
            "usage_count": len(used_by),
            "individual_use": False,
            "product_ids": [],
            "excluded_product_ids": [],
            "usage_limit": None,
            "usage_limit_per_user": None,
            "limit_usage_to_x_items": None,
            "free_shipping": free_ship,
            "product_categories": [],
            "excluded_product_categories": [],
            "exclude_sale_items": False,
            "minimum_amount": "0.00",
            "maximum_amount": "0.00",
            "email_restrictions": [],
            "used_by": used_by,
            "meta_data": [],
        }

    # --- orders ----------------------------------------------------------------------------------------------
    def build_order(self, order_id: int, pos: int) -> dict:
        order, _ = self._order_and_refunds(order_id, pos)
        return order

    def build_refund(self, refund_id: int, pos: int, refund_book: Book) -> dict:
        parent = refund_book.owner[pos]
        assert self.orders is not None
        ppos = self.orders.position(parent)
        assert ppos is not None
        _, refunds = self._order_and_refunds(parent, ppos)
        for r in refunds:
            if r["id"] == refund_id:
                return r
        raise KeyError(refund_id)

    def _order_and_refunds(self, order_id: int, pos: int) -> tuple[dict, list[dict]]:
        if self._last is not None and self._last[0] == order_id:
            return self._last[1], self._last[2]
        assert self.orders is not None
        book = self.orders
        rng = random.Random(self.seed * 1_000_003 + order_id)
        status = STATUSES[book.status[pos]]
        built_as = "cancelled" if status == "trash" else status
        created, modified = book.created[pos], book.modified[pos]
        paid = self.paid[pos] or None
        completed = self.completed[pos] or None
        customer_id = book.owner[pos]
        flags = self.flags[pos]
        currency = other_currency(self.currency) if flags & 1 else self.currency
        pm_id, pm_title, _, _ = PAYMENT_METHODS[(flags >> 1) & 7]
        person = self.order_person(order_id, pos)
        via = rng.choices(CREATED_VIA, weights=VIA_WEIGHTS)[0][0]
        if built_as == "checkout-draft":
            via = "store-api"
        order_key = "wc_order_" + "".join(rng.choices(string.ascii_letters + string.digits, k=13))
        item_base = order_id * 100
        meta_base = order_id * 1000
        next_item = item_base

        # line items
        many = rng.random() < 0.0005  # the lab store had one order with 40 lines
        n_lines = 40 if many else rng.choices([1, 2, 3, 4, 5], weights=[39, 31, 17, 8, 5])[0]
        picks = [rng.choice(self._sellables) for _ in range(n_lines)]
        quantities = [rng.choices([1, 2, 3, 4, 5], weights=[70, 20, 7, 2, 1])[0] for _ in picks]
        subtotals = [s.price * q for s, q in zip(picks, quantities, strict=True)]
        coupon_index = self.coupon[pos]
        coupon = self._coupon(coupon_index) if coupon_index >= 0 else None
        line_discounts = discounts(subtotals, quantities, coupon) if coupon else [ZERO] * n_lines
        all_virtual = all(s.virtual for s in picks)
        country, state = (person.country, person.state) if all_virtual else (person.ship_country, person.ship_state)
        rates = EU_TAX_RATES if self.tax_profile == "eu" else TAX_RATES
        rate = rate_for(country, state, "", rates)  # shipping and fees: the standard rate
        inclusive = self.tax_profile == "eu"
        lines = []
        for k, (s, q, sub, disc) in enumerate(zip(picks, quantities, subtotals, line_discounts, strict=True)):
            lines.append(
                line_item(
                    next_item,
                    meta_base + k * 10,
                    name=s.name,
                    product_id=s.product_id,
                    variation_id=s.variation_id,
                    quantity=q,
                    subtotal=sub,
                    total=sub - disc,
                    sku=s.sku,
                    parent_name=s.parent_name,
                    attributes=s.attributes,
                    rate=rate_for(country, state, self.tax_class_of(s.product_id), rates),
                    reduced_stock=built_as in PAID_STATUSES and rng.random() < 0.5,
                    prices_include_tax=inclusive,
                )
            )
            next_item += 1
        items_total = sum((d(li["total"]) for li in lines), ZERO)

        shipping = []
        if not all_virtual:
            if person.ship_country != ("DE" if self.tax_profile == "eu" else "US"):
                shipping.append(
                    shipping_line(next_item, "flat_rate", "International flat rate", "3", Decimal("15.00"), rate)
                )
            elif items_total >= 100 or (coupon is not None and coupon["free_shipping"]):
                shipping.append(shipping_line(next_item, "free_shipping", "Free shipping", "2", ZERO, rate))
            else:
                shipping.append(shipping_line(next_item, "flat_rate", "Flat rate", "1", Decimal("7.50"), rate))
            next_item += 1
        fees = []
        if rng.random() < 0.11:
            name, amount, taxable = rng.choice(FEES)
            if d(amount) > 0 or items_total > 30:
                fees.append(fee_line(next_item, name, d(amount), taxable, rate))
                next_item += 1

        order: dict = {
            "id": order_id,
            "parent_id": 0,
            "status": status,
            "currency": currency,
            "version": WC_VERSION,
            "prices_include_tax": inclusive,
            "date_created": created,
            "date_modified": modified,
            "discount_total": "0.00",
            "discount_tax": "0.00",
            "shipping_total": "0.00",
            "shipping_tax": "0.00",
            "cart_tax": "0.00",
            "total": "0.00",
            "total_tax": "0.00",
            "customer_id": customer_id,
            "order_key": order_key,
            "billing": {
                "first_name": person.first,
                "last_name": person.last,
                "company": "",
                "address_1": person.address_1,
                "address_2": "",
                "city": person.city,
                "state": person.state,
                "postcode": person.postcode,
                "country": person.country,
                "email": person.email,
                "phone": person.phone,
            },
            "shipping": {
                "first_name": person.first if not all_virtual else "",
                "last_name": person.last if not all_virtual else "",
                "company": "",
                "address_1": person.ship_address_1 if not all_virtual else "",
                "address_2": "",
                "city": person.ship_city if not all_virtual else "",
                "state": person.ship_state if not all_virtual else "",
                "postcode": person.ship_postcode if not all_virtual else "",
                "country": person.ship_country if not all_virtual else "",
                "phone": person.ship_phone if not all_virtual else "",
            },
            "payment_method": pm_id if built_as != "checkout-draft" else "",
            "payment_method_title": pm_title if built_as != "checkout-draft" else "",
            "transaction_id": _transaction_id(rng, pm_id) if paid else "",
            "customer_ip_address": f"198.51.100.{rng.randint(1, 254)}",
            "customer_user_agent": rng.choice(USER_AGENTS),
            "created_via": via,
            "customer_note": rng.choice(CUSTOMER_NOTES),
            "date_completed": completed,
            "date_paid": paid,
            "cart_hash": "",
            "number": str(order_id),
            "meta_data": _attribution(rng, meta_base + 900) if via in ("checkout", "store-api") else [],
            "line_items": lines,
            "tax_lines": [],
            "shipping_lines": shipping,
            "fee_lines": fees,
            "coupon_lines": [],
            "refunds": [],
            "payment_url": f"/checkout/order-pay/{order_id}/?pay_for_order=true&key={order_key}",
            "is_editable": built_as in ("pending", "on-hold", "checkout-draft", "auto-draft"),
            "needs_payment": built_as in ("pending", "failed"),
            "needs_processing": not all_virtual,
            "date_created_gmt": created,
            "date_modified_gmt": modified,
            "date_completed_gmt": completed,
            "date_paid_gmt": paid,
            "currency_symbol": currency_symbol(currency),
        }
        tax_item = next_item
        next_item += 1
        if coupon is not None and inclusive:  # the discount net of tax, and its tax, as the lines have them
            disc = round_dp(sum((d(li["subtotal"]) - d(li["total"]) for li in lines), ZERO))
            disc_tax = sum((round_dp(d(li["subtotal_tax"])) - round_dp(d(li["total_tax"])) for li in lines), ZERO)
            order["coupon_lines"] = [coupon_line(next_item, meta_base + 950, coupon, disc, disc_tax)]
            next_item += 1
        elif coupon is not None:
            disc = sum(line_discounts, ZERO)
            disc_tax = sum((tax_of(x, rate.percent) for x in line_discounts), ZERO) if rate else ZERO
            order["coupon_lines"] = [coupon_line(next_item, meta_base + 950, coupon, disc, round_dp(disc_tax))]
            next_item += 1
        apply_totals(order, tax_item)
        refunds = self._refunds(order, self.refund_specs.get(order_id, []), rate, rng)
        order["refunds"] = [refund_summary(r) for r in reversed(refunds)]
        self._last = (order_id, order, refunds)
        return order, refunds

    def tax_class_of(self, product_id: int) -> str:
        """The `eu` profile sells some products at the reduced rate (books, food): every fourth product."""
        return REDUCED if self.tax_profile == "eu" and product_id % 4 == 0 else ""

    def order_person(self, order_id: int, pos: int) -> Person:
        """Who placed the order at this position: its customer, a guest of its own, or a guest using the e-mail
        (and addresses) of a registered customer or of an earlier guest, possibly typed in another case."""
        assert self.orders is not None
        customer_id = self.orders.owner[pos]
        if customer_id:
            return self.customer_person_of(customer_id)[0]
        borrowed = self.borrowed_email.get(pos)
        if borrowed is None:
            return guest_person(self.seed, order_id, self.region)
        customer_id, guest_order, variant = borrowed
        if customer_id:
            base = self.customer_person_of(customer_id)[0]
        else:
            base = guest_person(self.seed, guest_order, self.region)
        return base if variant < 0 else replace(base, email=case_variant(base.email.lower(), variant))

    def _coupon(self, index: int) -> dict:
        code, ctype, amount, free_ship = COUPONS[index]
        coupon_id = self.coupon_book.ids[index] if self.coupon_book is not None else index
        return {"id": coupon_id, "code": code, "discount_type": ctype, "amount": amount, "free_shipping": free_ship}

    def _refunds(self, order: dict, specs: list[RefundSpec], rate: TaxRate | None, rng: random.Random) -> list[dict]:
        out: list[dict] = []
        refunded = ZERO
        total = d(order["total"])
        for spec in specs:
            base = new_refund(spec.id, order["id"], spec.created, "0.00", "", 1)
            if spec.kind == "full":
                full_refund_lines(base, order, spec.id)
                base["amount"] = fmt(total)
                base["reason"] = rng.choice(FULL_REFUND_REASONS)
            elif spec.kind == "remainder":
                base["amount"] = fmt(total - refunded)
                base["reason"] = rng.choice(FULL_REFUND_REASONS)
            elif spec.kind == "item" and order["line_items"]:
                line = rng.choice(order["line_items"])
                rate = RATE_BY_ID[line["taxes"][0]["id"]] if line["taxes"] else None  # the line's own rate
                unit = round_dp(d(line["total"]) / line["quantity"])
                tax_unrounded = tax_of(unit, rate.percent) if rate and line["taxes"] else ZERO
                tax = round_dp(tax_unrounded)
                item = dict(line)
                item.update(
                    {
                        "id": spec.id * 100,
                        "quantity": -1,
                        "subtotal": fmt(-unit),
                        "subtotal_tax": fmt(-tax),
                        "total": fmt(-unit),
                        "total_tax": fmt(-tax),
                        "taxes": [
                            {"id": t["id"], "total": trim(-tax_unrounded), "subtotal": trim(-tax_unrounded)}
                            for t in line["taxes"]
                        ],
                        "meta_data": [refunded_item_meta(spec.id * 1000, line["id"])],
                        "price": number(unit),
                    }
                )
                base["line_items"] = [item]
                if rate and line["taxes"]:
                    base["tax_lines"] = [refund_tax_line(spec.id * 100 + 1, rate.id, tax, ZERO)]
                base["amount"] = fmt(unit + tax)
                base["reason"] = f"Item returned: {line['name']}"
            else:
                amount = max(Decimal("1.00"), round_dp(total * Decimal(rng.randint(5, 40)) / 100))
                base["amount"] = fmt(min(amount, total - refunded))
                base["reason"] = rng.choice(PARTIAL_REFUND_REASONS)
            refunded += d(base["amount"])
            out.append(base)
        return out


def _transaction_id(rng: random.Random, pm: str) -> str:
    if pm == "stripe":
        return "ch_" + "".join(rng.choices(string.ascii_letters + string.digits, k=24))
    if pm == "ppcp-gateway":
        return "".join(rng.choices(string.ascii_uppercase + string.digits, k=17))
    if pm == "woocommerce_payments":
        return "pi_" + "".join(rng.choices(string.ascii_letters + string.digits, k=24))
    return ""


def _attribution(rng: random.Random, meta_id: int) -> list[dict]:
    source = rng.choice(["typein", "organic", "referral", "utm"])
    meta = [
        {"id": meta_id + 1, "key": "_wc_order_attribution_device_type", "value": rng.choice(["Desktop", "Mobile"])},
        {"id": meta_id, "key": "_wc_order_attribution_source_type", "value": source},
    ]
    if source in ("organic", "utm", "referral"):
        meta.append(
            {
                "id": meta_id + 2,
                "key": "_wc_order_attribution_utm_source",
                "value": rng.choice(["google", "newsletter", "instagram"]),
            }
        )
    return meta
