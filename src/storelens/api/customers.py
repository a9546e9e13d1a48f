"""The /customers routes: the customers list and one customer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from storelens.accounts.scoping import get_workspace_object_or_404
from storelens.analytics.metrics.customers import CustomerValue
from storelens.analytics.reports.customers import customer_value, ranked_standings, standing_value, with_people
from storelens.analytics.rollups.snapshots import current
from storelens.api.range_query import (
    ErrorOut,
    InvalidOut,
    PageNumber,
    stores_of,
)
from storelens.commerce.money import decimal_string

customers_router = Router(tags=["customers"])


class CustomerOut(Schema):
    id: int
    source_id: int
    name: str
    email: str
    orders: int
    lifetime_net: str
    currency: str
    first_order_at: datetime | None
    last_order_at: datetime | None
    rfm: str
    segment: str


class CustomerPage(Schema):
    count: int
    page: int
    per_page: int
    results: list[CustomerOut]


def _customer_out(v: CustomerValue) -> dict[str, Any]:
    return {
        "id": v.customer_id,
        "source_id": v.store_id,
        "name": v.name,
        "email": v.email,
        "orders": v.orders,
        "lifetime_net": decimal_string(v.net_minor, v.currency),
        "currency": v.currency,
        "first_order_at": v.first_at,
        "last_order_at": v.last_at,
        "rfm": f"{v.r}{v.f}{v.m}",
        "segment": v.segment,
    }


class CustomersQuery(Schema):
    source: int | None = None
    segment: str = ""
    page: PageNumber = 1
    per_page: int = 50


@customers_router.get(
    "",
    response={200: CustomerPage, 404: ErrorOut, 422: InvalidOut},
    summary="Customers by lifetime value, with RFM segments",
)
def list_customers(request: HttpRequest, q: Query[CustomersQuery]) -> Any:
    # Ranked through the customer standings' (store, net) index as of each store's snapshot, a page at a time.
    stores = list(stores_of(request, q.source))
    for store in stores:
        current(store)
    standings = ranked_standings(stores, q.segment)
    per_page = min(max(q.per_page, 1), 500)
    page = max(q.page, 1)
    rows = [standing_value(r) for r in standings.values()[(page - 1) * per_page : page * per_page]]
    results = [_customer_out(v) for v in with_people(rows)]
    return {"count": standings.count(), "page": page, "per_page": per_page, "results": results}


@customers_router.get(
    "/{customer_id}",
    response={200: CustomerOut, 404: ErrorOut, 422: InvalidOut},
    summary="One customer",
)
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    # The customer's own rollups, scored against their store's snapshot: indexed reads, whatever the store's size.
    from storelens.commerce.models import Customer

    customer = get_workspace_object_or_404(request, Customer.objects.select_related("store"), pk=customer_id)
    value = customer_value(customer)
    if value is not None:
        return _customer_out(with_people([value])[0])
    return {
        "id": customer.pk,
        "source_id": customer.store_id,
        "name": f"{customer.first_name} {customer.last_name}".strip() or customer.email,
        "email": customer.email,
        "orders": 0,
        "lifetime_net": decimal_string(0, customer.store.currency or "USD"),
        "currency": customer.store.currency or "USD",
        "first_order_at": None,
        "last_order_at": None,
        "rfm": "",
        "segment": "",
    }
