"""The catalogue: products, variations, coupons and subscriptions upserted by wc id, and rows a full listing no
longer finds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from storelens.woocommerce.dates import parse_gmt

from .bulk import mark_deleted_except
from .models import Coupon, Customer, Product, Subscription, Variation
from .money import MinorUnits, parse_decimal
from .payloads import as_int, as_str, dedupe
from .subscription_changes import TRACKED, emit_changes, tracked_rows


def _upsert_by_wc_id(model: Any, objs: list, update_fields: list[str]) -> int:
    """One `INSERT … ON CONFLICT (source, wc_id) DO UPDATE` for a page of catalogue rows; returns how many."""
    if objs:
        model.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=["store", "wc_id"], update_fields=update_fields
        )
    return len(objs)


def _price_minor(store: Any, price: Any) -> int | None:
    """A listed price in the store currency's minor units; None when the store shows no price."""
    return MinorUnits(store.currency or "USD")(price) if price not in (None, "", False) else None


def upsert_products(store: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    objs = []
    for p in dedupe(payloads):
        price = p.get("price")
        objs.append(
            Product(
                store=store,
                wc_id=as_int(p["id"]),
                parent_wc_id=as_int(p.get("parent_id")),
                name=as_str(p.get("name"), 400),
                sku=as_str(p.get("sku"), 200),
                type=as_str(p.get("type"), 40),
                status=as_str(p.get("status"), 40),
                price_minor=_price_minor(store, price),
                categories=[
                    {"id": as_int(c.get("id")), "name": as_str(c.get("name"))} for c in p.get("categories") or []
                ],
                modified_at=parse_gmt(p.get("date_modified_gmt")),
                raw=p,
                deleted_at=None,
                synced_at=now,
            )
        )
    return _upsert_by_wc_id(
        Product,
        objs,
        [
            "parent_wc_id",
            "name",
            "sku",
            "type",
            "status",
            "price_minor",
            "categories",
            "modified_at",
            "raw",
            "deleted_at",
            "synced_at",
        ],
    )


def upsert_variations(store: Any, product_wc_id: int, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    product = Product.objects.filter(store=store, wc_id=product_wc_id).first()
    objs = []
    for p in dedupe(payloads):
        price = p.get("price")
        objs.append(
            Variation(
                store=store,
                wc_id=as_int(p["id"]),
                product=product,
                product_wc_id=as_int(p.get("parent_id")) or product_wc_id,
                sku=as_str(p.get("sku"), 200),
                status=as_str(p.get("status"), 40),
                price_minor=_price_minor(store, price),
                attributes=p.get("attributes") or [],
                raw=p,
                deleted_at=None,
                synced_at=now,
            )
        )
    return _upsert_by_wc_id(
        Variation,
        objs,
        [
            "product",
            "product_wc_id",
            "sku",
            "status",
            "price_minor",
            "attributes",
            "raw",
            "deleted_at",
        ],
    )


def upsert_coupons(store: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    objs = [
        Coupon(
            store=store,
            wc_id=as_int(p["id"]),
            code=as_str(p.get("code"), 200).lower(),
            discount_type=as_str(p.get("discount_type"), 40),
            amount=parse_decimal(p.get("amount")),
            status=as_str(p.get("status"), 40),
            raw=p,
            deleted_at=None,
            synced_at=now,
        )
        for p in dedupe(payloads)
    ]
    return _upsert_by_wc_id(
        Coupon, objs, ["code", "discount_type", "amount", "status", "raw", "deleted_at", "synced_at"]
    )


def upsert_subscriptions(store: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    items = dedupe(payloads)
    customer_ids = {as_int(p.get("customer_id")) for p in items if as_int(p.get("customer_id")) > 0}
    customers = {c.wc_id: c for c in Customer.objects.filter(store=store, wc_id__in=customer_ids, is_registered=True)}
    objs = []
    for p in items:
        currency = as_str(p.get("currency")).upper()[:3]
        objs.append(
            Subscription(
                store=store,
                wc_id=as_int(p["id"]),
                parent_wc_id=as_int(p.get("parent_id")),
                status=as_str(p.get("status"), 40),
                billing_period=as_str(p.get("billing_period"), 20),
                billing_interval=as_int(p.get("billing_interval")) or 1,
                total_minor=MinorUnits(currency)(p.get("total")),
                currency=currency,
                created_at=parse_gmt(p.get("date_created_gmt")),
                modified_at=parse_gmt(p.get("date_modified_gmt")),
                start_at=parse_gmt(p.get("start_date_gmt")),
                next_payment_at=parse_gmt(p.get("next_payment_date_gmt")),
                end_at=parse_gmt(p.get("end_date_gmt")),
                cancelled_at=parse_gmt(p.get("cancelled_date_gmt")),
                customer=customers.get(as_int(p.get("customer_id"))),
                wc_customer_id=as_int(p.get("customer_id")),
                raw=p,
                deleted_at=None,
                synced_at=now,
            )
        )
    wc_ids = [o.wc_id for o in objs]
    with transaction.atomic():
        old = tracked_rows(Subscription.objects.filter(store=store, wc_id__in=wc_ids)) if objs else {}
        written = _upsert_by_wc_id(Subscription, objs, SUBSCRIPTION_FIELDS)
        emit_changes(store, old, {o.wc_id: tuple(getattr(o, name) for name in TRACKED) for o in objs})
    return written


SUBSCRIPTION_FIELDS = [
    "parent_wc_id",
    "status",
    "billing_period",
    "billing_interval",
    "total_minor",
    "currency",
    "created_at",
    "modified_at",
    "start_at",
    "next_payment_at",
    "end_at",
    "cancelled_at",
    "customer",
    "wc_customer_id",
    "raw",
    "deleted_at",
    "synced_at",
]


def mark_missing_deleted(model: Any, store: Any, keep_wc_ids: set[int], *, now: datetime | None = None) -> int:
    """After a full listing of products/coupons/subscriptions: rows the store no longer has (subscriptions going
    tell the subscription change feed, in the same transaction)."""
    rows = model.objects.filter(store=store)
    if model is not Subscription:
        return mark_deleted_except(rows, keep_wc_ids, now or timezone.now())
    with transaction.atomic():
        old = {wc: v for wc, v in tracked_rows(rows.filter(deleted_at__isnull=True)).items() if wc not in keep_wc_ids}
        count = mark_deleted_except(rows, keep_wc_ids, now or timezone.now())
        emit_changes(store, old, dict.fromkeys(old))
    return count
