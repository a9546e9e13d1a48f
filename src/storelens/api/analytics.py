"""JSON API for metrics, orders, customers and products (issue 6), under /api/v1/ with Bearer tokens.

Every route reads the caller's workspace through `accounts.scoping`; a store id from another workspace answers 404
exactly like one that does not exist. Money is a decimal string with the currency's decimals, never a float.

Each resource's router lives in its own module; this one gathers them so `routers.ROUTERS` keeps its dotted paths.
Routes pin `operation_id` to the `storelens_api_analytics_*` ids ninja derived when they lived here, so the OpenAPI
schema (and clients generated from it) stay the same.
"""

from storelens.api.customers import (
    CustomerOut,
    CustomerPage,
    CustomersQuery,
    customers_router,
    get_customer,
    list_customers,
)
from storelens.api.metrics import PointOut, SeriesOut, SeriesQuery, SummaryOut, metrics_router, series, summary
from storelens.api.orders import (
    LineOut,
    OrderDetailOut,
    OrderOut,
    OrderPage,
    OrdersQuery,
    RefundOut,
    get_order,
    list_orders,
    orders_router,
)
from storelens.api.products import ProductOut, ProductsQuery, list_products, products_router
from storelens.api.range_query import Basis, Currency, Day, ErrorOut, InvalidOut, RangeQuery

__all__ = [
    "Basis",
    "Currency",
    "CustomerOut",
    "CustomerPage",
    "CustomersQuery",
    "Day",
    "ErrorOut",
    "InvalidOut",
    "LineOut",
    "OrderDetailOut",
    "OrderOut",
    "OrderPage",
    "OrdersQuery",
    "PointOut",
    "ProductOut",
    "ProductsQuery",
    "RangeQuery",
    "RefundOut",
    "SeriesOut",
    "SeriesQuery",
    "SummaryOut",
    "customers_router",
    "get_customer",
    "get_order",
    "list_customers",
    "list_orders",
    "list_products",
    "metrics_router",
    "orders_router",
    "products_router",
    "series",
    "summary",
]
