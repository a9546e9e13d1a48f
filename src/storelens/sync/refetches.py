"""Pending re-fetches: the objects webhooks pointed at and orders re-read by id, re-read from the store."""

from __future__ import annotations

import asyncio

from django.db import transaction

from storelens import commerce
from storelens.commerce.models import Coupon, Customer, Product, Variation
from storelens.woocommerce.errors import NotFound

from . import catalogue, connector, refund_fetches
from .catalogue import variable_product_ids
from .models import PendingFetch
from .passes import (
    ORDER_PARAMS,
    PER_PAGE,
    Pass,
    db,
)


async def drain_pending(p: Pass) -> None:
    """Objects webhooks pointed at: re-read from the store (the payload is never trusted as data)."""
    pending = await db(lambda: list(PendingFetch.objects.filter(store=p.store)))()
    if not pending:
        return
    by_resource: dict[str, set[int]] = {}
    for fetch in pending:
        by_resource.setdefault(fetch.resource, set()).add(fetch.wc_id)
    orders = by_resource.get("order", set())
    if orders:
        await refetch_orders(p, orders)
    for resource, route in (("product", "/wc/v3/products"), ("coupon", "/wc/v3/coupons")):
        ids = by_resource.get(resource)
        if ids:
            rows = await p.listing(route, {"include": ",".join(map(str, sorted(ids))), "status": "any"})
            rows += await p.listing(route, {"include": ",".join(map(str, sorted(ids))), "status": "trash"})
            model = Product if resource == "product" else Coupon
            writer = commerce.upsert_products if resource == "product" else commerce.upsert_coupons
            await db(lambda rows=rows, writer=writer: writer(p.store, rows, now=p.now))()
            gone = ids - {int(r["id"]) for r in rows}
            parents: set[int] = set()
            if resource == "product" and gone:
                found = await _variation_parents(p, gone)
                parents, gone = set(found.values()), gone - set(found)
            if gone:  # neither a product nor a variation any more (a variation we held is gone too)
                await db(_mark_gone)(p, (Product, Variation) if resource == "product" else (model,), gone)
            if resource == "product":
                # A variable product's variations are listed apart from it: re-read them as the catalogue does
                # (a webhook may be the only sign of a variation change that left date_modified alone).
                # A variation's own id (WooCommerce sends product.updated for a variation with the variation's
                # id) is re-read the same way, through its parent.
                await catalogue.sync_variations(p, variable_product_ids(rows) | parents)
    customers = by_resource.get("customer", set())
    if customers:
        rows = await p.listing("/wc/v3/customers", {"include": ",".join(map(str, sorted(customers))), "role": "all"})
        gone = customers - {int(r["id"]) for r in rows}

        def write_customers() -> None:
            with transaction.atomic():
                commerce.upsert_customers(p.store, rows, now=p.now)
                if gone:  # WordPress deletes users outright
                    Customer.objects.filter(
                        store=p.store, is_registered=True, wc_id__in=gone, deleted_at__isnull=True
                    ).update(deleted_at=p.now)

        await db(write_customers)()
    subscriptions = by_resource.get("subscription", set())
    if subscriptions and await catalogue.has_subscriptions(p):
        rows = await p.listing(
            "/wc/v3/subscriptions",
            {"include": ",".join(map(str, sorted(subscriptions))), "status": "any", "dp": 4},
        )
        await db(lambda: commerce.upsert_subscriptions(p.store, rows, now=p.now))()
    done = [fetch.pk for fetch in pending]
    await db(lambda: PendingFetch.objects.filter(pk__in=done).delete())()


def _mark_gone(p: Pass, models: tuple[type, ...], wc_ids: set[int]) -> None:
    for model in models:
        model.objects.filter(store=p.store, wc_id__in=wc_ids, deleted_at__isnull=True).update(deleted_at=p.now)


async def _variation_parents(p: Pass, wc_ids: set[int]) -> dict[int, int]:
    """The parents of those ids that are variations. A product listing never returns a variation (it queries
    post type `product`), but `/products/<id>` does, with `type` "variation" and its `parent_id`: WooCommerce's
    `get_item` loads any id with `wc_get_product()`, and builds its own webhook payload for a variation from that
    route. One request per id (webhook hints are few); a 404 means the object is gone from the store."""

    async def ask(wc_id: int) -> tuple[int, int]:
        try:
            found = (await p.client.get(f"/wc/v3/products/{wc_id}")).data
        except NotFound:
            return wc_id, 0
        finally:
            p.stats.requests += 1
        if isinstance(found, dict) and found.get("type") == "variation":
            return wc_id, int(found.get("parent_id") or 0)
        return wc_id, 0

    asked = await asyncio.gather(*(ask(wc_id) for wc_id in sorted(wc_ids)))
    return {wc_id: parent for wc_id, parent in asked if parent}


async def refetch_orders(p: Pass, wc_ids: set[int]) -> None:
    """Re-read these orders (any status, trash included); those the store no longer has are marked deleted."""
    if await connector.refetch_orders(p, wc_ids):  # 500 a request with their refunds, when the store has the plugin
        return
    ids = sorted(wc_ids)
    rows: list = []
    for i in range(0, len(ids), PER_PAGE):
        chunk = ",".join(map(str, ids[i : i + PER_PAGE]))
        for status in ("any", "trash"):
            items, _ = await p.page("/wc/v3/orders", {"include": chunk, "status": status, **ORDER_PARAMS}, 0)
            rows.extend(items)
    found = {int(r["id"]) for r in rows}
    gone = set(ids) - found
    p.stats.refetched += len(found)

    def write() -> set[int]:
        with transaction.atomic():
            missing = p.write_orders(rows) if rows else set()
            p.stats.deleted += commerce.mark_orders_deleted(p.store, gone, now=p.now)
            return missing

    missing = await db(write)()
    await refund_fetches.fetch_order_refunds(p, missing)
