"""Orders and their line items: parsed from a payload, upserted with the change feed, the refunds an order
lists reconciled, and orders the store hard-deleted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from storelens.woocommerce.dates import parse_gmt

from . import bulk, changes
from .changes import LineSummary, OrderChange, OrderState, RefundChange
from .customers import resolve_customers
from .models import LineItem, Order, Refund
from .money import LineUnits, MinorUnits, parse_decimal
from .payloads import as_int, as_str, dedupe
from .refunds import refund_states, upsert_refunds

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
    "shipping_methods",
    "coupon_discounts",
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


def parse_order(payload: dict) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """(order fields, line item fields, rounded values) for one order payload.

    Order-level amounts are the store's own (WooCommerce rounds them to its price decimals) in minor units. Line
    amounts are kept as given (`*_e4`) next to their per-line rounding (`*_minor`, what product figures sum, as in
    WooCommerce's `wc_order_product_lookup`); the order's `subtotal_minor` and `fee_total_minor` are the exact line
    sums rounded once for the order, so unrounded lines cannot drift them by a cent per line.
    """
    currency = as_str(payload.get("currency")).upper()[:3]
    minor = MinorUnits(currency)
    line_units = LineUnits(currency)
    billing = payload.get("billing") or {}
    lines = []
    for item in payload.get("line_items") or []:
        subtotal, subtotal_tax = line_units(item.get("subtotal")), line_units(item.get("subtotal_tax"))
        total, total_tax = line_units(item.get("total")), line_units(item.get("total_tax"))
        lines.append(
            {
                "wc_item_id": as_int(item.get("id")),
                "product_wc_id": as_int(item.get("product_id")),
                "variation_wc_id": as_int(item.get("variation_id")),
                "name": as_str(item.get("name"), 400),
                "sku": as_str(item.get("sku"), 200),
                "quantity": parse_decimal(item.get("quantity")),
                "subtotal_minor": line_units.minor(subtotal),
                "subtotal_tax_minor": line_units.minor(subtotal_tax),
                "total_minor": line_units.minor(total),
                "total_tax_minor": line_units.minor(total_tax),
                "subtotal_e4": subtotal,
                "subtotal_tax_e4": subtotal_tax,
                "total_e4": total,
                "total_tax_e4": total_tax,
            }
        )
    fees_e4 = sum(line_units(fee.get("total")) for fee in payload.get("fee_lines") or [])
    fields = {
        "wc_id": as_int(payload.get("id")),
        "parent_wc_id": as_int(payload.get("parent_id")),
        "number": as_str(payload.get("number"), 64),
        "status": as_str(payload.get("status"), 40),
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
        "fee_total_minor": line_units.minor(fees_e4),
        "subtotal_minor": line_units.minor(sum(line["subtotal_e4"] for line in lines)),
        "items_count": int(sum((line["quantity"] for line in lines), Decimal(0))),
        "wc_customer_id": as_int(payload.get("customer_id")),
        "billing_email": as_str(billing.get("email")).strip().lower()[:254],
        "billing_country": as_str(billing.get("country"), 2).upper(),
        "payment_method": as_str(payload.get("payment_method"), 100),
        "payment_method_title": as_str(payload.get("payment_method_title"), 200),
        "created_via": as_str(payload.get("created_via"), 64),
        "coupon_codes": [as_str(c.get("code")).lower() for c in payload.get("coupon_lines") or []],
        "shipping_methods": shipping_methods(payload),
        "coupon_discounts": coupon_discounts(payload, minor),
        "prices_include_tax": bool(payload.get("prices_include_tax")),
        "refund_ids": sorted(as_int(r.get("id")) for r in payload.get("refunds") or [] if as_int(r.get("id"))),
    }
    return fields, lines, [*minor.rounded, *line_units.rounded]


def shipping_methods(payload: dict) -> list[str]:
    """The order's distinct shipping methods as the owner named them (`method_title`, else the method id), sorted:
    an order counts once per method however many of its lines use it."""
    names = {
        as_str(line.get("method_title"), 200).strip() or as_str(line.get("method_id"), 200).strip()
        for line in payload.get("shipping_lines") or []
        if isinstance(line, dict)
    }
    return sorted(n for n in names if n)


def coupon_discounts(payload: dict, minor: MinorUnits) -> list[list[Any]]:
    """[code, discount] per coupon the order used (code lower-cased as in `coupon_codes`; the line's `discount`,
    excluding tax, in minor units), one entry per code, sorted by code."""
    by_code: dict[str, int] = {}
    for line in payload.get("coupon_lines") or []:
        if isinstance(line, dict):
            code = as_str(line.get("code"), 200).lower()
            by_code[code] = by_code.get(code, 0) + minor(line.get("discount"))
    return [[code, by_code[code]] for code in sorted(by_code)]


def payment_label(title: str, method_id: str) -> str:
    """The payment method as the breakdown shows it: the title the customer saw, else the gateway id ("" = none,
    e.g. a free or manual order)."""
    return (title or "").strip() or (method_id or "").strip()


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
        payment_method=payment_label(row["payment_method_title"], row["payment_method"]),
        shipping_methods=tuple(row["shipping_methods"] or ()),
        coupon_discounts=tuple((code, int(minor)) for code, minor in row["coupon_discounts"] or ()),
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
    "payment_method",
    "payment_method_title",
    "shipping_methods",
    "coupon_discounts",
    "deleted_at",
    "refund_ids",
    "customer__key",
)
_LINE_FIELDS = ("wc_item_id", "product_wc_id", "variation_wc_id", "quantity", "subtotal_minor", "total_minor")


def current_order_states(store: Any, wc_ids: Iterable[int]) -> dict[int, tuple[dict[str, Any], OrderState | None]]:
    """Stored rows (as dicts) and their change-feed state (None when deleted), by wc id."""
    ids = list(wc_ids)
    if not ids:
        return {}
    rows = {r["wc_id"]: r for r in Order.objects.filter(store=store, wc_id__in=ids).values(*_STATE_FIELDS)}
    lines: dict[int, list[dict[str, Any]]] = {}
    if rows:
        pk_to_wc = {r["pk"]: wc for wc, r in rows.items()}
        for line in LineItem.objects.filter(order_id__in=list(pk_to_wc)).values("order_id", *_LINE_FIELDS):
            lines.setdefault(pk_to_wc[line["order_id"]], []).append(line)
    return {
        wc: (r, None if r["deleted_at"] else _order_state(r, lines.get(wc, []), r["customer__key"]))
        for wc, r in rows.items()
    }


def upsert_orders(store: Any, payloads: Iterable[dict], *, now: datetime | None = None) -> OrderUpsertResult:
    """Insert or update orders (and replace their line items) from store payloads; emits the change feed."""
    now = now or timezone.now()
    result = OrderUpsertResult()
    items = dedupe(payloads)
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
    before = current_order_states(store, lines_of)
    customers = resolve_customers(store, parsed)
    rows = []
    for fields, payload in parsed:
        customer = customers.get(fields["wc_id"])
        rows.append(
            {
                "store_id": store.pk,
                **fields,
                "customer_id": customer.pk if customer else None,
                "deleted_at": None,
                "raw": payload,
                "synced_at": now,
            }
        )
    bulk.upsert_rows(Order, rows, conflict=["store", "wc_id"], update=ORDER_FIELDS)
    pks = dict(Order.objects.filter(store=store, wc_id__in=list(lines_of)).values_list("wc_id", "pk"))
    if before:  # only orders we had can have line items to replace
        LineItem.objects.filter(order_id__in=[pks[wc] for wc in before]).delete()
    bulk.insert_rows(
        LineItem,
        [
            {"store_id": store.pk, "order_id": pks[wc_id], **line}
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
        result.changed.append(OrderChange(store.pk, wc_id, old, new))
    refund_changes = _reconcile_order_refunds(store, parsed, pks, now, result)
    changes.emit(store, result.changed, refund_changes)
    return result


def _reconcile_order_refunds(
    store: Any, parsed: list[tuple[dict, dict]], pks: dict[int, int], now: datetime, result: OrderUpsertResult
) -> list[RefundChange]:
    """An order's `refunds[]` is the authoritative list of its refunds: link refunds that arrived before their
    order, mark refunds the order no longer lists as deleted, and report orders listing refunds we lack."""
    listed = {f["wc_id"]: set(f["refund_ids"]) for f, _ in parsed}
    currency_of = {f["wc_id"]: f["currency"] for f, _ in parsed}
    held = list(
        Refund.objects.filter(store=store, parent_wc_id__in=list(listed)).values(
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
        states = refund_states(Refund.objects.filter(pk__in=gone))
        Refund.objects.filter(pk__in=gone).update(deleted_at=now)
        refund_changes.extend(RefundChange(store.pk, wc, old, None) for wc, old in states.items())
    if relink:
        # A refund that arrived before its order: now the order (and its currency) is known, write it again.
        for refund in Refund.objects.filter(store=store, wc_id__in=relink):
            refund_changes.extend(upsert_refunds(store, [refund.raw], parent_wc_id=refund.parent_wc_id, emit=False))
    for wc_id, ids in listed.items():
        if ids - held_ids.get(wc_id, set()):
            result.refunds_missing.add(wc_id)
    return refund_changes


def mark_orders_deleted(store: Any, wc_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Hard-deleted on the store (found missing by the census): keep the row, stop counting it, and its refunds."""
    now = now or timezone.now()
    ids = list(wc_ids)
    before = current_order_states(store, ids)
    live = [wc for wc, (_, state) in before.items() if state is not None]
    if not live:
        return 0
    Order.objects.filter(store=store, wc_id__in=live).update(deleted_at=now)
    refund_qs = Refund.objects.filter(store=store, parent_wc_id__in=live, deleted_at__isnull=True)
    refunds_before = refund_states(refund_qs)
    refund_qs.update(deleted_at=now)
    changes.emit(
        store,
        [OrderChange(store.pk, wc, before[wc][1], None) for wc in live],
        [RefundChange(store.pk, wc, old, None) for wc, old in refunds_before.items()],
    )
    return len(live)
