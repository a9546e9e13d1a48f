"""E-mail digests: who asked for one (per member of a workspace) and which were sent (one row per member and period).

Why a row per period: every `storelens worker` runs the digest tick, so a member's digest for a period is sent only
by the worker that claims its row (`storelens.dashboard.digest_mail.claim`), and never twice once `sent_at` is set.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from storelens.accounts.models import Membership


class Frequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily: yesterday"
    WEEKLY = "weekly", "Weekly: last week"
    MONTHLY = "monthly", "Monthly: last month"


class DigestSubscription(models.Model):
    """A member's choice for one workspace (a person in two workspaces chooses in each)."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="digest")
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.OFF)
    updated_at = models.DateTimeField(default=timezone.now)


class DigestSent(models.Model):
    """One digest of one member for one period: claimed by a worker, then sent (or given back with the error)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="digests_sent")
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    first = models.DateField()  # the period reported on, inclusive
    last = models.DateField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)  # host:pid of the worker
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # the last failure, for `storelens status`-style questions

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("membership", "frequency", "first"), name="one_digest_per_period"),
        )
        ordering = ("-first", "pk")
