"""Refunds the order listings point at: whether the store has /refunds, which orders list refunds we lack, and
the per-order refund route that fills them in."""

from __future__ import annotations

import asyncio

from django.db import transaction

from storelens import commerce
from storelens.commerce.models import Order, Refund
from storelens.stores.models import Store
from storelens.woocommerce.errors import NotFound

from .passes import (
    PER_PAGE,
    Pass,
    db,
)


async def has_refunds_route(p: Pass) -> bool:
    if p.store.has_refunds_route is not None:
        return bool(p.store.has_refunds_route)
    try:
        await p.client.get_page("/wc/v3/refunds", {}, per_page=1)
        found = True
    except NotFound:
        found = False
    p.store.has_refunds_route = found
    await db(lambda: Store.objects.filter(pk=p.store.pk).update(has_refunds_route=found))()
    return found


def orders_lacking_refunds(p: Pass) -> set[int]:
    """Orders whose `refunds[]` lists refunds we do not hold (the per-order refund route fills them in)."""
    held = set(Refund.objects.filter(store=p.store, deleted_at__isnull=True).values_list("wc_id", flat=True))
    lacking = set()
    for wc_id, refund_ids in (
        Order.objects.filter(store=p.store, deleted_at__isnull=True)
        .exclude(refund_ids=[])
        .values_list("wc_id", "refund_ids")
    ):
        if set(refund_ids or ()) - held:
            lacking.add(wc_id)
    return lacking


async def fetch_order_refunds(p: Pass, order_ids: set[int]) -> None:
    """Refunds of these orders via `/orders/{id}/refunds`: written, and those no longer listed marked deleted."""
    if not order_ids:
        return

    async def one(order_id: int) -> tuple[int, list] | None:
        try:
            items: list = []
            offset = 0
            while True:
                page, total = await p.page(f"/wc/v3/orders/{order_id}/refunds", {"dp": 4}, offset)
                items.extend(page)
                offset += PER_PAGE
                if not page or offset >= total:
                    return order_id, items
        except NotFound:
            return None

    def write(order_id: int, items: list) -> None:
        with transaction.atomic():
            changes = commerce.upsert_refunds(p.store, items, parent_wc_id=order_id, now=p.now)
            p.stats.refunds += len(changes)
            listed = {c.wc_id for c in changes}
            stale = (
                Refund.objects.filter(store=p.store, parent_wc_id=order_id, deleted_at__isnull=True)
                .exclude(wc_id__in=listed)
                .values_list("wc_id", flat=True)
            )
            commerce.mark_refunds_deleted(p.store, list(stale), now=p.now)

    for result in asyncio.as_completed([one(i) for i in sorted(order_ids)]):
        got = await result
        if got is not None:
            await db(write)(*got)
