"""The generated store: deterministic by seed, every status, and money that adds up like WooCommerce's."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from fakestore.books import STATUSES
from fakestore.store import FakeStore

from .rest_helpers import make_store


def D(value: str) -> Decimal:
    return Decimal(value)


@pytest.fixture(scope="module")
def store() -> FakeStore:
    return make_store(orders=1500, seed=5, months=12)


_ORDERS: dict[int, list[dict]] = {}


def all_orders(store: FakeStore) -> list[dict]:
    """Every order as JSON, built once per store (the module's tests share them)."""
    if id(store) not in _ORDERS:
        _ORDERS[id(store)] = [store.order_json(i) for i in store.orders.ids if store.orders.exists(i)]
    return _ORDERS[id(store)]


def test_same_seed_and_settings_give_the_same_store_byte_for_byte() -> None:
    a, b = make_store(orders=120, seed=9), make_store(orders=120, seed=9)
    assert list(a.orders.ids) == list(b.orders.ids)
    assert [a.order_json(i) for i in a.orders.ids] == [b.order_json(i) for i in b.orders.ids]
    assert [a.refund_json(i) for i in a.refunds.ids] == [b.refund_json(i) for i in b.refunds.ids]
    assert [a.customer_json(i) for i in a.customers.ids] == [b.customer_json(i) for i in b.customers.ids]


def test_another_seed_gives_another_store() -> None:
    a, b = make_store(orders=50, seed=1), make_store(orders=50, seed=2)
    assert [a.order_json(i)["total"] for i in a.orders.ids[:20]] != [
        b.order_json(i)["total"] for i in b.orders.ids[:20]
    ]


def test_orders_come_in_every_status_including_checkout_draft_and_trash() -> None:
    small = make_store(orders=40, seed=3)
    statuses = {STATUSES[c] for c in small.orders.status}
    assert statuses == {
        "pending",
        "processing",
        "on-hold",
        "completed",
        "cancelled",
        "refunded",
        "failed",
        "checkout-draft",
        "trash",
    }


def test_order_totals_add_up_to_the_cent(store: FakeStore) -> None:
    for o in all_orders(store):
        lines = sum((D(li["total"]) for li in o["line_items"]), Decimal(0))
        line_tax = sum((D(li["total_tax"]) for li in o["line_items"]), Decimal(0))
        subtotals = sum((D(li["subtotal"]) for li in o["line_items"]), Decimal(0))
        ship = sum((D(s["total"]) for s in o["shipping_lines"]), Decimal(0))
        ship_tax = sum((D(s["total_tax"]) for s in o["shipping_lines"]), Decimal(0))
        fees = sum((D(f["total"]) for f in o["fee_lines"]), Decimal(0))
        fee_tax = sum((D(f["total_tax"]) for f in o["fee_lines"]), Decimal(0))
        assert D(o["cart_tax"]) == line_tax + fee_tax
        assert D(o["shipping_tax"]) == ship_tax
        assert D(o["total_tax"]) == line_tax + fee_tax + ship_tax
        assert D(o["discount_total"]) == subtotals - lines
        assert D(o["total"]) == lines + ship + fees + D(o["total_tax"]), o["id"]
        assert D(o["total"]) > 0
        for t in o["tax_lines"]:
            assert D(t["tax_total"]) + D(t["shipping_tax_total"]) == D(o["total_tax"])
        for li in o["line_items"]:
            assert isinstance(li["price"], (int, float))
            assert Decimal(str(li["price"])) * li["quantity"] == pytest.approx(D(li["total"]), abs=Decimal("0.01"))
            for tax in li["taxes"]:  # unrounded strings, rounding to the line's tax
                assert Decimal(tax["total"]).quantize(Decimal("0.01"), "ROUND_HALF_UP") == D(li["total_tax"])


def test_money_is_printed_like_woocommerce(store: FakeStore) -> None:
    orders = all_orders(store)
    assert all(len(o["total"].split(".")[1]) == 2 for o in orders)
    unrounded = [t["total"] for o in orders for li in o["line_items"] for t in li["taxes"]]
    assert any(len(v.split(".")[-1]) > 2 for v in unrounded if "." in v)  # "0.665625"
    negative_fees = [f for o in orders for f in o["fee_lines"] if f["total"].startswith("-")]
    assert negative_fees and all(f["amount"] == "-10" and f["total"] == "-10.00" for f in negative_fees)
    coupons = [c for o in orders for c in o["coupon_lines"]]
    assert coupons and all(isinstance(c["nominal_amount"], (int, float)) for c in coupons)
    assert any("." not in c["discount"] or not c["discount"].endswith("0") for c in coupons)


def test_refunds_carry_woocommerces_signs_and_point_at_order_items(store: FakeStore) -> None:
    refund_ids = list(store.refunds.ids)
    assert len(refund_ids) > 20
    kinds = Counter()
    for rid in refund_ids:
        r = store.refund_json(rid, with_parent=True)
        order = store.order_json(r["parent_id"])
        assert D(r["amount"]) > 0
        assert {"id": rid, "reason": r["reason"], "total": "-" + r["amount"]} in order["refunds"]
        item_ids = {x["id"] for g in ("line_items", "shipping_lines", "fee_lines") for x in order[g]}
        for li in r["line_items"]:
            assert li["quantity"] < 0 and D(li["total"]) <= 0 and D(li["total_tax"]) <= 0
            meta = {m["key"]: m["value"] for m in li["meta_data"]}
            assert int(meta["_refunded_item_id"]) in item_ids
        kinds["items" if r["line_items"] else "amount only"] += 1
    assert kinds["items"] and kinds["amount only"]


def test_fully_refunded_orders_keep_their_total_and_are_refunded_in_full(store: FakeStore) -> None:
    refunded = [o for o in all_orders(store) if o["status"] == "refunded"]
    assert refunded
    for o in refunded:
        assert sum(-D(r["total"]) for r in o["refunds"]) == D(o["total"])


def test_dates_are_naive_local_and_utc_and_paid_only_when_paid(store: FakeStore) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    for o in all_orders(store)[:300]:
        local = datetime.fromisoformat(o["date_created"]).replace(tzinfo=ZoneInfo("America/New_York"))
        gmt = datetime.fromisoformat(o["date_created_gmt"]).replace(tzinfo=ZoneInfo("UTC"))
        assert local == gmt
        assert o["date_modified_gmt"] >= o["date_created_gmt"]
        if o["status"] in ("pending", "on-hold", "failed", "cancelled", "checkout-draft", "trash"):
            assert o["date_paid"] is None and o["date_paid_gmt"] is None
        if o["status"] in ("processing", "completed", "refunded"):
            assert o["date_paid"] is not None
        if o["status"] == "completed":
            assert o["date_completed_gmt"] >= o["date_paid_gmt"]


def test_customers_guests_gateways_currencies_and_names_vary(store: FakeStore) -> None:
    orders = all_orders(store)
    assert any(o["customer_id"] == 0 for o in orders) and any(o["customer_id"] for o in orders)
    assert len({o["payment_method"] for o in orders}) >= 5
    assert {"checkout", "store-api", "admin", "rest-api"} <= {o["created_via"] for o in orders}
    currencies = Counter(o["currency"] for o in orders)
    assert currencies["USD"] > 1400 and currencies["EUR"] >= 1
    assert any(not o["billing"]["first_name"].isascii() or not o["billing"]["last_name"].isascii() for o in orders)
    customers = [store.customer_json(i) for i in store.customers.ids]
    assert any(not c["first_name"].isascii() for c in customers)


def test_products_are_simple_and_variable_with_variations_some_on_sale(store: FakeStore) -> None:
    products = [store.products.get(i) for i in store.products.ids]
    types = Counter(p["type"] for p in products)
    assert types["simple"] and types["variable"]
    assert any(p["on_sale"] for p in products)
    for p in products:
        if p["type"] == "variable":
            assert p["variations"] and all(store.variations.get(v)["parent_id"] == p["id"] for v in p["variations"])


def test_store_currency_and_time_zone_are_chosen() -> None:
    tokyo = make_store(orders=30, currency="JPY", timezone="Asia/Tokyo")
    o = tokyo.order_json(tokyo.orders.ids[-1])
    assert o["currency"] in ("JPY", "EUR")
    from datetime import datetime

    assert datetime.fromisoformat(o["date_created"]) - datetime.fromisoformat(o["date_created_gmt"]) == (
        datetime(2000, 1, 1, 9) - datetime(2000, 1, 1)
    )


def test_subscriptions_exist_only_when_asked() -> None:
    assert make_store(orders=80).subscriptions is None
    with_subs = make_store(orders=400, subscriptions=True)
    assert with_subs.subscriptions is not None and len(with_subs.subscriptions) > 0
    sub = with_subs.subscription_json(with_subs.subscriptions.ids[0])
    assert sub["billing_period"] in ("month", "year") and "refunds" not in sub
    assert with_subs.order(sub["parent_id"]) is not None


def test_generation_keeps_only_index_columns_until_an_order_is_read() -> None:
    big = make_store(orders=20_000, seed=4)
    assert len(big.orders) == 20_000
    assert big.orders.overlay == {}
    big.order_json(big.orders.ids[123])
    assert big.orders.overlay == {}  # built on demand, cached, never stored
