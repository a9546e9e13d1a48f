"""Incremental windows: orders and the catalogue modified since their cursors, split until a window fits a page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction

from storelens import commerce
from storelens.commerce.models import Order
from storelens.stores.models import Store
from storelens.woocommerce import connector_routes
from storelens.woocommerce.dates import gmt_filter, parse_gmt

from . import catalogue, connector, reconciliation, refund_fetches
from .catalogue import variable_product_ids
from .models import Cursor, SyncState
from .passes import (
    CATALOGUE_RESOURCES,
    ONE_SECOND,
    ORDER_PARAMS,
    PER_PAGE,
    Pass,
    all_of,
    db,
)


async def incremental(p: Pass) -> None:
    await all_of(incremental_orders(p), incremental_catalogue(p))


async def incremental_orders(p: Pass) -> None:
    """Orders modified since the cursor (minus the lag overlap), in windows of at most 100 rows."""
    cursor = await db(lambda: Cursor.objects.filter(store=p.store, resource="orders").first())()
    if cursor is None:
        return
    await db(p.set_phase)(SyncState.Phase.INCREMENTAL)
    start = cursor.position - p.lag
    end = p.now + ONE_SECOND
    missing: set[int] = set()
    legacy = False
    if not await _changed_orders_through_connector(p, start, end):
        for result in await all_of(
            *(
                _modified_window(p, "/wc/v3/orders", {"status": status, **ORDER_PARAMS}, start, end, p.write_orders)
                for status in ("any", "trash")
            )
        ):
            if result is None:
                legacy = True
                break
            missing |= result
    if legacy:
        # The store ignores modified_after (WooCommerce < 5.8): the census below finds what changed.
        await db(lambda: Store.objects.filter(pk=p.store.pk).update(legacy_woocommerce=True))()
        p.store.legacy_woocommerce = True
        await reconciliation.census(p)
    await refund_fetches.fetch_order_refunds(p, missing | await db(refund_fetches.orders_lacking_refunds)(p))
    # An exact pass's census follows anyway and finds any hard delete: its two count requests would be spent twice.
    if not legacy and not p.census_due and await _store_has_fewer_orders(p):
        await reconciliation.census(p)  # finds which orders were deleted for good
    await db(lambda: Cursor.objects.filter(pk=cursor.pk).update(position=max(cursor.position, p.now)))()


async def _changed_orders_through_connector(p: Pass, start: datetime, end: datetime) -> bool:
    """The orders modified in (start, end) through the Storelens Connector: one listing of every status and trash,
    500 a page, each order with its refunds embedded (wc/v3 needs two listings of 100 and a request per order whose
    refunds we lack). False without the plugin, or when it failed (`connector.fell_back`): wc/v3 then reads the
    whole window again (the upserts make the rows already written harmless)."""
    if await connector.connector(p) is None:
        return False
    params = connector_routes.route_params(p.client, dict(ORDER_PARAMS))
    write = partial(connector.write_changed_orders, p)
    try:
        found = await _modified_window(
            p, connector_routes.ORDERS_ROUTE, params, start, end, write, connector_routes.ORDERS_PER_REQUEST
        )
    except connector.PLUGIN_ERRORS as err:
        await connector.fell_back(p, "the orders changed since the last sync", err)
        return False
    if found is None:  # the plugin's listing ignored modified_after: not to be trusted with it
        await connector.fell_back(p, "the orders changed since the last sync", ValueError("modified_after ignored"))
        return False
    await connector.worked(p)
    return True


async def _store_has_fewer_orders(p: Pass) -> bool:
    """Whether the store now holds fewer orders (any status, trash included) than our live copy.

    An order deleted for good leaves nothing to list by modified date, and WooCommerce sends no webhook for it:
    its `order.deleted` topic hooks trashing only (`wp_trash_post`, `woocommerce_trash_order` in WC_Webhook's
    topic hooks, measured on WooCommerce 11.0.1). Two one-row requests give the store's counts (X-WP-Total);
    fewer than ours means a hard delete, which the census then names. More than ours is the normal case of
    orders placed since this pass began (the next pass lists them), so it costs no census.
    """
    pages = await all_of(
        *(p.page("/wc/v3/orders", {"status": status, "_fields": "id"}, 0, 1) for status in ("any", "trash"))
    )
    theirs = sum(total for _, total in pages)
    ours = await db(lambda: Order.objects.filter(store=p.store, deleted_at__isnull=True).count())()
    return theirs < ours


async def incremental_catalogue(p: Pass) -> None:
    """Products (with the variations of changed variable products) and coupons modified since their cursors, on
    the same windows as orders. Trashed coupons and hard-deleted products/coupons are not listed by these
    filters: webhooks and the hourly reconciliation's full scans find them. Customers have no modified filter in
    WooCommerce: they are re-read by the reconciliation's full scan only."""
    if p.store.legacy_woocommerce:
        return  # modified_after is ignored: the reconciliation's full scans keep the catalogue exact
    cursors = await db(
        lambda: {c.resource: c for c in Cursor.objects.filter(store=p.store, resource__in=CATALOGUE_RESOURCES)}
    )()
    end = p.now + ONE_SECOND
    if "products" in cursors:
        start = cursors["products"].position - p.lag
        windows = [
            _modified_window(
                p, "/wc/v3/products", {"status": status}, start, end, lambda rows: _write_products(p, rows)
            )
            for status in ("any", "trash")
        ]
    else:
        windows = []
    if "coupons" in cursors:
        start = cursors["coupons"].position - p.lag
        windows.append(_modified_window(p, "/wc/v3/coupons", {}, start, end, partial(_write_coupons, p)))
    found = await all_of(*windows)
    if any(f is None for f in found):
        return  # the store ignored modified_after (legacy): nothing to advance
    await catalogue.sync_variations(p, set().union(*found))  # coupons contribute no ids
    await db(catalogue.advance_cursors)(p, list(cursors))


def _write_products(p: Pass, rows: list) -> set[int]:
    """Returns the variable products among them (their variations are re-read)."""
    with transaction.atomic():
        commerce.upsert_products(p.store, rows, now=p.now)
    return variable_product_ids(rows)


def _write_coupons(p: Pass, rows: list) -> set[int]:
    with transaction.atomic():
        commerce.upsert_coupons(p.store, rows, now=p.now)
    return set()


async def _modified_window(
    p: Pass,
    route: str,
    base: dict[str, Any],
    start: datetime,
    end: datetime,
    write: Callable[[list], set[int]],
    per_page: int = PER_PAGE,
) -> set[int] | None:
    """Write the rows of `route` modified in (start, end), splitting windows of more than a page; returns what
    `write` returns for them, or None when the store ignored the filter (legacy). A window that fits a page is read
    in one request, so a row modified while a window is paged cannot shift another out of it."""
    params = {
        **base,
        "orderby": "modified",
        "order": "asc",
        **gmt_filter(modified_after=start - ONE_SECOND, modified_before=end),
    }
    items, total = await p.page(route, params, 0, per_page)
    for row in items:
        modified = parse_gmt(row.get("date_modified_gmt"))
        if modified is not None and modified < start - ONE_SECOND:
            return None
    if total > per_page and end - start > timedelta(seconds=2):
        middle = start + (end - start) / 2
        middle = middle.replace(microsecond=0)
        low = await _modified_window(p, route, base, start, middle + ONE_SECOND, write, per_page)
        high = await _modified_window(p, route, base, middle, end, write, per_page)
        if low is None or high is None:
            return None
        return low | high
    rows = list(items)
    for offset in range(per_page, total, per_page):
        more, _ = await p.page(route, params, offset, per_page)
        rows.extend(more)
    return await db(write)(rows)
