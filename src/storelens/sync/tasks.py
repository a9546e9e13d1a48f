"""Huey tasks: the import after connecting, Sync now, webhook re-fetches, and the periodic passes."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from storelens.stores.models import Store
from storelens.woocommerce.errors import StoreError

from . import failures
from .api import run_sync
from .models import Lease, SyncState

log = logging.getLogger(__name__)

# Sources in these states wait for the owner (new keys, firewall rule…): periodic passes leave them alone.
WAITING_FOR_OWNER = (Store.Status.NEEDS_REAUTH, Store.Status.AUTH_FAILED, Store.Status.PAUSED)
CLAIM_LOST_AFTER = timedelta(minutes=10)
# Queue order (higher first; imports keep the default 0). The fleet test found the scheduler's own tick waiting
# behind a backlog of first imports (two minutes before a killed worker's stores were queued again), and with 300
# stores connecting at once the passes that keep imported stores fresh would wait behind hours of imports.
PRIORITY_SCHEDULER = 100
PRIORITY_ASKED = 90  # Sync now: someone is waiting
PRIORITY_FRESHNESS = 50  # incremental passes, webhook re-fetches, reconciliations


def _pass(store_id: int, *, exact: bool = False, reconcile: bool = False) -> str:
    try:
        result = run_sync(store_id, exact=exact, reconcile=reconcile)
    except StoreError as err:  # already recorded on the source by the engine
        log.warning("sync of source %s failed: %s", store_id, err)
        return f"failed: {err.code}"
    except Store.DoesNotExist:
        return "gone"
    except Exception as err:
        # Recorded on the source (status, detail, back-off) and logged by `run_sync`; not re-raised: the job queue
        # would only log it again, and when to retry is the back-off's to decide.
        return f"failed: {failures.CODE} ({type(err).__name__})"
    return "done" if result.ran else f"skipped: lease held by {result.skipped_because}"


def _automatic(store_id: int, *, webhook: bool = False) -> bool:
    """A pass nobody asked for runs only when the failure back-off allows it (`failures`)."""
    state = SyncState.objects.filter(store_id=store_id).first()
    return failures.automatic_pass_allowed(state, webhook=webhook)


@db_task()
def start_import(store_id: int) -> str:
    """Enqueued by the connect flow once the keys are verified: import the history, then keep the copy exact, then
    register webhooks (read_write keys) so changes arrive between passes."""
    from .webhooks import ensure_webhooks_sync

    failures.rearm(store_id)  # new keys (connect, reconnect): a new series of attempts
    _unclaim(store_id)
    outcome = _pass(store_id, exact=True)
    if outcome == "done":
        try:
            ensure_webhooks_sync(store_id)
        except StoreError as err:
            log.warning("webhook registration for source %s failed: %s", store_id, err)
    return outcome


def queue_import(store_id: int) -> Any:
    """Queue `start_import` with the store claimed (`_claim`), so the scheduler does not queue another pass beside
    it while it waits: the fleet test saw a store imported by a scheduled pass that jumped the queue, then passed
    over again by its own import job."""
    SyncState.objects.get_or_create(store_id=store_id)
    SyncState.objects.filter(store_id=store_id).update(queued_at=timezone.now())
    return start_import(store_id)


@db_task(priority=PRIORITY_ASKED)
def sync_now(store_id: int) -> str:
    """Sync now: incremental pass + id census, so the copy is exact as of the click. Asked for by the owner (or by
    Check connection, or a reconnect), so it runs whatever the failure back-off says, and re-arms it."""
    failures.rearm(store_id)
    return _pass(store_id, exact=True)


@db_task(priority=PRIORITY_FRESHNESS)
def refetch(store_id: int) -> str:
    """A webhook arrived: its object was queued in PendingFetch; an incremental pass drains it (after a failure,
    only when the back-off allows: the fetch stays queued for the next pass)."""
    if not _automatic(store_id, webhook=True):
        return "deferred: failure back-off"
    return _pass(store_id)


def _due(store: Store, last: object, interval: int) -> bool:
    return last is None or last <= timezone.now() - timedelta(seconds=interval)  # type: ignore[operator]


def _claim(store_id: int, interval: int) -> bool:
    """Mark the store as queued unless another scheduler already did (one conditional UPDATE, so with N workers
    each running the scheduler a due store is still queued once). A claim older than twice the interval (at least
    10 minutes) is taken as lost, e.g. its task died with a killed worker before it started."""
    now = timezone.now()
    stale = now - max(timedelta(seconds=2 * interval), CLAIM_LOST_AFTER)
    SyncState.objects.get_or_create(store_id=store_id)
    claimable = Q(queued_at__isnull=True) | Q(queued_at__lt=stale)
    return SyncState.objects.filter(claimable, store_id=store_id).update(queued_at=now) == 1


def _unclaim(store_id: int) -> None:
    """The queued pass starts: the store may be queued again once it is due."""
    SyncState.objects.filter(store_id=store_id).update(queued_at=None)


@db_periodic_task(crontab(minute="*"), priority=PRIORITY_SCHEDULER)
def schedule_passes() -> list[int]:
    """Every minute: enqueue an incremental pass for stores due (STORELENS_SYNC_INTERVAL or their own interval),
    a reconciliation for those due (STORELENS_RECONCILE_INTERVAL), and a webhook check with it.

    Every consumer runs this (each `storelens worker` schedules periodic jobs unless --no-periodic), so a store is
    queued only by the scheduler that claims it, and never while its pass is running (its lease is held)."""
    enqueued = []
    stores = list(Store.objects.exclude(status__in=WAITING_FOR_OWNER).filter(~Q(consumer_key_enc="")))
    failing = {s.store_id: s for s in SyncState.objects.filter(store__in=stores, failures__gt=0)}
    busy = set(
        Lease.objects.filter(store__in=stores, expires_at__gte=timezone.now())
        .exclude(holder="")
        .values_list("store_id", flat=True)
    )
    for store in stores:
        if store.pk in busy or not failures.automatic_pass_allowed(failing.get(store.pk)):
            continue  # being synced now; or backing off after unexpected errors, or stopped until something changes
        interval = store.sync_interval or settings.STORELENS_SYNC_INTERVAL
        if (
            _due(store, store.last_reconcile_at, settings.STORELENS_RECONCILE_INTERVAL)
            and store.last_sync_at is not None
        ):
            task = reconcile
        elif _due(store, store.last_sync_at, interval):
            task = incremental
        else:
            continue
        if _claim(store.pk, interval):
            task.schedule(args=(store.pk,), delay=0)
            enqueued.append(store.pk)
    return enqueued


def _still_due(store_id: int, *, reconciling: bool) -> bool:
    """Whether a scheduled pass is still due when a worker starts it. A scheduler may have read the store just before
    another pass of it finished (the lease was already free, the claim just released), and queued a second pass that
    would then run seconds after the first: the fleet test saw one 3.5 s apart. Passes record their start in
    `last_sync_at`/`last_reconcile_at`, so a fresh read here decides."""
    store = Store.objects.filter(pk=store_id).only("last_sync_at", "last_reconcile_at", "sync_interval").first()
    if store is None:
        return True  # `_pass` says "gone"
    if reconciling:
        return _due(store, store.last_reconcile_at, settings.STORELENS_RECONCILE_INTERVAL)
    return _due(store, store.last_sync_at, store.sync_interval or settings.STORELENS_SYNC_INTERVAL)


@db_task(priority=PRIORITY_FRESHNESS)
def incremental(store_id: int) -> str:
    _unclaim(store_id)
    if not _still_due(store_id, reconciling=False):
        return "skipped: synced since it was scheduled"
    return _pass(store_id)


@db_task(priority=PRIORITY_FRESHNESS)
def reconcile(store_id: int) -> str:
    from .webhooks import ensure_webhooks_sync

    _unclaim(store_id)
    if not _still_due(store_id, reconciling=True):
        return "skipped: reconciled since it was scheduled"
    outcome = _pass(store_id, reconcile=True)
    try:
        ensure_webhooks_sync(store_id)
    except StoreError as err:
        log.warning("webhook check of source %s failed: %s", store_id, err)
    return outcome
