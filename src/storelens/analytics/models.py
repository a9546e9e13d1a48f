"""Models of storelens.analytics: the rollups that answer every page (daily, per country, per customer, per
product), the customer snapshots, the ECB exchange-rate history and the workspace's reporting choices.

A rollup cell is (store, date basis, store-local day, currency, order status). The status stays in the key so the
owner's excluded statuses are a WHERE clause, not a rebuild; the three bases are all kept so switching basis is
instant. Cells hold exactly the `metrics.types.Totals` of the orders and refunds that fall in them.
"""

from __future__ import annotations

from django.db import models

from storelens.analytics.metrics.types import Totals


class RollupCell(models.Model):
    """What every daily cell holds: the `Totals` of one (source, basis, local day, currency, order status), under the
    column names `TOTALS_COLUMNS` gives. Concrete cells add their own dimensions (e.g. the billing country)."""

    # No index of its own: the unique key leads with it (analytics 0009).
    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+", db_index=False)
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


class CountryDailyRollup(RollupCell):
    """A `DailyRollup` cell split by the order's billing country: what the Sales page's country filter reads.

    A separate table rather than a country column on `DailyRollup`, so the pages without a country filter keep
    summing the small cells. A refund falls in its order's country (like its currency and status).
    Kept by `rollups.daily.on_changes` (with the daily cells, from the same moves) in the sync's page transaction;
    rebuilt with the daily cells.
    """

    country = models.CharField(max_length=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "basis", "country", "day", "currency", "status"], name="country_rollup_cell_unique"
            )
        ]


class HourlyRollup(models.Model):
    """Orders and net sales per (store, date basis, store-local day, local hour, currency, order status): what the
    Sales heatmap (weekday × hour of day) reads for any range.

    Slimmer than a `RollupCell` (two figures, not ten): an hour splits a day's cell up to 24 ways, and the heatmap
    shows only orders or net sales. The weekday is the day's, so any range is a WHERE on `day`. A refund falls in
    the hour it was made (as it falls on its own day in `DailyRollup`), so the hours of a range add up to the range's
    daily net sales exactly. Kept by `rollups.daily.on_changes` with the daily cells; rebuilt with them.
    """

    # No index of its own: the unique key leads with it (analytics 0009).
    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+", db_index=False)
    basis = models.CharField(max_length=10)
    day = models.DateField()
    hour = models.PositiveSmallIntegerField()
    # The day's weekday (0 Monday … 6 Sunday), kept so a range groups by (weekday, hour) in plain SQL: extracting it
    # from the date is a Python function per row on SQLite.
    weekday = models.PositiveSmallIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=40)
    orders = models.BigIntegerField(default=0)
    net_sales_minor = models.BigIntegerField(default=0)

    workspace_lookup = "store__workspace"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "basis", "day", "hour", "weekday", "currency", "status"],
                name="hourly_rollup_cell_unique",
            )
        ]


class BreakdownDailyRollup(models.Model):
    """Orders, net sales and discounts per (store, date basis, dimension, value, local day, currency, order status):
    what the Breakdowns page reads for coupons, payment methods and shipping methods (countries read
    `CountryDailyRollup`).

    One slim table for the three dimensions: an order adds to its payment method, to each of its shipping methods
    ("" when it has none) and to each coupon it used (with that coupon's own discount; other dimensions get the
    order's whole discount). Its refunds take net sales off the same values on the refund's day, as everywhere.
    Kept by `rollups.daily.on_changes` with the daily cells, from the same moves; rebuilt with them.
    """

    # No index of its own: the unique key leads with it (analytics 0009).
    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+", db_index=False)
    basis = models.CharField(max_length=10)
    dimension = models.CharField(max_length=10)  # "payment", "shipping" or "coupon"
    value = models.CharField(max_length=200)
    day = models.DateField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=40)
    orders = models.BigIntegerField(default=0)
    net_sales_minor = models.BigIntegerField(default=0)
    discount_minor = models.BigIntegerField(default=0)

    workspace_lookup = "store__workspace"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "basis", "dimension", "day", "currency", "status", "value"],
                name="breakdown_rollup_cell_unique",
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


class ComparisonChoice(models.Model):
    """What a user compares ranges with in a workspace ("previous" period or "last_year"), remembered so every
    range-based page keeps the choice; no row means the previous period. Per user: an analyst may read year over year
    while the owner watches the last 30 days."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    compare = models.CharField(max_length=10, default="previous")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "workspace"], name="comparison_choice_unique")]


class CustomerRollup(models.Model):
    """One customer's lifetime figures per (date basis, order status, currency): what the Customers page, a profile
    and the API's customers need (LTV, orders, first and last counted order) without grouping every order.

    The status stays in the key for the same reason as in `DailyRollup`: excluded statuses are a WHERE clause.
    Kept by `rollups.customers.on_changes`, which recomputes the customers a page touched from their own rows (a
    first/last date cannot be kept by adding deltas, and a guest merged into a registered identity moves orders
    without a change of their own).
    """

    # No index of its own: the (store, basis) index leads with it (analytics 0009).
    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+", db_index=False)
    # No index of its own: the unique key leads with it (analytics 0009).
    customer = models.ForeignKey("commerce.Customer", on_delete=models.CASCADE, related_name="+", db_index=False)
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


class CustomerSnapshot(models.Model):
    """A store's whole-history customer figures (what the Customers page shows above the fold), computed once after
    a sync pass instead of on every request: grouping every customer and ranking them for RFM took seconds at a
    million orders.

    Computed for the store's own settings (`settings_key`: date basis and excluded statuses); `stale` is set by
    the customer-rollup listener when a customer's figures move and cleared by the next refresh, so a page can say
    its whole-history figures are as of `computed_at`. `bounds` holds the RFM quintile boundaries (the lowest
    value reaching each score 2–5), so one customer's scores can be found without ranking everyone again.
    """

    store = models.OneToOneField("stores.Store", on_delete=models.CASCADE, related_name="+")
    settings_key = models.CharField(max_length=400)
    computed_at = models.DateTimeField()
    stale = models.BooleanField(default=False)
    customers = models.BigIntegerField(default=0)
    net_total_minor = models.BigIntegerField(default=0)
    ltv_median_minor = models.BigIntegerField(default=0)
    top20_net_minor = models.BigIntegerField(default=0)  # Σ lifetime net of the top 20 % customers
    currencies = models.JSONField(default=list)
    segments = models.JSONField(default=dict)  # segment name → customers
    bounds = models.JSONField(default=dict)  # "r"/"f"/"m" → [b2, b3, b4, b5] (None: no customer reaches it)

    workspace_lookup = "store__workspace"


class CustomerStanding(models.Model):
    """One customer's whole-history figures and RFM scores as of their store's `CustomerSnapshot`: the ranked list
    (page, API, CSV) reads it through the (source, net) index, and a range's new and returning customers are counted
    through (source, first_at) and (source, last_at) instead of grouping every customer per request."""

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    customer = models.OneToOneField("commerce.Customer", on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    orders = models.BigIntegerField()
    net_minor = models.BigIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    r = models.SmallIntegerField()
    f = models.SmallIntegerField()
    m = models.SmallIntegerField()
    segment = models.CharField(max_length=40)

    workspace_lookup = "store__workspace"

    class Meta:
        indexes = [
            models.Index(fields=["store", "-net_minor", "customer"], name="customer_standing_rank"),
            models.Index(fields=["store", "segment", "-net_minor", "customer"], name="customer_standing_segment"),
            models.Index(fields=["store", "first_at"], name="customer_standing_first"),
            models.Index(fields=["store", "last_at"], name="customer_standing_last"),
        ]


class ProductDailyRollup(models.Model):
    """The per-product daily rollup behind the Products page, its CSV export and `/api/v1/products`.

    One cell per (store, date basis, block of store-local days, currency, order status, product, variation), holding
    exactly the `metrics.products.ProductTotals` of the order lines and refund lines that fall in it; every day is
    kept on its own (span 0) and in the aligned blocks of 8, 64 and 256 days holding it (`metrics.day_blocks.SPANS`).
    As in `DailyRollup`, the status stays in the key so excluded statuses are a WHERE clause, and every basis is kept
    so switching basis is instant.
    """

    # No index of its own: the unique key leads with it (analytics 0009).
    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+", db_index=False)
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
        constraints = [
            models.UniqueConstraint(
                fields=["store", "basis", "span", "day", "currency", "status", "product_wc_id", "variation_wc_id"],
                name="product_rollup_block_unique",
            )
        ]


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


class CohortSnapshot(models.Model):
    """When a store's cohort cells were computed and with which settings (`settings_key`, as `CustomerSnapshot`):
    they are recomputed at the end of a sync pass that moved the customer snapshot, and on first ask when missing
    or counted with other settings. Whole history, so one row per store."""

    store = models.OneToOneField("stores.Store", on_delete=models.CASCADE, related_name="+")
    settings_key = models.CharField(max_length=400)
    computed_at = models.DateTimeField()
    customers = models.BigIntegerField(default=0)  # customers with a counted order: every cohort's size added up
    seconds = models.FloatField(default=0)  # how long computing and writing them took: what paces the next refresh
    deferred_until = models.DateTimeField(null=True, blank=True)  # a refresh is queued for then (`rollups.cohorts`)
    # The earliest order date (any basis) a change touched since the refresh began reading; None: none recorded.
    # Whole periods before it are still exact while the cells are stale (`rollups.cohorts.exact_before`).
    changed_from = models.DateTimeField(null=True, blank=True)

    workspace_lookup = "store__workspace"


class CohortCell(models.Model):
    """One cell of a store's cohort triangle: the customers whose first counted order falls in period `cohort`
    (grain week, month or quarter), in their `period`-th period after it: how many still ordered, their orders and
    net (order net less those orders' refunds, as the customers' LTV), per order currency.

    A customer is counted once per period, in the currency of their first order of that period, so customers add up
    over currencies. `country` is the first order's billing country; (`dimension`, `value`) narrows the cohort to
    the customers whose first order held a product ("product", its wc id), a coupon ("coupon", its code) or both
    ("both", "id|code"); ("", "") holds every customer. So any combination of the page's filters is one WHERE
    clause over a few hundred cells, whatever the order count. Written by `rollups.cohorts.refresh`.
    """

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=8)
    dimension = models.CharField(max_length=8)
    value = models.CharField(max_length=220)
    cohort = models.DateField()
    period = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    country = models.CharField(max_length=2)
    customers = models.BigIntegerField(default=0)
    orders = models.BigIntegerField(default=0)
    net_minor = models.BigIntegerField(default=0)

    workspace_lookup = "store__workspace"

    class Meta:
        indexes = [models.Index(fields=["store", "grain", "dimension", "value", "cohort"], name="cohort_cell_lookup")]


# The product page's buyers and bought-together rollups, and the Subscriptions page's MRR snapshot (analytics 0012),
# live in their own modules; Django finds them through here.
from storelens.analytics.mrr_models import MrrCell, MrrEvent, MrrSnapshot  # noqa: E402, F401
from storelens.analytics.product_order_models import ProductBuyerRollup, ProductPairRollup  # noqa: E402, F401
