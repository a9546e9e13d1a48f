"""The periodic scheduler: due sources get an incremental pass or a reconciliation; stores waiting for their owner
(new keys, paused) are left alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from storelens.stores.models import Store
from storelens.sync.api import run_sync
from storelens.sync.tasks import schedule_passes

from .conftest import FAST_RETRIES, HOME, make_fake, make_store

pytestmark = pytest.mark.django_db


def test_due_stores_are_synced_and_stores_waiting_for_their_owner_are_not(
    workspace: Any, serve_in_process: dict
) -> None:
    fake = make_fake(60, seed=23)
    serve_in_process[HOME] = fake
    due = make_store(workspace, fake)
    run_sync(due.pk, client_options=FAST_RETRIES)
    waiting = make_store(workspace, fake, status=Store.Status.NEEDS_REAUTH)
    recent = timezone.now() - timedelta(seconds=5)
    long_ago = timezone.now() - timedelta(hours=2)
    Store.objects.filter(pk=due.pk).update(last_sync_at=long_ago, last_reconcile_at=timezone.now())
    Store.objects.filter(pk=waiting.pk).update(last_sync_at=long_ago)
    fresh = make_store(workspace, fake)
    Store.objects.filter(pk=fresh.pk).update(last_sync_at=recent, last_reconcile_at=recent)
    enqueued = schedule_passes.call_local()
    assert enqueued == [due.pk]
    assert Store.objects.get(pk=due.pk).last_sync_at > long_ago  # tasks run inline in tests
    assert Store.objects.get(pk=waiting.pk).last_sync_at == long_ago


def test_a_store_due_for_reconciliation_is_reconciled(workspace: Any, serve_in_process: dict) -> None:
    fake = make_fake(60, seed=29)
    serve_in_process[HOME] = fake
    store = make_store(workspace, fake)
    run_sync(store.pk, client_options=FAST_RETRIES)
    Store.objects.filter(pk=store.pk).update(last_reconcile_at=timezone.now() - timedelta(days=1))
    assert schedule_passes.call_local() == [store.pk]
    assert Store.objects.get(pk=store.pk).last_reconcile_at > timezone.now() - timedelta(minutes=1)
