"""The per-product daily rollup behind the Products page, its CSV export and `/api/v1/products`.

One cell per (source, date basis, block of store-local days, currency, order status, product, variation), holding
exactly the `product_definitions.ProductTotals` of the order lines and refund lines that fall in it; every day is
kept on its own (span 0) and in the aligned blocks of 8, 64 and 256 days holding it (`day_blocks.SPANS`). As in
`DailyRollup`, the status stays in the key so excluded statuses are a WHERE clause, and every basis is kept so
switching basis is instant.
Imported by `analytics.models` so Django registers it with the app.
"""

from __future__ import annotations

from django.db import models


class ProductDailyRollup(models.Model):
    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=10)
    # The cell sums 2**span days from `day` (`day_blocks`): span 0 is the day itself; wider spans let a range be
    # read from a few blocks instead of a row per day.
    span = models.PositiveSmallIntegerField(default=0)
    day = models.DateField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=40)
    product_wc_id = models.BigIntegerField()
    variation_wc_id = models.BigIntegerField(default=0)
    net_sales_minor = models.BigIntegerField(default=0)
    gross_sales_minor = models.BigIntegerField(default=0)
    units = models.BigIntegerField(default=0)  # sold minus refunded, like WooCommerce's items_sold
    refunds_minor = models.BigIntegerField(default=0)
    refunded_units = models.BigIntegerField(default=0)
    orders = models.BigIntegerField(default=0)  # orders with this (product, variation)
    product_orders = models.BigIntegerField(default=0)  # orders with this product, once per order over its variations

    workspace_lookup = "store__workspace"

    class Meta:
        app_label = "analytics"
        constraints = [
            models.UniqueConstraint(
                fields=["store", "basis", "span", "day", "currency", "status", "product_wc_id", "variation_wc_id"],
                name="product_rollup_block_unique",
            )
        ]
        indexes = [models.Index(fields=["store", "basis", "span", "day"], name="product_rollup_basis_span")]


PRODUCT_COLUMNS: dict[str, str] = {
    "net_sales": "net_sales_minor",
    "gross_sales": "gross_sales_minor",
    "units": "units",
    "refunds": "refunds_minor",
    "refunded_units": "refunded_units",
    "orders": "orders",
    "product_orders": "product_orders",
}
"""`ProductTotals` field → ProductDailyRollup column."""
