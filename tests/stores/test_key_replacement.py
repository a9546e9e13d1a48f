"""Reconnecting a working store: the new keys are checked before they replace the ones that work (issue 14, #8).

WooCommerce's PHP worker waits on the callback, so it still only stores and answers 200; the job that checks the new
keys (against the fake store, in-process) decides whether they replace the old ones.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from storelens.stores import connect
from storelens.stores.models import Store

from .helpers import a_store, callback_body
from .test_pages import text

pytestmark = pytest.mark.django_db
CALLBACK = "/sources/wc-callback/"
UNKNOWN_KEY, UNKNOWN_SECRET = "ck_" + "e5" * 20, "cs_" + "f6" * 20


@pytest.fixture
def connected(alice: Any, fake_store: Any) -> tuple[Store, Any]:
    """A store Storelens reads with keys that work, and those keys."""
    key = fake_store.accounts.create_key(1, "Storelens", "read_write")
    store = a_store(alice.workspaces().first(), status=Store.Status.CONNECTED, last_sync_at=timezone.now())
    store.set_keys(key.consumer_key, key.consumer_secret)
    store.key_id, store.key_permissions, store.keys_verified_at = key.key_id, "read_write", timezone.now()
    store.save()
    return store, key


def reconnect(alice: Any, store: Store, client: Client, capture: Any, **keys: Any) -> Any:
    _, token = connect.start(store, alice, "read_write")
    with capture(execute=True):  # the verification job runs (tests run jobs immediately)
        return client.post(CALLBACK, callback_body(token, **keys), content_type="application/json")


def test_keys_that_do_not_work_leave_the_store_connected_with_its_old_keys_and_say_so(
    alice: Any,
    connected: tuple[Store, Any],
    csrf_client: Client,
    signed_in: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    store, old = connected
    answer = reconnect(
        alice, store, csrf_client, django_capture_on_commit_callbacks, key=UNKNOWN_KEY, secret=UNKNOWN_SECRET
    )
    assert answer.status_code == 200  # anything else makes WooCommerce delete the key at once
    store.refresh_from_db()
    assert store.status == Store.Status.CONNECTED
    assert store.keys() == (old.consumer_key, old.consumer_secret) and store.key_id == old.key_id
    page = text(signed_in.get(f"/sources/{store.pk}/"))
    assert "The new keys your store sent" in page and "kept using the keys that worked" in page


def test_keys_that_work_replace_the_old_ones_and_clear_an_earlier_refusal(
    alice: Any,
    connected: tuple[Store, Any],
    fake_store: Any,
    csrf_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    store, _ = connected
    reconnect(alice, store, csrf_client, django_capture_on_commit_callbacks, key=UNKNOWN_KEY, secret=UNKNOWN_SECRET)
    new = fake_store.accounts.create_key(1, "Storelens", "read")
    answer = reconnect(
        alice,
        store,
        csrf_client,
        django_capture_on_commit_callbacks,
        key=new.consumer_key,
        secret=new.consumer_secret,
        key_id=new.key_id,
        scope="read",
    )
    assert answer.status_code == 200
    store.refresh_from_db()
    assert store.keys() == (new.consumer_key, new.consumer_secret) and store.key_id == new.key_id
    assert store.key_permissions == "read" and store.status == Store.Status.CONNECTED
    assert not [w for w in store.data_warnings if w.get("code") == "new_keys_refused"]


def test_the_callback_only_queues_the_check_and_the_old_keys_stay_in_use_meanwhile(
    alice: Any,
    connected: tuple[Store, Any],
    csrf_client: Client,
    queued_jobs: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    store, old = connected
    _, token = connect.start(store, alice, "read_write")
    body = callback_body(token, key=UNKNOWN_KEY, secret=UNKNOWN_SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        answer = csrf_client.post(CALLBACK, body, content_type="application/json")
    assert answer.status_code == 200
    store.refresh_from_db()
    assert store.status == Store.Status.CONNECTED and store.keys() == (old.consumer_key, old.consumer_secret)
    jobs = queued_jobs.pending()
    assert [task.name for task in jobs] == ["stores.verify_keys"]
    assert UNKNOWN_SECRET not in repr(jobs[0].args) + repr(jobs[0].kwargs)  # the queue holds them encrypted
