"""After the import: store changes of every kind, one incremental pass and a reconciliation, and the copy is exact."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from storelens.commerce.models import Order, Refund
from storelens.sync.api import run_sync
from storelens.sync.models import Cursor

from .conftest import FAST_RETRIES, HOME, make_fake, make_source
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db


def _live_orders(store: Any, statuses: set[str]) -> list[int]:
    return [
        oid for oid in list(store.orders.ids) if store.orders.exists(oid) and store.order(oid)["status"] in statuses
    ]


def _new_order(store: Any, email: str) -> int:
    products = [
        pid
        for pid in list(store.products.ids)
        if (p := store.products.get(pid)) and p.get("type") == "simple" and p.get("status") == "publish"
    ]
    order = store.create_order(
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
    source = make_source(workspace, fake)
    run_sync(source.pk, client_options=FAST_RETRIES)
    assert_copy_equals_store(source, fake.store)
    return fake, source


def test_creates_updates_refunds_and_trash_arrive_with_one_incremental_pass(imported: tuple[Any, Any]) -> None:
    fake, source = imported
    store = fake.store
    Cursor.objects.filter(source=source).update(position=timezone.now() - timedelta(minutes=1))
    created = _new_order(store, "New.Buyer@Example.com")
    completed = _live_orders(store, {"completed"})
    store.update_order(completed[0], {"status": "cancelled"})
    store.create_refund(completed[1], amount="1.00", reason="goodwill")
    store.trash_order(completed[2])
    run_sync(source.pk, exact=False, client_options=FAST_RETRIES)
    assert Order.objects.get(source=source, wc_id=created).customer.key == "email:new.buyer@example.com"
    assert Order.objects.get(source=source, wc_id=completed[2]).status == "trash"
    assert_copy_equals_store(source, store)


def test_hard_deletes_are_found_by_the_census_and_stay_visible(imported: tuple[Any, Any]) -> None:
    fake, source = imported
    store = fake.store
    with_refunds = [oid for oid in _live_orders(store, {"completed", "refunded"}) if store.refund_ids_of(oid)]
    victim = with_refunds[0]
    plain = _live_orders(store, {"processing", "completed"})[-1]
    store.delete_order(victim)
    store.delete_order(plain)
    run_sync(source.pk, exact=True, client_options=FAST_RETRIES)
    gone = Order.objects.get(source=source, wc_id=victim)
    assert gone.deleted_at is not None and not gone.counts
    assert all(r.deleted_at is not None for r in Refund.objects.filter(source=source, parent_wc_id=victim))
    assert_copy_equals_store(source, store)


def test_a_hard_delete_is_found_by_the_next_incremental_pass_without_a_census(imported: tuple[Any, Any]) -> None:
    """WooCommerce sends no webhook for an order deleted for good (its order.deleted topic hooks trashing only, seen
    on the real WooCommerce 11 in tests/sync/test_real_store_changes.py) and it has no modified date to list: the
    plain incremental pass (what a webhook or the schedule runs) sees the store's order count drop below ours."""
    fake, source = imported
    store = fake.store
    quiet = run_sync(source.pk, exact=False, client_options=FAST_RETRIES)
    assert quiet.stats is not None and quiet.stats.requests < 10  # nothing deleted: two counts, no census
    victim = _live_orders(store, {"processing", "completed"})[0]
    store.delete_order(victim)
    run_sync(source.pk, exact=False, client_options=FAST_RETRIES)
    assert Order.objects.get(source=source, wc_id=victim).deleted_at is not None
    assert_copy_equals_store(source, store)


def test_silent_edits_are_caught_by_the_seven_day_re_read(imported: tuple[Any, Any]) -> None:
    fake, source = imported
    store = fake.store
    now = store.now()
    recent = next(
        oid
        for oid in _live_orders(
            store, {"processing", "completed", "on-hold", "cancelled", "refunded", "pending", "failed"}
        )
        if now - 6 * 86400 < store.order(oid)["date_created_gmt"] and store.order(oid)["date_modified_gmt"] < now - 3600
    )
    before = Order.objects.get(source=source, wc_id=recent).billing_country
    store.silent_edit_order(recent, {"billing": {"country": "FR" if before != "FR" else "DE"}})
    run_sync(source.pk, exact=True, client_options=FAST_RETRIES)
    # Neither modified_after nor the census (same date_modified, same status) can see it.
    assert Order.objects.get(source=source, wc_id=recent).billing_country == before
    run_sync(source.pk, reconcile=True, client_options=FAST_RETRIES)
    assert Order.objects.get(source=source, wc_id=recent).billing_country != before
    assert_copy_equals_store(source, store)


def test_a_silent_status_edit_is_caught_by_the_census(imported: tuple[Any, Any]) -> None:
    fake, source = imported
    store = fake.store
    target = _live_orders(store, {"processing", "completed"})[0]
    store.silent_edit_order(target, {"status": "on-hold"})
    run_sync(source.pk, exact=True, client_options=FAST_RETRIES)
    assert Order.objects.get(source=source, wc_id=target).status == "on-hold"
    assert_copy_equals_store(source, store)


def test_a_deleted_refund_stops_counting(imported: tuple[Any, Any]) -> None:
    fake, source = imported
    store = fake.store
    order_id = next(oid for oid in _live_orders(store, {"completed", "refunded"}) if store.refund_ids_of(oid))
    refund_id = store.refund_ids_of(order_id)[0]
    store.delete_refund(order_id, refund_id)
    store.update_order(order_id, {"customer_note": "refund removed"})
    run_sync(source.pk, exact=False, client_options=FAST_RETRIES)
    assert Refund.objects.get(source=source, wc_id=refund_id).deleted_at is not None
    assert_copy_equals_store(source, store)


def test_a_legacy_store_ignoring_modified_after_is_detected_and_still_exact(
    workspace: Any, serve_in_process: dict
) -> None:
    fake = make_fake(250, seed=8, modes={"legacy-woocommerce"})
    serve_in_process[HOME] = fake
    source = make_source(workspace, fake)
    run_sync(source.pk, client_options=FAST_RETRIES)
    store = fake.store
    target = _live_orders(store, {"completed"})[0]
    store.update_order(target, {"status": "cancelled"})
    store.delete_order(_live_orders(store, {"completed"})[0])
    run_sync(source.pk, exact=False, client_options=FAST_RETRIES)
    source.refresh_from_db()
    assert source.legacy_woocommerce and source.has_refunds_route is False
    assert_copy_equals_store(source, store)
