"""Huey task: the cohort cells' refresh, queued by the end of a sync pass that moved customers rather than run in it.

Why queued: the refresh reads the store's whole history (`rollups.cohorts`), seconds at 10k orders and minutes at a
million; inside the pass it held the source's lease and added to every import's time. Until the job runs the page
serves the previous cells and says they are being refreshed (`is_stale`). Two queued jobs cost one refresh: the
second finds the cells fresh.
"""

from __future__ import annotations

from huey.contrib.djhuey import db_task

PRIORITY = 10  # after the sync's own jobs (50 and up): figures can wait, keeping the copy fresh cannot


@db_task(priority=PRIORITY)
def refresh_cohorts(store_id: int) -> str:
    from storelens.analytics.rollups.cohorts import refresh_if_stale
    from storelens.stores.models import Store

    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return "gone"
    return "refreshed" if refresh_if_stale(store) is not None else "fresh"
