"""The /metrics routes: a range's summary and its series."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from storelens.analytics.metrics import periods
from storelens.analytics.reports.date_range import points_problem
from storelens.api.range_query import (
    ErrorOut,
    InvalidOut,
    RangeQuery,
    report_for,
)
from storelens.commerce.money import decimal_string

metrics_router = Router(tags=["metrics"])


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
    data = report_for(request, q).as_json()
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
    """At most 1,100 points: a longer series answers 422 naming the grain that fits. A range longer than 1,100 days
    is read over the days the stores have orders on (the same totals); the answer's points say which."""
    report = report_for(request, q, customers=False)
    problem = points_problem(report.first, report.last, q.grain)
    if problem:  # the client asked for this grain: say what fits rather than answer another one
        return Status(422, {"detail": [{"loc": ["query", "grain"], "msg": problem, "type": "too_many_points"}]})
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
        for d, t in periods.series(report.daily, report.first, report.last, q.grain)
    ]
    return SeriesOut(currency=c, grain=q.grain, points=points)
