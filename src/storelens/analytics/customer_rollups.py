"""Keeping `CustomerRollup` in step with the raw rows, inside the sync's page transaction.

Unlike the daily cells, these are recomputed rather than moved by deltas: a customer's first and last counted order
are a MIN and a MAX, which a delta cannot take back, and a guest who registers has their older orders moved to the
registered identity without a change of their own. So each page recomputes exactly the customers it touched (the
orders' old and new customers, and the customers of the refunds' orders) from their own rows, through the
customer index: a few small grouped queries per page whatever the history size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, Min, Q, Sum

from storelens.analytics.definitions import DateBasis
from storelens.analytics.models import CustomerRollup

if TYPE_CHECKING:
    from storelens.commerce.changes import OrderChange, RefundChange

BASIS_COLUMN = {DateBasis.CREATED: "created_at", DateBasis.PAID: "paid_at", DateBasis.COMPLETED: "completed_at"}
CHUNK = 500  # customer ids per IN (…), well under SQLite's parameter limit


def on_changes(source: Any, order_changes: list[OrderChange], refund_changes: list[RefundChange]) -> None:
    """The change-feed listener: recompute the customers this page touched."""
    from storelens.commerce.models import Customer, Order

    keys = {
        state.customer_key
        for ch in order_changes
        for state in (ch.old, ch.new)
        if state is not None and state.customer_key
    }
    ids: set[int] = set()
    if keys:
        ids |= set(Customer.objects.filter(source=source, key__in=keys).values_list("pk", flat=True))
    parents = {state.parent_wc_id for rc in refund_changes for state in (rc.old, rc.new) if state is not None}
    if parents:
        ids |= set(
            Order.objects.filter(source=source, wc_id__in=parents, customer__isnull=False).values_list(
                "customer_id", flat=True
            )
        )
    if ids:
        recompute(source, ids)


def recompute(source: Any, customer_ids: Iterable[int]) -> None:
    ids = sorted(set(customer_ids))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        CustomerRollup.objects.filter(source=source, customer_id__in=chunk).delete()
        _write(source, chunk)


def rebuild(source: Any) -> int:
    """Every customer of a source from raw rows (the repair path, called by `rollups.rebuild`)."""
    CustomerRollup.objects.filter(source=source).delete()
    return _write(source, None)


def _counted(source: Any, column: str, ids: list[int] | None, prefix: str = "") -> Q:
    """Orders (or, with prefix "order__", refunds' orders) that count on this basis under some status filter."""
    q = Q(
        **{
            f"{prefix}source": source,
            f"{prefix}deleted_at__isnull": True,
            f"{prefix}customer__isnull": False,
            f"{prefix}{column}__isnull": False,
        }
    )
    return q & Q(**{f"{prefix}customer_id__in": ids}) if ids is not None else q


def _write(source: Any, ids: list[int] | None) -> int:
    """Insert the rows of these customers (None: every customer of the source) for every basis."""
    from storelens.commerce.models import Order, Refund

    rows: dict[tuple, CustomerRollup] = {}
    for basis, column in BASIS_COLUMN.items():
        per = (
            Order.objects.filter(_counted(source, column, ids))
            .values("customer_id", "status", "currency")
            .annotate(
                n=Count("pk"),
                net=Sum(F("total_minor") - F("total_tax_minor") - F("shipping_total_minor")),
                first=Min(column),
                last=Max(column),
            )
            .order_by()
        )
        for r in per.iterator(chunk_size=5000):
            key = (r["customer_id"], basis.value, r["status"], r["currency"])
            rows[key] = CustomerRollup(
                source=source,
                customer_id=r["customer_id"],
                basis=basis.value,
                status=r["status"],
                currency=r["currency"],
                orders=r["n"],
                net_minor=int(r["net"] or 0),
                first_at=r["first"],
                last_at=r["last"],
            )
        refunded = (
            Refund.objects.filter(_counted(source, column, ids, "order__"), deleted_at__isnull=True)
            .values("order__customer_id", "order__status", "order__currency")
            .annotate(net=Sum(F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor")))
            .order_by()
        )
        for r in refunded.iterator(chunk_size=5000):
            row = rows.get((r["order__customer_id"], basis.value, r["order__status"], r["order__currency"]))
            if row is not None:  # always: a counted order's refunds land in that order's own row
                row.net_minor -= int(r["net"] or 0)
    CustomerRollup.objects.bulk_create(rows.values(), batch_size=2000)
    return len(rows)
