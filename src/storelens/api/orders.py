"""The /orders routes: the orders list and one order."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from storelens.accounts.scoping import get_workspace_object_or_404
from storelens.analytics.reports.orders import cursor_of, keyset_page, order_count, orders_list
from storelens.api.range_query import (
    Day,
    ErrorOut,
    InvalidOut,
    PageNumber,
    RangeQuery,
    date_range,
    stores_of,
)
from storelens.commerce.money import decimal_string

orders_router = Router(tags=["orders"])


class OrderOut(Schema):
    id: int
    source_id: int
    wc_id: int
    number: str
    status: str
    currency: str
    created_at: datetime | None
    paid_at: datetime | None
    completed_at: datetime | None
    total: str
    total_tax: str
    shipping_total: str
    discount_total: str
    net: str
    items_count: int
    billing_email: str
    billing_country: str
    customer_id: int | None


class LineOut(Schema):
    wc_item_id: int
    product_wc_id: int
    variation_wc_id: int
    name: str
    sku: str
    quantity: str
    subtotal: str
    total: str
    total_tax: str


class RefundOut(Schema):
    wc_id: int
    created_at: datetime | None
    amount: str
    refunded_tax: str
    refunded_shipping: str
    reason: str


class OrderDetailOut(OrderOut):
    line_items: list[LineOut]
    refunds: list[RefundOut]


class OrderPage(Schema):
    count: int
    count_is_exact: bool  # False: a search's count stops at 1000 ("at least count")
    page: int
    per_page: int
    next_cursor: str  # pass as ?after= for the next page ("" on the last one); cheaper than ?page= deep down
    results: list[OrderOut]


def _order_out(o: Any) -> dict[str, Any]:
    c = o.currency
    return {
        "id": o.pk,
        "source_id": o.store_id,
        "wc_id": o.wc_id,
        "number": o.number or str(o.wc_id),
        "status": o.status,
        "currency": c,
        "created_at": o.created_at,
        "paid_at": o.paid_at,
        "completed_at": o.completed_at,
        "total": decimal_string(o.total_minor, c),
        "total_tax": decimal_string(o.total_tax_minor, c),
        "shipping_total": decimal_string(o.shipping_total_minor, c),
        "discount_total": decimal_string(o.discount_total_minor, c),
        "net": decimal_string(o.total_minor - o.total_tax_minor - o.shipping_total_minor, c),
        "items_count": o.items_count,
        "billing_email": o.billing_email,
        "billing_country": o.billing_country,
        "customer_id": o.customer_id,
    }


class OrdersQuery(Schema):
    source: int | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    q: str = ""
    status: str | None = None
    country: str = ""
    sort: Literal["date", "-date", "total", "-total", "number", "-number"] = "date"
    page: PageNumber = 1
    after: str = ""
    per_page: int = 50


@orders_router.get(
    "",
    response={200: OrderPage, 404: ErrorOut, 422: InvalidOut},
    summary="Orders created in a range, any status",
)
def list_orders(request: HttpRequest, q: Query[OrdersQuery]) -> Any:
    stores = stores_of(request, q.source)
    first, last = date_range(RangeQuery(date_from=q.date_from, date_to=q.date_to), stores)
    statuses = [s for s in (q.status or "").split(",") if s]
    qs = orders_list(stores, first, last, q.q, statuses, q.country, q.sort)
    per_page = min(max(q.per_page, 1), 500)
    page = max(q.page, 1)
    keyset = None
    if q.after or page == 1:
        keyset = keyset_page(qs, q.sort, after=q.after, per_page=per_page)
        rows, next_cursor = keyset.rows, keyset.next_cursor
    else:  # ?page=N: an OFFSET, kept for clients that number pages
        rows = list(qs[(page - 1) * per_page : page * per_page + 1])
        next_cursor = cursor_of(rows[per_page - 1], q.sort) if len(rows) > per_page else ""
        rows = rows[:per_page]
    count = order_count(stores, first, last, q.q, statuses, q.country, keyset)
    return {
        "count": count.value,
        "count_is_exact": count.exact,
        "page": page,
        "per_page": per_page,
        "next_cursor": next_cursor,
        "results": [_order_out(o) for o in rows],
    }


@orders_router.get(
    "/{order_id}",
    response={200: OrderDetailOut, 404: ErrorOut, 422: InvalidOut},
    summary="One order",
)
def get_order(request: HttpRequest, order_id: int) -> Any:
    from storelens.commerce.models import Order

    o = get_workspace_object_or_404(request, Order, pk=order_id)
    c = o.currency
    data = _order_out(o)
    data["line_items"] = [
        {
            "wc_item_id": i.wc_item_id,
            "product_wc_id": i.product_wc_id,
            "variation_wc_id": i.variation_wc_id,
            "name": i.name,
            "sku": i.sku,
            "quantity": str(i.quantity.normalize()),
            "subtotal": decimal_string(i.subtotal_minor, c),
            "total": decimal_string(i.total_minor, c),
            "total_tax": decimal_string(i.total_tax_minor, c),
        }
        for i in o.line_items.order_by("wc_item_id")
    ]
    data["refunds"] = [
        {
            "wc_id": r.wc_id,
            "created_at": r.created_at,
            "amount": decimal_string(r.amount_minor, c),
            "refunded_tax": decimal_string(r.refunded_tax_minor, c),
            "refunded_shipping": decimal_string(r.refunded_shipping_minor, c),
            "reason": r.reason,
        }
        for r in o.refunds.filter(deleted_at__isnull=True).order_by("created_at")
    ]
    return data
