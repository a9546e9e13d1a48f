"""Where a sync stands, per source: progress, import checkpoints, incremental cursors and the lease.

Every row here is written in the same transaction as the data it describes, so after a kill -9 the checkpoints say
exactly which pages are in the database.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from storelens.accounts.scoping import WorkspaceQuerySet
from storelens.stores.models import Store


class SyncState(models.Model):
    """Progress of the current (or last) pass, read by the source page and `storelens sync --wait`."""

    class Phase(models.TextChoices):
        IDLE = "idle", "Idle"
        IMPORTING = "importing", "Importing history"
        REFUNDS = "refunds", "Importing refunds"
        CATALOGUE = "catalogue", "Importing customers and products"
        INCREMENTAL = "incremental", "Fetching changes"
        RECONCILING = "reconciling", "Checking every order"

    workspace_lookup = "store__workspace"
    objects = WorkspaceQuerySet.as_manager()

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="sync_state")
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.IDLE)
    import_started_at = models.DateTimeField(null=True, blank=True)  # the history import's horizon ("now" at start)
    import_completed_at = models.DateTimeField(null=True, blank=True)
    pages_done = models.IntegerField(default=0)
    pages_total = models.IntegerField(default=0)
    orders_done = models.IntegerField(default=0)
    orders_total = models.IntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    # An unexpected error (a bug in Storelens, not a store problem: `storelens.sync.failures`): consecutive failed
    # passes, when the last one failed and under which version, when the next automatic pass may run (None: no
    # more automatic passes until something changes), and the support detail the owner can copy.
    failures = models.PositiveIntegerField(default=0)
    failed_at = models.DateTimeField(null=True, blank=True)
    failed_version = models.CharField(max_length=32, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    failure_detail = models.TextField(blank=True)
    # When the periodic scheduler queued a pass for this store (cleared when that pass starts): however many workers
    # run the scheduler, one of them claims the store with a conditional UPDATE and the others leave it alone.
    queued_at = models.DateTimeField(null=True, blank=True)

    @property
    def rate(self) -> float:
        """Orders per second since the pass started."""
        if not self.started_at or not self.orders_done:
            return 0.0
        elapsed = (self.updated_at - self.started_at).total_seconds()
        return self.orders_done / elapsed if elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        rate = self.rate
        if not rate or self.orders_total <= self.orders_done:
            return None
        return (self.orders_total - self.orders_done) / rate

    @property
    def fraction(self) -> float:
        if self.orders_total:
            return min(1.0, self.orders_done / self.orders_total)
        if self.pages_total:
            return min(1.0, self.pages_done / self.pages_total)
        return 0.0


class ImportWindow(models.Model):
    """One creation-date window of the history import, with the pages already written (by offset)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    resource = models.CharField(max_length=32, default="orders")
    status = models.CharField(max_length=16, default="any")  # the `status` filter: any, or trash
    after = models.DateTimeField(null=True, blank=True)
    before = models.DateTimeField(null=True, blank=True)
    priority = models.IntegerField(default=0)  # lower first: the last 30 days, then newest → oldest
    total = models.IntegerField(null=True, blank=True)  # X-WP-Total once page 1 was read
    per_page = models.IntegerField(default=100)
    done_offsets = models.JSONField(default=list)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ("priority", "pk")
        indexes = [models.Index(fields=["store", "resource", "done"])]

    @property
    def page_offsets(self) -> list[int]:
        if self.total is None:
            return [0]
        return list(range(0, max(self.total, 1), self.per_page))

    def pending_offsets(self) -> list[int]:
        done = set(self.done_offsets)
        return [o for o in self.page_offsets if o not in done]


class Cursor(models.Model):
    """Incremental position per source and resource: rows modified up to `position` (UTC) are in our copy."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    resource = models.CharField(max_length=32)
    position = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "resource"], name="sync_cursor_store_resource")]


class Lease(models.Model):
    """Single flight per source: whoever holds an unexpired lease syncs it; everyone else skips."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="+")
    holder = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(default=timezone.now)
    acquired_at = models.DateTimeField(null=True, blank=True)


class PendingFetch(models.Model):
    """Objects a webhook (or the census) told us to re-read; drained by the next pass."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    resource = models.CharField(max_length=32)
    wc_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "resource", "wc_id"], name="sync_pendingfetch_unique")]


def import_unfinished(store: Store) -> bool:
    """Has the history import begun and not finished? (A check that clears a problem then leaves it "importing".)"""
    return SyncState.objects.filter(
        store=store, import_started_at__isnull=False, import_completed_at__isnull=True
    ).exists()


def import_progress(store: Store) -> tuple[int, int | None, str] | None:
    """(orders done, orders total, the step under way) from the store's progress row; None before any sync."""
    row = SyncState.objects.filter(store=store).first()
    if row is None:
        return None
    step = str(row.get_phase_display()) if row.phase != SyncState.Phase.IDLE else ""
    return row.orders_done, row.orders_total, step
