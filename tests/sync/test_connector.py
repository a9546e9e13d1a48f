"""The sync through the Storelens Connector's routes (storelens/v1) on the fake store in the `storelens-connector`
mode, and the same sync through wc/v3 alone: the copy is the store either way, in fewer requests with the plugin.
(The real plugin is tested in tests/sync/test_real_store_connector.py.)"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from storelens.commerce.models import Order, Refund
from storelens.stores.models import Store
from storelens.sync.api import run_sync
from storelens.sync.models import Cursor
from storelens.woocommerce import connector_routes
from storelens.woocommerce.client import StoreClient
from storelens.woocommerce.errors import Retriable

from .conftest import FAST_RETRIES, HOME, make_fake, make_store
from .equality import assert_copy_equals_store

pytestmark = pytest.mark.django_db


def test_an_import_through_the_connector_equals_the_store_in_fewer_requests(
    workspace: Any, serve_in_process: dict
) -> None:
    requests = {}
    for modes in (set(), {"storelens-connector"}):
        fake = make_fake(300, seed=13, modes=modes)
        serve_in_process[HOME] = fake
        Store.objects.filter(workspace=workspace).delete()
        store = make_store(workspace, fake)
        result = run_sync(store.pk, client_options=FAST_RETRIES)
        assert result.ran and result.stats is not None
        assert_copy_equals_store(store, fake.store)
        store.refresh_from_db()
        assert store.connector_version == ("0.1.0" if modes else None)
        requests[bool(modes)] = result.stats.requests
    assert requests[True] < requests[False], requests


def test_a_census_through_the_connector_finds_a_deleted_and_a_changed_order(
    workspace: Any, serve_in_process: dict
) -> None:
    fake = make_fake(120, seed=17, modes={"storelens-connector"})
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    gone, changed = (int(i) for i in list(fake.store.orders.ids)[:2])
    fake.store.delete_order(gone)
    fake.store.update_order(changed, {"status": "cancelled"})
    run_sync(store.pk, exact=True, client_options=FAST_RETRIES)
    assert_copy_equals_store(store, fake.store)
    assert Order.objects.get(store=store, wc_id=gone).deleted_at is not None
    assert Order.objects.get(store=store, wc_id=changed).status == "cancelled"


def _changes(shop: Any) -> None:
    """A day's worth of changes: a status change, a new refund, a trashed order, a new order."""
    live = [oid for oid in list(shop.orders.ids) if shop.orders.exists(oid)]
    completed = [oid for oid in live if shop.order(oid)["status"] == "completed" and not shop.refund_ids_of(oid)]
    shop.update_order(completed[0], {"status": "cancelled"})
    shop.create_refund(completed[1], amount="1.00", reason="goodwill")
    shop.trash_order(completed[2])
    product = next(pid for pid in list(shop.products.ids) if (p := shop.products.get(pid)) and p["type"] == "simple")
    shop.create_order(
        {
            "status": "processing",
            "set_paid": True,
            "billing": {"first_name": "Ana", "last_name": "García", "email": "ana@example.com", "country": "ES"},
            "line_items": [{"product_id": product, "quantity": 2}],
        }
    )


def _delete_an_old_refund(shop: Any) -> int:
    """A refund deleted from an order months old: nothing moves that order's date_modified, so neither the
    incremental pass nor the orders' census sees it; only a census of the refunds does. Returns the refund."""
    live = [oid for oid in list(shop.orders.ids) if shop.orders.exists(oid)]
    order_id = next(oid for oid in live[: len(live) // 2] if shop.refund_ids_of(oid))  # ids ascend with dates
    refund_id = shop.refund_ids_of(order_id)[0]
    shop.delete_refund(order_id, refund_id)
    return refund_id


def test_incremental_and_reconciliation_through_the_connector_equal_wc_v3_in_fewer_requests(
    workspace: Any, serve_in_process: dict
) -> None:
    """The same store and the same changes, synced with and without the plugin: after the incremental pass the
    changes are in both copies, after the reconciliation the deleted refund too, and each pass asked the plugin's
    store fewer requests."""
    requests: dict[bool, tuple[int, int]] = {}
    for modes in (set(), {"storelens-connector"}):
        fake = make_fake(200, seed=23, modes=modes)
        serve_in_process[HOME] = fake
        Store.objects.filter(workspace=workspace).delete()
        store = make_store(workspace, fake)
        run_sync(store.pk, client_options=FAST_RETRIES)
        Cursor.objects.filter(store=store).update(position=timezone.now() - timedelta(minutes=1))
        _changes(fake.store)
        incremental = run_sync(store.pk, client_options=FAST_RETRIES).stats
        assert incremental is not None
        assert_copy_equals_store(store, fake.store)
        refund_id = _delete_an_old_refund(fake.store)
        reconciled = run_sync(store.pk, reconcile=True, client_options=FAST_RETRIES).stats
        assert reconciled is not None
        assert_copy_equals_store(store, fake.store)
        assert Refund.objects.get(store=store, wc_id=refund_id).deleted_at is not None
        # Each refund's JSON as /refunds shows it, whichever route read it (the per-order one has no parent_id).
        assert not Refund.objects.filter(store=store).exclude(raw__has_key="parent_id").exists()
        store.refresh_from_db()
        assert store.data_warnings == []  # no fallback
        requests[bool(modes)] = (incremental.requests, reconciled.requests)
    assert requests[True][0] < requests[False][0], requests
    assert requests[True][1] < requests[False][1], requests


def test_the_changed_orders_fall_back_to_wc_v3_when_the_plugin_fails_and_the_store_page_says_so(
    workspace: Any, serve_in_process: dict, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fake = make_fake(120, seed=29, modes={"storelens-connector"})
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    Cursor.objects.filter(store=store).update(position=timezone.now() - timedelta(minutes=1))
    _changes(fake.store)
    real_get_page = StoreClient.get_page

    async def broken_plugin(self: StoreClient, route: str, params: dict, **kwargs: Any) -> Any:
        if route == connector_routes.ORDERS_ROUTE and "modified_after" in params:
            raise Retriable("The store answered 500.", code="server_error", status=500)
        return await real_get_page(self, route, params, **kwargs)

    monkeypatch.setattr(StoreClient, "get_page", broken_plugin)
    with caplog.at_level(logging.WARNING, logger="storelens.sync.engine"):
        run_sync(store.pk, client_options=FAST_RETRIES)
    assert_copy_equals_store(store, fake.store)  # through wc/v3
    assert "the Storelens Connector failed on the orders changed since the last sync (server_error" in caplog.text
    store.refresh_from_db()
    (warning,) = store.data_warnings
    assert warning["code"] == "connector_fallback" and "WooCommerce's own API instead" in warning["message"]

    monkeypatch.setattr(StoreClient, "get_page", real_get_page)  # the plugin works again
    fake.store.update_order(next(iter(fake.store.orders.ids)), {"customer_note": "after the fix"})
    run_sync(store.pk, client_options=FAST_RETRIES)
    assert_copy_equals_store(store, fake.store)
    store.refresh_from_db()
    assert store.data_warnings == []
