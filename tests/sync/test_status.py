"""Store failures become the source status the user sees, with the one thing to do; success clears it."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.stores.models import Store
from storelens.stores.status import clear_status
from storelens.sync.api import run_sync
from storelens.sync.models import SyncState, import_unfinished
from storelens.woocommerce.errors import StoreError

from .conftest import FAST_RETRIES, HOME, make_fake, make_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_and_store(workspace: Any, serve_in_process: dict) -> tuple[Any, Any]:
    fake = make_fake(60, seed=17)
    serve_in_process[HOME] = fake
    return fake, make_store(workspace, fake)


def _sync_expecting_failure(store: Any) -> Store:
    with pytest.raises(StoreError):
        run_sync(store.pk, client_options=FAST_RETRIES)
    return Store.objects.get(pk=store.pk)


def test_a_revoked_key_asks_to_reconnect_and_success_clears_it(fake_and_store: tuple[Any, Any]) -> None:
    fake, store = fake_and_store
    fake.store.accounts.delete_key(fake.key.key_id)
    failed = _sync_expecting_failure(store)
    assert failed.status == Store.Status.NEEDS_REAUTH and "Reconnect Store" in failed.status_fix
    assert failed.status_code and failed.status_message
    fresh = fake.store.accounts.create_key(1, "Storelens", "read_write")
    failed.set_keys(fresh.consumer_key, fresh.consumer_secret)
    failed.save()
    run_sync(store.pk, client_options=FAST_RETRIES)
    healed = Store.objects.get(pk=store.pk)
    assert (healed.status, healed.status_code, healed.status_message, healed.status_fix) == ("connected", "", "", "")


def test_a_firewall_challenge_is_blocked_and_names_the_vendor(fake_and_store: tuple[Any, Any]) -> None:
    fake, store = fake_and_store
    fake.store.config.set_modes({"waf-cloudflare"})
    failed = _sync_expecting_failure(store)
    assert failed.status == Store.Status.BLOCKED
    assert "cloudflare" in (failed.status_message + failed.status_fix).lower()


def test_maintenance_mode_is_unreachable_for_now(fake_and_store: tuple[Any, Any]) -> None:
    fake, store = fake_and_store
    fake.store.config.set_modes({"maintenance"})
    failed = _sync_expecting_failure(store)
    assert failed.status == Store.Status.UNREACHABLE and failed.status_fix


def test_a_cleared_problem_during_an_unfinished_import_returns_to_importing_not_connected(
    fake_and_store: tuple[Any, Any],
) -> None:
    """The store goes into maintenance once the import has been planned and begun; a health check that later finds
    it fine clears the problem (clear_status, as `doctor.runner.check_store` does), but the import is not done yet.

    The switch happens when the import phase is announced, before any order page is asked for: switching after the
    first page written raced the catalogue and refund listings, which run alongside the order windows and could
    finish the whole 60-order history before the switch (then a later step failed with the import complete)."""
    fake, store = fake_and_store

    def maintenance_once_importing(state: Any) -> None:
        if state.phase == SyncState.Phase.IMPORTING:
            fake.store.config.set_modes({"maintenance"})

    with pytest.raises(StoreError):
        run_sync(store.pk, progress=maintenance_once_importing, client_options=FAST_RETRIES)
    failed = Store.objects.get(pk=store.pk)
    assert failed.status == Store.Status.UNREACHABLE
    fake.store.config.set_modes(set())
    assert clear_status(failed, import_unfinished=import_unfinished(failed)).status == Store.Status.IMPORTING
    assert Store.objects.get(pk=store.pk).status == Store.Status.IMPORTING
    run_sync(store.pk, client_options=FAST_RETRIES)  # the import finishes: now it is connected
    assert Store.objects.get(pk=store.pk).status == Store.Status.CONNECTED
    assert clear_status(Store.objects.get(pk=store.pk)).status == Store.Status.CONNECTED
