"""Single flight per source: one conditional UPDATE decides who syncs; a dead holder's lease runs out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from storelens.sync import lease
from storelens.sync.api import run_sync
from storelens.sync.models import Lease

from .conftest import FAST_RETRIES, HOME, make_fake, make_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(workspace: Any, serve_in_process: dict) -> Any:
    fake = make_fake(40, seed=19)
    serve_in_process[HOME] = fake
    return make_store(workspace, fake)


def test_only_one_holder_at_a_time(store: Any) -> None:
    assert lease.acquire(store.pk, "worker-a")
    assert not lease.acquire(store.pk, "worker-b")
    assert lease.acquire(store.pk, "worker-a")  # re-entrant for its holder
    assert lease.renew(store.pk, "worker-a") and not lease.renew(store.pk, "worker-b")
    lease.release(store.pk, "worker-a")
    assert lease.acquire(store.pk, "worker-b")


def test_an_expired_lease_is_taken_over_and_its_old_holder_cannot_renew(store: Any) -> None:
    assert lease.acquire(store.pk, "dead")
    Lease.objects.filter(store=store).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert lease.acquire(store.pk, "alive")
    assert not lease.renew(store.pk, "dead")


def test_a_sync_skips_a_store_whose_lease_is_held(store: Any) -> None:
    assert lease.acquire(store.pk, "someone-else")
    result = run_sync(store.pk, client_options=FAST_RETRIES)
    assert not result.ran and result.skipped_because == "someone-else"
    lease.release(store.pk, "someone-else")
    assert run_sync(store.pk, client_options=FAST_RETRIES).ran
    assert lease.holder_of(store.pk) == ""
