"""A deterministic WooCommerce store: same seed and settings, same data, byte for byte.

Generation keeps only index columns per order (status, dates, customer, refunds, coupon); the full order JSON
is built on demand from (seed, order id) by `OrderFactory.build`, so 100k orders take seconds and megabytes.
Everything is shaped on the real lab store (captures and dataset): line items with per-line taxes, shipping,
fees (some negative), coupons, several gateways, partial and full refunds with WooCommerce's signs.
"""

from __future__ import annotations

import random
import secrets
import string
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from .books import STATUSES, Book
from .catalog import Catalog, Sellable, build_catalog
from .money import ZERO, d, fmt, number, round_dp, tax_of, trim
from .people import customer_person, gravatar, guest_person
from .pricing import (
    RATE_BY_ID,
    TaxRate,
    apply_totals,
    coupon_line,
    discounts,
    fee_line,
    line_item,
    rate_for,
    shipping_line,
)

DAY = 86_400
WC_VERSION = "9.9.5"

PAYMENT_METHODS: list[tuple[str, str, int, bool]] = [  # id, title, weight, paid online at checkout
    ("stripe", "Credit Card (Stripe)", 44, True),
    ("ppcp-gateway", "PayPal", 25, True),
    ("cod", "Cash on delivery", 10, False),
    ("bacs", "Direct bank transfer", 10, False),
    ("cheque", "Check payments", 6, False),
    ("woocommerce_payments", "WooPayments", 4, True),
]
_PM_WEIGHTS = [p[2] for p in PAYMENT_METHODS]
CREATED_VIA = [("checkout", 55), ("store-api", 33), ("admin", 8), ("rest-api", 4)]
_VIA_WEIGHTS = [v[1] for v in CREATED_VIA]

COUPONS: list[tuple[str, str, str, bool]] = [  # code, discount_type, amount, free_shipping
    ("welcome10", "percent", "10.00", False),
    ("save5", "fixed_cart", "5.00", False),
    ("freeship", "fixed_cart", "0.00", True),
    ("tshirt3", "fixed_product", "3.00", False),
    ("blackfriday25", "percent", "25.00", False),
    ("été20", "percent", "20.00", False),
    ("vip15", "percent", "15.00", False),
    ("bigspender", "fixed_cart", "20.00", False),
]
_USABLE_COUPONS = [0, 1, 4, 5, 6, 7]  # generated orders use these (percent and fixed_cart)

FEES: list[tuple[str, str, bool]] = [
    ("Payment surcharge", "4.99", True),
    ("Gift wrapping", "3.50", True),
    ("Express handling", "4.99", True),
    ("Loyalty discount", "-10.00", False),
]
FULL_REFUND_REASONS = ["Customer returned everything", "Order never arrived", "Duplicate order", ""]
PARTIAL_REFUND_REASONS = ["Price adjustment", "Goodwill credit", "Late delivery 🙁", "Order never arrived", ""]
CUSTOMER_NOTES = [
    "",
    "",
    "",
    "",
    "",
    "",
    "Please leave at the door 🚪",
    "Geschenk — bitte ohne Rechnung",
    "配達前に電話してください",
]
USER_AGENTS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
]
CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CAD": "$",
    "AUD": "$",
    "CHF": "CHF",
    "SEK": "kr",
    "NOK": "kr",
    "DKK": "kr",
    "PLN": "zł",
    "BRL": "R$",
    "INR": "₹",
    "CNY": "¥",
    "MXN": "$",
    "NZD": "$",
}
CURRENCY_ENTITIES = {"USD": "&#36;", "EUR": "&euro;", "GBP": "&pound;", "JPY": "&yen;", "CAD": "&#36;", "AUD": "&#36;"}

# Order statuses, weighted like the lab store; unfinished states only stay unfinished for recent orders.
_OLD_STATUSES = [
    ("completed", 740),
    ("cancelled", 90),
    ("refunded", 68),
    ("failed", 50),
    ("pending", 12),
    ("on-hold", 12),
    ("processing", 4),
    ("checkout-draft", 1),
    ("trash", 6),
]
EVERY_STATUS = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
    "trash",
]
_RECENT_STATUSES = [  # the last 30 days
    ("completed", 380),
    ("processing", 120),
    ("on-hold", 110),
    ("pending", 100),
    ("cancelled", 60),
    ("refunded", 30),
    ("failed", 50),
    ("checkout-draft", 12),
    ("trash", 4),
]
PAID_STATUSES = {"processing", "completed", "refunded"}
SUBSCRIPTION_STATUSES = [
    ("active", 60),
    ("on-hold", 8),
    ("cancelled", 12),
    ("expired", 8),
    ("pending-cancel", 5),
    ("pending", 4),
    ("switched", 3),
]


def currency_symbol(code: str) -> str:
    return CURRENCY_SYMBOLS.get(code, code)


def other_currency(store_currency: str) -> str:
    return "USD" if store_currency == "EUR" else "EUR"


def history_end_ts(history_end: str | None) -> int:
    """Midnight UTC that closes the generated history: the given date, else today (so data stay in the past)."""
    day = date.fromisoformat(history_end) if history_end else datetime.now(UTC).date()
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


@dataclass
class RefundSpec:
    id: int
    created: int
    kind: str  # full, item, amount, remainder


@dataclass
class Generated:
    catalog: Catalog
    coupons: Book
    customers: Book
    customer_names: list[str]  # display names aligned with customer positions (orderby=name)
    orders: Book
    refunds: Book
    subscriptions: Book | None
    refunds_of: dict[int, list[int]]
    next_id: int
    history_start: int
    history_end: int
    factory: OrderFactory


@dataclass
class OrderFactory:
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
    subscription_parent: dict[int, tuple[int, str, int]] = field(
        default_factory=dict
    )  # id -> (parent, status, created)
    _sellables: list[Sellable] = field(default_factory=list)
    _last: tuple[int, dict, list[dict]] | None = None

    def __post_init__(self) -> None:
        self._sellables = [s for s in self.catalog.sellables if s.price > 0]

    # --- customers -------------------------------------------------------------------------------------------
    def build_customer(self, customer_id: int, pos: int, book: Book) -> dict:
        created, modified = book.created[pos], book.modified[pos]
        if customer_id == 1:
            return _admin_customer(created)
        p, username = customer_person(self.seed, customer_id, customer_id - self.customer_serial_base)
        paying = customer_id < len(self.customer_paying) and bool(self.customer_paying[customer_id])
        return {
            "id": customer_id,
            "date_created": created,
            "date_created_gmt": created,
            "date_modified": modified,
            "date_modified_gmt": modified,
            "email": p.email,
            "first_name": p.first,
            "last_name": p.last,
            "role": "customer",
            "username": username,
            "billing": {
                "first_name": p.first,
                "last_name": p.last,
                "company": "",
                "address_1": p.address_1,
                "address_2": "",
                "city": p.city,
                "postcode": p.postcode,
                "country": p.country,
                "state": p.state,
                "email": p.email,
                "phone": p.phone,
            },
            "shipping": {
                "first_name": p.first,
                "last_name": p.last,
                "company": "",
                "address_1": p.ship_address_1,
                "address_2": "",
                "city": p.ship_city,
                "postcode": p.ship_postcode,
                "country": p.ship_country,
                "state": p.ship_state,
                "phone": p.ship_phone,
            },
            "is_paying_customer": paying,
            "avatar_url": gravatar(p.email),
            "meta_data": [],
        }

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
                    used_by.append(str(owner) if owner else guest_person(self.seed, self.orders.ids[p]).email)
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
        status = _status_name(book.status[pos])
        built_as = "cancelled" if status == "trash" else status
        created, modified = book.created[pos], book.modified[pos]
        paid = self.paid[pos] or None
        completed = self.completed[pos] or None
        customer_id = book.owner[pos]
        flags = self.flags[pos]
        currency = other_currency(self.currency) if flags & 1 else self.currency
        pm_id, pm_title, _, _ = PAYMENT_METHODS[(flags >> 1) & 7]
        if customer_id:
            person, _ = customer_person(self.seed, customer_id, customer_id - self.customer_serial_base)
        else:
            person = guest_person(self.seed, order_id)
        via = rng.choices(CREATED_VIA, weights=_VIA_WEIGHTS)[0][0]
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
        if all_virtual:
            rate = rate_for(person.country, person.state)
        else:
            rate = rate_for(person.ship_country, person.ship_state)
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
                    rate=rate,
                    reduced_stock=built_as in PAID_STATUSES and rng.random() < 0.5,
                )
            )
            next_item += 1
        items_total = sum((d(li["total"]) for li in lines), ZERO)

        shipping = []
        if not all_virtual:
            if person.ship_country != "US":
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
            "prices_include_tax": False,
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
        if coupon is not None:
            disc = sum(line_discounts, ZERO)
            disc_tax = sum((tax_of(x, rate.percent) for x in line_discounts), ZERO) if rate else ZERO
            order["coupon_lines"] = [coupon_line(next_item, meta_base + 950, coupon, disc, round_dp(disc_tax))]
            next_item += 1
        apply_totals(order, tax_item)
        refunds = self._refunds(order, self.refund_specs.get(order_id, []), rate, rng)
        order["refunds"] = [
            {"id": r["id"], "reason": r["reason"], "total": "-" + r["amount"]} for r in reversed(refunds)
        ]
        self._last = (order_id, order, refunds)
        return order, refunds

    def _coupon(self, index: int) -> dict:
        code, ctype, amount, free_ship = COUPONS[index]
        coupon_id = self.coupon_book.ids[index] if self.coupon_book is not None else index
        return {"id": coupon_id, "code": code, "discount_type": ctype, "amount": amount, "free_shipping": free_ship}

    def _refunds(self, order: dict, specs: list[RefundSpec], rate: TaxRate | None, rng: random.Random) -> list[dict]:
        out: list[dict] = []
        refunded = ZERO
        total = d(order["total"])
        for spec in specs:
            base = {
                "id": spec.id,
                "parent_id": order["id"],
                "date_created": spec.created,
                "date_created_gmt": spec.created,
                "amount": "0.00",
                "reason": "",
                "refunded_by": 1,
                "refunded_payment": False,
                "meta_data": [],
                "line_items": [],
                "shipping_lines": [],
                "tax_lines": [],
                "fee_lines": [],
            }
            if spec.kind == "full":
                _full_refund_lines(base, order, spec.id)
                base["amount"] = fmt(total)
                base["reason"] = rng.choice(FULL_REFUND_REASONS)
            elif spec.kind == "remainder":
                base["amount"] = fmt(total - refunded)
                base["reason"] = rng.choice(FULL_REFUND_REASONS)
            elif spec.kind == "item" and order["line_items"]:
                line = rng.choice(order["line_items"])
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
                        "meta_data": [_refunded_item_meta(spec.id * 1000, line["id"])],
                        "price": number(unit),
                    }
                )
                base["line_items"] = [item]
                if rate and line["taxes"]:
                    base["tax_lines"] = [_refund_tax_line(spec.id * 100 + 1, rate.id, tax, ZERO)]
                base["amount"] = fmt(unit + tax)
                base["reason"] = f"Item returned: {line['name']}"
            else:
                amount = max(Decimal("1.00"), round_dp(total * Decimal(rng.randint(5, 40)) / 100))
                base["amount"] = fmt(min(amount, total - refunded))
                base["reason"] = rng.choice(PARTIAL_REFUND_REASONS)
            refunded += d(base["amount"])
            out.append(base)
        return out

    # --- subscriptions ---------------------------------------------------------------------------------------
    def build_subscription(self, sub_id: int, pos: int, book: Book) -> dict:
        assert self.orders is not None
        parent_id, _, _ = self.subscription_parent[sub_id]
        ppos = self.orders.position(parent_id)
        assert ppos is not None
        parent = self.build_order(parent_id, ppos)
        rng = random.Random(self.seed * 2_000_003 + sub_id)
        status = _status_name(book.status[pos])
        created, modified = book.created[pos], book.modified[pos]
        period = rng.choice(["month", "month", "month", "year"])
        step = 30 * DAY if period == "month" else 365 * DAY
        line = dict(parent["line_items"][0])
        line["id"] = sub_id * 100
        sub = {k: v for k, v in parent.items() if k not in ("refunds", "transaction_id")}
        sub.update(
            {
                "id": sub_id,
                "parent_id": parent_id,
                "status": status,
                "date_created": created,
                "date_modified": modified,
                "date_created_gmt": created,
                "date_modified_gmt": modified,
                "number": str(sub_id),
                "order_key": "wc_order_" + "".join(rng.choices(string.ascii_letters + string.digits, k=13)),
                "line_items": [line],
                "coupon_lines": [],
                "fee_lines": [],
                "date_completed": None,
                "date_completed_gmt": None,
                "needs_payment": False,
                "is_editable": status in ("pending", "on-hold"),
                "payment_url": f"/checkout/order-pay/{sub_id}/?pay_for_order=true&key=wc_order_sub{sub_id}",
            }
        )
        sub["shipping_lines"] = [dict(s, id=sub_id * 100 + 1) for s in parent["shipping_lines"]]
        sub["tax_lines"] = []
        apply_totals(sub, sub_id * 100 + 2)
        ended = status in ("cancelled", "expired", "switched")
        last_payment = max(created, modified - rng.randint(0, 3) * DAY)
        sub.update(
            {
                "billing_period": period,
                "billing_interval": "1",
                "start_date_gmt": _gmt(created),
                "trial_end_date_gmt": "",
                "next_payment_date_gmt": "" if ended or status == "pending-cancel" else _gmt(last_payment + step),
                "payment_retry_date_gmt": "",
                "last_payment_date_gmt": _gmt(last_payment),
                "cancelled_date_gmt": _gmt(modified) if status in ("cancelled", "pending-cancel") else "",
                "end_date_gmt": _gmt(modified)
                if ended
                else ("" if status != "pending-cancel" else _gmt(last_payment + step)),
                "resubscribed_from": "",
                "resubscribed_subscription": "",
                "removed_line_items": [],
            }
        )
        return sub


def _gmt(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _status_name(code: int) -> str:
    return STATUSES[code]


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


def _refunded_item_meta(meta_id: int, item_id: int) -> dict:
    return {
        "id": meta_id,
        "key": "_refunded_item_id",
        "value": str(item_id),
        "display_key": "_refunded_item_id",
        "display_value": str(item_id),
    }


def _refund_tax_line(item_id: int, rate_id: int, tax: Decimal, shipping_tax: Decimal) -> dict:
    rate = RATE_BY_ID[rate_id]
    return {
        "id": item_id,
        "rate_code": rate.code,
        "rate_id": rate.id,
        "label": rate.label,
        "compound": False,
        "tax_total": fmt(-tax),
        "shipping_tax_total": fmt(-shipping_tax),
        "rate_percent": number(rate.percent),
        "meta_data": [],
    }


def _negate_taxes(taxes: list[dict], keep_empty_subtotal: bool) -> list[dict]:
    out = []
    for t in taxes:
        neg = trim(-d(t["total"]))
        sub = "" if keep_empty_subtotal else neg
        out.append({"id": t["id"], "total": neg, "subtotal": sub})
    return out


def _full_refund_lines(refund: dict, order: dict, refund_id: int) -> None:
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
                "meta_data": [_refunded_item_meta(meta, li["id"])],
            }
        )
        lines.append(x)
        item += 1
        meta += 10
    ships = []
    for s in order["shipping_lines"]:
        x = dict(s)
        x.update(
            {
                "id": item,
                "total": fmt(-d(s["total"])),
                "total_tax": fmt(-d(s["total_tax"])),
                "taxes": _negate_taxes(s["taxes"], True),
                "meta_data": [_refunded_item_meta(meta, s["id"])],
            }
        )
        ships.append(x)
        item += 1
        meta += 10
    fees = []
    for f in order["fee_lines"]:
        x = dict(f)
        x.update(
            {
                "id": item,
                "total": fmt(-d(f["total"])),
                "total_tax": fmt(-d(f["total_tax"])),
                "taxes": _negate_taxes(f["taxes"], True),
                "meta_data": [_refunded_item_meta(meta, f["id"])],
            }
        )
        fees.append(x)
        item += 1
        meta += 10
    taxes = []
    for t in order["tax_lines"]:
        taxes.append(_refund_tax_line(item, t["rate_id"], d(t["tax_total"]), d(t["shipping_tax_total"])))
        item += 1
    refund["line_items"], refund["shipping_lines"], refund["fee_lines"], refund["tax_lines"] = lines, ships, fees, taxes


def _admin_customer(created: int) -> dict:
    empty_billing = {
        "first_name": "",
        "last_name": "",
        "company": "",
        "address_1": "",
        "address_2": "",
        "city": "",
        "postcode": "",
        "country": "",
        "state": "",
        "email": "",
        "phone": "",
    }
    empty_shipping = {k: "" for k in empty_billing if k != "email"}
    return {
        "id": 1,
        "date_created": created,
        "date_created_gmt": created,
        "date_modified": None,
        "date_modified_gmt": None,
        "email": "admin@example.com",
        "first_name": "",
        "last_name": "",
        "role": "administrator",
        "username": "admin",
        "billing": empty_billing,
        "shipping": empty_shipping,
        "is_paying_customer": False,
        "avatar_url": gravatar("admin@example.com"),
        "meta_data": [],
    }


def _pick_status(rng: random.Random, age_days: float) -> str:
    table = _RECENT_STATUSES if age_days < 30 else _OLD_STATUSES
    return rng.choices([s for s, _ in table], weights=[w for _, w in table])[0]


def generate(
    *,
    seed: int,
    orders: int,
    months: int,
    currency: str = "USD",
    subscriptions: bool = False,
    history_end: int,
) -> Generated:
    """The whole store's index; nothing here depends on the clock except through `history_end`."""
    rng = random.Random(seed)
    end = history_end
    start = end - int(months * 30.44 * DAY)
    catalog = build_catalog(first_id=10, created=start - 14 * DAY, home_url="")
    next_id = catalog.next_id
    factory = OrderFactory(seed=seed, currency=currency, catalog=catalog)

    coupon_book = Book(builder=lambda cid, pos: factory.build_coupon(cid, pos, coupon_book), cache_size=16)
    for _ in COUPONS:
        coupon_book.append(next_id, "publish", start - 14 * DAY, start - 14 * DAY)
        next_id += 1
    factory.coupon_book = coupon_book

    # customers: WordPress users 2..n+1 (1 is the administrator); registrations spread before and over history
    n_customers = max(5, min(orders // 10, 50_000))
    reg = sorted(
        (start - rng.randint(0, 180 * DAY)) if rng.random() < 0.25 else rng.randint(start, end - 1)
        for _ in range(n_customers)
    )
    customers = Book(builder=lambda cid, pos: factory.build_customer(cid, pos, customers), cache_size=4096)
    customers.append(1, "administrator", start - 30 * DAY, start - 30 * DAY)
    names = ["admin"]
    from .people import customer_identity

    for i, t in enumerate(reg):
        cid = i + 2
        customers.append(cid, "customer", t, min(end - 1, t + rng.randint(0, 30 * DAY)))
        first, last, _ = customer_identity(seed, cid, i)
        names.append(f"{first} {last}")
    factory.customer_paying = bytearray(n_customers + 2)

    # orders, with their refunds right after them in the shared id sequence
    order_book = Book(builder=factory.build_order, cache_size=1024)
    refund_book = Book(builder=lambda rid, pos: factory.build_refund(rid, pos, refund_book), cache_size=1024)
    factory.orders = order_book
    created_times = sorted(rng.randint(start, end - 120) for _ in range(orders))
    refunds_of: dict[int, list[int]] = {}
    rand = rng.random
    randint = rng.randint
    # Every status appears at least once whenever the store is big enough to hold them all.
    forced: dict[int, str] = {}
    if orders >= 4 * len(EVERY_STATUS):
        recent = [i for i, t in enumerate(created_times) if end - t < 60 * DAY] or list(range(orders))
        if len(recent) < len(EVERY_STATUS):
            recent = list(range(orders // 2, orders))
        for i, status in zip(rng.sample(recent, len(EVERY_STATUS)), EVERY_STATUS, strict=True):
            forced[i] = status
    for i, t in enumerate(created_times):
        oid = next_id
        next_id += 1
        status = forced.get(i) or _pick_status(rng, (end - t) / DAY)
        customer = 0
        if rand() < 0.7:
            k = bisect_right(reg, t)
            if k:
                customer = rng.randrange(k) + 2
        pm = rng.choices(range(len(PAYMENT_METHODS)), weights=_PM_WEIGHTS)[0]
        online = PAYMENT_METHODS[pm][3]
        flags = (pm << 1) | (1 if rand() < 0.004 else 0)
        paid = completed = 0
        last = t
        if status in PAID_STATUSES:
            paid = min(end - 60, t + (randint(5, 300) if online else randint(3600, 3 * DAY)))
            last = paid
            if customer:
                factory.customer_paying[customer] = 1
        if status in ("completed", "refunded"):
            completed = min(end - 30, paid + randint(2 * 3600, 6 * DAY))
            last = completed
        specs: list[RefundSpec] = []
        if status == "refunded":
            kinds = ["amount", "remainder"] if rand() < 0.12 else ["full"]
        elif status == "completed" and rand() < 0.09:
            kinds = ["item" if rand() < 0.5 else "amount"]
            if rand() < 0.1:
                kinds.append("amount")
        else:
            kinds = []
        when = last
        for kind in kinds:
            when = min(end - 10, when + randint(3600, 20 * DAY))
            specs.append(RefundSpec(next_id, when, kind))
            next_id += 1
        if specs:
            last = specs[-1].created
        if status == "cancelled":
            last = t + randint(3600, 3 * DAY)
        elif status == "failed":
            last = t + randint(0, 600)
        elif status in ("pending", "on-hold"):
            last = t + randint(0, 3600)
        elif status == "trash":
            last = t + randint(DAY, 10 * DAY)
        modified = t if status == "checkout-draft" else min(end - 1, last + randint(0, 3600))
        order_book.append(oid, status, t, modified, customer)
        coupon = _USABLE_COUPONS[randint(0, len(_USABLE_COUPONS) - 1)] if rand() < 0.2 else -1
        factory.paid.append(paid)
        factory.completed.append(completed)
        factory.coupon.append(coupon)
        factory.flags.append(flags)
        if specs:
            factory.refund_specs[oid] = specs
            refunds_of[oid] = [s.id for s in specs]
            for s in specs:
                refund_book.append(s.id, "completed", s.created, s.created, oid)

    subscription_book: Book | None = None
    if subscriptions:
        subscription_book = Book(
            builder=lambda sid, pos: factory.build_subscription(sid, pos, subscription_book), cache_size=512
        )
        srng = random.Random(seed * 31 + 7)
        for p in range(len(order_book)):
            if order_book.owner[p] == 0 or _status_name(order_book.status[p]) not in ("completed", "processing"):
                continue
            if srng.random() >= 0.08:
                continue
            sid = next_id
            next_id += 1
            status = srng.choices([s for s, _ in SUBSCRIPTION_STATUSES], weights=[w for _, w in SUBSCRIPTION_STATUSES])[
                0
            ]
            created = order_book.created[p]
            modified = min(end - 1, max(order_book.modified[p], created + srng.randint(0, 60 * DAY)))
            subscription_book.append(sid, status, created, modified, order_book.owner[p])
            factory.subscription_parent[sid] = (order_book.ids[p], status, created)

    return Generated(
        catalog=catalog,
        coupons=coupon_book,
        customers=customers,
        customer_names=names,
        orders=order_book,
        refunds=refund_book,
        subscriptions=subscription_book,
        refunds_of=refunds_of,
        next_id=next_id,
        history_start=start,
        history_end=end,
        factory=factory,
    )


def new_order_key() -> str:
    return "wc_order_" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(13))
