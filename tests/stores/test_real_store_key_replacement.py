"""Against the real WordPress + WooCommerce (tests/realstore): keys WooCommerce does not know, sent for a store whose
keys work, are refused by the store and leave it Connected on its old keys; keys it knows replace them (issue 14 #8).
The store itself is not changed (no key is created or deleted on it), so the session-wide store is used."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from storelens.stores import connect
from storelens.stores.models import Store
from storelens.stores.tasks import verify_new_keys_now

from .helpers import callback_body

pytestmark = [pytest.mark.realstore, pytest.mark.django_db]


def handed_keys(store: Store, alice: Any, capture: Any, **keys: Any) -> tuple[Any, ...]:
    """What the callback hands the verification job for a reconnect with `keys`."""
    _, token = connect.start(store, alice, "read_write")
    handed: list[tuple[Any, ...]] = []
    with capture(execute=True):
        result = connect.accept_callback(callback_body(token, **keys), on_stored=lambda *job: handed.append(job))
    assert result.status == 200 and len(handed) == 1
    return handed[0]


def test_a_real_store_refuses_unknown_new_keys_and_the_working_ones_stay(
    real_store_us: Any, alice: Any, django_capture_on_commit_callbacks: Any, queued_jobs: Any
) -> None:
    shop = real_store_us
    store = Store(
        workspace=alice.workspaces().first(),
        entered_url=shop.url,
        home_url=shop.url,
        rest_root=shop.url + "/wp-json/",
        status=Store.Status.CONNECTED,
        keys_verified_at=timezone.now(),
        last_sync_at=timezone.now(),
        key_permissions="read_write",
    )
    store.set_keys(shop.consumer_key, shop.consumer_secret)
    store.save()
    unknown = {"key": "ck_" + "e5" * 20, "secret": "cs_" + "f6" * 20, "key_id": 999}
    read_key, read_secret = shop.read_only_key
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle)):
        assert verify_new_keys_now(*handed_keys(store, alice, django_capture_on_commit_callbacks, **unknown)) is False
        store.refresh_from_db()
        assert store.status == Store.Status.CONNECTED
        assert store.keys() == (shop.consumer_key, shop.consumer_secret)
        refusal = [w for w in store.data_warnings if w.get("code") == "new_keys_refused"]
        assert refusal and "kept using the keys that worked" in refusal[0]["message"]

        known = {"key": read_key, "secret": read_secret, "key_id": 998, "scope": "read"}
        assert verify_new_keys_now(*handed_keys(store, alice, django_capture_on_commit_callbacks, **known)) is True
    store.refresh_from_db()
    assert store.keys() == (read_key, read_secret) and store.key_permissions == "read"
    assert not [w for w in store.data_warnings if w.get("code") == "new_keys_refused"]
    assert [t.name for t in queued_jobs.pending()] == ["sync_now"]  # catches up with the new keys (queued here)
