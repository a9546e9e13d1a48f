"""The Subscriptions page's snapshot (analytics migration 0012): a store's MRR movements per whole day, week and
month, and its subscription counts per day, computed by `rollups.subscription_mrr` from every subscription row and
read by `reports.mrr_cells`. Imported by `analytics.models` (Django finds them there); kept apart so each module stays
small."""

from __future__ import annotations

from django.db import models


class MrrSnapshot(models.Model):
    """When a store's MRR cells were computed, in which time zone (`tz_key`: the cells' periods are its local days),
    and what changed since. One row per store, marked before the rows are read so that a write during the read is
    noted on it (`rollups.subscription_mrr.refresh`).

    Why a snapshot and not cells moved by deltas: a movement compares each customer's MRR at both ends of a period,
    and one subscription's dates or amount moving changes its customer's movements in every period after, and
    whether the customer is new or reactivated. A refresh is one read of the subscription rows (4 s at 80k on the
    bench machine): cheaper than tracking that per write."""

    store = models.OneToOneField("stores.Store", on_delete=models.CASCADE, related_name="+")
    tz_key = models.CharField(max_length=100)
    computed_at = models.DateTimeField(null=True, blank=True)  # the cells' read began; None: none written, or a
    # refresh is reading (the page takes the raw path meanwhile)
    read_from = models.DateTimeField(null=True, blank=True)  # when the latest refresh began reading
    seconds = models.FloatField(default=0)  # how long computing and writing the cells took
    first_day = models.DateField(null=True, blank=True)  # day cells cover first_day..last_day; None: no instant
    last_day = models.DateField(null=True, blank=True)  # the day after the last instant: its state is final
    active = models.BigIntegerField(default=0)  # subscriptions active or pending-cancel, as `subscription_figures`
    mrr_minor = models.BigIntegerField(default=0)  # their monthly amounts, each rounded once
    # Counted subscriptions that stop before they start, as [start, stop] ISO instants: never running, but churned
    # in a range when they stop in or after its start and start before its end, which no day cell can say.
    inverted = models.JSONField(default=list)
    # A subscription write since the read began: `active` and `mrr_minor` are not used until the next refresh.
    changed = models.BooleanField(default=False)
    # The earliest start, cancel or end instant (old or new) such a write touched; a figure at an instant after it
    # is not read from the cells (`reports.mrr_cells.usable`).
    changed_from = models.DateTimeField(null=True, blank=True)

    workspace_lookup = "store__workspace"


class MrrCell(models.Model):
    """One whole period (grain day, week or month; `start` its first store-local day) of a store: the `MrrPeriod`
    figures `metrics.mrr.movements` gives it over every subscription; day cells also hold the subscriptions started
    and stopped that day and running at its start, as `subscription_figures` counts them."""

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+", db_index=False)
    grain = models.CharField(max_length=5)
    start = models.DateField()
    mrr_start = models.BigIntegerField(default=0)
    new = models.BigIntegerField(default=0)
    expansion = models.BigIntegerField(default=0)
    contraction = models.BigIntegerField(default=0)
    churned = models.BigIntegerField(default=0)
    reactivated = models.BigIntegerField(default=0)
    mrr_end = models.BigIntegerField(default=0)
    customers_start = models.BigIntegerField(default=0)
    customers_end = models.BigIntegerField(default=0)
    new_customers = models.BigIntegerField(default=0)
    churned_customers = models.BigIntegerField(default=0)
    reactivated_customers = models.BigIntegerField(default=0)
    started = models.BigIntegerField(default=0)  # day cells: counted subscriptions starting that day
    stopped = models.BigIntegerField(default=0)  # day cells: ... stopping that day (not before their start)
    running = models.BigIntegerField(default=0)  # day cells: ... running at the day's start

    workspace_lookup = "store__workspace"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "grain", "start"], name="mrr_cell_unique")]


class MrrEvent(models.Model):
    """One start or stop of a counted subscription that runs (stops not before its start), in `metrics.mrr.movements`'
    order (`seq`), with its customer's MRR just before it and the customer's first start: what a period the range
    clips needs of the customers it touched, read by the (store, at) index without their subscription rows."""

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+", db_index=False)
    at = models.DateTimeField()
    seq = models.BigIntegerField()
    customer = models.CharField(max_length=40)  # the span's customer: a wc customer id, or "subscription <wc id>"
    first_start = models.DateTimeField()  # the customer's earliest subscription start (any counted subscription)
    before = models.BigIntegerField()  # the customer's MRR before this event
    delta = models.BigIntegerField()  # + the monthly amount at a start, − at a stop

    workspace_lookup = "store__workspace"

    class Meta:
        indexes = [models.Index(fields=["store", "at"], name="mrr_event_at")]
