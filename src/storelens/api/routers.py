"""Every API router, with the prefix it is mounted at under /api/v1/. Add yours here (one line, an import path)."""

ROUTERS: list[tuple[str, str]] = [
    ("/", "storelens.api.me.router"),
    ("/tokens", "storelens.api.tokens.router"),
    ("/metrics", "storelens.api.metrics.metrics_router"),
    ("/orders", "storelens.api.orders.orders_router"),
    ("/customers", "storelens.api.customers.customers_router"),
    ("/products", "storelens.api.products.products_router"),
    ("/heatmap", "storelens.api.heatmap.heatmap_router"),
    ("/cohorts", "storelens.api.cohorts.cohorts_router"),
    ("/breakdowns", "storelens.api.breakdowns.breakdowns_router"),
    ("/explain", "storelens.api.explain.explain_router"),
    ("/subscriptions", "storelens.api.subscriptions.subscriptions_router"),
    ("/alerts", "storelens.api.alerts.alerts_router"),
]
