"""Single flight per source: a lease row taken with one conditional UPDATE, so it works on SQLite and PostgreSQL
without advisory locks, and expires by itself when its holder dies (kill -9)."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Lease


def lease_ttl() -> timedelta:
    """How long a lease lasts without renewal (STORELENS_SYNC_LEASE_TTL): after a holder dies (kill -9, a lost
    machine), its stores wait this long before another worker may take them. The holder renews every third of it."""
    return timedelta(seconds=settings.STORELENS_SYNC_LEASE_TTL)


def new_holder(kind: str = "sync") -> str:
    return f"{kind}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseHeld(Exception):
    """Another process is syncing this source right now."""

    def __init__(self, store_id: int, holder: str) -> None:
        super().__init__(f"Source {store_id} is being synced by {holder or 'another process'}; try again shortly.")
        self.holder = holder


def acquire(store_id: int, holder: str, ttl: timedelta | None = None) -> bool:
    """Take the lease if it is free, expired or already ours. True when we hold it."""
    now = timezone.now()
    ttl = ttl or lease_ttl()
    try:
        with transaction.atomic():
            Lease.objects.get_or_create(store_id=store_id, defaults={"expires_at": now - timedelta(seconds=1)})
    except IntegrityError:
        pass  # created concurrently by someone else: fine, the UPDATE below decides
    taken = Lease.objects.filter(Q(expires_at__lt=now) | Q(holder=holder) | Q(holder=""), store_id=store_id).update(
        holder=holder, expires_at=now + ttl, acquired_at=now
    )
    return taken == 1


def renew(store_id: int, holder: str, ttl: timedelta | None = None) -> bool:
    """Extend our lease; False when it was lost (expired and taken over), in which case the caller must stop."""
    until = timezone.now() + (ttl or lease_ttl())
    return Lease.objects.filter(store_id=store_id, holder=holder).update(expires_at=until) == 1


def release(store_id: int, holder: str) -> None:
    Lease.objects.filter(store_id=store_id, holder=holder).update(holder="", expires_at=timezone.now())


def holder_of(store_id: int) -> str:
    lease = Lease.objects.filter(store_id=store_id, expires_at__gte=timezone.now()).exclude(holder="").first()
    return lease.holder if lease else ""
