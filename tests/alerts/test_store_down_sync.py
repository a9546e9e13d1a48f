"""A store whose keys are revoked, seen through the real sync against the fake store (in-process): the failing pass
sets the status, the alert fires after the grace period with the status's own words, and clears once a pass with new
keys succeeds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from storelens.accounts.models import Workspace
from storelens.alerts.episodes import detect
from storelens.alerts.models import Alert, Kind
from storelens.stores import client
from storelens.stores.models import Store
from storelens.sync.api import run_sync
from storelens.woocommerce.errors import StoreError
from tests.sync.conftest import FAST_RETRIES, HOME, FakesByHome, make_fake, make_store

pytestmark = pytest.mark.django_db


def test_revoked_keys_fire_once_and_clear_after_a_good_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    fakes = FakesByHome()
    monkeypatch.setattr(client, "TEST_TRANSPORT", fakes)
    fake = make_fake(60, seed=17)
    fakes[HOME] = fake
    store = make_store(Workspace.objects.create(name="Shop"), fake, keys_verified_at=timezone.now())
    run_sync(store.pk, client_options=FAST_RETRIES)
    assert Store.objects.get(pk=store.pk).status == Store.Status.CONNECTED

    fake.store.accounts.delete_key(fake.key.key_id)
    with pytest.raises(StoreError):
        run_sync(store.pk, client_options=FAST_RETRIES)
    failed = Store.objects.get(pk=store.pk)
    assert failed.status == Store.Status.NEEDS_REAUTH
    assert detect(failed.status_since + timedelta(minutes=5)).get("fired") is None  # within the grace period
    assert detect(failed.status_since + timedelta(minutes=20))["fired"] == 1
    assert detect(failed.status_since + timedelta(minutes=25)).get("fired") is None  # once per episode
    alert = Alert.objects.get(kind=Kind.STORE_DOWN)
    assert alert.title == "Your store's keys stopped working"
    assert failed.status_message in alert.reason and "Reconnect Store" in alert.reason
    assert alert.figures["minutes"] == 25

    fresh = fake.store.accounts.create_key(1, "Storelens", "read_write")
    failed.set_keys(fresh.consumer_key, fresh.consumer_secret)
    failed.save()
    run_sync(store.pk, client_options=FAST_RETRIES)
    detect(timezone.now())
    assert Alert.objects.get(pk=alert.pk).resolved_at is not None


def test_a_quiet_fake_store_fires_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its own history, imported by the sync, with nothing unusual at the moment of the import."""
    fakes = FakesByHome()
    monkeypatch.setattr(client, "TEST_TRANSPORT", fakes)
    fake = make_fake(60, seed=17)
    fakes[HOME] = fake
    store = make_store(Workspace.objects.create(name="Shop"), fake, keys_verified_at=timezone.now())
    run_sync(store.pk, client_options=FAST_RETRIES)
    outcomes: dict[str, Any] = detect(timezone.now())
    assert set(outcomes) <= {"quiet", "unknown"}, outcomes
    assert not Alert.objects.exists()
