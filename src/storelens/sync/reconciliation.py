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
    all_of,
    db,
)


async def remote_orders(p: Pass) -> dict[int, tuple[datetime | None, str]]:
    """The census's listing: every order id (trash included) with its modified date and status. The Storelens
    Connector lists them from the store's tables in a few requests; else wc/v3's pages, both listings at once (their
    first pages are one round trip, not two in a row)."""
    remote = await connector.order_census(p)
    if remote is not None:
        return remote
    remote = {}
    listings = await all_of(
        *(
            p.listing("/wc/v3/orders", {"status": status, "orderby": "id", "order": "asc", "_fields": CENSUS_FIELDS})
            for status in ("any", "trash")
        )
    )
    for rows in listings:
        for row in rows:
            remote[int(row["id"])] = (parse_gmt(row.get("date_modified_gmt")), str(row.get("status", "")))
    return remote


async def census(p: Pass) -> None:
    """Every order id with its modified date and status, diffed with our copy: hard deletes, trash, and any
    change we missed are fixed by re-reading exactly those orders. Once per pass: the copy is then exact as of
    the pass's `now`, so a second census (the incremental pass found a hard delete, then the exact pass's own)
    would only repeat the listing.

    `p.census_listing` is the listing already under way when there is one (`remote_orders`, started alongside the
    incremental pass by `engine.run_pass`): any listing taken after `now` will do, because the diff is made after
    our own writes and every difference is re-read by id, so a row that moved between the listing and our write
    costs one re-read, never a wrong copy."""
    if p.census_done:
        return
    p.census_done = True
    await db(p.set_phase)(SyncState.Phase.RECONCILING)
    remote = await (p.census_listing if p.census_listing is not None else remote_orders(p))

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
