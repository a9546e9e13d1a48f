"""Webhooks: registration on the store with our own secret, repair, and the intake that trusts only signatures."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from storelens.commerce.models import Order, Product, Variation
from storelens.sync.api import run_sync
from storelens.sync.models import PendingFetch
from storelens.sync.webhooks import TOPICS, delivery_url, ensure_webhooks_sync, signature_of, webhook_secret

from .conftest import FAST_RETRIES, HOME, make_fake, make_store
from .equality import assert_catalogue_equals_store, assert_copy_equals_store

pytestmark = pytest.mark.django_db
PUBLIC = "https://storelens.example"


@pytest.fixture
def synced(workspace: Any, serve_in_process: dict) -> tuple[Any, Any]:
    fake = make_fake(150, seed=31)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    return fake, store


def _post(client: Client, store: Any, body: bytes, headers: dict[str, str]) -> Any:
    return client.post(
        f"/sync/hooks/wc/{store.public_id}/", data=body, content_type="application/json", headers=headers
    )


@override_settings(STORELENS_PUBLIC_URL=PUBLIC)
def test_registration_creates_every_topic_once_with_our_secret(synced: tuple[Any, Any]) -> None:
    fake, store = synced
    report = ensure_webhooks_sync(store.pk, **FAST_RETRIES)
    assert sorted(report.created) == sorted(TOPICS)
    store.refresh_from_db()
    secret = webhook_secret(store)
    hooks = [h for h in fake.store.webhooks.values() if h.delivery_url == delivery_url(store)]
    assert sorted(h.topic for h in hooks) == sorted(TOPICS)
    assert {h.secret for h in hooks} == {secret} and secret.isalnum()
    assert delivery_url(store).startswith(PUBLIC + "/sync/hooks/wc/")
    again = ensure_webhooks_sync(store.pk, **FAST_RETRIES)
    assert again.created == [] and sorted(again.ok) == sorted(TOPICS)


@override_settings(STORELENS_PUBLIC_URL=PUBLIC)
def test_a_disabled_webhook_is_re_enabled_and_a_missing_one_recreated(synced: tuple[Any, Any]) -> None:
    fake, store = synced
    ensure_webhooks_sync(store.pk, **FAST_RETRIES)
    hooks = {h.topic: h for h in fake.store.webhooks.values()}
    fake.store.update_webhook(hooks["order.updated"].id, {"status": "disabled"})
    fake.store.delete_webhook(hooks["order.created"].id)
    report = ensure_webhooks_sync(store.pk, **FAST_RETRIES)
    assert report.reenabled == ["order.updated"] and report.created == ["order.created"]
    assert {h.topic: h.status for h in fake.store.webhooks.values()}["order.updated"] == "active"


def test_a_read_only_key_registers_nothing(synced: tuple[Any, Any]) -> None:
    fake, store = synced
    store.key_permissions = "read"
    store.save()
    with override_settings(STORELENS_PUBLIC_URL=PUBLIC):
        report = ensure_webhooks_sync(store.pk, **FAST_RETRIES)
    assert "read-only" in report.skipped_because and not fake.store.webhooks


def test_a_bad_signature_is_refused_and_changes_nothing(synced: tuple[Any, Any]) -> None:
    fake, store = synced
    secret = webhook_secret(store)
    body = json.dumps({"id": 12345, "status": "completed", "total": "999999.00"}).encode()
    client = Client()
    for signature in ("", "AAAA", signature_of(body, secret + "x"), signature_of(body + b" ", secret)):
        response = _post(client, store, body, {"X-WC-Webhook-Signature": signature, "X-WC-Webhook-Resource": "order"})
        assert response.status_code == 401
    response = client.post(f"/sync/hooks/wc/{'0' * 24}/", data=body, content_type="application/json",
                           headers={"X-WC-Webhook-Signature": signature_of(body, secret)})  # fmt: skip
    assert response.status_code == 401
    assert not PendingFetch.objects.exists()
    assert_copy_equals_store(store, fake.store)


def test_the_ping_is_answered_without_a_signature(synced: tuple[Any, Any]) -> None:
    _, store = synced
    response = Client().post(
        f"/sync/hooks/wc/{store.public_id}/", data="webhook_id=7", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not PendingFetch.objects.exists()


def test_a_signed_delivery_queues_a_re_fetch_and_the_payload_is_not_trusted(synced: tuple[Any, Any]) -> None:
    fake, store = synced
    shop = fake.store
    target = next(oid for oid in list(shop.orders.ids) if shop.orders.exists(oid))
    shop.silent_edit_order(target, {"billing": {"country": "NZ"}})  # invisible to modified_after
    body = json.dumps({"id": target, "status": "completed", "total": "999999.00", "billing": {"country": "XX"}})
    secret = webhook_secret(store)
    headers = {
        "X-WC-Webhook-Signature": signature_of(body.encode(), secret),
        "X-WC-Webhook-Resource": "order",
        "X-WC-Webhook-Topic": "order.updated",
    }
    response = _post(Client(), store, body.encode(), headers)
    assert response.status_code == 200
    assert PendingFetch.objects.filter(store=store, resource="order", wc_id=target).exists()
    assert Order.objects.get(store=store, wc_id=target).billing_country != "NZ"
    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)
    order = Order.objects.get(store=store, wc_id=target)
    assert order.billing_country == "NZ" and order.total_minor != 99999900
    assert not PendingFetch.objects.exists()
    assert_copy_equals_store(store, shop)


def test_webhook_intake_path_is_public_but_named_by_an_unguessable_id(synced: tuple[Any, Any]) -> None:
    _, store = synced
    assert len(store.public_id) >= 24 and str(store.pk) != store.public_id


def test_a_customer_deleted_on_the_store_is_marked_deleted_after_its_webhook(synced: tuple[Any, Any]) -> None:
    from storelens.commerce.models import Customer

    fake, store = synced
    shop = fake.store
    cid = next(c for c in list(shop.customers.ids) if shop.customers.exists(c))
    shop.delete_customer(cid)
    body = json.dumps({"id": cid}).encode()
    headers = {
        "X-WC-Webhook-Signature": signature_of(body, webhook_secret(store)),
        "X-WC-Webhook-Resource": "customer",
    }
    assert _post(Client(), store, body, headers).status_code == 200
    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)
    assert Customer.objects.get(store=store, key=f"wc:{cid}").deleted_at is not None


def test_a_product_webhook_re_reads_the_variable_products_variations(synced: tuple[Any, Any]) -> None:
    fake, store = synced
    shop = fake.store
    parent = next(p for pid in list(shop.products.ids) if (p := shop.products.get(pid)) and p["type"] == "variable")
    edited, removed = parent["variations"][0], parent["variations"][1]
    # Changes that leave every date_modified alone (a stock change from an order does): no incremental window sees them.
    rec = shop.variations.materialize(edited)
    rec["price"] = rec["regular_price"] = "77.70"
    shop.variations.delete(removed)
    body = json.dumps({"id": parent["id"]}).encode()
    headers = {
        "X-WC-Webhook-Signature": signature_of(body, webhook_secret(store)),
        "X-WC-Webhook-Resource": "product",
        "X-WC-Webhook-Topic": "product.updated",
    }
    assert _post(Client(), store, body, headers).status_code == 200
    assert Variation.objects.get(store=store, wc_id=edited).price_minor != 7770

    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)

    assert Variation.objects.get(store=store, wc_id=edited).price_minor == 7770
    assert Variation.objects.get(store=store, wc_id=removed).deleted_at is not None
    assert not PendingFetch.objects.exists()
    assert_catalogue_equals_store(store, shop)


def test_a_webhook_naming_a_variation_re_reads_it_through_its_parent(synced: tuple[Any, Any]) -> None:
    # WooCommerce sends product.updated for a variation with the variation's own id; no product listing returns it.
    fake, store = synced
    shop = fake.store
    parent = next(p for pid in list(shop.products.ids) if (p := shop.products.get(pid)) and p["type"] == "variable")
    edited, removed = parent["variations"][0], parent["variations"][1]
    rec = shop.variations.materialize(edited)
    rec["price"] = rec["regular_price"] = "66.60"  # a change that leaves date_modified alone
    shop.variations.delete(removed)
    for vid in (edited, removed):
        body = json.dumps({"id": vid, "type": "variation", "parent_id": parent["id"]}).encode()
        headers = {
            "X-WC-Webhook-Signature": signature_of(body, webhook_secret(store)),
            "X-WC-Webhook-Resource": "product",
            "X-WC-Webhook-Topic": "product.updated",
        }
        assert _post(Client(), store, body, headers).status_code == 200
    assert Variation.objects.get(store=store, wc_id=edited).price_minor != 6660

    run_sync(store.pk, exact=False, client_options=FAST_RETRIES)

    assert Variation.objects.get(store=store, wc_id=edited).price_minor == 6660
    assert Variation.objects.get(store=store, wc_id=removed).deleted_at is not None
    assert not Product.objects.filter(store=store, wc_id__in=[edited, removed]).exists()
    assert not PendingFetch.objects.exists()
    assert_catalogue_equals_store(store, shop)


def test_a_webhook_registration_the_store_refuses_shows_on_its_page_until_one_works(
    synced: tuple[Any, Any], make_member: Any
) -> None:
    from storelens.woocommerce.errors import StoreError

    _fake, store = synced
    owner = make_member("owner@example.com", store.workspace.name)
    page = Client()
    page.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    # WooCommerce refuses a delivery URL that is not http(s):// with a 400, as the fake store does.
    with override_settings(STORELENS_PUBLIC_URL="ftp://storelens.example"), pytest.raises(StoreError):
        ensure_webhooks_sync(store.pk, **FAST_RETRIES)
    shown = page.get(f"/sources/{store.pk}/").content.decode()
    assert 'data-code="webhooks_not_registered"' in shown
    assert "could not register its webhooks" in shown and "delivery URL" in shown
    with override_settings(STORELENS_PUBLIC_URL=PUBLIC):
        ensure_webhooks_sync(store.pk, **FAST_RETRIES)
    assert "webhooks_not_registered" not in page.get(f"/sources/{store.pk}/").content.decode()
