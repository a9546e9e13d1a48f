"""GET /api/v1/alerts: the workspace's alerts with why each fired, as on the Alerts page — support's tokens see only
stores that are down, another workspace's token sees none, `state=all` adds the recovered ones."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from storelens.accounts.models import Membership, Workspace
from storelens.alerts.models import Alert, Kind, Mute
from storelens.stores.models import Store

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(alice: Any) -> Store:
    return Store.objects.create(workspace=Workspace.objects.get(name="Alice's Shop"), name="Corner", currency="USD")


def make(store: Store, kind: str, **extra: Any) -> Alert:
    return Alert.objects.create(
        workspace=store.workspace,
        store=store,
        kind=kind,
        title=f"Title {kind}",
        reason=f"Reason {kind}",
        figures={"silence_hours": 4} if kind == Kind.ORDERS_STOPPED else {"minutes": 20},
        **extra,
    )


def test_the_owner_gets_open_alerts_with_their_numbers(api_client_for: Any, alice: Any, store: Store) -> None:
    make(store, Kind.ORDERS_STOPPED)
    make(store, Kind.REFUND_SPIKE, resolved_at=timezone.now())
    Mute.objects.create(workspace=store.workspace, store=store, kind=Kind.ORDERS_STOPPED)
    answer = api_client_for(alice).get("/api/v1/alerts")
    assert answer.status_code == 200
    [row] = answer.json()
    assert row["kind"] == "orders_stopped" and row["figures"] == {"silence_hours": 4}
    assert row["source_id"] == store.pk and row["muted"] is True and row["resolved_at"] is None
    every = api_client_for(alice).get("/api/v1/alerts?state=all").json()
    assert [r["kind"] for r in every] == ["refund_spike", "orders_stopped"]


def test_support_sees_only_stores_that_are_down(api_client_for: Any, make_member: Any, store: Store) -> None:
    make(store, Kind.ORDERS_STOPPED)
    make(store, Kind.STORE_DOWN)
    sam = make_member("sam@example.com", store.workspace.name, role=Membership.Role.SUPPORT)
    assert [r["kind"] for r in api_client_for(sam).get("/api/v1/alerts").json()] == ["store_down"]


def test_another_workspace_sees_none(api_client_for: Any, bob: Any, store: Store) -> None:
    make(store, Kind.STORE_DOWN)
    assert api_client_for(bob).get("/api/v1/alerts").json() == []
