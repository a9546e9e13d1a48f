"""The catalogue's full scans: customers (then subscriptions), products with their variations, coupons."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from django.db import transaction

from storelens import commerce
from storelens.commerce.models import Coupon, Product, Subscription, Variation
from storelens.stores.models import Store
from storelens.woocommerce.errors import DataError, NotFound

from .models import Cursor
from .passes import (
    CATALOGUE_RESOURCES,
    Pass,
    all_of,
    db,
)


def variable_product_ids(rows: list) -> set[int]:
    """The variable products among these rows: their variations are listed separately and re-read."""
    return {int(p["id"]) for p in rows if p.get("type") == "variable" or p.get("variations")}


async def sync_catalogue(p: Pass, *, orders_written: asyncio.Event | None = None) -> None:
    """Customers (full scan, role=all), products + variations, coupons, subscriptions when the store has them;
    what a full scan no longer finds is marked deleted.

    During the history import the catalogue runs alongside the order windows: `orders_written` is set once every
    order page is written. Orders create the registered customers they name, so which registered customers the
    store no longer has is decided after them, as when the catalogue followed the orders: an order naming a
    deleted user leaves that customer marked deleted, whichever of the two was written first."""
    now = p.now
    ordered = {"orderby": "id", "order": "asc"}

    async def customers_then_subscriptions() -> None:
        customer_ids, subscriptions_exist = await all_of(
            p.stream(
                "/wc/v3/customers",
                {"role": "all", **ordered},
                lambda rows: commerce.upsert_customers(p.store, rows),
            ),
            has_subscriptions(p),  # asked alongside the customers' pages, not after them
        )
        if orders_written is not None:
            await orders_written.wait()
        await db(lambda: commerce.mark_customers_deleted(p.store, customer_ids, now=now))()
        if subscriptions_exist:  # after customers: subscriptions link to them
            subscription_ids = await p.stream(
                "/wc/v3/subscriptions",
                {"status": "any", "dp": 4, **ordered},
                lambda rows: commerce.upsert_subscriptions(p.store, rows, now=now),
            )
            await db(lambda: commerce.mark_missing_deleted(Subscription, p.store, subscription_ids, now=now))()

    async def products_then_variations() -> None:
        variable: list[int] = []

        def write_products(rows: list) -> None:
            commerce.upsert_products(p.store, rows, now=now)
            variable.extend(variable_product_ids(rows))

        listed = await all_of(
            p.stream("/wc/v3/products", {"status": "any", **ordered}, write_products),
            p.stream("/wc/v3/products", {"status": "trash", **ordered}, write_products),
        )
        product_ids = set().union(*listed)
        await db(lambda: commerce.mark_missing_deleted(Product, p.store, product_ids, now=now))()
        await sync_variations(p, variable)

    async def coupons() -> None:
        coupon_ids = await p.stream(
            "/wc/v3/coupons", ordered, lambda rows: commerce.upsert_coupons(p.store, rows, now=now)
        )
        await db(lambda: commerce.mark_missing_deleted(Coupon, p.store, coupon_ids, now=now))()

    # Independent listings: concurrently (the client's cap still bounds the requests in flight), so the
    # catalogue costs the longest listing's round trips rather than the sum of them all.
    await all_of(customers_then_subscriptions(), products_then_variations(), coupons())
    # The full scans read the store after `now`: the catalogue's incremental windows can start there.
    await db(advance_cursors)(p, CATALOGUE_RESOURCES)


async def sync_variations(p: Pass, product_ids: Iterable[int]) -> None:
    """Every variation of these variable products; those a product no longer lists are marked deleted."""
    pids = sorted(set(product_ids))
    if not pids:
        return
    listings = await asyncio.gather(
        *(p.listing(f"/wc/v3/products/{pid}/variations", {"orderby": "id", "order": "asc"}) for pid in pids)
    )

    def write() -> None:
        with transaction.atomic():
            for pid, rows in zip(pids, listings, strict=True):
                commerce.upsert_variations(p.store, pid, rows, now=p.now)
                listed = {int(r["id"]) for r in rows}
                Variation.objects.filter(store=p.store, product_wc_id=pid, deleted_at__isnull=True).exclude(
                    wc_id__in=listed
                ).update(deleted_at=p.now)

    await db(write)()


def advance_cursors(p: Pass, resources: Iterable[str]) -> None:
    for resource in resources:
        cursor, created = Cursor.objects.get_or_create(store=p.store, resource=resource, defaults={"position": p.now})
        if not created and cursor.position < p.now:
            Cursor.objects.filter(pk=cursor.pk).update(position=p.now)


async def has_subscriptions(p: Pass) -> bool:
    try:
        resp = await p.client.get("/wc/v3/subscriptions/statuses", authenticate=False)
        found = resp.status == 200 and bool(resp.data)
    except (NotFound, DataError):
        found = False
    if p.store.has_subscriptions != found:
        p.store.has_subscriptions = found
        await db(lambda: Store.objects.filter(pk=p.store.pk).update(has_subscriptions=found))()
    return found
