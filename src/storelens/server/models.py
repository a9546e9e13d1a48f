"""What the processes of one installation tell each other through the database they share."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """A job consumer (`storelens worker`, or `storelens serve` with its in-process consumer) saying it is alive.

    Why the database: the workers of a fleet share nothing else they can all read (each has its own data directory;
    the queue may be SQLite), and `storelens status --json` must list the workers seen from any machine.
    """

    name = models.CharField(max_length=200, unique=True)  # host:pid, one row per process
    hostname = models.CharField(max_length=200)
    pid = models.IntegerField()
    kind = models.CharField(max_length=16, default="worker")  # worker | serve
    threads = models.PositiveIntegerField(default=0)
    version = models.CharField(max_length=32, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("hostname", "pid")
