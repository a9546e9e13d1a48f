"""Reconciliation: the census of every order id diffed with our copy, the re-read of recent orders, the census of
every refund and the catalogue's full scans."""

from __future__ import annotations

from datetime import datetime, timedelta

from storelens.commerce.models import Order, Refund
from storelens.stores.models import Store
from storelens.woocommerce import connector_routes
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
    """Re-read the last `days` by creation date: catches edits that did not move date_modified. The Storelens
    Connector lists them 500 a page with their refunds (the same listing: it hands wc/v3's parameters to
    WooCommerce's own controller); wc/v3 100 a page, then a request per order whose refunds we lack."""
    params = {
        "status": "any",
        "orderby": "id",
        "order": "asc",
        **ORDER_PARAMS,
        **gmt_filter(after=p.now - timedelta(days=days), before=p.now + ONE_SECOND),
    }
    missing: set[int] | None = None
    if await connector.connector(p) is not None:
        try:
            rows = await p.listing(
                connector_routes.ORDERS_ROUTE,
                connector_routes.route_params(p.client, params),
                connector_routes.ORDERS_PER_REQUEST,
            )
            missing = await db(connector.write_changed_orders)(p, rows)
        except connector.PLUGIN_ERRORS as err:
            await connector.fell_back(p, "the orders of the last days", err)
    if missing is None:
        rows = await p.listing("/wc/v3/orders", params)
        missing = await db(p.write_orders)(rows)
    await refund_fetches.fetch_order_refunds(p, missing)


async def refunds_census(p: Pass) -> None:
    """Every refund id with its order's id, diffed with our copy. Deleting a refund leaves its order's
    date_modified alone, so the orders' census cannot see it: a refund we lack (or hold as deleted, or under
    another order) and one we hold that the store no longer lists are set right by re-reading the refunds of their
    orders. The Storelens Connector lists every refund from the store's tables (a request per 5,000) and re-reads
    those orders 500 a request with their refunds; wc/v3 walks /refunds 100 a page (ids only), re-reads those orders
    and asks each one's refunds. A store without /refunds keeps relying on its orders' `refunds[]`."""
    remote = await connector.refund_census(p)
    through_plugin = remote is not None
    if remote is None:
        if not await refund_fetches.has_refunds_route(p):
            return
        rows = await p.listing("/wc/v3/refunds", {"orderby": "id", "order": "asc", "_fields": "id,parent_id"})
        remote = {int(row["id"]): int(row["parent_id"]) for row in rows}

    def local() -> dict[int, tuple[int, bool]]:
        return {
            wc: (parent, deleted is not None)
            for wc, parent, deleted in Refund.objects.filter(store=p.store).values_list(
                "wc_id", "parent_wc_id", "deleted_at"
            )
        }

    ours = await db(local)()
    orders = {parent for wc, parent in remote.items() if ours.get(wc) != (parent, False)}
    orders |= {parent for wc, (parent, deleted) in ours.items() if not deleted and wc not in remote}
    if not orders:
        return
    if through_plugin and await connector.refetch_orders(p, orders):
        return
    await refetches.refetch_orders(p, orders)  # their `refunds[]` as the store lists them now
    await refund_fetches.fetch_order_refunds(p, orders)


async def reconcile(p: Pass) -> None:
    await census(p)
    await all_of(reread_recent(p), refunds_census(p))
    await catalogue.sync_catalogue(p)
    await db(lambda: Store.objects.filter(pk=p.store.pk).update(last_reconcile_at=p.now))()
