"""Add a store, paste keys and verify callback keys against the fake WooCommerce store (in-process)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from storelens.stores import connect
from storelens.stores.models import Store
from storelens.stores.reporting import DateBasis
from storelens.stores.tasks import verify_keys_now, verify_new_keys_now

from .helpers import HOME, a_store
from .test_pages import post_form, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["shop.example.com", "https://shop.example.com/wp-admin/options-general.php"])
def test_adding_what_people_type_finds_the_store(signed_in: Client, fake_store: Any, typed: str) -> None:
    answer = post_form(signed_in, "/sources/", "/sources/add/", {"url": typed})
    store = Store.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/sources/{store.pk}/"
    assert store.home_url == HOME and store.rest_root == HOME + "/wp-json/"
    assert store.name == "Example Shop" and store.timezone_string == "America/New_York"
    assert store.status == Store.Status.CONNECTING and store.entered_url == typed
    assert not store.plain_permalinks


def test_adding_the_same_store_twice_opens_the_first(signed_in: Client, fake_store: Any) -> None:
    post_form(signed_in, "/sources/", "/sources/add/", {"url": "shop.example.com"})
    again = post_form(signed_in, "/sources/", "/sources/add/", {"url": "https://shop.example.com/wp-json/"})
    store = Store.objects.get()
    assert again["Location"] == f"/sources/{store.pk}/"
    assert "already one of your stores" in text(signed_in.get(again["Location"]))


def test_a_second_store_can_be_added_to_the_same_workspace(alice: Any, signed_in: Client, fake_store: Any) -> None:
    a_store(alice.workspaces().first(), home_url="https://other.example.com", name="Other")
    post_form(signed_in, "/sources/", "/sources/add/", {"url": "shop.example.com"})
    assert Store.objects.count() == 2
    page = text(signed_in.get("/sources/"))
    assert "Other" in page and "Example Shop" in page and "Add a WooCommerce store" in page


@pytest.mark.parametrize(
    ("mode", "code", "words"),
    [
        ("not-wordpress", "not_wordpress", "does not look like a WordPress site"),
        ("no-woocommerce", "not_woocommerce", "WooCommerce"),
        ("rest-disabled", "rest_disabled", "REST API is switched off"),
        ("waf-cloudflare", "waf_challenge", "Cloudflare"),
    ],
)
def test_each_discovery_failure_is_a_precise_message_with_its_fix(
    signed_in: Client, fake_store: Any, mode: str, code: str, words: str
) -> None:
    fake_store.config.set_modes({mode})
    answer = post_form(signed_in, "/sources/", "/sources/add/", {"url": "shop.example.com"})
    page = text(answer)
    assert answer.status_code == 400
    assert f'data-code="{code}"' in page and words in page and "What to do:" in page
    assert not Store.objects.exists()


def test_plain_permalinks_found_by_discovery_are_explained_on_the_store_page(
    signed_in: Client, fake_store: Any
) -> None:
    fake_store.config.set_modes({"plain-permalinks"})
    answer = post_form(signed_in, "/sources/", "/sources/add/", {"url": "shop.example.com"})
    store = Store.objects.get()
    assert store.plain_permalinks and "rest_route" in store.rest_root
    page = text(signed_in.get(answer["Location"]))
    assert "plain permalinks" in page and "Settings → Permalinks" in page


def _key(fake_store: Any, permissions: str) -> Any:
    return fake_store.accounts.create_key(1, "Storelens", permissions)


def _callback_body(key: Any, token: str) -> dict[str, Any]:
    """What WooCommerce POSTs to the callback after Approve (FINDINGS §1), for a key the fake store created."""
    return {
        "key_id": key.key_id,
        "user_id": token,
        "consumer_key": key.consumer_key,
        "consumer_secret": key.consumer_secret,
        "key_permissions": key.permissions,
    }


@pytest.mark.parametrize(("permissions", "shown"), [("read_write", "read and write"), ("read", "read")])
def test_manual_keys_are_checked_with_a_real_call_and_their_scope_detected(
    alice: Any, signed_in: Client, fake_store: Any, queued_jobs: Any, permissions: str, shown: str
) -> None:
    store = a_store(alice.workspaces().first())
    key = _key(fake_store, permissions)
    page = f"/sources/{store.pk}/"
    answer = post_form(
        signed_in,
        page,
        f"/sources/{store.pk}/keys/",
        {"consumer_key": key.consumer_key, "consumer_secret": key.consumer_secret},
    )
    assert answer.status_code == 302
    store.refresh_from_db()
    assert store.keys() == (key.consumer_key, key.consumer_secret)
    assert store.key_permissions == permissions and store.keys_verified_at is not None
    assert store.status == Store.Status.IMPORTING and store.currency == "USD"
    assert [t.name for t in queued_jobs.pending()] == ["start_import"]
    shown_page = text(signed_in.get(page))
    assert f"The keys work ({shown} access)" in shown_page
    assert ("cannot register webhooks" in shown_page) == (permissions == "read")


def test_manual_keys_the_store_does_not_know_are_refused_with_the_reason(
    alice: Any, signed_in: Client, fake_store: Any
) -> None:
    store = a_store(alice.workspaces().first())
    answer = post_form(
        signed_in,
        f"/sources/{store.pk}/",
        f"/sources/{store.pk}/keys/",
        {"consumer_key": "ck_" + "0" * 40, "consumer_secret": "cs_" + "0" * 40},
    )
    assert answer.status_code == 400
    page = text(answer)
    assert 'data-code="keys_invalid"' in page and "What to do:" in page
    store.refresh_from_db()
    assert store.consumer_key_enc == ""


def test_malformed_manual_keys_say_what_a_key_looks_like(alice: Any, signed_in: Client) -> None:
    store = a_store(alice.workspaces().first())
    answer = post_form(
        signed_in,
        f"/sources/{store.pk}/",
        f"/sources/{store.pk}/keys/",
        {"consumer_key": "abc", "consumer_secret": "def"},
    )
    assert answer.status_code == 400 and "ck_ followed by 40" in text(answer)


def test_verification_job_marks_callback_keys_verified_and_starts_the_import(
    alice: Any, fake_store: Any, queued_jobs: Any
) -> None:
    store = a_store(alice.workspaces().first())
    _, token = connect.start(store, alice)
    key = _key(fake_store, "read_write")
    body = _callback_body(key, token)
    assert connect.accept_callback(body).status == 200
    assert verify_keys_now(store.pk) is True
    store.refresh_from_db()
    assert store.keys_verified_at is not None and store.auth_method == "basic"
    assert store.status == Store.Status.IMPORTING
    assert [t.name for t in queued_jobs.pending()] == ["start_import"]


def test_verification_of_revoked_keys_asks_for_reconnect(alice: Any, fake_store: Any, queued_jobs: Any) -> None:
    store = a_store(alice.workspaces().first())
    _, token = connect.start(store, alice)
    key = _key(fake_store, "read_write")
    body = _callback_body(key, token)
    connect.accept_callback(body)
    fake_store.accounts.delete_key(key.key_id)
    assert verify_keys_now(store.pk) is False
    store.refresh_from_db()
    assert store.status == Store.Status.NEEDS_REAUTH and store.keys_verified_at is None
    assert "Reconnect Store" in store.status_fix
    assert queued_jobs.pending() == []


def _connected_store(alice: Any, fake_store: Any, permissions: str = "read_write") -> Any:
    from django.utils import timezone

    key = _key(fake_store, permissions)
    store = a_store(
        alice.workspaces().first(),
        status=Store.Status.CONNECTED,
        keys_verified_at=timezone.now(),
        key_permissions=permissions,
    )
    store.set_keys(key.consumer_key, key.consumer_secret)
    store.save()
    store.fake_key = key
    return store


def _make_webhook(store: Store, delivery_url: str) -> None:
    from storelens.stores import client as store_client

    async def go() -> None:
        async with store_client.client_for(store) as client:
            await client.post("/wc/v3/webhooks", json={"topic": "order.updated", "delivery_url": delivery_url})

    store_client.run(go)


def test_remove_deletes_only_storelens_webhooks_on_the_store_and_reports_it(
    alice: Any, signed_in: Client, fake_store: Any
) -> None:
    store = _connected_store(alice, fake_store)
    _make_webhook(store, f"https://203.0.113.10/sync/webhook/{store.public_id}/")
    _make_webhook(store, "https://203.0.113.99/someone-elses-hook")
    done = post_form(signed_in, f"/sources/{store.pk}/remove/", f"/sources/{store.pk}/remove/", {"confirm": "yes"})
    assert done.status_code == 302 and not Store.objects.filter(pk=store.pk).exists()
    assert [w.delivery_url for w in fake_store.webhooks.values()] == ["https://203.0.113.99/someone-elses-hook"]
    assert "Deleted 1 Storelens webhook(s) on the store." in text(signed_in.get("/sources/"))


def test_remove_goes_on_when_the_store_refuses_and_says_what_is_left_to_do(
    alice: Any, signed_in: Client, fake_store: Any
) -> None:
    store = _connected_store(alice, fake_store)
    fake_store.config.set_modes({"waf-cloudflare"})
    post_form(signed_in, f"/sources/{store.pk}/remove/", f"/sources/{store.pk}/remove/", {"confirm": "yes"})
    assert not Store.objects.filter(pk=store.pk).exists()
    page = text(signed_in.get("/sources/"))
    assert "Could not delete Storelens's webhooks on the store" in page
    assert "WooCommerce → Settings → Advanced → Webhooks" in page


def test_sync_now_queues_a_pass(alice: Any, signed_in: Client, fake_store: Any, queued_jobs: Any) -> None:
    store = _connected_store(alice, fake_store)
    post_form(signed_in, f"/sources/{store.pk}/", f"/sources/{store.pk}/sync/")
    assert [t.name for t in queued_jobs.pending()] == ["sync_now"]


def test_importing_shows_progress_from_the_sync_state(alice: Any, signed_in: Client, fake_store: Any) -> None:
    from storelens.sync.models import SyncState

    store = _connected_store(alice, fake_store)
    Store.objects.filter(pk=store.pk).update(status=Store.Status.IMPORTING)
    SyncState.objects.create(store=store, orders_done=120, orders_total=480, phase=SyncState.Phase.REFUNDS)
    card = text(signed_in.get(f"/sources/{store.pk}/card/"))
    assert "<strong>120</strong> of 480 orders (importing refunds)" in card and 'aria-valuenow="25"' in card
    assert 'hx-trigger="every 1s"' in card
    assert "120 of 480 orders" in text(signed_in.get("/sources/"))


def test_reconnect_replaces_the_keys_on_the_same_store_and_keeps_history_cursors_and_settings(
    alice: Any, fake_store: Any, queued_jobs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    from storelens.sync.models import Cursor

    store = _connected_store(alice, fake_store)
    synced = timezone.now()
    Store.objects.filter(pk=store.pk).update(
        last_sync_at=synced,
        date_basis_origin=Store.SettingOrigin.OWNER,
        excluded_statuses_origin=Store.SettingOrigin.OWNER,
        date_basis=DateBasis.CREATED,
        excluded_statuses=["failed"],
    )
    Cursor.objects.create(store=store, resource="orders", position=synced)
    old_key = store.fake_key
    _, token = connect.start(store, alice)
    new_key = _key(fake_store, "read_write")
    body = _callback_body(new_key, token)
    handed: list[tuple[Any, ...]] = []
    with django_capture_on_commit_callbacks(execute=True):
        assert connect.accept_callback(body, on_stored=lambda *job: handed.append(job)).status == 200
    assert Store.objects.get(pk=store.pk).keys() == (old_key.consumer_key, old_key.consumer_secret)  # still in use
    assert verify_new_keys_now(*handed[0]) is True
    store.refresh_from_db()
    assert Store.objects.count() == 1
    assert store.keys() == (new_key.consumer_key, new_key.consumer_secret) != (old_key.consumer_key, "")
    assert store.key_id == new_key.key_id and store.status == Store.Status.CONNECTED
    assert (store.date_basis, store.excluded_statuses, store.last_sync_at) == ("created", ["failed"], synced)
    assert Cursor.objects.get(store=store).position == synced
    assert [t.name for t in queued_jobs.pending()] == ["sync_now"]  # catch up, not a new import
