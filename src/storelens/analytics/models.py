"""Models of storelens.analytics: daily rollups that answer every page, and the ECB exchange-rate history.

A rollup cell is (source, date basis, store-local day, currency, order status). The status stays in the key so the
owner's excluded statuses are a WHERE clause, not a rebuild; the three bases are all kept so switching basis is
instant. Cells hold exactly the `definitions.Totals` of the orders and refunds that fall in them.
"""

from __future__ import annotations

from django.db import models

from storelens.analytics.definitions import Totals


class RollupCell(models.Model):
    """What every daily cell holds: the `Totals` of one (source, basis, local day, currency, order status), under the
    column names `TOTALS_COLUMNS` gives. Concrete cells add their own dimensions (e.g. the billing country)."""

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=10)
    day = models.DateField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=40)
    orders = models.BigIntegerField(default=0)
    total_sales_minor = models.BigIntegerField(default=0)
    net_sales_minor = models.BigIntegerField(default=0)
    gross_sales_minor = models.BigIntegerField(default=0)
    coupons_minor = models.BigIntegerField(default=0)
    taxes_minor = models.BigIntegerField(default=0)
    shipping_minor = models.BigIntegerField(default=0)
    fees_minor = models.BigIntegerField(default=0)
    refunds_minor = models.BigIntegerField(default=0)
    items_sold = models.BigIntegerField(default=0)

    workspace_lookup = "store__workspace"

    class Meta:
        abstract = True

    def totals(self) -> Totals:
        return Totals(**{name: getattr(self, column) for name, column in TOTALS_COLUMNS.items()})


class DailyRollup(RollupCell):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "basis", "day", "currency", "status"], name="rollup_cell_unique")
        ]
        indexes = [models.Index(fields=["store", "basis", "day"], name="rollup_store_basis_day")]


class CountryDailyRollup(RollupCell):
    """A `DailyRollup` cell split by the order's billing country: what the Sales page's country filter reads.

    A separate table rather than a country column on `DailyRollup`, so the pages without a country filter keep
    summing the small cells. A refund falls in its order's country (like its currency and status).
    Kept by `rollups.on_changes` (with the daily cells, from the same moves) in the sync's page transaction;
    rebuilt with the daily cells.
    """

    country = models.CharField(max_length=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "basis", "country", "day", "currency", "status"], name="country_rollup_cell_unique"
            )
        ]


TOTALS_COLUMNS: dict[str, str] = {
    name: (name if name in ("orders", "items_sold") else f"{name}_minor") for name in Totals.names()
}
"""`Totals` field → DailyRollup column (money columns end in `_minor`, as everywhere in the database)."""


class ExchangeRate(models.Model):
    """ECB reference rate: 1 EUR = `per_eur` units of `currency` on `day` (a TARGET business day)."""

    currency = models.CharField(max_length=3)
    day = models.DateField()
    per_eur = models.DecimalField(max_digits=20, decimal_places=8)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["currency", "day"], name="fx_currency_day_unique")]


class MonthlyGoal(models.Model):
    """The owner's monthly net-sales target for the home page, in the currency the home page shows."""

    workspace = models.OneToOneField("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()


class WorkspaceReporting(models.Model):
    """The currency a workspace's combined view (every store added up) is shown in, converted at ECB rates.

    Analytics-owned and one-to-one (like `MonthlyGoal`) rather than a field on `accounts.Workspace`: only the
    analytics pages, API and CLI read it, and a workspace without a row simply has no preference.
    """

    workspace = models.OneToOneField("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)


class CustomerRollup(models.Model):
    """One customer's lifetime figures per (date basis, order status, currency): what the Customers page, a profile
    and the API's customers need (LTV, orders, first and last counted order) without grouping every order.

    The status stays in the key for the same reason as in `DailyRollup`: excluded statuses are a WHERE clause.
    Kept by `customer_rollups.on_changes`, which recomputes the customers a page touched from their own rows (a
    first/last date cannot be kept by adding deltas, and a guest merged into a registered identity moves orders
    without a change of their own).
    """

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("commerce.Customer", on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=10)
    status = models.CharField(max_length=40)
    currency = models.CharField(max_length=3)
    orders = models.BigIntegerField(default=0)
    net_minor = models.BigIntegerField(default=0)  # Σ order net − Σ net of those orders' refunds
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    workspace_lookup = "store__workspace"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "basis", "status", "currency"], name="customer_rollup_cell_unique"
            )
        ]
        indexes = [models.Index(fields=["store", "basis"], name="customer_rollup_store_basis")]


from storelens.analytics.customer_models import CustomerSnapshot, CustomerStanding  # noqa: E402, F401  (registers them)
from storelens.analytics.product_models import ProductDailyRollup  # noqa: E402, F401  (registers it with the app)
