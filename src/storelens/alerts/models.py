"""Alerts: one row per episode (fired once, resolved when the store recovers), the mutes, each member's choices, the
workspace's webhook, and one delivery row per alert and recipient (claimed by one worker before it is sent).

Why a row per episode rather than per tick: the detector runs every few minutes on every worker; the partial unique
constraint (one open alert per store and kind) makes the first worker's insert the only firing, and deliveries are
created in that same transaction, so a second worker neither fires nor sends again.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from storelens.accounts.models import Membership
from storelens.accounts.scoping import WorkspaceOwned


class Kind(models.TextChoices):
    ORDERS_STOPPED = "orders_stopped", "Orders stopped"
    REFUND_SPIKE = "refund_spike", "Refund spike"
    STORE_DOWN = "store_down", "Store unreachable or keys stopped working"
    DAY_HIGH = "day_high", "A day far above normal"


class Alert(WorkspaceOwned):
    """One episode of one kind on one store: `reason` says why it fired, with the numbers; `figures` keeps them."""

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What makes two findings the same episode: the local day for the day kinds, the hour of the last counted order
    # for orders stopped, "" for a store that is down (one episode until it is back).
    episode = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200)
    reason = models.TextField()
    figures = models.JSONField(default=dict, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("store", "kind"), condition=Q(resolved_at__isnull=True), name="one_open_alert_per_store_kind"
            ),
        )
        indexes = (models.Index(fields=("workspace", "opened_at"), name="alert_workspace_opened"),)
        ordering = ("-opened_at", "-pk")

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Mute(WorkspaceOwned):
    """No new alert of `kind` ("" = every kind) for `store` until unmuted; open ones are hidden meanwhile."""

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, blank=True)
    muted_by = models.CharField(max_length=254, blank=True)  # the member's e-mail, for "muted by … on …"
    muted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("store", "kind"), name="one_mute_per_store_kind"),)


class WorkspaceAlerts(WorkspaceOwned):
    """The workspace's webhook (owner/admin settings); empty: none."""

    webhook_url = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # "Send a test message": asked on Settings, posted by the job queue, its outcome shown on Settings.
    test_asked_at = models.DateTimeField(null=True, blank=True)
    test_done_at = models.DateTimeField(null=True, blank=True)
    test_error = models.TextField(blank=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("workspace",), name="one_alert_settings_per_workspace"),)


class MemberAlerts(models.Model):
    """A member's own choices: e-mail me alerts (opt-in, like digests), and when they last opened the list (the
    bell counts open alerts fired since)."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="alerts")
    email = models.BooleanField(default=False)
    seen_at = models.DateTimeField(null=True, blank=True)

    workspace_lookup = "membership__workspace"


class Delivery(models.Model):
    """One message about an alert to one recipient (an e-mail address or the webhook URL as they were when the alert
    fired): that it fired, or that the store recovered (sent to those who were told it fired)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        WEBHOOK = "webhook", "Webhook"

    class News(models.TextChoices):
        FIRED = "fired", "Fired"
        RECOVERED = "recovered", "Recovered"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    target = models.CharField(max_length=500)
    news = models.CharField(max_length=10, choices=News.choices, default=News.FIRED)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    workspace_lookup = "alert__workspace"

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("alert", "news", "channel", "target"), name="one_delivery_per_news_target"),
        )
        indexes = (models.Index(fields=("sent_at", "attempts"), name="alert_delivery_pending"),)
