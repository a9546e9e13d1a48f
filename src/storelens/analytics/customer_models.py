"""Customers' whole-history figures precomputed per store (see `customer_snapshot`): the page's summary and each
customer's standing. A module of its own, imported by `analytics.models` so the app registers it."""

from __future__ import annotations

from django.db import models


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
