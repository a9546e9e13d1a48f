"""The wc-auth callback: what WooCommerce posts, and everything it must refuse without storing anything."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from storelens.stores import connect
from storelens.stores.models import ConnectAttempt, Store

from .helpers import KEY, SECRET, a_store, callback_body

pytestmark = pytest.mark.django_db
CALLBACK = "/sources/wc-callback/"


def post(client: Client, body: Any) -> Any:
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(CALLBACK, raw, content_type="application/json;charset=UTF-8")


def a_pending_attempt(alice: Any) -> tuple[Store, str]:
    store = a_store(alice.workspaces().first())
    _, token = connect.start(store, alice, "read_write")
    return store, token


def test_callback_stores_encrypted_keys_answers_200_and_only_queues_verification(
    alice: Any, csrf_client: Client, queued_jobs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    store, token = a_pending_attempt(alice)
    post(csrf_client, b"warm up")  # the first request of a process imports every URLconf: not what is measured
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(csrf_client, callback_body(token))
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200  # exactly 200, or WooCommerce deletes the key
    assert elapsed < 1.0
    store.refresh_from_db()
    assert store.keys() == (KEY, SECRET)
    assert KEY not in store.consumer_key_enc and SECRET not in store.consumer_secret_enc
    assert (store.key_id, store.key_permissions) == (7, "read_write")
    assert store.keys_received_at is not None and store.keys_verified_at is None
    # The store's PHP worker is waiting on this answer: the first API call is a queued job, not part of the request.
    assert [task.name for task in queued_jobs.pending()] == ["stores.verify_keys"]


def test_callback_answers_the_same_post_again_with_200_and_changes_nothing(alice: Any, csrf_client: Client) -> None:
    store, token = a_pending_attempt(alice)
    assert post(csrf_client, callback_body(token)).status_code == 200
    store.refresh_from_db()
    received = store.keys_received_at
    assert post(csrf_client, callback_body(token)).status_code == 200
    store.refresh_from_db()
    assert store.keys_received_at == received and store.keys() == (KEY, SECRET)


def test_a_used_token_with_another_key_is_refused_and_the_first_key_stays(alice: Any, csrf_client: Client) -> None:
    store, token = a_pending_attempt(alice)
    post(csrf_client, callback_body(token))
    other = callback_body(token, key="ck_" + "c3" * 20, secret="cs_" + "d4" * 20, key_id=8)
    assert post(csrf_client, other).status_code == 409
    store.refresh_from_db()
    assert store.keys() == (KEY, SECRET) and store.key_id == 7


def test_unknown_token_is_refused_and_nothing_is_stored(alice: Any, csrf_client: Client) -> None:
    store, _ = a_pending_attempt(alice)
    answer = post(csrf_client, callback_body("not-a-token-we-issued"))
    assert answer.status_code == 403
    store.refresh_from_db()
    assert store.consumer_key_enc == "" and store.keys_received_at is None


def test_expired_token_is_refused_and_nothing_is_stored(alice: Any, csrf_client: Client) -> None:
    store, token = a_pending_attempt(alice)
    ConnectAttempt.objects.filter(store=store).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert post(csrf_client, callback_body(token)).status_code == 410
    store.refresh_from_db()
    assert store.consumer_key_enc == ""
    assert ConnectAttempt.objects.get(store=store).used_at is None


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        [],
        {"user_id": "x"},
        {"key_id": 1, "user_id": "t", "consumer_key": "ck_short", "consumer_secret": SECRET, "key_permissions": "read"},
        {"key_id": 1, "user_id": "t", "consumer_key": KEY, "consumer_secret": SECRET, "key_permissions": "admin"},
    ],
)
def test_malformed_bodies_get_400(alice: Any, csrf_client: Client, body: Any) -> None:
    assert post(csrf_client, body).status_code == 400


def test_the_token_is_stored_only_as_a_hash(alice: Any) -> None:
    store, token = a_pending_attempt(alice)
    attempt = ConnectAttempt.objects.get(store=store)
    assert token not in attempt.token_hash and len(attempt.token_hash) == 64
    assert all(ch.isalnum() or ch in "-_" for ch in token)  # survives WooCommerce's wc_clean() unchanged
    assert abs(attempt.expires_at - attempt.created_at - timedelta(hours=1)) < timedelta(seconds=1)
