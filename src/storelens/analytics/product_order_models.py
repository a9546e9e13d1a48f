"""The rollups behind the product page's buyers and bought-together lists (analytics migration 0008), kept in step
by `rollups.product_orders` and defined by `metrics.product_orders`. Imported by `analytics.models` (Django finds
them there); kept apart so each module stays small."""

from __future__ import annotations

from django.db import models


class ProductBuyerRollup(models.Model):
    """Per (store, basis, order's local day, currency, status, product, the order's customer key): the product's
    orders, units and net line totals of those orders less what their refunds took back of it.

    Day cells only (no wider blocks): a range's rows are about its buyers, which no block would merge. The customer
    is the key the order carried (`OrderState.customer_key`), not a foreign key: a guest identity merged into a
    registered one re-points its orders without a change of theirs, so the reader resolves a key that no longer
    names a customer to the registered customer with that e-mail, as the merge did (`reports.product_page`)."""

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    product_wc_id = models.BigIntegerField()
    basis = models.CharField(max_length=10)
    day = models.DateField()
    status = models.CharField(max_length=40)
    currency = models.CharField(max_length=3)
    customer_key = models.CharField(max_length=300)  # "" for an order without a customer identity
    orders = models.BigIntegerField(default=0)
    units = models.BigIntegerField(default=0)
    net_minor = models.BigIntegerField(default=0)

    workspace_lookup = "store__workspace"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "product_wc_id", "basis", "day", "status", "currency", "customer_key"],
                name="product_buyer_cell_unique",
            )
        ]
        # The page's read of a range (`reports.product_buyers.ranked_buyers`) takes every column of the range's
        # cells: with the figures in the index it is one index range scan, not one table row per cell (1M orders,
        # a product's 30 days: 9.7 → 1.4 ms to read the cells; a year's 20,000 buyers: 80 → 4 ms). It costs the
        # index's size again (about 75 bytes a cell on SQLite) and one more index entry per cell written.
        indexes = [
            models.Index(
                fields=[
                    "store", "product_wc_id", "basis", "day", "status", "currency", "customer_key", "orders", "units",
                    "net_minor",
                ],
                name="product_buyer_cell_cover",
            )
        ]  # fmt: skip


class ProductPairRollup(models.Model):
    """Per (store, basis, the order's local day, status, product, other product): the orders holding both in counted
    lines. Day cells only: aligned blocks (as `ProductDailyRollup`'s) would read a year in fewer rows but cost four
    upserts per pair on every sync page, and the import's writer is CPU-bound (issue 17)."""

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    product_wc_id = models.BigIntegerField()
    basis = models.CharField(max_length=10)
    day = models.DateField()
    status = models.CharField(max_length=40)
    other_wc_id = models.BigIntegerField()
    orders = models.BigIntegerField(default=0)

    workspace_lookup = "store__workspace"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "product_wc_id", "basis", "day", "status", "other_wc_id"],
                name="product_pair_cell_unique",
            )
        ]
