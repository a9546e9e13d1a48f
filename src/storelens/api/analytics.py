"""JSON API for metrics, orders, customers and products (issue 6), under /api/v1/ with Bearer tokens.

Every route reads the caller's workspace through `accounts.scoping`; a store id from another workspace answers 404
exactly like one that does not exist. Money is a decimal string with the currency's decimals, never a float.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import BeforeValidator

from storelens.accounts.scoping import get_workspace_object_or_404, scoped
from storelens.analytics import explore, queries
from storelens.analytics.fx import UnknownRate
from storelens.analytics.money import decimal_string
from storelens.analytics.report import ReportError, build
from storelens.analytics.reporting import combined_currency, ecb_currencies
from storelens.analytics.settings import report_settings

metrics_router = Router(tags=["metrics"])
orders_router = Router(tags=["orders"])
customers_router = Router(tags=["customers"])
products_router = Router(tags=["products"])

Basis = Literal["created", "paid", "completed"]


def _iso_day(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic would also read `0` as 1970-01-01, which no caller means."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("write the day as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
# The currencies the ECB publishes (plus EUR): the only ones a combined view can convert into.
Currency = StrEnum("Currency", {code: code for code in ecb_currencies()})  # type: ignore[misc]


class RangeQuery(Schema):
    source: int | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    currency: Currency | None = None  # type: ignore[valid-type]
    date_basis: Basis | None = None
    exclude_statuses: str | None = None


class SummaryOut(Schema):
    orders: int
    net_sales: str
    total_sales: str
    gross_sales: str
    coupons: str
    refunds: str
    taxes: str
    shipping: str
    aov: str
    items_sold: int
    new_customers: int
    returning_customers: int
    currency: str
    date_from: str
    date_to: str
    timezone: str


class PointOut(Schema):
    period: date
    orders: int
    net_sales: str
    total_sales: str
    gross_sales: str
    coupons: str
    refunds: str
    taxes: str
    shipping: str
    items_sold: int


class SeriesOut(Schema):
    currency: str
    grain: str
    points: list[PointOut]


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """422: a parameter does not fit the schema (ninja's validation errors, one per problem)."""

    detail: list[dict[str, Any]]


def _sources(request: HttpRequest, source_id: int | None) -> list[Any]:
    from storelens.sources.models import Source

    qs = scoped(request, Source).order_by("pk")
    if source_id is not None:
        qs = qs.filter(pk=source_id)
        if not qs.exists():
            raise Http404("No such store in this workspace.")
    return list(qs)


def _range(q: RangeQuery, sources: list[Any]) -> tuple[date, date]:
    from django.utils import timezone

    from storelens.analytics.timezones import local_day

    today = local_day(timezone.now(), report_settings(sources[0]).tz) if sources else timezone.now().date()
    last = q.date_to or today
    first = q.date_from or last.replace(day=1)
    return (first, last) if first <= last else (last, first)


def _excluded(q: RangeQuery) -> list[str] | None:
    if q.exclude_statuses is None:
        return None
    return [s.strip() for s in q.exclude_statuses.split(",") if s.strip()]


def _report(request: HttpRequest, q: RangeQuery, customers: bool = True) -> Any:
    sources = _sources(request, q.source)
    first, last = _range(q, sources)
    currency = q.currency.value if q.currency else None
    if q.source is None:  # every store: the workspace's reporting currency, as the pages do
        currency = combined_currency(getattr(request, "workspace", None), sources, currency)
    try:
        return build(sources, first, last, currency, q.date_basis, _excluded(q), with_customers=customers)
    except (ReportError, UnknownRate) as exc:
        raise HttpError(409, str(exc)) from None


@metrics_router.get(
    "/summary",
    response={200: SummaryOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut},
    summary="Totals for a range of store-local days (the keys of `storelens report`)",
)
def summary(request: HttpRequest, q: Query[RangeQuery]) -> Any:
    """Without `source`: every store of the workspace, converted at each day's ECB rate into `currency` (default: the
    workspace's reporting currency from Settings, else the first store's currency when they differ). Defaults: this
    month to date, each store's date basis and excluded statuses. 409 when an amount's currency has no ECB rate: it
    is never guessed."""
    data = _report(request, q).as_json()
    data["date_from"], data["date_to"] = data.pop("from"), data.pop("to")
    return data


class SeriesQuery(RangeQuery):
    grain: Literal["day", "week", "month"] = "day"


@metrics_router.get(
    "/series",
    response={200: SeriesOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut},
    summary="Totals per day, week (from Monday) or month, gap-free",
)
def series(request: HttpRequest, q: Query[SeriesQuery]) -> Any:
    report = _report(request, q, customers=False)
    c = report.currency
    points = [
        PointOut(
            period=d,
            orders=t.orders,
            net_sales=decimal_string(t.net_sales, c),
            total_sales=decimal_string(t.total_sales, c),
            gross_sales=decimal_string(t.gross_sales, c),
            coupons=decimal_string(t.coupons, c),
            refunds=decimal_string(t.refunds, c),
            taxes=decimal_string(t.taxes, c),
            shipping=decimal_string(t.shipping, c),
            items_sold=t.items_sold,
        )
        for d, t in queries.series(report.daily, report.first, report.last, q.grain)
    ]
    return SeriesOut(currency=c, grain=q.grain, points=points)


# --- orders ------------------------------------------------------------------------------------------------------


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
    page: int
    per_page: int
    results: list[OrderOut]


def _order_out(o: Any) -> dict[str, Any]:
    c = o.currency
    return {
        "id": o.pk,
        "source_id": o.source_id,
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
    page: int = 1
    per_page: int = 50


@orders_router.get(
    "", response={200: OrderPage, 404: ErrorOut, 422: InvalidOut}, summary="Orders created in a range, any status"
)
def list_orders(request: HttpRequest, q: Query[OrdersQuery]) -> Any:
    sources = _sources(request, q.source)
    first, last = _range(RangeQuery(date_from=q.date_from, date_to=q.date_to), sources)
    statuses = [s for s in (q.status or "").split(",") if s]
    qs = explore.orders_list(sources, first, last, q.q, statuses, q.country, q.sort)
    per_page = min(max(q.per_page, 1), 500)
    page = max(q.page, 1)
    rows = list(qs[(page - 1) * per_page : page * per_page])
    return {"count": qs.count(), "page": page, "per_page": per_page, "results": [_order_out(o) for o in rows]}


@orders_router.get("/{order_id}", response={200: OrderDetailOut, 404: ErrorOut, 422: InvalidOut}, summary="One order")
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


# --- customers ---------------------------------------------------------------------------------------------------


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


def _customer_out(v: explore.CustomerValue) -> dict[str, Any]:
    return {
        "id": v.customer_id,
        "source_id": v.source_id,
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
    page: int = 1
    per_page: int = 50


@customers_router.get(
    "",
    response={200: CustomerPage, 404: ErrorOut, 422: InvalidOut},
    summary="Customers by lifetime value, with RFM segments",
)
def list_customers(request: HttpRequest, q: Query[CustomersQuery]) -> Any:
    values: list[explore.CustomerValue] = []
    for source in _sources(request, q.source):
        values.extend(explore.rfm(explore.customer_values(source, report_settings(source))))
    values.sort(key=lambda v: (-v.net_minor, v.customer_id))
    if q.segment:
        values = [v for v in values if v.segment == q.segment]
    per_page = min(max(q.per_page, 1), 500)
    page = max(q.page, 1)
    chunk = explore.with_people(values[(page - 1) * per_page : page * per_page])
    return {"count": len(values), "page": page, "per_page": per_page, "results": [_customer_out(v) for v in chunk]}


@customers_router.get(
    "/{customer_id}", response={200: CustomerOut, 404: ErrorOut, 422: InvalidOut}, summary="One customer"
)
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    from storelens.commerce.models import Customer

    customer = get_workspace_object_or_404(request, Customer.objects.select_related("source"), pk=customer_id)
    values = explore.rfm(explore.customer_values(customer.source, report_settings(customer.source)))
    for v in values:
        if v.customer_id == customer.pk:
            return _customer_out(explore.with_people([v])[0])
    return {
        "id": customer.pk,
        "source_id": customer.source_id,
        "name": f"{customer.first_name} {customer.last_name}".strip() or customer.email,
        "email": customer.email,
        "orders": 0,
        "lifetime_net": decimal_string(0, customer.source.currency or "USD"),
        "currency": customer.source.currency or "USD",
        "first_order_at": None,
        "last_order_at": None,
        "rfm": "",
        "segment": "",
    }


# --- products ----------------------------------------------------------------------------------------------------


class ProductOut(Schema):
    source_id: int
    product_wc_id: int
    variation_wc_id: int
    name: str
    sku: str
    units: int
    net_sales: str
    refunded_units: int
    refunds: str
    orders: int
    currency: str


class ProductsQuery(RangeQuery):
    by: Literal["product", "variation"] = "product"


@products_router.get(
    "",
    response={200: list[ProductOut], 404: ErrorOut, 422: InvalidOut},
    summary="Products (or variations) by net sales in a range",
)
def list_products(request: HttpRequest, q: Query[ProductsQuery]) -> Any:
    sources = _sources(request, q.source)
    first, last = _range(q, sources)
    out = []
    for source in sources:
        settings = report_settings(source, q.date_basis, _excluded(q))
        for p in explore.product_leaderboard(source, settings, first, last, q.by == "variation"):
            out.append(
                {
                    "source_id": source.pk,
                    "product_wc_id": p.product_wc_id,
                    "variation_wc_id": p.variation_wc_id,
                    "name": p.name,
                    "sku": p.sku,
                    "units": p.units,
                    "net_sales": decimal_string(p.net_minor, p.currency),
                    "refunded_units": p.refunded_units,
                    "refunds": decimal_string(p.refunds_minor, p.currency),
                    "orders": p.orders,
                    "currency": p.currency,
                }
            )
    return out
