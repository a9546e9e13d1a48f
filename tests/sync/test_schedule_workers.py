"""With several workers every one runs the periodic scheduler: a due store must still be queued once, and never
while its pass is running (issue 17's fleet)."""

from __future__ import annotations

from typing import Any

import pytest

from storelens.stores.models import Store
from storelens.sync import lease, tasks
from storelens.sync.models import SyncState

from .conftest import make_fake, make_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """What the scheduler enqueued, without running it (as on a real queue, where another worker picks it up)."""
    calls: list[tuple[str, int]] = []
    for name in ("incremental", "reconcile"):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "schedule", lambda args, delay, _n=name: calls.append((_n, args[0])))
    return calls


def test_three_schedulers_queue_a_due_store_once(workspace: Any, queued: list[tuple[str, int]]) -> None:
    fake = make_fake(10, seed=5)
    due, other = make_store(workspace, fake), make_store(workspace, fake)
    for _worker in range(3):  # three workers' schedulers in the same minute
        tasks.schedule_passes.call_local()
    assert sorted(queued) == [("incremental", due.pk), ("incremental", other.pk)]
    assert SyncState.objects.get(store=due).queued_at is not None


def test_a_store_is_queued_again_once_its_pass_has_started(workspace: Any, queued: list[tuple[str, int]]) -> None:
    store = make_store(workspace, make_fake(10, seed=5))
    tasks.schedule_passes.call_local()
    tasks._unclaim(store.pk)  # what the queued task does first when a worker runs it
    tasks.schedule_passes.call_local()
    assert queued == [("incremental", store.pk)] * 2


def test_a_store_being_synced_is_not_queued(workspace: Any, queued: list[tuple[str, int]]) -> None:
    store = make_store(workspace, make_fake(10, seed=5))
    assert lease.acquire(store.pk, "worker-a")
    tasks.schedule_passes.call_local()
    assert queued == []
    lease.release(store.pk, "worker-a")
    tasks.schedule_passes.call_local()
    assert queued == [("incremental", store.pk)]


def test_stores_waiting_for_their_owner_are_not_claimed(workspace: Any, queued: list[tuple[str, int]]) -> None:
    store = make_store(workspace, make_fake(10, seed=5), status=Store.Status.PAUSED)
    tasks.schedule_passes.call_local()
    assert queued == []
    assert not SyncState.objects.filter(store=store, queued_at__isnull=False).exists()


def test_a_store_whose_import_is_queued_gets_no_second_pass_beside_it(
    workspace: Any, queued: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(workspace, make_fake(10, seed=5))
    imports: list[int] = []
    monkeypatch.setattr(tasks, "start_import", lambda store_id: imports.append(store_id))
    tasks.queue_import(store.pk)  # what connecting (or `sources add`) does
    tasks.schedule_passes.call_local()
    assert imports == [store.pk] and queued == []


def test_a_pass_scheduled_just_before_another_finished_does_not_run_again(
    workspace: Any, queued: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scheduler that read the store while its previous pass was finishing (lease free, claim released) queues a
    second pass; when a worker starts it, the store has just been synced, so it does nothing (the fleet test saw two
    passes 3.5 s apart)."""
    from django.utils import timezone

    store = make_store(workspace, make_fake(10, seed=5))
    Store.objects.filter(pk=store.pk).update(last_reconcile_at=timezone.now())  # only the incremental pass is due
    tasks.schedule_passes.call_local()
    assert queued == [("incremental", store.pk)]
    ran: list[int] = []
    monkeypatch.setattr(tasks, "_pass", lambda store_id, **kw: ran.append(store_id) or "done")
    Store.objects.filter(pk=store.pk).update(last_sync_at=timezone.now())  # the other pass finished meanwhile
    assert tasks.incremental.call_local(store.pk) == "skipped: synced since it was scheduled"
    assert ran == [] and SyncState.objects.get(store=store).queued_at is None
    Store.objects.filter(pk=store.pk).update(last_sync_at=None)  # still due: the pass runs
    assert tasks.incremental.call_local(store.pk) == "done" and ran == [store.pk]
