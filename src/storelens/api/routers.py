"""Every API router, with the prefix it is mounted at under /api/v1/. Add yours here (one line, an import path)."""

ROUTERS: list[tuple[str, str]] = [
    ("/", "storelens.api.me.router"),
    ("/tokens", "storelens.api.tokens.router"),
    ("/metrics", "storelens.api.analytics.metrics_router"),
    ("/orders", "storelens.api.analytics.orders_router"),
    ("/customers", "storelens.api.analytics.customers_router"),
    ("/products", "storelens.api.analytics.products_router"),
]
