"""Single flight per source: one conditional UPDATE decides who syncs; a dead holder's lease runs out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from storelens.sync import lease
from storelens.sync.api import run_sync
from storelens.sync.models import Lease

from .conftest import FAST_RETRIES, HOME, make_fake, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(workspace: Any, serve_in_process: dict) -> Any:
    fake = make_fake(40, seed=19)
    serve_in_process[HOME] = fake
    return make_source(workspace, fake)


def test_only_one_holder_at_a_time(source: Any) -> None:
    assert lease.acquire(source.pk, "worker-a")
    assert not lease.acquire(source.pk, "worker-b")
    assert lease.acquire(source.pk, "worker-a")  # re-entrant for its holder
    assert lease.renew(source.pk, "worker-a") and not lease.renew(source.pk, "worker-b")
    lease.release(source.pk, "worker-a")
    assert lease.acquire(source.pk, "worker-b")


def test_an_expired_lease_is_taken_over_and_its_old_holder_cannot_renew(source: Any) -> None:
    assert lease.acquire(source.pk, "dead")
    Lease.objects.filter(source=source).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert lease.acquire(source.pk, "alive")
    assert not lease.renew(source.pk, "dead")


def test_a_sync_skips_a_source_whose_lease_is_held(source: Any) -> None:
    assert lease.acquire(source.pk, "someone-else")
    result = run_sync(source.pk, client_options=FAST_RETRIES)
    assert not result.ran and result.skipped_because == "someone-else"
    lease.release(source.pk, "someone-else")
    assert run_sync(source.pk, client_options=FAST_RETRIES).ran
    assert lease.holder_of(source.pk) == ""
