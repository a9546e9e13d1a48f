"""The /heatmap route: orders or net sales per weekday × store-local hour for a range (the Sales heatmap)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from storelens.analytics.reports.currency import combined_currency
from storelens.analytics.reports.fx import UnknownRate
from storelens.analytics.reports.heatmap import heatmap
from storelens.analytics.reports.summary import ReportError
from storelens.api.range_query import ErrorOut, InvalidOut, RangeQuery, date_range, excluded_statuses, stores_of
from storelens.commerce.money import decimal_string

heatmap_router = Router(tags=["metrics"])


class HeatmapQuery(RangeQuery):
    metric: Literal["orders", "net_sales"] = "orders"


class HourOut(Schema):
    weekday: int  # ISO: 1 Monday … 7 Sunday
    hour: int  # store-local, 0–23
    value: str  # an order count, or net sales as a decimal string in `currency`


class HeatmapOut(Schema):
    metric: str
    currency: str
    date_from: str
    date_to: str
    cells: list[HourOut]


@heatmap_router.get(
    "",
    response={200: HeatmapOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut},
    summary="Orders or net sales per weekday and hour of the day, in each store's own time zone",
)
def get_heatmap(request: HttpRequest, q: Query[HeatmapQuery]) -> Any:
    """168 cells (7 weekdays × 24 hours), every one present. Several stores add up by their own local clocks (9 am in
    one store's zone with 9 am in another's). Currency and defaults as `/metrics/summary`."""
    stores = stores_of(request, q.source)
    first, last = date_range(q, stores)
    currency = q.currency.value if q.currency else None
    if q.source is None:
        currency = combined_currency(getattr(request, "workspace", None), stores, currency)
    try:
        h = heatmap(stores, first, last, q.metric, currency, q.date_basis, excluded_statuses(q))
    except (ReportError, UnknownRate) as exc:
        raise HttpError(409, str(exc)) from None
    cells = [
        HourOut(
            weekday=d + 1,
            hour=hour,
            value=str(v) if q.metric == "orders" else decimal_string(v, h.currency),
        )
        for d, row in enumerate(h.values)
        for hour, v in enumerate(row)
    ]
    return HeatmapOut(
        metric=q.metric, currency=h.currency, date_from=first.isoformat(), date_to=last.isoformat(), cells=cells
    )
