"""The breakdown columns (payment method, shipping methods, per-coupon discounts) read from what a real WooCommerce
11 store answers (captured from the real store: /work/shared/woocommerce/captures), and the migration that fills
them for orders stored before them reads the same from `raw`."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps

from storelens.commerce import upsert_orders
from storelens.commerce.models import Order
from storelens.commerce.orders import parse_order
from tests.commerce.conftest import capture_body


def test_a_real_stores_orders_give_their_methods_and_each_coupons_discount() -> None:
    orders = {o["id"]: o for o in capture_body("orders/orders-orderby-id-asc.json")}
    fields = {wc_id: parse_order(o)[0] for wc_id, o in orders.items()}
    assert (fields[88]["payment_method_title"], fields[88]["shipping_methods"]) == (
        "Credit Card (Stripe)",
        ["Flat rate"],
    )
    assert fields[88]["coupon_discounts"] == [["save5", 500]]  # the store's "discount": "5"
    assert fields[89]["coupon_discounts"] == [["blackfriday25", 6725]]
    assert fields[87]["shipping_methods"] == ["International flat rate"] and fields[87]["coupon_discounts"] == []
    for wc_id, f in fields.items():  # every coupon line adds up to the order's own discount_total
        assert sum(d for _, d in f["coupon_discounts"]) == f["discount_total_minor"], wc_id


def test_the_change_feed_state_carries_the_breakdown_values(store: Any) -> None:
    feed: list = []
    from storelens.commerce import changes

    listener = changes.register(lambda _store, orders, _refunds: feed.extend(orders))
    try:
        upsert_orders(store, [o for o in capture_body("orders/orders-orderby-id-asc.json") if o["id"] == 89])
    finally:
        changes.unregister(listener)
    new = feed[0].new
    assert (new.payment_method, new.shipping_methods, new.coupon_discounts) == (
        "Credit Card (Stripe)",
        ("Flat rate",),
        (("blackfriday25", 6725),),
    )


def test_the_migration_fills_the_columns_of_orders_stored_before_them(store: Any) -> None:
    upsert_orders(store, capture_body("orders/orders-orderby-id-asc.json"))
    expected = dict(Order.objects.values_list("wc_id", "coupon_discounts"))
    shipping = dict(Order.objects.values_list("wc_id", "shipping_methods"))
    Order.objects.update(shipping_methods=[], coupon_discounts=[])  # as the columns are when first added
    fill = importlib.import_module("storelens.commerce.migrations.0004_order_breakdown_columns").fill_from_raw
    fill(apps, None)
    assert dict(Order.objects.values_list("wc_id", "coupon_discounts")) == expected
    assert dict(Order.objects.values_list("wc_id", "shipping_methods")) == shipping
    assert any(expected.values()) and all(shipping.values())
