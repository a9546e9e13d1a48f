"""`storelens status --json`: stores and their states, the queue's depth and the workers seen, for monitoring."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from storelens.server.heartbeat import Heartbeat
from storelens.server.models import WorkerHeartbeat
from storelens.stores.models import Store
from storelens.sync import lease
from storelens.sync.models import SyncState

pytestmark = pytest.mark.django_db


def status(*args: str) -> str:
    out = io.StringIO()
    call_command("status", *args, stdout=out)
    return out.getvalue()


def make_store(workspace: Any, url: str, **fields: Any) -> Store:
    return Store.objects.create(workspace=workspace, entered_url=url, home_url=url, currency="USD", **fields)


def test_status_json_summarises_stores_queue_and_workers() -> None:
    from storelens.accounts.models import Workspace

    workspace = Workspace.objects.create(name="Agency")
    now = timezone.now()
    fresh = make_store(workspace, "https://a.test", status=Store.Status.CONNECTED, last_sync_at=now)
    stale = make_store(
        workspace, "https://b.test", status=Store.Status.CONNECTED, last_sync_at=now - timedelta(minutes=9)
    )
    blocked = make_store(workspace, "https://c.test", status=Store.Status.BLOCKED, status_code="waf_challenge")
    importing = make_store(workspace, "https://d.test", status=Store.Status.IMPORTING)
    for store in (fresh, stale):
        SyncState.objects.create(store=store, import_completed_at=now)
    assert lease.acquire(importing.pk, "sync:host:4242:abcd1234")
    Heartbeat("worker").beat()  # this process, alive
    WorkerHeartbeat.objects.create(name="old:1", hostname="old", pid=1, seen_at=now - timedelta(hours=2))
    WorkerHeartbeat.objects.create(name="gone:2", hostname="gone", pid=2, seen_at=now - timedelta(seconds=50))

    data = json.loads(status("--json"))

    stores = data["stores"]
    assert stores["total"] == 4
    assert stores["by_status"] == {"blocked": 1, "connected": 2, "importing": 1}
    assert stores["importing"] == 2 and stores["syncing_now"] == 1
    assert 539 <= stores["oldest_pass_seconds"] <= 560  # the stale store: 9 minutes
    by_id = {s["id"]: s for s in stores["list"]}
    assert by_id[blocked.pk]["status_code"] == "waf_challenge"
    assert by_id[importing.pk]["syncing"] is True and by_id[fresh.pk]["syncing"] is False
    assert set(data["queue"]) >= {"kind", "pending", "scheduled"}
    states = {w["name"]: w["state"] for w in data["workers"]}
    assert "old:1" not in states  # not seen for hours: no longer listed
    assert states["gone:2"] == "gone"
    assert list(states.values()).count("alive") == 1


def test_status_in_words_names_the_oldest_pass_and_the_workers() -> None:
    Heartbeat("worker").beat()
    text = status()
    assert "Stores: 0 (none)" in text
    assert "Workers alive: 1" in text
    assert "Queue (" in text
