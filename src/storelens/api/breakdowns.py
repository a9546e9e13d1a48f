"""The /breakdowns route: a range's orders, net sales and discounts by coupon, payment method, shipping method or
billing country (the Breakdowns page)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from storelens.analytics.reports.breakdowns import breakdown
from storelens.analytics.reports.currency import combined_currency
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.summary import ReportError
from storelens.api.range_query import ErrorOut, InvalidOut, RangeQuery, date_range, excluded_statuses, stores_of
from storelens.commerce.money import decimal_string

breakdowns_router = Router(tags=["metrics"])


class BreakdownQuery(RangeQuery):
    dimension: Literal["coupon", "payment", "shipping", "country"] = "coupon"


class BreakdownRowOut(Schema):
    value: str  # coupon code, payment method, shipping method or ISO country code; "" = none
    label: str  # how the page shows it (a country's name, "No shipping" …)
    orders: int
    net_sales: str  # decimal string in `currency`: the orders' net sales less their refunds in the range
    discount: str  # coupons given (a coupon's row: that coupon's own discount)


class BreakdownOut(Schema):
    dimension: str
    currency: str
    date_from: str
    date_to: str
    rows: list[BreakdownRowOut]


@breakdowns_router.get(
    "",
    response={200: BreakdownOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut},
    summary="Orders, net sales and discounts by coupon, payment method, shipping method or country",
)
def get_breakdown(request: HttpRequest, q: Query[BreakdownQuery]) -> Any:
    """One row per value that has figures in the range, largest net sales first. An order with two shipping methods
    (or coupons) is in both rows; payment methods and countries add up to `/metrics/summary`. Currency and defaults
    as `/metrics/summary`."""
    stores = stores_of(request, q.source)
    first, last = date_range(q, stores)
    currency = q.currency.value if q.currency else None
    if q.source is None:
        currency = combined_currency(getattr(request, "workspace", None), stores, currency)
    try:
        b = breakdown(stores, first, last, q.dimension, currency, q.date_basis, excluded_statuses(q))
    except (ReportError, UnknownRate) as exc:
        raise HttpError(409, str(exc)) from None
    rows = [
        BreakdownRowOut(
            value=r.value,
            label=r.label,
            orders=r.orders,
            net_sales=decimal_string(r.net_sales, b.currency),
            discount=decimal_string(r.discount, b.currency),
        )
        for r in b.rows
    ]
    return BreakdownOut(
        dimension=q.dimension, currency=b.currency, date_from=first.isoformat(), date_to=last.isoformat(), rows=rows
    )
