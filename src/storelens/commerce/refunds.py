"""Refunds and their lines: parsed from a refund payload, upserted with the change feed, marked deleted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from storelens.woocommerce.dates import parse_gmt

from . import bulk, changes
from .changes import LineSummary, RefundChange, RefundState
from .models import Order, Refund, RefundLine
from .money import LineUnits, MinorUnits, parse_decimal
from .payloads import as_int, as_str, dedupe


def _refund_state_of(fields: dict[str, Any], lines: Iterable[dict[str, Any]]) -> RefundState:
    return RefundState(
        wc_id=fields["wc_id"],
        parent_wc_id=fields["parent_wc_id"],
        created_at=fields["created_at"],
        currency=fields["currency"],
        amount_minor=fields["amount_minor"],
        refunded_tax_minor=fields["refunded_tax_minor"],
        refunded_shipping_minor=fields["refunded_shipping_minor"],
        refunded_fees_minor=fields["refunded_fees_minor"],
        items_quantity=fields["items_quantity"],
        full_refund=bool(fields.get("full_refund", False)),
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


_LINE_FIELDS = ("wc_item_id", "product_wc_id", "variation_wc_id", "quantity", "subtotal_minor", "total_minor")


def refund_states(queryset: Any) -> dict[int, RefundState]:
    rows = list(
        queryset.filter(deleted_at__isnull=True).values(
            "pk",
            "wc_id",
            "parent_wc_id",
            "created_at",
            "currency",
            "amount_minor",
            "refunded_tax_minor",
            "refunded_shipping_minor",
            "refunded_fees_minor",
            "items_quantity",
            "full_refund",
        )
    )
    lines: dict[int, list[dict[str, Any]]] = {}
    if rows:
        for line in RefundLine.objects.filter(refund_id__in=[r["pk"] for r in rows]).values("refund_id", *_LINE_FIELDS):
            lines.setdefault(line["refund_id"], []).append(line)
    return {r["wc_id"]: _refund_state_of(r, lines.get(r["pk"], [])) for r in rows}


def _meta(item: dict, key: str) -> Any:
    for meta in item.get("meta_data") or []:
        if isinstance(meta, dict) and meta.get("key") == key:
            return meta.get("value")
    return None


def parse_refund(payload: dict, currency: str, parent_wc_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Refund lines keep their amounts as given (`*_e4`) and rounded per line (`*_minor`). The refund's own tax,
    shipping and fee figures sum the per-line roundings, because that is how WooCommerce totals a refund: its
    `update_taxes()` rounds each line's tax per rate (`round_line_tax(…, false)`, whatever the round-at-subtotal
    setting) and `calculate_totals()` rounds each shipping line before adding it."""
    minor = MinorUnits(currency)
    units = LineUnits(currency)

    def line_minor(value: object) -> int:
        return units.minor(units(value))

    lines = []
    for item in payload.get("line_items") or []:
        subtotal, total, total_tax = units(item.get("subtotal")), units(item.get("total")), units(item.get("total_tax"))
        lines.append(
            {
                "wc_item_id": as_int(item.get("id")),
                "refunded_item_id": as_int(_meta(item, "_refunded_item_id")) or None,
                "product_wc_id": as_int(item.get("product_id")),
                "variation_wc_id": as_int(item.get("variation_id")),
                "quantity": parse_decimal(item.get("quantity")),
                "subtotal_minor": units.minor(subtotal),
                "total_minor": units.minor(total),
                "total_tax_minor": units.minor(total_tax),
                "subtotal_e4": subtotal,
                "total_e4": total,
                "total_tax_e4": total_tax,
            }
        )
    shipping = payload.get("shipping_lines") or []
    fees = payload.get("fee_lines") or []
    taxed = [*(payload.get("line_items") or []), *shipping, *fees]
    fields = {
        "wc_id": as_int(payload.get("id")),
        "parent_wc_id": as_int(payload.get("parent_id")) or parent_wc_id,
        "created_at": parse_gmt(payload.get("date_created_gmt")),
        "amount_minor": minor(payload.get("amount")),
        "currency": currency,
        "reason": as_str(payload.get("reason")),
        # Refund lines carry negative amounts; the refund's own figures are positive like its `amount`.
        "refunded_tax_minor": -sum(line_minor(i.get("total_tax")) for i in taxed),
        "refunded_shipping_minor": -sum(line_minor(i.get("total")) for i in shipping),
        "refunded_shipping_tax_minor": -sum(line_minor(i.get("total_tax")) for i in shipping),
        "refunded_fees_minor": -sum(line_minor(i.get("total")) for i in fees),
        "items_quantity": int(sum((line["quantity"] for line in lines), Decimal(0))),
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
    "items_quantity",
    "full_refund",
    "raw",
    "deleted_at",
    "synced_at",
]


def full_refund_ids(refunds: Iterable[tuple[int, int, int]], order_totals: dict[int, int]) -> set[int]:
    """Which refunds made their order fully refunded: per order, in the order they were made (ids ascend), the first
    whose amount brings the refunded sum to the order's total. `refunds` are (wc_id, parent_wc_id, amount_minor)
    of every live refund of those orders; `order_totals` maps order ids to `total_minor`.

    This is when `wc_create_refund` fires `woocommerce_order_fully_refunded` (the remaining refund amount reaches
    zero), on which WooCommerce 11 stores `_refund_type = full` on the refund, and Analytics then writes that refund's
    `wc_order_stats` row with the order's net, tax, shipping and items negated
    (Admin/API/Reports/Orders/Stats/DataStore.php `update`, `use_parent_refund_amounts`): an amount-only refund of
    everything, the automatic refund of an order set to Refunded, and the last of several refunds alike."""
    by_order: dict[int, list[tuple[int, int]]] = {}
    for wc_id, parent, amount in refunds:
        by_order.setdefault(parent, []).append((wc_id, amount))
    full: set[int] = set()
    for parent, rows in by_order.items():
        total = order_totals.get(parent)
        if not total or total <= 0:
            continue
        refunded = 0
        for wc_id, amount in sorted(rows):
            refunded += amount
            if refunded >= total:
                full.add(wc_id)
                break
    return full


def upsert_refunds(
    store: Any,
    payloads: Iterable[dict],
    *,
    parent_wc_id: int = 0,
    now: datetime | None = None,
    emit: bool = True,
) -> list[RefundChange]:
    """Insert or update refunds (from `/refunds`, which has `parent_id`, or per order with `parent_wc_id`)."""
    now = now or timezone.now()
    items = dedupe(payloads)
    if not items:
        return []
    parents = {as_int(p.get("parent_id")) or parent_wc_id for p in items}
    orders = {
        r["wc_id"]: r for r in Order.objects.filter(store=store, wc_id__in=parents).values("wc_id", "pk", "currency")
    }
    parsed = []
    for payload in items:
        parent = as_int(payload.get("parent_id")) or parent_wc_id
        if "parent_id" not in payload:  # the per-order route leaves it out: kept as /refunds and the Connector give it
            payload = {**payload, "parent_id": parent}
        order = orders.get(parent)
        currency = order["currency"] if order else (store.currency or "USD")
        fields, lines = parse_refund(payload, currency, parent)
        parsed.append((fields, lines, payload, order["pk"] if order else None))
    ids = [f["wc_id"] for f, *_ in parsed]
    _mark_full_refunds(store, parents, parsed)
    before = refund_states(Refund.objects.filter(store=store, wc_id__in=ids))
    existing = list(Refund.objects.filter(store=store, wc_id__in=ids).values_list("pk", flat=True))
    bulk.upsert_rows(
        Refund,
        [
            {
                "store_id": store.pk,
                **fields,
                "order_id": order_pk,
                "raw": payload,
                "synced_at": now,
                "deleted_at": None,
            }
            for fields, _, payload, order_pk in parsed
        ],
        conflict=["store", "wc_id"],
        update=REFUND_FIELDS,
    )
    pks = dict(Refund.objects.filter(store=store, wc_id__in=ids).values_list("wc_id", "pk"))
    if existing:  # replace-all: a refund's lines are rewritten with it
        RefundLine.objects.filter(refund_id__in=existing).delete()
    bulk.insert_rows(
        RefundLine,
        [
            {"store_id": store.pk, "refund_id": pks[fields["wc_id"]], **line}
            for fields, lines, _, _ in parsed
            for line in lines
        ],
    )
    result = [
        RefundChange(store.pk, f["wc_id"], before.get(f["wc_id"]), _refund_state_of(f, lines))
        for f, lines, *_ in parsed
    ]
    if emit:
        changes.emit(store, [], result)
    return result


def _mark_full_refunds(store: Any, parents: set[int], parsed: list[tuple[dict[str, Any], Any, Any, Any]]) -> None:
    """Set `full_refund` on the page's refunds, counting their orders' other live refunds as well."""
    totals = dict(Order.objects.filter(store=store, wc_id__in=parents).values_list("wc_id", "total_minor"))
    page = {f["wc_id"]: (f["wc_id"], f["parent_wc_id"], f["amount_minor"]) for f, *_ in parsed}
    others = (
        Refund.objects.filter(store=store, parent_wc_id__in=parents, deleted_at__isnull=True)
        .exclude(wc_id__in=list(page))
        .values_list("wc_id", "parent_wc_id", "amount_minor")
    )
    full = full_refund_ids([*page.values(), *others], totals)
    for fields, *_ in parsed:
        fields["full_refund"] = fields["wc_id"] in full


def mark_refunds_deleted(store: Any, wc_ids: Iterable[int], *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    qs = Refund.objects.filter(store=store, wc_id__in=list(wc_ids), deleted_at__isnull=True)
    states = refund_states(qs)
    count = qs.update(deleted_at=now)
    changes.emit(store, [], [RefundChange(store.pk, wc, old, None) for wc, old in states.items()])
    return count
