from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from storelens import commerce
from storelens.commerce import changes
from storelens.commerce.models import Customer, LineItem, Order, Refund, RefundLine
from storelens.commerce.money import MinorUnits, to_minor

from .conftest import capture_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich() -> dict:
    return capture_body("orders/order-single-rich.json")


@pytest.fixture
def feed() -> Any:
    seen: list[tuple[list, list]] = []

    def listener(store: Any, orders: list, refunds: list) -> None:
        seen.append((orders, refunds))

    changes.register(listener)
    yield seen
    changes.unregister(listener)


def test_amounts_become_minor_units_of_the_currency_without_floats() -> None:
    assert to_minor("219.3800", "USD") == 21938
    assert to_minor("-47.63", "USD") == -4763
    assert to_minor("1500", "JPY") == 1500
    assert to_minor("1.234", "BHD") == 1234
    assert to_minor("", "USD") == 0


def test_a_value_finer_than_the_currency_is_rounded_half_up_and_reported() -> None:
    minor = MinorUnits("USD")
    assert minor("0.665625") == 67
    assert minor("0.125") == 13
    assert minor.rounded == ["0.665625", "0.125"]


def test_an_order_is_stored_exactly_as_the_store_gave_it(store: Any, rich: dict) -> None:
    commerce.upsert_orders(store, [rich])
    order = Order.objects.get(store=store, wc_id=2256)
    assert (order.total_minor, order.total_tax_minor, order.shipping_total_minor) == (21938, 1789, 750)
    assert (order.discount_total_minor, order.fee_total_minor) == (500, 499)
    assert order.status == "completed" and order.currency == "USD"
    assert order.created_at.isoformat() == "2026-11-03T07:50:20+00:00"
    assert order.coupon_codes == ["save5"]
    assert order.refund_ids == [2257]
    assert order.customer is not None and order.customer.key == "wc:87"
    lines = list(LineItem.objects.filter(order=order).order_by("wc_item_id"))
    assert sum(li.subtotal_minor for li in lines) == order.subtotal_minor
    assert order.items_count == sum(int(li.quantity) for li in lines)


def test_writing_the_same_order_twice_changes_nothing_and_emits_once(store: Any, rich: dict, feed: list) -> None:
    commerce.upsert_orders(store, [rich])
    commerce.upsert_orders(store, [copy.deepcopy(rich)])
    assert Order.objects.filter(store=store).count() == 1
    assert LineItem.objects.filter(store=store).count() == len(rich["line_items"])
    assert len(feed) == 1
    ((orders, _),) = feed
    assert orders[0].old is None and orders[0].new.total_minor == 21938


def test_a_status_change_reaches_listeners_with_old_and_new_state(store: Any, rich: dict, feed: list) -> None:
    commerce.upsert_orders(store, [rich])
    commerce.upsert_orders(store, [{**rich, "status": "refunded"}])
    change = feed[-1][0][0]
    assert (change.old.status, change.new.status) == ("completed", "refunded")


def test_a_refund_arriving_before_its_order_is_linked_when_the_order_comes(store: Any, rich: dict) -> None:
    refund = capture_body("orders/order-refund-single.json")
    commerce.upsert_refunds(store, [refund], parent_wc_id=2256)
    assert Refund.objects.get(wc_id=2257).order is None
    result = commerce.upsert_orders(store, [rich])
    stored = Refund.objects.get(wc_id=2257)
    assert stored.order.wc_id == 2256 and stored.amount_minor == 4763 and stored.currency == "USD"
    assert result.refunds_missing == set()
    line = RefundLine.objects.get(refund=stored)
    assert line.refunded_item_id == 8024 and line.quantity == Decimal(-1) and line.total_minor == -4375
    assert stored.items_quantity == -1  # the refund's own count, negative as its lines


def test_an_order_listing_a_refund_we_lack_asks_for_it(store: Any, rich: dict) -> None:
    assert commerce.upsert_orders(store, [rich]).refunds_missing == {2256}


def test_a_refund_the_order_no_longer_lists_is_marked_deleted(store: Any, rich: dict, feed: list) -> None:
    refund = capture_body("orders/order-refund-single.json")
    commerce.upsert_orders(store, [rich])
    commerce.upsert_refunds(store, [refund], parent_wc_id=2256)
    commerce.upsert_orders(store, [{**rich, "refunds": []}])
    assert Refund.objects.get(wc_id=2257).deleted_at is not None
    assert feed[-1][1][0].new is None


def test_a_guest_email_that_registers_becomes_one_identity(store: Any, rich: dict) -> None:
    guest = {**rich, "id": 9001, "customer_id": 0, "billing": {**rich["billing"], "email": "Olga@Example.com"}}
    commerce.upsert_orders(store, [guest])
    assert Order.objects.get(wc_id=9001).customer.key == "email:olga@example.com"
    commerce.upsert_customers(store, [{"id": 87, "email": "olga@example.com", "first_name": "Olga", "billing": {}}])
    assert not Customer.objects.filter(key="email:olga@example.com").exists()
    assert Order.objects.get(wc_id=9001).customer.key == "wc:87"


def test_a_hard_deleted_order_stays_visible_but_leaves_the_feed(store: Any, rich: dict, feed: list) -> None:
    commerce.upsert_orders(store, [rich])
    assert commerce.mark_orders_deleted(store, [2256]) == 1
    order = Order.objects.get(wc_id=2256)
    assert order.deleted_at is not None and not order.counts
    assert feed[-1][0][0].new is None
    assert commerce.mark_orders_deleted(store, [2256]) == 0


def test_the_refund_that_reaches_the_order_total_is_the_full_one() -> None:
    from storelens.commerce.refunds import full_refund_ids

    totals = {1: 11000, 2: 5000, 3: 4000}
    refunds = [(10, 1, 2000), (12, 1, 9000), (11, 2, 1000), (13, 3, 4000), (14, 3, 0)]
    # Order 1: 20.00 then the rest (12 is full); order 2: partly refunded (none); order 3: one refund of everything.
    assert full_refund_ids(refunds, totals) == {12, 13}
    assert full_refund_ids([(20, 9, 100)], {}) == set()  # order unknown: no guess
