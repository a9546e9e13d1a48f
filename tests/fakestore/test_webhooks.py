"""Webhook deliveries from the fake store, checked against what the real store sent (captures/webhooks/)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import trustme

from fakestore.config import FakeStoreConfig
from fakestore.store import FakeStore
from fakestore.webhooks import USER_AGENT, WebhookDispatcher
from tests.fakestore.edge_servers import Receiver, ServerThread, bound_socket
from tests.fakestore.wcauth_pages import capture

HOME = "https://127.0.0.1:8443"
X_WC = [
    "X-WC-Webhook-Source",
    "X-WC-Webhook-Topic",
    "X-WC-Webhook-Resource",
    "X-WC-Webhook-Event",
    "X-WC-Webhook-Signature",
    "X-WC-Webhook-ID",
    "X-WC-Webhook-Delivery-ID",
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Shop:
    def __init__(self, receiver: Receiver) -> None:
        self.store = FakeStore(FakeStoreConfig(home_url=HOME, orders=30, seed=3, webhook_delay_s=0.05))
        self.store.outbound_transport = httpx.ASGITransport(app=receiver)
        self.receiver = receiver
        self.dispatcher = WebhookDispatcher(self.store)

    def hook(self, topic: str, secret: str = "lab-webhook-secret", path: str | None = None) -> int:
        url = f"https://127.0.0.1/wc-webhook/{path or topic}"
        return self.store.create_webhook({"name": topic, "topic": topic, "secret": secret, "delivery_url": url}).id

    def deliveries(self, topic: str | None = None) -> list:
        return [
            r
            for r in self.receiver.requests
            if r.header("X-WC-Webhook-Topic") and (topic is None or r.header("X-WC-Webhook-Topic") == topic)
        ]

    def pings(self) -> list:
        return [r for r in self.receiver.requests if r.header("X-WC-Webhook-Topic") is None]

    def an_order(self) -> int:
        return next(
            i for i in self.store.orders.ids if self.store.order(i)["status"] in ("processing", "completed", "on-hold")
        )


@pytest.fixture
async def shop() -> AsyncIterator[Shop]:
    shop = Shop(Receiver())
    await shop.dispatcher.start()
    yield shop
    await shop.dispatcher.stop()


def verify(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@pytest.mark.anyio
async def test_creating_a_webhook_pings_it_with_a_form_body_and_no_wc_headers(shop: Shop) -> None:
    webhook_id = shop.hook("order.updated")
    await shop.dispatcher.drain()
    (ping,) = shop.receiver.requests
    captured = dict(capture("webhooks/deliveries/https-receiver-001.json")["headers"])
    assert ping.body == f"webhook_id={webhook_id}".encode()
    assert ping.header("content-type") == captured["Content-Type"] == "application/x-www-form-urlencoded"
    assert ping.header("user-agent") == captured["User-Agent"] == USER_AGENT
    assert all(ping.header(name) is None for name in X_WC)
    assert shop.store.webhooks[webhook_id].pending_delivery is False


@pytest.mark.anyio
async def test_an_update_is_delivered_later_signed_with_woocommerces_headers_and_the_current_order(shop: Shop) -> None:
    webhook_id = shop.hook("order.updated", secret="s3cret & <b> \"'")
    order_id = shop.an_order()
    shop.store.update_order(order_id, {"customer_note": "first edit"})
    assert shop.deliveries() == [] and shop.dispatcher.queued == 1  # asynchronous, as on WooCommerce
    await shop.dispatcher.drain()

    (delivery,) = shop.deliveries()
    captured = dict(capture("webhooks/deliveries/https-receiver-006.json")["headers"])
    assert delivery.path == "/wc-webhook/order.updated"
    assert delivery.header("User-Agent") == captured["User-Agent"]
    assert delivery.header("Content-Type") == captured["Content-Type"] == "application/json"
    assert delivery.header("X-WC-Webhook-Source") == HOME + "/" == captured["X-WC-Webhook-Source"]
    assert delivery.header("X-WC-Webhook-Topic") == "order.updated"
    assert delivery.header("X-WC-Webhook-Resource") == "order"
    assert delivery.header("X-WC-Webhook-Event") == "updated"
    assert delivery.header("X-WC-Webhook-ID") == str(webhook_id)
    assert len(delivery.header("X-WC-Webhook-Delivery-ID")) == len(captured["X-WC-Webhook-Delivery-ID"]) == 32
    assert delivery.header("X-WC-Webhook-Signature") == verify(delivery.body, "s3cret & <b> \"'")
    assert b"\\/wp-json\\/wc\\/v3\\/orders" in delivery.body  # PHP's json_encode escapes slashes
    assert json.loads(delivery.body) == shop.store.order_json(order_id)
    assert json.loads(delivery.body)["customer_note"] == "first edit"


def test_the_captured_signatures_are_base64_hmac_sha256_of_the_raw_body() -> None:
    secrets_by_topic = {
        "order.updated": "lab-webhook-secret-1",
        "order.created": "lab-webhook-secret-2",
    }
    for n in (6, 7):
        delivery = capture(f"webhooks/deliveries/https-receiver-{n:03d}.json")
        headers = dict(delivery["headers"])
        secret = capture(f"webhooks/create-webhook-{headers['X-WC-Webhook-Topic']}.json")["request"]["body"]["secret"]
        assert secrets_by_topic[headers["X-WC-Webhook-Topic"]] == secret
        assert verify(delivery["body_raw"].encode(), secret) == headers["X-WC-Webhook-Signature"]


@pytest.mark.anyio
async def test_quick_edits_of_one_order_coalesce_into_one_delivery_with_the_latest_state(shop: Shop) -> None:
    shop.hook("order.updated")
    first, second = shop.store.orders.ids[:2]
    shop.store.update_order(first, {"customer_note": "edit one"})
    shop.store.update_order(first, {"customer_note": "edit two"})
    shop.store.update_order(second, {"customer_note": "other order"})
    await shop.dispatcher.drain()
    by_id = {json.loads(d.body)["id"]: json.loads(d.body) for d in shop.deliveries()}
    assert len(shop.deliveries()) == 2
    assert by_id[first]["customer_note"] == "edit two"
    assert by_id[second]["customer_note"] == "other order"


@pytest.mark.anyio
async def test_a_change_after_a_delivery_ran_is_delivered_again(shop: Shop) -> None:
    shop.hook("order.updated")
    order_id = shop.an_order()
    shop.store.update_order(order_id, {"customer_note": "one"})
    await shop.dispatcher.drain()
    shop.store.update_order(order_id, {"customer_note": "two"})
    await shop.dispatcher.drain()
    assert [json.loads(d.body)["customer_note"] for d in shop.deliveries()] == ["one", "two"]


@pytest.mark.anyio
async def test_a_new_order_fires_order_created_and_order_updated(shop: Shop) -> None:
    shop.hook("order.created")
    shop.hook("order.updated")
    product = next(p for p in shop.store.products.ids if shop.store.products.get(p)["type"] == "simple")
    order = shop.store.create_order({"status": "processing", "line_items": [{"product_id": product, "quantity": 1}]})
    await shop.dispatcher.drain()
    assert [json.loads(d.body)["id"] for d in shop.deliveries("order.created")] == [order["id"]]
    assert [json.loads(d.body)["id"] for d in shop.deliveries("order.updated")] == [order["id"]]


@pytest.mark.anyio
async def test_a_refund_fires_order_updated_on_its_order(shop: Shop) -> None:
    shop.hook("order.updated")
    order_id = next(
        i
        for i in shop.store.orders.ids
        if shop.store.order(i)["status"] == "completed" and not shop.store.refund_ids_of(i)
    )
    refund = shop.store.create_refund(order_id, amount="1.00", reason="webhook test")
    await shop.dispatcher.drain()
    (delivery,) = shop.deliveries()
    body = json.loads(delivery.body)
    assert body["id"] == order_id
    assert {"id": refund["id"], "reason": "webhook test", "total": "-1.00", "total_tax": "0.00"} in body["refunds"]


@pytest.mark.anyio
async def test_trash_fires_order_deleted_with_only_the_id_and_a_permanent_delete_fires_nothing(shop: Shop) -> None:
    shop.hook("order.deleted")
    shop.hook("order.updated")
    trashed, deleted = shop.store.orders.ids[:2]
    shop.store.trash_order(trashed)
    shop.store.delete_order(deleted)
    await shop.dispatcher.drain()
    (delivery,) = shop.deliveries()
    assert delivery.header("X-WC-Webhook-Topic") == "order.deleted"
    assert delivery.body == f'{{"id":{trashed}}}'.encode()
    assert capture("webhooks/deliveries/https-receiver-010.json")["body_raw"] == '{"id":2343}'


@pytest.mark.anyio
async def test_paused_webhooks_get_nothing(shop: Shop) -> None:
    webhook_id = shop.hook("order.updated")
    shop.store.update_webhook(webhook_id, {"status": "paused"})
    shop.store.update_order(shop.an_order(), {"customer_note": "unseen"})
    await shop.dispatcher.drain()
    assert shop.deliveries() == []


@pytest.mark.anyio
async def test_once_the_webhook_owner_is_demoted_payloads_are_the_rest_error(shop: Shop) -> None:
    shop.hook("order.updated")
    shop.store.accounts.set_role(1, "customer")
    shop.store.update_order(shop.an_order(), {"customer_note": "x"})
    await shop.dispatcher.drain()
    (delivery,) = shop.deliveries()
    assert json.loads(delivery.body) == {
        "code": "woocommerce_rest_cannot_view",
        "message": "Sorry, you cannot view this resource.",
        "data": {"status": 403},
    }
    assert delivery.header("X-WC-Webhook-Signature") == verify(delivery.body, "lab-webhook-secret")


@pytest.mark.anyio
async def test_the_seventh_failure_in_a_row_disables_the_webhook_and_each_failure_repings_it() -> None:
    receiver = Receiver(status=500)
    shop = Shop(receiver)
    await shop.dispatcher.start()
    try:
        webhook_id = shop.hook("order.updated", path="fails")
        orders = shop.store.orders.ids[:8]
        counts = []
        for order_id in orders:
            shop.store.update_order(order_id, {"customer_note": "boom"})
            await shop.dispatcher.drain()
            counts.append((shop.store.webhooks[webhook_id].failure_count, shop.store.webhooks[webhook_id].status))
    finally:
        await shop.dispatcher.stop()
    assert counts == [(1, "active"), (2, "active"), (3, "active"), (4, "active"), (5, "active"), (6, "active"),
                      (6, "disabled"), (6, "disabled")]  # fmt: skip
    assert len(shop.deliveries()) == 7  # no retries, and nothing once disabled
    kinds = ["ping" if r.header("X-WC-Webhook-Topic") is None else "delivery" for r in receiver.requests]
    assert kinds[:5] == ["ping", "delivery", "ping", "delivery", "ping"]  # as captured for the failing receiver
    assert kinds.count("ping") == 7  # the creation ping, then one after each failure while still active
    assert [r["kind"] for r in map(lambda x: x.as_dict(), shop.dispatcher.log)].count("delivery") == 7


@pytest.mark.anyio
async def test_one_success_resets_the_failure_count() -> None:
    answers = iter([500, 500, 200, 500])
    receiver = Receiver()
    receiver.answer = lambda request: next(answers) if request.header("X-WC-Webhook-Topic") else 200
    shop = Shop(receiver)
    await shop.dispatcher.start()
    try:
        webhook_id = shop.hook("order.updated")
        seen = []
        for order_id in shop.store.orders.ids[:4]:
            shop.store.update_order(order_id, {"customer_note": "x"})
            await shop.dispatcher.drain()
            seen.append(shop.store.webhooks[webhook_id].failure_count)
    finally:
        await shop.dispatcher.stop()
    assert seen == [1, 2, 0, 1]


@pytest.mark.anyio
async def test_redirects_count_as_success_and_are_not_followed() -> None:
    receiver = Receiver(status=302)
    shop = Shop(receiver)
    await shop.dispatcher.start()
    try:
        webhook_id = shop.hook("order.updated")
        shop.store.update_order(shop.an_order(), {"customer_note": "x"})
        await shop.dispatcher.drain()
    finally:
        await shop.dispatcher.stop()
    assert shop.store.webhooks[webhook_id].failure_count == 0
    assert len(shop.deliveries()) == 1


@pytest.mark.anyio
async def test_unsafe_delivery_urls_fail_without_a_request(shop: Shop) -> None:
    webhook_id = shop.store.create_webhook(
        {"topic": "order.updated", "secret": "x", "delivery_url": "https://localhost/wc-webhook"}
    ).id
    shop.store.update_order(shop.an_order(), {"customer_note": "x"})
    await shop.dispatcher.drain()
    assert shop.receiver.requests == []
    errors = [r.error for r in shop.dispatcher.log if r.webhook_id == webhook_id]
    assert errors and set(errors) == {"A valid URL was not provided."}
    assert shop.store.webhooks[webhook_id].failure_count == 1


@pytest.mark.anyio
async def test_deliveries_of_one_webhook_in_the_same_second_share_a_delivery_id(shop: Shop) -> None:
    shop.hook("order.updated")
    for order_id in shop.store.orders.ids[:3]:
        shop.store.update_order(order_id, {"customer_note": "x"})
    await shop.dispatcher.drain()
    ids = {d.header("X-WC-Webhook-Delivery-ID") for d in shop.deliveries()}
    assert len(shop.deliveries()) == 3 and len(ids) <= 2  # wp_hash(id . time()): per second, not per delivery


def test_deliveries_over_https_are_verified_against_the_stores_ca_file(tmp_path: Path) -> None:
    import asyncio

    authority = trustme.CA()
    ca_path = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_path))
    pem = tmp_path / "leaf.pem"
    authority.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(pem))
    receiver = Receiver()
    sock = bound_socket()
    port = sock.getsockname()[1]

    async def run(ca_file: str | None) -> FakeStore:
        store = FakeStore(FakeStoreConfig(home_url=HOME, orders=5, webhook_delay_s=0.01, ca_file=ca_file))
        store.config.http_allowed_safe_ports = (80, 443, 8080, port)
        dispatcher = WebhookDispatcher(store)
        await dispatcher.start()
        store.create_webhook({"topic": "order.updated", "secret": "k", "delivery_url": f"https://127.0.0.1:{port}/h"})
        store.update_order(store.orders.ids[0], {"customer_note": "tls"})
        await dispatcher.drain()
        await dispatcher.stop()
        return store

    with ServerThread(receiver, sock, certfile=str(pem)):
        trusted = asyncio.run(run(str(ca_path)))
        assert [r.status for r in trusted.webhook_dispatcher.log] == [200, 200]  # ping, delivery
        delivery = receiver.requests[-1]
        assert delivery.header("X-WC-Webhook-Signature") == verify(delivery.body, "k")
        received = len(receiver.requests)
        untrusted = asyncio.run(run(None))
    assert len(receiver.requests) == received  # the TLS handshake failed before any request
    assert {r.error for r in untrusted.webhook_dispatcher.log} == {
        "cURL error 60: SSL certificate problem: unable to get local issuer certificate"
    }
    assert untrusted.webhooks[1].failure_count == 1


@pytest.mark.anyio
async def test_through_the_rest_api_a_created_webhook_is_pinged_and_an_order_edit_delivered() -> None:
    from fakestore.app import create_app, running

    receiver = Receiver()
    app = create_app(FakeStoreConfig(home_url=HOME, orders=20, webhook_delay_s=0.02))
    store = app.state.store
    store.outbound_transport = httpx.ASGITransport(app=receiver)
    key = store.accounts.create_key(1, "webhooks", "read_write")
    auth = (key.consumer_key, key.consumer_secret)
    async with running(app), httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=HOME) as c:
        created = await c.post(
            "/wp-json/wc/v3/webhooks",
            auth=auth,
            json={"name": "edits", "topic": "order.updated", "secret": "abc", "delivery_url": "https://127.0.0.1/h"},
        )
        assert created.status_code == 201
        order_id = (await c.get("/wp-json/wc/v3/orders", params={"per_page": 1}, auth=auth)).json()[0]["id"]
        edited = await c.put(f"/wp-json/wc/v3/orders/{order_id}", auth=auth, json={"customer_note": "via REST"})
        assert edited.status_code == 200
        await app.dispatcher.drain()
        after = (await c.get(f"/wp-json/wc/v3/webhooks/{created.json()['id']}", auth=auth)).json()
    ping, delivery = receiver.requests
    assert ping.body == f"webhook_id={created.json()['id']}".encode()
    assert delivery.header("X-WC-Webhook-Signature") == verify(delivery.body, "abc")
    assert json.loads(delivery.body) == edited.json()
    assert after["date_modified"] is not None  # the delivery saved the webhook, as captured
    assert created.json()["date_modified"] is None
