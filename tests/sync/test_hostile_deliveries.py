"""Signed webhook deliveries that name nothing Storelens could fetch — nested too deeply to read, an id beyond any
store's database — are answered "ignored" (a 2xx: WooCommerce disables a hook after repeated non-2xx answers, and
retrying would not make them readable), never a 500, and queue nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from storelens.sync.models import PendingFetch
from storelens.sync.webhooks import MAX_WC_ID, notice_id, signature_of, webhook_secret
from tests.stores.helpers import a_store

pytestmark = pytest.mark.django_db
DEEP = b'{"id": 5, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def deliver(store: Any, body: bytes) -> Any:
    headers = {
        "X-WC-Webhook-Signature": signature_of(body, webhook_secret(store)),
        "X-WC-Webhook-Resource": "order",
        "X-WC-Webhook-Topic": "order.updated",
    }
    return Client().post(
        f"/sync/hooks/wc/{store.public_id}/", data=body, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize(
    "body",
    [DEEP, json.dumps({"id": 10**30}).encode(), json.dumps({"id": str(2**63)}).encode(), b'{"id": 1e30}'],
    ids=["nested-too-deeply", "id-10**30", "id-2**63-as-text", "id-float"],
)
def test_a_delivery_naming_nothing_fetchable_is_ignored_not_a_500(alice: Any, body: bytes) -> None:
    store = a_store(alice.workspaces().first())
    response = deliver(store, body)
    assert response.status_code == 200 and response.content == b"ignored\n"
    assert not PendingFetch.objects.exists()


def test_the_largest_id_a_row_can_hold_is_still_queued(alice: Any) -> None:
    store = a_store(alice.workspaces().first())
    assert deliver(store, json.dumps({"id": MAX_WC_ID}).encode()).content == b"queued\n"
    assert PendingFetch.objects.get().wc_id == MAX_WC_ID


@pytest.mark.parametrize(
    ("body", "wc_id"),
    [(b'{"id": 42}', 42), (b'{"id": "42"}', 42), (b'{"id": true}', 0), (b'{"id": -1}', 0), (b"[1]", 0), (b"", 0)],
)
def test_notice_id_reads_only_whole_positive_ids(body: bytes, wc_id: int) -> None:
    assert notice_id(body) == wc_id


@pytest.mark.parametrize(
    "body",
    [
        b'{"resource": "order", "id": 5, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        json.dumps({"resource": "order", "id": 10**30}).encode(),
        b'["order", 5]',
    ],
    ids=["nested-too-deeply", "id-10**30", "not-an-object"],
)
def test_a_connector_notice_naming_nothing_fetchable_is_ignored_not_a_500(alice: Any, body: bytes) -> None:
    store = a_store(alice.workspaces().first())
    headers = {"X-Storelens-Signature": signature_of(body, webhook_secret(store))}
    response = Client().post(
        f"/sync/hooks/connector/{store.public_id}/", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200 and response.content == b"ignored\n"
    assert not PendingFetch.objects.exists()
