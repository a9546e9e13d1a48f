"""What `storelens status --json` tells a monitoring system about a whole installation: its stores and their
states, the job queue's depth, and the workers seen (their heartbeats, `server.heartbeat`).

Why one command: an agency runs many workers on several machines; the one place they all share is the database
(and the queue), so the summary is read from there, from any machine with the same settings.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from storelens.stores.models import Store
from storelens.sync.models import Lease, SyncState

from .heartbeat import ALIVE_WITHIN
from .models import WorkerHeartbeat
from .queue import queue_description

LISTED_FOR = timedelta(hours=1)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _queue() -> dict[str, Any]:
    from huey.contrib.djhuey import HUEY

    try:
        return {"kind": queue_description(), "pending": HUEY.pending_count(), "scheduled": HUEY.scheduled_count()}
    except Exception as exc:  # the queue being down is itself what monitoring wants to hear
        return {"kind": queue_description(), "error": f"{type(exc).__name__}: {exc}"}


def _workers(now: datetime) -> list[dict[str, Any]]:
    out = []
    # A worker killed without a word shows as "gone" for an hour (long enough for monitoring to see it), then drops.
    for beat in WorkerHeartbeat.objects.filter(seen_at__gte=now - LISTED_FOR):
        alive = beat.stopped_at is None and beat.seen_at >= now - ALIVE_WITHIN
        out.append(
            {
                "name": beat.name,
                "kind": beat.kind,
                "hostname": beat.hostname,
                "pid": beat.pid,
                "threads": beat.threads,
                "version": beat.version,
                "started_at": _iso(beat.started_at),
                "seen_at": _iso(beat.seen_at),
                "state": "alive" if alive else ("stopped" if beat.stopped_at else "gone"),
            }
        )
    return out


def summary() -> dict[str, Any]:
    """The installation at a glance. `oldest_pass_seconds` is the freshness a fleet is judged by: the longest time
    since any imported store's last finished pass (compare it with `sync_interval`)."""
    now = timezone.now()
    states = {s.store_id: s for s in SyncState.objects.all()}
    syncing = dict(Lease.objects.filter(expires_at__gte=now).exclude(holder="").values_list("store_id", "holder"))
    stores, ages = [], []
    for store in Store.objects.order_by("pk"):
        state = states.get(store.pk)
        imported = bool(state and state.import_completed_at)
        age = (now - store.last_sync_at).total_seconds() if store.last_sync_at else None
        if imported and age is not None:
            ages.append(age)
        stores.append(
            {
                "id": store.pk,
                "url": store.home_url or store.entered_url,
                "status": store.status,
                "status_code": store.status_code,
                "phase": state.phase if state else None,
                "imported": imported,
                "syncing": store.pk in syncing,
                "last_sync_at": _iso(store.last_sync_at),
                "seconds_since_pass": round(age, 1) if age is not None else None,
                "failures": state.failures if state else 0,
            }
        )
    return {
        "checked_at": now.isoformat(),
        "stores": {
            "total": len(stores),
            "by_status": dict(sorted(Counter(s["status"] for s in stores).items())),
            "importing": sum(1 for s in stores if not s["imported"]),
            "syncing_now": len(syncing),
            "oldest_pass_seconds": round(max(ages), 1) if ages else None,
            "sync_interval": settings.STORELENS_SYNC_INTERVAL,
            "list": stores,
        },
        "queue": _queue(),
        "workers": _workers(now),
    }
