"""Customer identities of a page: a guest e-mail that belongs to a registered customer resolves to that customer,
also when the customer's first order is in the same page (before or after the guest order) or a later one, and the
customer rollups stay equal to a rebuild from the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from storelens import commerce
from storelens.analytics.models import CustomerRollup
from storelens.analytics.rollups.customers import rebuild
from storelens.commerce import changes
from storelens.commerce.models import Customer, Order

from .conftest import capture_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich() -> dict:
    return capture_body("orders/order-single-rich.json")


@pytest.fixture
def feed() -> Any:
    seen: list[list] = []

    def listener(store: Any, orders: list, refunds: list) -> None:
        seen.append(orders)

    changes.register(listener)
    yield seen
    changes.unregister(listener)


def order(rich: dict, wc_id: int, customer_id: int, email: str) -> dict:
    return {
        **rich,
        "id": wc_id,
        "number": str(wc_id),
        "customer_id": customer_id,
        "billing": {**rich["billing"], "email": email},
        "refunds": [],
    }


def assert_foreign_keys_hold() -> None:
    """What the page's commit checks (SQLite and PostgreSQL defer foreign keys to it): checked now, in the test."""
    connection.check_constraints()


def owners(store: Any) -> dict[int, str]:
    return dict(Order.objects.filter(store=store).values_list("wc_id", "customer__key"))


def rollups(store: Any) -> dict[tuple, tuple]:
    return {
        (r.customer.key, r.basis, r.status, r.currency): (r.orders, r.net_minor, r.first_at, r.last_at)
        for r in CustomerRollup.objects.filter(store=store).select_related("customer")
    }


def assert_rollups_equal_a_rebuild(store: Any) -> None:
    moved = rollups(store)
    rebuild(store)
    assert moved == rollups(store)


@pytest.mark.parametrize("guest_first", [True, False], ids=["guest-before", "guest-after"])
def test_a_guest_order_using_the_email_of_a_customer_whose_first_order_is_in_the_same_page_points_at_the_customer(
    store: Any, rich: dict, feed: list, guest_first: bool
) -> None:
    guest = order(rich, 9001, 0, "Olga.Petrova@Example.COM")
    registered = order(rich, 9002, 87, "olga.petrova@example.com")
    commerce.upsert_orders(store, [guest, registered] if guest_first else [registered, guest])
    assert_foreign_keys_hold()
    assert owners(store) == {9001: "wc:87", 9002: "wc:87"}
    assert not Customer.objects.filter(store=store, is_registered=False).exists()
    assert {c.wc_id: c.new.customer_key for c in feed[-1]} == {9001: "wc:87", 9002: "wc:87"}
    assert_rollups_equal_a_rebuild(store)


def test_a_registered_customers_first_order_after_their_guest_orders_takes_them_over_across_pages(
    store: Any, rich: dict, feed: list
) -> None:
    commerce.upsert_orders(store, [order(rich, 9001, 0, "OLGA@example.com"), order(rich, 9003, 0, "ivan@example.com")])
    assert owners(store) == {9001: "email:olga@example.com", 9003: "email:ivan@example.com"}
    # The next page: the customer's first order with another guest order of theirs (different case) around it.
    commerce.upsert_orders(
        store,
        [order(rich, 9004, 0, "Olga@Example.com"), order(rich, 9005, 87, "olga@example.com")],
    )
    assert_foreign_keys_hold()
    assert owners(store) == {
        9001: "wc:87",
        9003: "email:ivan@example.com",
        9004: "wc:87",
        9005: "wc:87",
    }
    assert set(Customer.objects.filter(store=store).values_list("key", flat=True)) == {
        "wc:87",
        "email:ivan@example.com",
    }
    assert {c.wc_id: c.new.customer_key for c in feed[-1]} == {9004: "wc:87", 9005: "wc:87"}
    assert_rollups_equal_a_rebuild(store)


def test_a_guest_order_read_again_in_the_page_that_brings_its_customer_moves_to_the_customer(
    store: Any, rich: dict, feed: list
) -> None:
    commerce.upsert_orders(store, [order(rich, 9001, 0, "olga@example.com")])
    commerce.upsert_orders(
        store, [order(rich, 9002, 87, "Olga@example.com"), {**order(rich, 9001, 0, "olga@EXAMPLE.com")}]
    )
    assert_foreign_keys_hold()
    assert owners(store) == {9001: "wc:87", 9002: "wc:87"}
    moved = {c.wc_id: (c.old.customer_key if c.old else None, c.new.customer_key) for c in feed[-1]}
    assert moved == {9001: ("email:olga@example.com", "wc:87"), 9002: (None, "wc:87")}
    assert_rollups_equal_a_rebuild(store)


def test_guest_orders_of_one_email_in_any_case_share_one_identity(store: Any, rich: dict) -> None:
    commerce.upsert_orders(store, [order(rich, 9001, 0, "Ana@Example.com"), order(rich, 9002, 0, "ana@example.COM")])
    commerce.upsert_orders(store, [order(rich, 9003, 0, "ANA@EXAMPLE.COM")])
    assert_foreign_keys_hold()
    assert set(owners(store).values()) == {"email:ana@example.com"}
    assert Customer.objects.filter(store=store).count() == 1


def test_a_guest_email_of_an_already_known_customer_resolves_to_them_without_a_guest_identity(
    store: Any, rich: dict
) -> None:
    commerce.upsert_customers(store, [{"id": 87, "email": "Olga@Example.com", "first_name": "Olga", "billing": {}}])
    commerce.upsert_orders(store, [order(rich, 9001, 0, "olga@example.com"), order(rich, 9002, 87, "x@example.com")])
    assert_foreign_keys_hold()
    assert owners(store) == {9001: "wc:87", 9002: "wc:87"}
    assert not Customer.objects.filter(store=store, is_registered=False).exists()
    assert_rollups_equal_a_rebuild(store)


def _guest_order(rich: dict, wc_id: int, created: str, first_name: str, country: str) -> dict:
    base = order(rich, wc_id, 0, "gia@example.com")
    return {
        **base,
        "date_created_gmt": created,
        "billing": {**base["billing"], "first_name": first_name, "country": country},
    }


@pytest.mark.parametrize("pages", [("old", "new"), ("new", "old")])
def test_a_guest_is_named_by_their_latest_order_whatever_page_arrives_first(
    store: Any, rich: dict, pages: tuple[str, str]
) -> None:
    """An import reads recent weeks first, a re-import or a reconciliation may not: the guest's name and country
    come from their latest order either way (two imports of one store once disagreed on a guest's country)."""
    orders = {
        "old": _guest_order(rich, 9101, "2025-01-05T10:00:00", "Gia", "AT"),
        "new": _guest_order(rich, 9102, "2025-06-05T10:00:00", "Giovanna", "DE"),
    }
    for page in pages:
        commerce.upsert_orders(store, [orders[page]])
    guest = Customer.objects.get(store=store, key="email:gia@example.com")
    assert (guest.first_name, guest.country, guest.named_by_wc_id) == ("Giovanna", "DE", 9102)
    # Reading the older order again changes nothing.
    commerce.upsert_orders(store, [orders["old"]])
    guest.refresh_from_db()
    assert (guest.first_name, guest.country) == ("Giovanna", "DE")


def test_a_registered_customer_reads_the_same_whether_their_order_or_the_customers_listing_came_first(
    store: Any, rich: dict
) -> None:
    """A registered customer's name is their account's, not an order's: once the customers listing has been read,
    the row holds nothing of the order that happened to create it first (the Connector's and wc/v3's imports read
    the two in a different order and must make the same copy)."""
    account = {"id": 41, "email": "dana@x.org", "first_name": "Dana", "last_name": "Ruiz", "billing": {"country": "ES"}}
    fields = ("email", "first_name", "last_name", "country", "is_registered", "named_at", "named_by_wc_id")

    commerce.upsert_orders(store, [order(rich, 900, 41, "dana@x.org")])
    commerce.upsert_customers(store, [account])
    order_first = Customer.objects.filter(store=store, wc_id=41).values(*fields).get()

    Customer.objects.filter(store=store).delete()
    Order.objects.filter(store=store).delete()
    commerce.upsert_customers(store, [account])
    commerce.upsert_orders(store, [order(rich, 900, 41, "dana@x.org")])
    listing_first = Customer.objects.filter(store=store, wc_id=41).values(*fields).get()

    assert order_first == listing_first
    assert listing_first["first_name"] == "Dana" and listing_first["named_at"] is None
