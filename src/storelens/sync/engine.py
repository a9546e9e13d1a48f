"""The sync engine: one pass over one store = history import (until done), incremental windows, pending
re-fetches, and the census or full reconciliation; then the store's status says how it went.

Fetching is async (httpx, up to the store's concurrency cap); every database write goes through ONE writer (the
thread that called `async_to_sync`, via `sync_to_async(thread_sensitive=True)`), so SQLite keeps a single writer and
each page is written with its checkpoint and the change feed in one transaction. Fetches and writes are pipelined
through a bounded queue, so the store is never waiting on the database.
"""

from __future__ import annotations

import asyncio
from typing import Any

from django.utils import timezone

from storelens.stores.models import Store
from storelens.stores.status import clear_status, set_status_from_error
from storelens.woocommerce.errors import StoreError

from . import failures, history, incremental, reconciliation, refetches
from .models import SyncState
from .passes import Pass, PassStats, db


def _record_warnings(p: Pass) -> None:
    if not p.rounded and "php_notices" not in p.client.warnings:
        return
    store = Store.objects.get(pk=p.store.pk)
    warnings = [w for w in store.data_warnings if isinstance(w, dict)]
    codes = {w.get("code") for w in warnings}
    if p.rounded and "rounded_amounts" not in codes:
        warnings.append(
            {
                "code": "rounded_amounts",
                "message": (
                    "Some amounts had more decimals than Storelens keeps (e.g. "
                    f"{p.rounded[0]}): order totals are kept in the currency's minor unit and line amounts "
                    "to 4 decimals (the dp=4 the sync asks for), so these were rounded half-up."
                ),
            }
        )
    for code, warning in p.client.warnings.items():
        if code not in codes:
            warnings.append(warning.as_dict())
    Store.objects.filter(pk=p.store.pk).update(data_warnings=warnings)


def _finish_pass(p: Pass, *, reconciled: bool) -> None:
    fields: dict[str, Any] = {"last_sync_at": p.now}
    if p.client.auth_method and p.client.auth_method != p.store.auth_method:
        fields["auth_method"] = str(p.client.auth_method)
    Store.objects.filter(pk=p.store.pk).update(**fields)
    SyncState.objects.filter(store=p.store).update(phase=SyncState.Phase.IDLE, updated_at=timezone.now())
    _record_warnings(p)
    from storelens.analytics.rollups.snapshots import refresh_if_stale  # whole-history figures, once per pass

    if refresh_if_stale(p.store) is not None:  # customers moved: their cohorts follow, off the pass (a queued job)
        from storelens.analytics.tasks import refresh_cohorts

        refresh_cohorts(p.store.pk)
    from storelens.analytics.rollups.subscription_mrr import needs_refresh

    if needs_refresh(p.store):  # a subscription written (or no snapshot yet): MRR cells follow, off the pass
        from storelens.analytics.tasks import refresh_subscription_mrr

        refresh_subscription_mrr(p.store.pk)


async def run_pass(p: Pass, *, reconcile: bool = False, exact: bool = False) -> PassStats:
    """Import (or continue importing), then the incremental pass and pending re-fetches; `exact` adds the
    census (the copy is then exact as of `now`); `reconcile` the full reconciliation."""
    p.census_due = exact or reconcile
    try:
        state = await db(lambda: SyncState.objects.get_or_create(store=p.store)[0])()
        if state.import_completed_at is None:
            await db(lambda: Store.objects.filter(pk=p.store.pk).update(status=Store.Status.IMPORTING))()
            await history.import_history(p)
        # The census's listing is read alongside the incremental pass and the re-fetches (a round trip or two
        # saved: on a small store the pass is a chain of round trips); its diff is made after them (`census`).
        if p.census_due:
            p.census_listing = asyncio.ensure_future(reconciliation.remote_orders(p))
        try:
            await incremental.incremental(p)
            await refetches.drain_pending(p)
            if reconcile:
                await reconciliation.reconcile(p)
            elif exact:
                await reconciliation.census(p)
        finally:
            listed = p.census_listing
            if listed is not None and not listed.done():  # the pass failed before the census: stop the listing
                listed.cancel()
                await asyncio.gather(listed, return_exceptions=True)
        await db(_finish_pass)(p, reconciled=reconcile)
        await db(failures.clear)(p.store.pk)
        store = await db(lambda: Store.objects.get(pk=p.store.pk))()
        await db(clear_status)(store, after_pass=True)
    except StoreError as err:
        store = await db(lambda: Store.objects.get(pk=p.store.pk))()
        await db(set_status_from_error)(store, err)
        message = str(err)
        await db(lambda: SyncState.objects.filter(store=p.store).update(last_error=message))()
        raise
    return p.stats
