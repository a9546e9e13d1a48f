"""The sync's use of the Storelens Connector plugin, when the store has it: the order and refund censuses from the
store's tables, orders re-read by id and orders changed since the cursor, both with their refunds embedded. Every
function answers None (or False) when the store does not have the plugin, and the caller then does the same work
through wc/v3; the copy is the same either way.

Whether the plugin is there is asked once per pass (`GET /storelens/v1/settings`), and the version seen is kept on
the store (`Store.connector_version`), null when the plugin is gone. A plugin that is there but answers an error or
nonsense is not trusted for the rest of the pass: the step falls back to wc/v3, the log says why, and the store's page
shows the `connector_fallback` warning until a pass goes through the plugin again (`fell_back`, `worked`).
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
from storelens.woocommerce.errors import NeedsReauth, StoreError, StoreWarning

from .passes import Pass, db

log = logging.getLogger("storelens.sync.engine")

FALLBACK = "connector_fallback"  # the store's warning while the plugin answers errors
# What a misbehaving plugin raises: an error answer, or rows missing what every order/refund has (a KeyError on
# "id", a ValueError on a non-numeric one). Database errors are not among them: wc/v3 would meet them too.
PLUGIN_ERRORS = (StoreError, KeyError, TypeError, ValueError)


async def fell_back(p: Pass, step: str, err: BaseException) -> None:
    """The plugin failed at `step`: the caller redoes it through wc/v3. Logged, and kept on the store for its page
    (as the webhooks' warnings are); the plugin is not asked again in this pass. Keys that no longer work are no
    plugin error: those re-raise, wc/v3 would be refused the same way."""
    if isinstance(err, NeedsReauth):
        raise err
    reason = f"{err.code}: {err}" if isinstance(err, StoreError) else f"malformed answer ({type(err).__name__}: {err})"
    log.warning(
        "store %s: the Storelens Connector failed on %s (%s); read through wc/v3 instead", p.store.pk, step, reason
    )
    p.connector = None  # the rest of the pass does without it
    warning = StoreWarning(
        code=FALLBACK,
        message=(
            f"The Storelens Connector plugin on your store answered with an error when Storelens read {step} "
            f"({reason[:200]}). Storelens read them through WooCommerce's own API instead: the figures are the "
            "same, the sync is slower."
        ),
        fix=(
            "Update the Storelens Connector plugin to its latest version, or deactivate and activate it again. If "
            "this stays, your store's PHP error log says what went wrong in the plugin."
        ),
    )
    p.client.warnings[FALLBACK] = warning  # also marks the pass as one that fell back (`worked`)

    def keep() -> None:
        store = Store.objects.get(pk=p.store.pk)
        kept = [w for w in store.data_warnings if isinstance(w, dict) and w.get("code") != FALLBACK]
        p.store.data_warnings = [*kept, warning.as_dict()]
        Store.objects.filter(pk=p.store.pk).update(data_warnings=p.store.data_warnings)

    await db(keep)()


async def worked(p: Pass) -> None:
    """A step went through the plugin without falling back: the store's page stops showing the fallback warning."""
    if FALLBACK in p.client.warnings:
        return
    warnings = p.store.data_warnings if isinstance(p.store.data_warnings, list) else []
    if not any(isinstance(w, dict) and w.get("code") == FALLBACK for w in warnings):
        return  # the usual case: nothing to read or write

    def drop() -> None:
        store = Store.objects.get(pk=p.store.pk)
        kept = [w for w in store.data_warnings if not (isinstance(w, dict) and w.get("code") == FALLBACK)]
        p.store.data_warnings = kept
        Store.objects.filter(pk=p.store.pk).update(data_warnings=kept)

    await db(drop)()


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
    try:
        rows = await connector_routes.census(p.client, "orders")
        p.stats.requests += 1 + len(rows) // connector_routes.CENSUS_PAGE
        return {int(row["id"]): (parse_gmt(row.get("date_modified_gmt")), str(row.get("status", ""))) for row in rows}
    except PLUGIN_ERRORS as err:
        await fell_back(p, "the list of every order", err)
        return None


async def refund_census(p: Pass) -> dict[int, int] | None:
    """Every refund id with its order's id, from the plugin (a request per 5,000 refunds); None without it."""
    if await connector(p) is None:
        return None
    try:
        rows = await connector_routes.census(p.client, "refunds")
        p.stats.requests += 1 + len(rows) // connector_routes.CENSUS_PAGE
        return {int(row["id"]): int(row["parent_id"]) for row in rows}
    except PLUGIN_ERRORS as err:
        await fell_back(p, "the list of every refund", err)
        return None


async def refetch_orders(p: Pass, wc_ids: set[int]) -> bool:
    """Re-read these orders and their refunds through the plugin (500 a request); those it no longer has are
    marked deleted, and refunds an order no longer lists too. False without the plugin (nothing done)."""
    if await connector(p) is None:
        return False
    try:
        rows = await connector_routes.orders_by_ids(p.client, wc_ids)
        p.stats.requests += -(-len(wc_ids) // connector_routes.ORDERS_PER_REQUEST)
        orders, refunds = connector_routes.split_refunds(rows)
        gone = set(wc_ids) - {int(o["id"]) for o in orders}
    except PLUGIN_ERRORS as err:
        await fell_back(p, "orders by their ids", err)
        return False
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


def write_changed_orders(p: Pass, rows: list) -> set[int]:
    """A window of the plugin's `orders?modified_after=` listing: the orders and their embedded refunds in one
    transaction. Returns the orders still lacking refunds (none: each came with all of its own)."""
    orders, refunds = connector_routes.split_refunds(rows)
    with transaction.atomic():
        missing = p.upsert_orders(orders) if orders else set()
        write_embedded_refunds(p, refunds)
    return missing - set(refunds)
