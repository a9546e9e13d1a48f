"""The live activity feed: newest orders and refunds in our copy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone

from storelens.stores.reporting import ALWAYS_EXCLUDED


@dataclass(frozen=True)
class Activity:
    kind: str  # "order" | "refund"
    pk: int
    store_name: str
    label: str
    amount_minor: int
    currency: str
    status: str
    at: datetime | None
    store: Any = None  # the Store, whose zone the feed shows the time in


def activity(stores: Sequence[Any], after_order: int = 0, after_refund: int = 0, limit: int = 20) -> list[Activity]:
    """The newest orders and refunds, newest first: by the store's creation date for the first screen, and by arrival
    in our copy (`after_*` ids) for the live feed, so an old order imported late still counts as news once."""
    from storelens.commerce.models import Order, Refund

    ids = [s.pk for s in stores]
    order_by = "-pk" if after_order or after_refund else "-created_at"
    orders = (
        Order.objects.filter(store_id__in=ids, pk__gt=after_order, deleted_at__isnull=True)
        .exclude(status__in=sorted(ALWAYS_EXCLUDED))
        .select_related("store")
        .order_by(order_by)[:limit]
    )
    refunds = (
        Refund.objects.filter(store_id__in=ids, pk__gt=after_refund, deleted_at__isnull=True)
        .select_related("store")
        .order_by(order_by)[:limit]
    )
    items = [
        Activity(
            "order",
            o.pk,
            str(o.store),
            f"Order #{o.number or o.wc_id}",
            o.total_minor,
            o.currency,
            o.status,
            o.created_at,
            o.store,
        )
        for o in orders
    ] + [
        Activity(
            "refund",
            r.pk,
            str(r.store),
            f"Refund on order #{r.parent_wc_id}",
            -r.amount_minor,
            r.currency,
            "refund",
            r.created_at,
            r.store,
        )
        for r in refunds
    ]
    items.sort(key=lambda a: (a.at or timezone.now(), a.pk), reverse=True)
    return items[:limit]


def latest_ids(stores: Sequence[Any]) -> tuple[int, int]:
    from storelens.commerce.models import Order, Refund

    ids = [s.pk for s in stores]
    o = Order.objects.filter(store_id__in=ids).aggregate(m=Max("pk"))["m"] or 0
    r = Refund.objects.filter(store_id__in=ids).aggregate(m=Max("pk"))["m"] or 0
    return o, r
