"""The /products route: the products leaderboard."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.products import product_leaderboard
from storelens.api.range_query import (
    ErrorOut,
    InvalidOut,
    RangeQuery,
    date_range,
    excluded_statuses,
    stores_of,
)
from storelens.commerce.money import decimal_string

products_router = Router(tags=["products"])


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
    stores = stores_of(request, q.source)
    first, last = date_range(q, stores)
    out = []
    for store in stores:
        settings = report_settings(store, q.date_basis, excluded_statuses(q))
        for p in product_leaderboard(store, settings, first, last, q.by == "variation"):
            out.append(
                {
                    "source_id": store.pk,
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
