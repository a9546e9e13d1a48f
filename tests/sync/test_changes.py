"""After the import: store changes of every kind, one incremental pass and a reconciliation, and the copy is exact."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from storelens.commerce.models import Order, Refund
from storelens.sync.api import run_sync
from storelens.sync.models import Cursor

from .conftest import FAST_RETRIES, HOME, make_fake, make_store
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db


def _live_orders(shop: Any, statuses: set[str]) -> list[int]:
    return [oid for oid in list(shop.orders.ids) if shop.orders.exists(oid) and shop.order(oid)["status"] in statuses]


def _new_order(shop: Any, email: str) -> int:
    products = [
        pid
        for pid in list(shop.products.ids)
        if (p := shop.products.get(pid)) and p.get("type") == "simple" and p.get("status") == "publish"
    ]
    order = shop.create_order(
        {
            "status": "processing",
            "set_paid": True,
            "billing": {"first_name": "Ana", "last_name": "García", "email": email, "country": "ES"},
            "line_items": [{"product_id": products[0], "quantity": 2}],
        }
    )
    return order["id"]


@pytest.fixture
def imported(workspace: Any, serve_in_process: dict) -> tuple[Any, Any]:
    fake = make_fake(400, seed=21)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    assert_copy_equals_store(store, fake.store)
    return fake, store


def test_creates_updates_refunds_and_trash_arrive_with_one_incremental_pass(imported: tuple[Any, Any]) -> None:
    fake, store = imported
    shop = fake.store
    Cursor.objects.filter(store=store).update(position=timezone.now() - timedelta(minutes=1))
    created = _new_order(shop, "New.Buyer@Example.com")
    completed = _live_orders(shop, {"completed"})
    shop.update_order(completed[0], {"status": "cancelled"})
    shop.create_refund(completed[1], amount="1.00", reason="goodwill")
    shop.trash_order(completed[2])
    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)
    assert Order.objects.get(store=store, wc_id=created).customer.key == "email:new.buyer@example.com"
    assert Order.objects.get(store=store, wc_id=completed[2]).status == "trash"
    assert_copy_equals_store(store, shop)


def test_hard_deletes_are_found_by_the_census_and_stay_visible(imported: tuple[Any, Any]) -> None:
    fake, store = imported
    shop = fake.store
    with_refunds = [oid for oid in _live_orders(shop, {"completed", "refunded"}) if shop.refund_ids_of(oid)]
    victim = with_refunds[0]
    plain = _live_orders(shop, {"processing", "completed"})[-1]
    shop.delete_order(victim)
    shop.delete_order(plain)
    run_sync(store.pk, exact=True, client_options=FAST_RETRIES)
    gone = Order.objects.get(store=store, wc_id=victim)
    assert gone.deleted_at is not None and not gone.counts
    assert all(r.deleted_at is not None for r in Refund.objects.filter(store=store, parent_wc_id=victim))
    assert_copy_equals_store(store, shop)


def test_a_hard_delete_is_found_by_the_next_incremental_pass_without_a_census(imported: tuple[Any, Any]) -> None:
    """WooCommerce sends no webhook for an order deleted for good (its order.deleted topic hooks trashing only, seen
    on the real WooCommerce 11 in tests/sync/test_real_store_changes.py) and it has no modified date to list: the
    plain incremental pass (what a webhook or the schedule runs) sees the store's order count drop below ours."""
    fake, store = imported
    shop = fake.store
    quiet = run_sync(store.pk, exact=False, client_options=FAST_RETRIES)
    assert quiet.stats is not None and quiet.stats.requests < 10  # nothing deleted: two counts, no census
    victim = _live_orders(shop, {"processing", "completed"})[0]
    shop.delete_order(victim)
    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)
    assert Order.objects.get(store=store, wc_id=victim).deleted_at is not None
    assert_copy_equals_store(store, shop)


def test_silent_edits_are_caught_by_the_seven_day_re_read(imported: tuple[Any, Any]) -> None:
    fake, store = imported
    shop = fake.store
    now = shop.now()
    recent = next(
        oid
        for oid in _live_orders(
            shop, {"processing", "completed", "on-hold", "cancelled", "refunded", "pending", "failed"}
        )
        if now - 6 * 86400 < shop.order(oid)["date_created_gmt"] and shop.order(oid)["date_modified_gmt"] < now - 3600
    )
    before = Order.objects.get(store=store, wc_id=recent).billing_country
    shop.silent_edit_order(recent, {"billing": {"country": "FR" if before != "FR" else "DE"}})
    run_sync(store.pk, exact=True, client_options=FAST_RETRIES)
    # Neither modified_after nor the census (same date_modified, same status) can see it.
    assert Order.objects.get(store=store, wc_id=recent).billing_country == before
    run_sync(store.pk, reconcile=True, client_options=FAST_RETRIES)
    assert Order.objects.get(store=store, wc_id=recent).billing_country != before
    assert_copy_equals_store(store, shop)


def test_a_silent_status_edit_is_caught_by_the_census(imported: tuple[Any, Any]) -> None:
    fake, store = imported
    shop = fake.store
    target = _live_orders(shop, {"processing", "completed"})[0]
    shop.silent_edit_order(target, {"status": "on-hold"})
    run_sync(store.pk, exact=True, client_options=FAST_RETRIES)
    assert Order.objects.get(store=store, wc_id=target).status == "on-hold"
    assert_copy_equals_store(store, shop)


def test_a_deleted_refund_stops_counting(imported: tuple[Any, Any]) -> None:
    fake, store = imported
    shop = fake.store
    order_id = next(oid for oid in _live_orders(shop, {"completed", "refunded"}) if shop.refund_ids_of(oid))
    refund_id = shop.refund_ids_of(order_id)[0]
    shop.delete_refund(order_id, refund_id)
    shop.update_order(order_id, {"customer_note": "refund removed"})
    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)
    assert Refund.objects.get(store=store, wc_id=refund_id).deleted_at is not None
    assert_copy_equals_store(store, shop)


def test_a_legacy_store_ignoring_modified_after_is_detected_and_still_exact(
    workspace: Any, serve_in_process: dict
) -> None:
    fake = make_fake(250, seed=8, modes={"legacy-woocommerce"})
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    shop = fake.store
    target = _live_orders(shop, {"completed"})[0]
    shop.update_order(target, {"status": "cancelled"})
    shop.delete_order(_live_orders(shop, {"completed"})[0])
    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)
    store.refresh_from_db()
    assert store.legacy_woocommerce and store.has_refunds_route is False
    assert_copy_equals_store(store, shop)
