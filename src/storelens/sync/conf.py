"""The sync's settings with their defaults, read from Django settings (set from STORELENS_* in settings.py)."""

from __future__ import annotations

from django.conf import settings


def sync_interval() -> int:
    """Seconds between incremental passes (STORELENS_SYNC_INTERVAL, default 300)."""
    return int(getattr(settings, "STORELENS_SYNC_INTERVAL", 300))


def reconcile_interval() -> int:
    """Seconds between id censuses + 7-day re-reads (STORELENS_RECONCILE_INTERVAL, default 3600)."""
    return int(getattr(settings, "STORELENS_RECONCILE_INTERVAL", 3600))


def store_concurrency() -> int:
    """Requests in flight per store (STORELENS_STORE_CONCURRENCY, default 4)."""
    return int(getattr(settings, "STORELENS_STORE_CONCURRENCY", 4))


def store_ca_bundle() -> str:
    """Extra CA bundle to trust for stores (STORELENS_STORE_CA_BUNDLE; tests trust the fake store's CA with it)."""
    return str(getattr(settings, "STORELENS_STORE_CA_BUNDLE", "") or "")


def lag_overlap_seconds() -> int:
    return int(getattr(settings, "STORELENS_SYNC_LAG_OVERLAP", 600))
