"""The sync's use of the Storelens Connector plugin, when the store has it: the order census from the store's tables
and orders re-read by id with their refunds embedded. Every function answers None (or False) when the store does not
have the plugin, and the caller then does the same work through wc/v3; the copy is the same either way.

Whether the plugin is there is asked once per pass (`GET /storelens/v1/settings`), and the version seen is kept on
the store (`Store.connector_version`), null when the plugin is gone.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from storelens import commerce
from storelens.commerce.models import Refund
from storelens.stores.models import Store
from storelens.woocommerce import connector_routes
from storelens.woocommerce.connector_routes import ConnectorSettings
from storelens.woocommerce.dates import parse_gmt

from .passes import Pass, db

log = logging.getLogger("storelens.sync.engine")


async def connector(p: Pass) -> ConnectorSettings | None:
    """The plugin's settings answer for this pass (asked once), or None without the plugin."""
    if not p.connector_checked:
        p.connector = await connector_routes.read_connector_settings(p.client)
        p.connector_checked = True
        p.stats.requests += 1
        version = p.connector.version if p.connector else None
        if version != p.store.connector_version:
            p.store.connector_version = version
            await db(lambda: Store.objects.filter(pk=p.store.pk).update(connector_version=version))()
            log.info("store %s: Storelens Connector %s", p.store.pk, version or "absent")
    return p.connector


async def order_census(p: Pass) -> dict[int, tuple[datetime | None, str]] | None:
    """Every order id (trash included) with its modified date and status, from the plugin; None without it."""
    if await connector(p) is None:
        return None
    rows = await connector_routes.census(p.client, "orders")
    p.stats.requests += 1 + len(rows) // connector_routes.CENSUS_PAGE
    return {int(row["id"]): (parse_gmt(row.get("date_modified_gmt")), str(row.get("status", ""))) for row in rows}


async def refetch_orders(p: Pass, wc_ids: set[int]) -> bool:
    """Re-read these orders and their refunds through the plugin (500 a request); those it no longer has are
    marked deleted, and refunds an order no longer lists too. False without the plugin (nothing done)."""
    if await connector(p) is None:
        return False
    rows = await connector_routes.orders_by_ids(p.client, wc_ids)
    p.stats.requests += -(-len(wc_ids) // connector_routes.ORDERS_PER_REQUEST)
    orders, refunds = connector_routes.split_refunds(rows)
    gone = set(wc_ids) - {int(o["id"]) for o in orders}
    p.stats.refetched += len(orders)

    def write() -> None:
        with transaction.atomic():
            if orders:
                p.upsert_orders(orders)
            write_embedded_refunds(p, refunds)
            p.stats.deleted += commerce.mark_orders_deleted(p.store, gone, now=p.now)

    await db(write)()
    return True


def write_embedded_refunds(p: Pass, refunds: dict[int, list[dict]]) -> None:
    """Refunds that came embedded in their orders (inside the caller's transaction, after the orders): written, and
    those an order no longer has marked deleted."""
    listed = [refund for rows in refunds.values() for refund in rows]
    if listed:
        p.stats.refunds += len(commerce.upsert_refunds(p.store, listed, now=p.now))
    if not refunds:
        return
    kept = {int(refund["id"]) for refund in listed}
    stale = (
        Refund.objects.filter(store=p.store, parent_wc_id__in=list(refunds), deleted_at__isnull=True)
        .exclude(wc_id__in=kept)
        .values_list("wc_id", flat=True)
    )
    commerce.mark_refunds_deleted(p.store, list(stale), now=p.now)
