"""Reconciliation: the census of every order id diffed with our copy, the re-read of recent orders and the
catalogue's full scans."""

from __future__ import annotations

from datetime import datetime, timedelta

from storelens.commerce.models import Order
from storelens.stores.models import Store
from storelens.woocommerce.dates import gmt_filter, parse_gmt

from . import catalogue, connector, refetches, refund_fetches
from .models import SyncState
from .passes import (
    CENSUS_FIELDS,
    ONE_SECOND,
    ORDER_PARAMS,
    REREAD_DAYS,
    Pass,
    db,
)


async def census(p: Pass) -> None:
    """Every order id with its modified date and status, diffed with our copy: hard deletes, trash, and any
    change we missed are fixed by re-reading exactly those orders. Once per pass: the copy is then exact as of
    the pass's `now`, so a second census (the incremental pass found a hard delete, then the exact pass's own)
    would only repeat the listing."""
    if p.census_done:
        return
    p.census_done = True
    await db(p.set_phase)(SyncState.Phase.RECONCILING)
    # The Storelens Connector lists every id from the store's tables in a few requests; else wc/v3's pages.
    remote = await connector.order_census(p)
    if remote is None:
        remote = {}
        for status in ("any", "trash"):
            rows = await p.listing(
                "/wc/v3/orders", {"status": status, "orderby": "id", "order": "asc", "_fields": CENSUS_FIELDS}
            )
            for row in rows:
                remote[int(row["id"])] = (parse_gmt(row.get("date_modified_gmt")), str(row.get("status", "")))

    def local() -> dict[int, tuple[datetime | None, str, bool]]:
        return {
            wc: (modified, status, deleted is not None)
            for wc, modified, status, deleted in Order.objects.filter(store=p.store).values_list(
                "wc_id", "modified_at", "status", "deleted_at"
            )
        }

    ours = await db(local)()
    suspects = set()
    for wc_id, (modified, status) in remote.items():
        mine = ours.get(wc_id)
        if mine is None or mine[2] or mine[0] != modified or mine[1] != status:
            suspects.add(wc_id)
    # Ours but not listed: deleted, or skipped by a listing that shifted under concurrent writes. Re-reading
    # by id tells them apart (a missing id is gone for good).
    suspects |= {wc for wc, (_, _, deleted) in ours.items() if not deleted and wc not in remote}
    if suspects:
        await refetches.refetch_orders(p, suspects)


async def reread_recent(p: Pass, days: int = REREAD_DAYS) -> None:
    """Re-read the last `days` by creation date: catches edits that did not move date_modified."""
    params = {
        "status": "any",
        "orderby": "id",
        "order": "asc",
        **ORDER_PARAMS,
        **gmt_filter(after=p.now - timedelta(days=days), before=p.now + ONE_SECOND),
    }
    rows = await p.listing("/wc/v3/orders", params)
    missing = await db(p.write_orders)(rows)
    await refund_fetches.fetch_order_refunds(p, missing)


async def reconcile(p: Pass) -> None:
    await census(p)
    await reread_recent(p)
    await catalogue.sync_catalogue(p)
    await db(lambda: Store.objects.filter(pk=p.store.pk).update(last_reconcile_at=p.now))()
