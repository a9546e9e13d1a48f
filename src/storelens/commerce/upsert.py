"""Idempotent upserts of store objects, keyed by (source, WooCommerce id), with the change feed.

Callers (the sync) run each page inside one `transaction.atomic()` together with its checkpoint; these functions do
their reads and writes in bulk (a handful of queries per page, not per row) so the database keeps up with the store.
Writing the same payload twice changes nothing and emits no change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from storelens.woocommerce.dates import parse_gmt

from . import bulk, changes
from .changes import LineSummary, OrderChange, OrderState, RefundChange, RefundState
from .models import Coupon, Customer, LineItem, Order, Product, Refund, RefundLine, Subscription, Variation
from .money import MinorUnits, parse_decimal

ORDER_FIELDS = [
    "parent_wc_id",
    "number",
    "status",
    "currency",
    "created_at",
    "modified_at",
    "paid_at",
    "completed_at",
    "total_minor",
    "total_tax_minor",
    "shipping_total_minor",
    "shipping_tax_minor",
    "discount_total_minor",
    "discount_tax_minor",
    "fee_total_minor",
    "subtotal_minor",
    "items_count",
    "customer_id",
    "wc_customer_id",
    "billing_email",
    "billing_country",
    "payment_method",
    "payment_method_title",
    "created_via",
    "coupon_codes",
    "prices_include_tax",
    "refund_ids",
    "deleted_at",
    "raw",
    "synced_at",
]


@dataclass
class OrderUpsertResult:
    written: int = 0
    changed: list[OrderChange] = field(default_factory=list)
    refunds_missing: set[int] = field(default_factory=set)  # order wc ids listing refunds we do not hold
    rounded: list[str] = field(default_factory=list)


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _str(value: Any, limit: int = 0) -> str:
    text = "" if value is None or isinstance(value, bool) else str(value)
    return text[:limit] if limit else text


def email_key(email: str) -> str:
    return f"email:{email}"


def wc_key(wc_id: int) -> str:
    return f"wc:{wc_id}"


def _dedupe(payloads: Iterable[dict]) -> list[dict]:
    """Last copy wins: windows overlap at their boundaries and the same id can arrive twice in a page set."""
    by_id: dict[int, dict] = {}
    for payload in payloads:
        if isinstance(payload, dict) and _int(payload.get("id")) > 0:
            by_id[_int(payload["id"])] = payload
    return list(by_id.values())


# ---------------------------------------------------------------------------------------------------- orders


def parse_order(payload: dict) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """(order fields, line item fields, rounded values) for one order payload."""
    currency = _str(payload.get("currency")).upper()[:3]
    minor = MinorUnits(currency)
    billing = payload.get("billing") or {}
    lines = []
    for item in payload.get("line_items") or []:
        lines.append(
            {
                "wc_item_id": _int(item.get("id")),
                "product_wc_id": _int(item.get("product_id")),
                "variation_wc_id": _int(item.get("variation_id")),
                "name": _str(item.get("name"), 400),
                "sku": _str(item.get("sku"), 200),
                "quantity": parse_decimal(item.get("quantity")),
                "subtotal_minor": minor(item.get("subtotal")),
                "subtotal_tax_minor": minor(item.get("subtotal_tax")),
                "total_minor": minor(item.get("total")),
                "total_tax_minor": minor(item.get("total_tax")),
            }
        )
    fields = {
        "wc_id": _int(payload.get("id")),
        "parent_wc_id": _int(payload.get("parent_id")),
        "number": _str(payload.get("number"), 64),
        "status": _str(payload.get("status"), 40),
        "currency": currency,
        "created_at": parse_gmt(payload.get("date_created_gmt")),
        "modified_at": parse_gmt(payload.get("date_modified_gmt")),
        "paid_at": parse_gmt(payload.get("date_paid_gmt")),
        "completed_at": parse_gmt(payload.get("date_completed_gmt")),
        "total_minor": minor(payload.get("total")),
        "total_tax_minor": minor(payload.get("total_tax")),
        "shipping_total_minor": minor(payload.get("shipping_total")),
        "shipping_tax_minor": minor(payload.get("shipping_tax")),
        "discount_total_minor": minor(payload.get("discount_total")),
        "discount_tax_minor": minor(payload.get("discount_tax")),
        "fee_total_minor": sum(minor(fee.get("total")) for fee in payload.get("fee_lines") or []),
        "subtotal_minor": sum(line["subtotal_minor"] for line in lines),
        "items_count": int(sum((line["quantity"] for line in lines), Decimal(0))),
        "wc_customer_id": _int(payload.get("customer_id")),
        "billing_email": _str(billing.get("email")).strip().lower()[:254],
        "billing_country": _str(billing.get("country"), 2).upper(),
        "payment_method": _str(payload.get("payment_method"), 100),
        "payment_method_title": _str(payload.get("payment_method_title"), 200),
        "created_via": _str(payload.get("created_via"), 64),
        "coupon_codes": [_str(c.get("code")).lower() for c in payload.get("coupon_lines") or []],
        "prices_include_tax": bool(payload.get("prices_include_tax")),
        "refund_ids": sorted(_int(r.get("id")) for r in payload.get("refunds") or [] if _int(r.get("id"))),
    }
    return fields, lines, minor.rounded


def _order_state(row: dict[str, Any], lines: list[dict[str, Any]], customer_key: str | None) -> OrderState:
    return OrderState(
        wc_id=row["wc_id"],
        status=row["status"],
        currency=row["currency"],
        created_at=row["created_at"],
        paid_at=row["paid_at"],
        completed_at=row["completed_at"],
        total_minor=row["total_minor"],
        total_tax_minor=row["total_tax_minor"],
        shipping_total_minor=row["shipping_total_minor"],
        shipping_tax_minor=row["shipping_tax_minor"],
        discount_total_minor=row["discount_total_minor"],
        fee_total_minor=row["fee_total_minor"],
        subtotal_minor=row["subtotal_minor"],
        items_count=row["items_count"],
        customer_key=customer_key,
        billing_country=row["billing_country"],
        coupon_codes=tuple(row["coupon_codes"] or ()),
        lines=tuple(
            LineSummary(
                product_wc_id=line["product_wc_id"],
                variation_wc_id=line["variation_wc_id"],
                quantity=Decimal(line["quantity"]).normalize(),
                subtotal_minor=line["subtotal_minor"],
                total_minor=line["total_minor"],
            )
            for line in sorted(lines, key=lambda li: li["wc_item_id"])
        ),
    )


_STATE_FIELDS = (
    "pk",
    "wc_id",
    "status",
    "currency",
    "created_at",
    "paid_at",
    "completed_at",
    "total_minor",
    "total_tax_minor",
    "shipping_total_minor",
    "shipping_tax_minor",
    "discount_total_minor",
    "fee_total_minor",
    "subtotal_minor",
    "items_count",
    "billing_country",
    "coupon_codes",
    "deleted_at",
    "refund_ids",
    "customer__key",
)
_LINE_FIELDS = ("wc_item_id", "product_wc_id", "variation_wc_id", "quantity", "subtotal_minor", "total_minor")


def current_order_states(source: Any, wc_ids: Iterable[int]) -> dict[int, tuple[dict[str, Any], OrderState | None]]:
    """Stored rows (as dicts) and their change-feed state (None when deleted), by wc id."""
    ids = list(wc_ids)
    if not ids:
        return {}
    rows = {r["wc_id"]: r for r in Order.objects.filter(source=source, wc_id__in=ids).values(*_STATE_FIELDS)}
    lines: dict[int, list[dict[str, Any]]] = {}
    if rows:
        pk_to_wc = {r["pk"]: wc for wc, r in rows.items()}
        for line in LineItem.objects.filter(order_id__in=list(pk_to_wc)).values("order_id", *_LINE_FIELDS):
            lines.setdefault(pk_to_wc[line["order_id"]], []).append(line)
    return {
        wc: (r, None if r["deleted_at"] else _order_state(r, lines.get(wc, []), r["customer__key"]))
        for wc, r in rows.items()
    }


@dataclass(frozen=True)
class Identity:
    pk: int
    key: str


def _resolve_customers(source: Any, parsed: list[tuple[dict, dict]]) -> dict[int, Identity | None]:
    """The identity of each order (by wc id): registered by customer id, guests by lowercased billing e-mail,
    a guest e-mail belonging to a registered customer resolving to that customer."""
    registered_ids = {f["wc_customer_id"] for f, _ in parsed if f["wc_customer_id"] > 0}
    guest_emails = {f["billing_email"] for f, _ in parsed if f["wc_customer_id"] <= 0 and f["billing_email"]}
    keys = {wc_key(i) for i in registered_ids} | {email_key(e) for e in guest_emails}
    known = dict(Customer.objects.filter(source=source, key__in=keys).values_list("key", "pk"))
    registered_by_email: dict[str, Identity] = {}
    if guest_emails:
        for email, pk, key in (
            Customer.objects.filter(source=source, is_registered=True, email__in=guest_emails)
            .order_by("pk")
            .values_list("email", "pk", "key")
        ):
            registered_by_email.setdefault(email, Identity(pk, key))
    to_create: dict[str, dict[str, Any]] = {}
    for f, payload in parsed:
        billing = payload.get("billing") or {}
        if f["wc_customer_id"] > 0:
            key = wc_key(f["wc_customer_id"])
            wc_id: int | None = f["wc_customer_id"]
        elif f["billing_email"] and f["billing_email"] not in registered_by_email:
            key = email_key(f["billing_email"])
            wc_id = None
        else:
            continue
        if key not in known and key not in to_create:
            to_create[key] = {
                "source_id": source.pk,
                "key": key,
                "wc_id": wc_id,
                "is_registered": wc_id is not None,
                "email": f["billing_email"],
                "first_name": _str(billing.get("first_name"), 200),
                "last_name": _str(billing.get("last_name"), 200),
                "country": f["billing_country"],
                "role": "",
                "orders_count": 0,
            }
    if to_create:
        bulk.upsert_rows(Customer, list(to_create.values()), conflict=["source", "key"], update=[])
        known.update(Customer.objects.filter(source=source, key__in=list(to_create)).values_list("key", "pk"))
        registered_emails = {c["email"] for c in to_create.values() if c["is_registered"] and c["email"]}
        if registered_emails:
            merge_guests_into_registered(source, registered_emails)
    result: dict[int, Identity | None] = {}
    for f, _ in parsed:
        if f["wc_customer_id"] > 0:
            key = wc_key(f["wc_customer_id"])
            result[f["wc_id"]] = Identity(known[key], key) if key in known else None
        elif f["billing_email"]:
            key = email_key(f["billing_email"])
            result[f["wc_id"]] = registered_by_email.get(f["billing_email"]) or (
                Identity(known[key], key) if key in known else None
            )
        else:
            result[f["wc_id"]] = None
    return result


def merge_guests_into_registered(source: Any, emails: Iterable[str]) -> int:
    """One identity across guest and registered: guest identities whose e-mail now belongs to a registered customer
    hand their orders over and disappear."""
    emails = {e for e in emails if e}
    if (
        not emails
        or not Customer.objects.filter(
            source=source, is_registered=False, key__in=[email_key(e) for e in emails]
        ).exists()
    ):
        return 0
    registered: dict[str, Customer] = {}
    for c in Customer.objects.filter(source=source, is_registered=True, email__in=emails).order_by("pk"):
        registered.setdefault(c.email, c)
    guests = list(
        Customer.objects.filter(source=source, is_registered=False, key__in=[email_key(e) for e in registered])
    )
    for guest in guests:
        target = registered[guest.email]
        Order.objects.filter(customer=guest).update(customer=target)
        Subscription.objects.filter(customer=guest).update(customer=target)
        Customer.objects.filter(pk=guest.pk).delete()
    return len(guests)


def upsert_orders(source: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> OrderUpsertResult:
    """Insert or update orders (and replace their line items) from store payloads; emits the change feed."""
    now = now or timezone.now()
    result = OrderUpsertResult()
    items = _dedupe(payloads)
    if not items:
        return result
    parsed: list[tuple[dict, dict]] = []
    lines_of: dict[int, list[dict]] = {}
    for payload in items:
        fields, lines, rounded = parse_order(payload)
        parsed.append((fields, payload))
        lines_of[fields["wc_id"]] = lines
        if len(result.rounded) < 3:
            result.rounded.extend(rounded[: 3 - len(result.rounded)])
    before = current_order_states(source, lines_of)
    customers = _resolve_customers(source, parsed)
    rows = []
    for fields, payload in parsed:
        customer = customers.get(fields["wc_id"])
        rows.append(
            {
                "source_id": source.pk,
                **fields,
                "customer_id": customer.pk if customer else None,
                "deleted_at": None,
                "raw": payload,
                "synced_at": now,
            }
        )
    bulk.upsert_rows(Order, rows, conflict=["source", "wc_id"], update=ORDER_FIELDS)
    pks = dict(Order.objects.filter(source=source, wc_id__in=list(lines_of)).values_list("wc_id", "pk"))
    if before:  # only orders we had can have line items to replace
        LineItem.objects.filter(order_id__in=[pks[wc] for wc in before]).delete()
    bulk.insert_rows(
        LineItem,
        [
            {"source_id": source.pk, "order_id": pks[wc_id], **line}
            for wc_id, lines in lines_of.items()
            for line in lines
            if line["wc_item_id"]
        ],
    )
    result.written = len(rows)
    for fields, _ in parsed:
        wc_id = fields["wc_id"]
        customer = customers.get(wc_id)
        new = _order_state(fields, lines_of[wc_id], customer.key if customer else None)
        old = before.get(wc_id, (None, None))[1]
        result.changed.append(OrderChange(source.pk, wc_id, old, new))
    refund_changes = _reconcile_order_refunds(source, parsed, pks, now, result)
    changes.emit(source, result.changed, refund_changes)
    return result


def _reconcile_order_refunds(
    source: Any, parsed: list[tuple[dict, dict]], pks: dict[int, int], now: datetime, result: OrderUpsertResult
) -> list[RefundChange]:
    """An order's `refunds[]` is the authoritative list of its refunds: link refunds that arrived before their
    order, mark refunds the order no longer lists as deleted, and report orders listing refunds we lack."""
    listed = {f["wc_id"]: set(f["refund_ids"]) for f, _ in parsed}
    currency_of = {f["wc_id"]: f["currency"] for f, _ in parsed}
    held = list(
        Refund.objects.filter(source=source, parent_wc_id__in=list(listed)).values(
            "pk", "wc_id", "parent_wc_id", "order_id", "deleted_at", "currency"
        )
    )
    held_ids: dict[int, set[int]] = {}
    refund_changes: list[RefundChange] = []
    gone = []
    relink = []
    for r in held:
        parent = r["parent_wc_id"]
        if r["deleted_at"] is None:
            held_ids.setdefault(parent, set()).add(r["wc_id"])
        if r["wc_id"] not in listed[parent] and r["deleted_at"] is None:
            gone.append(r["pk"])
        elif r["order_id"] != pks.get(parent) or r["currency"] != currency_of[parent]:
            relink.append(r["wc_id"])
    if gone:
        states = _refund_states(Refund.objects.filter(pk__in=gone))
        Refund.objects.filter(pk__in=gone).update(deleted_at=now)
        refund_changes.extend(RefundChange(source.pk, wc, old, None) for wc, old in states.items())
    if relink:
        # A refund that arrived before its order: now the order (and its currency) is known, write it again.
        for refund in Refund.objects.filter(source=source, wc_id__in=relink):
            refund_changes.extend(upsert_refunds(source, [refund.raw], parent_wc_id=refund.parent_wc_id, emit=False))
    for wc_id, ids in listed.items():
        if ids - held_ids.get(wc_id, set()):
            result.refunds_missing.add(wc_id)
    return refund_changes


# --------------------------------------------------------------------------------------------------- refunds


def _refund_state_of(fields: dict[str, Any]) -> RefundState:
    return RefundState(
        wc_id=fields["wc_id"],
        parent_wc_id=fields["parent_wc_id"],
        created_at=fields["created_at"],
        currency=fields["currency"],
        amount_minor=fields["amount_minor"],
        refunded_tax_minor=fields["refunded_tax_minor"],
        refunded_shipping_minor=fields["refunded_shipping_minor"],
        refunded_fees_minor=fields["refunded_fees_minor"],
    )


def _refund_states(queryset: Any) -> dict[int, RefundState]:
    return {
        r["wc_id"]: _refund_state_of(r)
        for r in queryset.filter(deleted_at__isnull=True).values(
            "wc_id",
            "parent_wc_id",
            "created_at",
            "currency",
            "amount_minor",
            "refunded_tax_minor",
            "refunded_shipping_minor",
            "refunded_fees_minor",
        )
    }


def _meta(item: dict, key: str) -> Any:
    for meta in item.get("meta_data") or []:
        if isinstance(meta, dict) and meta.get("key") == key:
            return meta.get("value")
    return None


def parse_refund(payload: dict, currency: str, parent_wc_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    minor = MinorUnits(currency)
    lines = [
        {
            "wc_item_id": _int(item.get("id")),
            "refunded_item_id": _int(_meta(item, "_refunded_item_id")) or None,
            "product_wc_id": _int(item.get("product_id")),
            "variation_wc_id": _int(item.get("variation_id")),
            "quantity": parse_decimal(item.get("quantity")),
            "subtotal_minor": minor(item.get("subtotal")),
            "total_minor": minor(item.get("total")),
            "total_tax_minor": minor(item.get("total_tax")),
        }
        for item in payload.get("line_items") or []
    ]
    shipping = payload.get("shipping_lines") or []
    fees = payload.get("fee_lines") or []
    taxed = [*(payload.get("line_items") or []), *shipping, *fees]
    fields = {
        "wc_id": _int(payload.get("id")),
        "parent_wc_id": _int(payload.get("parent_id")) or parent_wc_id,
        "created_at": parse_gmt(payload.get("date_created_gmt")),
        "amount_minor": minor(payload.get("amount")),
        "currency": currency,
        "reason": _str(payload.get("reason")),
        # Refund lines carry negative amounts; the refund's own figures are positive like its `amount`.
        "refunded_tax_minor": -sum(minor(i.get("total_tax")) for i in taxed),
        "refunded_shipping_minor": -sum(minor(i.get("total")) for i in shipping),
        "refunded_shipping_tax_minor": -sum(minor(i.get("total_tax")) for i in shipping),
        "refunded_fees_minor": -sum(minor(i.get("total")) for i in fees),
    }
    return fields, lines


REFUND_FIELDS = [
    "parent_wc_id",
    "order_id",
    "created_at",
    "amount_minor",
    "currency",
    "reason",
    "refunded_tax_minor",
    "refunded_shipping_minor",
    "refunded_shipping_tax_minor",
    "refunded_fees_minor",
    "raw",
    "deleted_at",
    "synced_at",
]


def upsert_refunds(
    source: Any,
    payloads: Iterable[dict],
    *,
    parent_wc_id: int = 0,
    now: datetime | None = None,
    emit: bool = True,
) -> list[RefundChange]:
    """Insert or update refunds (from `/refunds`, which has `parent_id`, or per order with `parent_wc_id`)."""
    now = now or timezone.now()
    items = _dedupe(payloads)
    if not items:
        return []
    parents = {_int(p.get("parent_id")) or parent_wc_id for p in items}
    orders = {
        r["wc_id"]: r for r in Order.objects.filter(source=source, wc_id__in=parents).values("wc_id", "pk", "currency")
    }
    parsed = []
    for payload in items:
        parent = _int(payload.get("parent_id")) or parent_wc_id
        order = orders.get(parent)
        currency = order["currency"] if order else (source.currency or "USD")
        fields, lines = parse_refund(payload, currency, parent)
        parsed.append((fields, lines, payload, order["pk"] if order else None))
    ids = [f["wc_id"] for f, *_ in parsed]
    before = _refund_states(Refund.objects.filter(source=source, wc_id__in=ids))
    existing = list(Refund.objects.filter(source=source, wc_id__in=ids).values_list("pk", flat=True))
    bulk.upsert_rows(
        Refund,
        [
            {
                "source_id": source.pk,
                **fields,
                "order_id": order_pk,
                "raw": payload,
                "synced_at": now,
                "deleted_at": None,
            }
            for fields, _, payload, order_pk in parsed
        ],
        conflict=["source", "wc_id"],
        update=REFUND_FIELDS,
    )
    pks = dict(Refund.objects.filter(source=source, wc_id__in=ids).values_list("wc_id", "pk"))
    if existing:  # replace-all: a refund's lines are rewritten with it
        RefundLine.objects.filter(refund_id__in=existing).delete()
    bulk.insert_rows(
        RefundLine,
        [
            {"source_id": source.pk, "refund_id": pks[fields["wc_id"]], **line}
            for fields, lines, _, _ in parsed
            for line in lines
        ],
    )
    result = [RefundChange(source.pk, f["wc_id"], before.get(f["wc_id"]), _refund_state_of(f)) for f, *_ in parsed]
    if emit:
        changes.emit(source, [], result)
    return result


def mark_refunds_deleted(source: Any, wc_ids: Iterable[int], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    qs = Refund.objects.filter(source=source, wc_id__in=list(wc_ids), deleted_at__isnull=True)
    states = _refund_states(qs)
    count = qs.update(deleted_at=now)
    changes.emit(source, [], [RefundChange(source.pk, wc, old, None) for wc, old in states.items()])
    return count


def mark_orders_deleted(source: Any, wc_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Hard-deleted on the store (found missing by the census): keep the row, stop counting it, and its refunds."""
    now = now or timezone.now()
    ids = list(wc_ids)
    before = current_order_states(source, ids)
    live = [wc for wc, (_, state) in before.items() if state is not None]
    if not live:
        return 0
    Order.objects.filter(source=source, wc_id__in=live).update(deleted_at=now)
    refund_qs = Refund.objects.filter(source=source, parent_wc_id__in=live, deleted_at__isnull=True)
    refund_states = _refund_states(refund_qs)
    refund_qs.update(deleted_at=now)
    changes.emit(
        source,
        [OrderChange(source.pk, wc, before[wc][1], None) for wc in live],
        [RefundChange(source.pk, wc, old, None) for wc, old in refund_states.items()],
    )
    return len(live)


# ------------------------------------------------------------------------------------ customers and catalogue


def upsert_customers(source: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    """Registered customers from `/customers?role=all`; their guest identities (same e-mail) merge into them."""
    now = now or timezone.now()
    rows = []
    for p in _dedupe(payloads):
        billing = p.get("billing") or {}
        rows.append(
            {
                "source_id": source.pk,
                "key": wc_key(_int(p["id"])),
                "wc_id": _int(p["id"]),
                "email": _str(p.get("email")).strip().lower()[:254],
                "first_name": _str(p.get("first_name"), 200),
                "last_name": _str(p.get("last_name"), 200),
                "country": _str(billing.get("country"), 2).upper(),
                "created_at": parse_gmt(p.get("date_created_gmt")),
                "is_registered": True,
                "role": _str(p.get("role"), 64),
                "raw": p,
                "deleted_at": None,
                "synced_at": now,
                "orders_count": 0,
            }
        )
    if rows:
        bulk.upsert_rows(
            Customer,
            rows,
            conflict=["source", "key"],
            update=[k for k in rows[0] if k not in ("source_id", "key", "orders_count")],
        )
        merge_guests_into_registered(source, {r["email"] for r in rows})
    return len(rows)


def _mark_deleted_except(queryset: Any, keep: set[int], now: datetime) -> int:
    """Set deleted_at on rows whose wc_id is not in `keep`, diffed in Python and updated in chunks: a store's id
    list can exceed the database's limit on query parameters."""
    gone = [wc for wc in queryset.filter(deleted_at__isnull=True).values_list("wc_id", flat=True) if wc not in keep]
    count = 0
    for i in range(0, len(gone), 500):
        count += queryset.filter(wc_id__in=gone[i : i + 500]).update(deleted_at=now)
    return count


def mark_customers_deleted(source: Any, keep_wc_ids: set[int], *, now: datetime | None = None) -> int:
    """After a full customer scan: registered customers the store no longer has (WordPress deletes users outright)."""
    return _mark_deleted_except(
        Customer.objects.filter(source=source, is_registered=True), keep_wc_ids, now or timezone.now()
    )


def upsert_products(source: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    objs = []
    for p in _dedupe(payloads):
        price = p.get("price")
        objs.append(
            Product(
                source=source,
                wc_id=_int(p["id"]),
                parent_wc_id=_int(p.get("parent_id")),
                name=_str(p.get("name"), 400),
                sku=_str(p.get("sku"), 200),
                type=_str(p.get("type"), 40),
                status=_str(p.get("status"), 40),
                price_minor=MinorUnits(source.currency or "USD")(price) if price not in (None, "", False) else None,
                categories=[{"id": _int(c.get("id")), "name": _str(c.get("name"))} for c in p.get("categories") or []],
                modified_at=parse_gmt(p.get("date_modified_gmt")),
                raw=p,
                deleted_at=None,
                synced_at=now,
            )
        )
    if objs:
        Product.objects.bulk_create(
            objs,
            update_conflicts=True,
            unique_fields=["source", "wc_id"],
            update_fields=[
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
    return len(objs)


def upsert_variations(source: Any, product_wc_id: int, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    product = Product.objects.filter(source=source, wc_id=product_wc_id).first()
    objs = []
    for p in _dedupe(payloads):
        price = p.get("price")
        objs.append(
            Variation(
                source=source,
                wc_id=_int(p["id"]),
                product=product,
                product_wc_id=_int(p.get("parent_id")) or product_wc_id,
                sku=_str(p.get("sku"), 200),
                status=_str(p.get("status"), 40),
                price_minor=MinorUnits(source.currency or "USD")(price) if price not in (None, "", False) else None,
                attributes=p.get("attributes") or [],
                raw=p,
                deleted_at=None,
                synced_at=now,
            )
        )
    if objs:
        Variation.objects.bulk_create(
            objs,
            update_conflicts=True,
            unique_fields=["source", "wc_id"],
            update_fields=[
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
    return len(objs)


def upsert_coupons(source: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    objs = [
        Coupon(
            source=source,
            wc_id=_int(p["id"]),
            code=_str(p.get("code"), 200).lower(),
            discount_type=_str(p.get("discount_type"), 40),
            amount=parse_decimal(p.get("amount")),
            status=_str(p.get("status"), 40),
            raw=p,
            deleted_at=None,
            synced_at=now,
        )
        for p in _dedupe(payloads)
    ]
    if objs:
        Coupon.objects.bulk_create(
            objs,
            update_conflicts=True,
            unique_fields=["source", "wc_id"],
            update_fields=["code", "discount_type", "amount", "status", "raw", "deleted_at", "synced_at"],
        )
    return len(objs)


def upsert_subscriptions(source: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    items = _dedupe(payloads)
    customer_ids = {_int(p.get("customer_id")) for p in items if _int(p.get("customer_id")) > 0}
    customers = {c.wc_id: c for c in Customer.objects.filter(source=source, wc_id__in=customer_ids, is_registered=True)}
    objs = []
    for p in items:
        currency = _str(p.get("currency")).upper()[:3]
        objs.append(
            Subscription(
                source=source,
                wc_id=_int(p["id"]),
                parent_wc_id=_int(p.get("parent_id")),
                status=_str(p.get("status"), 40),
                billing_period=_str(p.get("billing_period"), 20),
                billing_interval=_int(p.get("billing_interval")) or 1,
                total_minor=MinorUnits(currency)(p.get("total")),
                currency=currency,
                created_at=parse_gmt(p.get("date_created_gmt")),
                modified_at=parse_gmt(p.get("date_modified_gmt")),
                start_at=parse_gmt(p.get("start_date_gmt")),
                next_payment_at=parse_gmt(p.get("next_payment_date_gmt")),
                end_at=parse_gmt(p.get("end_date_gmt")),
                cancelled_at=parse_gmt(p.get("cancelled_date_gmt")),
                customer=customers.get(_int(p.get("customer_id"))),
                wc_customer_id=_int(p.get("customer_id")),
                raw=p,
                deleted_at=None,
                synced_at=now,
            )
        )
    if objs:
        Subscription.objects.bulk_create(
            objs,
            update_conflicts=True,
            unique_fields=["source", "wc_id"],
            update_fields=[
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
            ],
        )
    return len(objs)


def mark_missing_deleted(model: Any, source: Any, keep_wc_ids: set[int], *, now: datetime | None = None) -> int:
    """After a full listing of products/coupons/subscriptions: rows the store no longer has."""
    return _mark_deleted_except(model.objects.filter(source=source), keep_wc_ids, now or timezone.now())
