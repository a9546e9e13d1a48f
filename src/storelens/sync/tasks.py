"""Huey tasks: the import after connecting, Sync now, webhook re-fetches, and the periodic passes."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from storelens.stores.models import Store
from storelens.woocommerce.errors import StoreError

from .api import run_sync

log = logging.getLogger(__name__)

# Sources in these states wait for the owner (new keys, firewall rule…): periodic passes leave them alone.
WAITING_FOR_OWNER = (Store.Status.NEEDS_REAUTH, Store.Status.AUTH_FAILED, Store.Status.PAUSED)


def _pass(store_id: int, *, exact: bool = False, reconcile: bool = False) -> str:
    try:
        result = run_sync(store_id, exact=exact, reconcile=reconcile)
    except StoreError as err:  # already recorded on the source by the engine
        log.warning("sync of source %s failed: %s", store_id, err)
        return f"failed: {err.code}"
    except Store.DoesNotExist:
        return "gone"
    return "done" if result.ran else f"skipped: lease held by {result.skipped_because}"


@db_task()
def start_import(store_id: int) -> str:
    """Enqueued by the connect flow once the keys are verified: import the history, then keep the copy exact, then
    register webhooks (read_write keys) so changes arrive between passes."""
    from .webhooks import ensure_webhooks_sync

    outcome = _pass(store_id, exact=True)
    if outcome == "done":
        try:
            ensure_webhooks_sync(store_id)
        except StoreError as err:
            log.warning("webhook registration for source %s failed: %s", store_id, err)
    return outcome


@db_task()
def sync_now(store_id: int) -> str:
    """Sync now: incremental pass + id census, so the copy is exact as of the click."""
    return _pass(store_id, exact=True)


@db_task()
def refetch(store_id: int) -> str:
    """A webhook arrived: its object was queued in PendingFetch; an incremental pass drains it."""
    return _pass(store_id)


def _due(store: Store, last: object, interval: int) -> bool:
    return last is None or last <= timezone.now() - timedelta(seconds=interval)  # type: ignore[operator]


@db_periodic_task(crontab(minute="*"))
def schedule_passes() -> list[int]:
    """Every minute: enqueue an incremental pass for sources due (STORELENS_SYNC_INTERVAL or their own interval),
    a reconciliation for those due (STORELENS_RECONCILE_INTERVAL), and a webhook check with it."""
    enqueued = []
    for store in Store.objects.exclude(status__in=WAITING_FOR_OWNER).filter(~Q(consumer_key_enc="")):
        interval = store.sync_interval or settings.STORELENS_SYNC_INTERVAL
        if (
            _due(store, store.last_reconcile_at, settings.STORELENS_RECONCILE_INTERVAL)
            and store.last_sync_at is not None
        ):
            reconcile.schedule(args=(store.pk,), delay=0)
            enqueued.append(store.pk)
        elif _due(store, store.last_sync_at, interval):
            incremental.schedule(args=(store.pk,), delay=0)
            enqueued.append(store.pk)
    return enqueued


@db_task()
def incremental(store_id: int) -> str:
    return _pass(store_id)


@db_task()
def reconcile(store_id: int) -> str:
    from .webhooks import ensure_webhooks_sync

    outcome = _pass(store_id, reconcile=True)
    try:
        ensure_webhooks_sync(store_id)
    except StoreError as err:
        log.warning("webhook check of source %s failed: %s", store_id, err)
    return outcome
