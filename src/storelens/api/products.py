"""The /products routes: the products leaderboard, and one product's page (series, buyers, bought together), whole
or one part at a time (`/buyers` and `/bought-together` list up to 10,000 rows, as the page's CSV exports do)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from storelens.analytics.metrics.report_settings import report_settings
from storelens.analytics.reports.date_range import points_problem
from storelens.analytics.reports.product_buyers import (
    Buyer,
    Together,
    bought_together,
    product_buyers,
    product_lists,
)
from storelens.analytics.reports.product_page import BIGGEST_ID, ProductSeries, product_names, product_series
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


class ProductPointOut(Schema):
    period: str  # the first day of the day, week (Monday) or month
    units: int
    net_sales: str
    refunded_units: int
    refunds: str
    orders: int


class VariationSeriesOut(Schema):
    variation_wc_id: int
    name: str
    points: list[ProductPointOut]


class BuyerOut(Schema):
    customer_id: int | None  # Storelens's customer id (`/customers/{id}`); null: orders without a customer identity
    name: str
    orders: int
    units: int
    net_sales: str


class TogetherOut(Schema):
    product_wc_id: int
    name: str
    orders: int
    share: float  # of this product's orders in the range


class ProductDetailOut(Schema):
    source_id: int
    product_wc_id: int
    name: str
    sku: str
    currency: str
    date_from: str
    date_to: str
    grain: str
    points: list[ProductPointOut]
    variations: list[VariationSeriesOut]
    buyers: list[BuyerOut]
    buyer_count: int
    product_orders: int
    bought_together: list[TogetherOut]


class ProductDetailQuery(RangeQuery):
    grain: Literal["day", "week", "month"] = "day"


class ProductPartQuery(RangeQuery):
    limit: int = Field(50, ge=1, le=10_000)


class ProductBuyersOut(Schema):
    source_id: int
    product_wc_id: int
    date_from: str
    date_to: str
    buyer_count: int
    buyers: list[BuyerOut]


class ProductTogetherOut(Schema):
    source_id: int
    product_wc_id: int
    date_from: str
    date_to: str
    product_orders: int
    bought_together: list[TogetherOut]


def _product_scope(request: HttpRequest, source_id: int, product_id: int, q: RangeQuery) -> tuple:
    """(store, first, last, settings) for one product's routes; 404 for ids no 64-bit column holds or another
    workspace's store."""
    if max(abs(source_id), abs(product_id)) > BIGGEST_ID:
        raise HttpError(404, "No such product in this workspace.")
    store = stores_of(request, source_id)[0]
    first, last = date_range(q, [store])
    return store, first, last, report_settings(store, q.date_basis, excluded_statuses(q))


def _buyer_out(b: Buyer) -> BuyerOut:
    return BuyerOut(
        customer_id=b.customer_id,
        name=b.name,
        orders=b.orders,
        units=b.units,
        net_sales=decimal_string(b.net_minor, b.currency),
    )


def _together_out(t: Together) -> TogetherOut:
    return TogetherOut(product_wc_id=t.product_wc_id, name=t.name, orders=t.orders, share=round(t.share, 4))


def _points(series: ProductSeries, currency: str, first: date, last: date, grain: str, variation: int | None) -> list:
    return [
        ProductPointOut(
            period=start.isoformat(),
            units=f[0],
            net_sales=decimal_string(f[1], currency),
            refunded_units=f[2],
            refunds=decimal_string(f[3], currency),
            orders=f[4],
        )
        for start, f in series.points(currency, first, last, grain, variation)
    ]


@products_router.get(
    "/{source_id}/{product_id}",
    response={200: ProductDetailOut, 404: ErrorOut, 422: InvalidOut},
    summary="One product: its series (and its variations'), its buyers and the products bought with it",
)
def get_product(request: HttpRequest, source_id: int, product_id: int, q: Query[ProductDetailQuery]) -> Any:
    """The product page's figures for `product_id` (WooCommerce's product id) in store `source_id`, in the currency
    most of its sales are in. Points as `/products` figures them; buyers the top 50 by net, bought-together the top 20
    by orders with both."""
    store, first, last, settings = _product_scope(request, source_id, product_id, q)
    problem = points_problem(first, last, q.grain)
    if problem:
        raise HttpError(422, problem)
    series = product_series(store, settings, product_id, first, last)
    currency = (series.currencies() or [(store.currency or "USD").upper()])[0]
    variations = series.variations(currency)
    names = product_names(store, product_id, variations)
    lists = product_lists(store, settings, product_id, first, last)
    return ProductDetailOut(
        source_id=store.pk,
        product_wc_id=product_id,
        name=names[0][0],
        sku=names[0][1],
        currency=currency,
        date_from=first.isoformat(),
        date_to=last.isoformat(),
        grain=q.grain,
        points=_points(series, currency, first, last, q.grain, None),
        variations=[
            VariationSeriesOut(
                variation_wc_id=v, name=names[v][0], points=_points(series, currency, first, last, q.grain, v)
            )
            for v in variations
        ],
        buyers=[_buyer_out(b) for b in lists.buyers],
        buyer_count=lists.buyer_count,
        product_orders=lists.product_orders,
        bought_together=[_together_out(t) for t in lists.together],
    )


@products_router.get(
    "/{source_id}/{product_id}/buyers",
    response={200: ProductBuyersOut, 404: ErrorOut, 422: InvalidOut},
    summary="One product's buyers in a range, best first (the product page's Buyers list)",
)
def get_product_buyers(request: HttpRequest, source_id: int, product_id: int, q: Query[ProductPartQuery]) -> Any:
    """The customers with counted orders dated in the range holding the product: their orders, units and net of it
    less what those orders' refunds took back (whenever refunded); the top `limit` by net, and how many in all."""
    store, first, last, settings = _product_scope(request, source_id, product_id, q)
    buyers, count = product_buyers(store, settings, product_id, first, last, limit=q.limit)
    return ProductBuyersOut(
        source_id=store.pk,
        product_wc_id=product_id,
        date_from=first.isoformat(),
        date_to=last.isoformat(),
        buyer_count=count,
        buyers=[_buyer_out(b) for b in buyers],
    )


@products_router.get(
    "/{source_id}/{product_id}/bought-together",
    response={200: ProductTogetherOut, 404: ErrorOut, 422: InvalidOut},
    summary="Products bought in the same orders as one product in a range (the product page's list)",
)
def get_product_bought_together(
    request: HttpRequest, source_id: int, product_id: int, q: Query[ProductPartQuery]
) -> Any:
    """The other products in the product's counted orders dated in the range: in how many of them and what share of
    its `product_orders`; the top `limit` by orders with both."""
    store, first, last, settings = _product_scope(request, source_id, product_id, q)
    together, total = bought_together(store, settings, product_id, first, last, limit=q.limit)
    return ProductTogetherOut(
        source_id=store.pk,
        product_wc_id=product_id,
        date_from=first.isoformat(),
        date_to=last.isoformat(),
        product_orders=total,
        bought_together=[_together_out(t) for t in together],
    )
