"""Huey tasks: the cohort cells' refresh, queued by the end of a sync pass that moved customers rather than run in it,
and the MRR snapshot's (`refresh_subscription_mrr`), queued the same way after a subscription write.

Why queued: the refresh reads the store's whole history (`rollups.cohorts`), seconds at 10k orders and minutes at a
million; inside the pass it held the source's lease and added to every import's time. Until the job runs the page
serves the previous cells and says they are being refreshed (`is_stale`). Two queued jobs cost one refresh: the
second finds the cells fresh.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import db_task

PRIORITY = 10  # after the sync's own jobs (50 and up): figures can wait, keeping the copy fresh cannot


@db_task(priority=PRIORITY)
def refresh_cohorts(store_id: int) -> str:
    """ "refreshed", "fresh", "gone", or "deferred": a large store's refresh is paced (`rollups.cohorts.paced_until`)
    and this job queued again for when it may run; one deferred job per store at a time (`deferred_until`), so a
    store's passes in the meantime queue nothing more."""
    from storelens.analytics.metrics.report_settings import report_settings
    from storelens.analytics.models import CohortSnapshot
    from storelens.analytics.rollups.cohorts import needs_refresh, paced_until, refresh
    from storelens.analytics.rollups.snapshots import settings_key
    from storelens.stores.models import Store

    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return "gone"
    snapshot = CohortSnapshot.objects.filter(store=store).first()
    if not needs_refresh(store, snapshot):
        return "fresh"
    now = timezone.now()
    # Only cells that are merely behind are paced: missing ones, or ones counted before the owner changed how the
    # store counts, would answer a question nobody asks any more.
    own = snapshot is not None and snapshot.settings_key == settings_key(report_settings(store))
    due = paced_until(snapshot, now) if own else None
    if snapshot is None or due is None:
        refresh(store)
        return "refreshed"
    if snapshot.deferred_until is None or snapshot.deferred_until < now:  # none queued yet (or it was lost)
        CohortSnapshot.objects.filter(pk=snapshot.pk).update(deferred_until=due)
        transaction.on_commit(lambda: refresh_cohorts.schedule(args=(store_id,), eta=due))
    return "deferred"


@db_task(priority=PRIORITY)
def refresh_subscription_mrr(store_id: int) -> str:
    """ "refreshed", "fresh" or "gone": the MRR snapshot's refresh (`rollups.subscription_mrr`), queued by the end of a
    sync pass when a subscription write marked it changed, none exists yet or the store's time zone moved. Not paced
    (4-5 s at 80k subscriptions; while due, the page takes the exact raw path). Two queued jobs cost one
    refresh: the second finds the snapshot fresh."""
    from storelens.analytics.rollups.subscription_mrr import needs_refresh, refresh
    from storelens.stores.models import Store

    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return "gone"
    if not needs_refresh(store):
        return "fresh"
    refresh(store)
    return "refreshed"
