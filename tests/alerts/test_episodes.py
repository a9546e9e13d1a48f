"""From findings to episodes: an alert fires once however many ticks (or workers) see it, clears when the store
recovers, fires again for a new episode, stays quiet while muted, and reaches each member only with the kinds their
role may see. Histories as in test_detect (tests/alerts/histories.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storelens.accounts.models import Membership, Workspace
from storelens.alerts.detect import Finding, orders_stopped
from storelens.alerts.episodes import detect, fire
from storelens.alerts.models import Alert, Delivery, Kind, MemberAlerts, Mute, WorkspaceAlerts
from storelens.stores.status import set_status_from_error
from storelens.woocommerce.errors import Retriable
from tests.alerts.histories import Shop, regular_shop, utc

pytestmark = pytest.mark.django_db
MONDAY = date(2025, 3, 10)


@pytest.fixture
def workspace(alice: object) -> Workspace:
    return Workspace.objects.get(name="Alice's Shop")


@pytest.fixture
def shop(workspace: Workspace) -> Shop:
    shop = regular_shop(workspace, MONDAY)
    shop.sell(MONDAY, range(9, 13))
    return shop


def tick(shop: Shop, hour: int, minute: int = 30) -> dict[str, int]:
    now = utc(MONDAY, hour, minute)
    shop.synced(now)
    return detect(now)


def stopped(shop: Shop) -> list[Alert]:
    return list(Alert.objects.filter(store=shop.store, kind=Kind.ORDERS_STOPPED).order_by("pk"))


def test_an_alert_fires_once_per_episode_and_clears_when_orders_come_back(shop: Shop) -> None:
    assert tick(shop, 14).get("fired") is None  # 2 hours: not yet (3 at least)
    assert tick(shop, 15)["fired"] == 1
    assert tick(shop, 16)["ongoing"] == 1 and tick(shop, 16, 45)["ongoing"] == 1
    [alert] = stopped(shop)
    assert alert.figures["silence_hours"] == 4 and alert.resolved_at is None  # the numbers follow the silence
    shop.sell(MONDAY, [17])
    assert tick(shop, 17, 40)["resolved"] == 1
    assert stopped(shop)[0].resolved_at is not None
    assert tick(shop, 20, 45)["fired"] == 1  # silent again since 17:15: a new episode
    assert [a.resolved_at is None for a in stopped(shop)] == [False, True]


def test_two_workers_finding_the_same_episode_fire_it_once(shop: Shop) -> None:
    now = utc(MONDAY, 16, 30)
    shop.synced(now)
    found = orders_stopped(shop.store, now)
    assert isinstance(found, Finding)
    WorkspaceAlerts.objects.create(workspace=shop.store.workspace, webhook_url="https://hooks.example.com/x")
    assert fire(shop.store, found, now) is not None
    assert fire(shop.store, found, now) is None  # the second insert meets the open alert
    assert Alert.objects.count() == 1 and Delivery.objects.count() == 1


def test_a_muted_store_or_kind_fires_nothing(shop: Shop) -> None:
    Mute.objects.create(workspace=shop.store.workspace, store=shop.store, kind=Kind.ORDERS_STOPPED)
    assert tick(shop, 16)["muted"] == 1
    Mute.objects.all().delete()
    Mute.objects.create(workspace=shop.store.workspace, store=shop.store, kind="")
    assert tick(shop, 16, 40)["muted"] == 1
    assert not Alert.objects.exists()
    Mute.objects.all().delete()
    assert tick(shop, 16, 50)["fired"] == 1  # unmuted: the next tick tells


def test_recipients_are_the_members_who_asked_and_whose_role_sees_the_kind(
    shop: Shop, make_member: object, alice: object
) -> None:
    workspace = shop.store.workspace
    support = make_member("sam@example.com", workspace.name, role=Membership.Role.SUPPORT)  # type: ignore[operator]
    owner = Membership.objects.get(user=alice, workspace=workspace)
    MemberAlerts.objects.create(membership=owner, email=True)
    MemberAlerts.objects.create(membership=Membership.objects.get(user=support, workspace=workspace), email=True)
    WorkspaceAlerts.objects.create(workspace=workspace, webhook_url="https://hooks.example.com/x")
    tick(shop, 16)
    targets = set(Delivery.objects.values_list("channel", "target"))
    assert targets == {("email", "alice@example.com"), ("webhook", "https://hooks.example.com/x")}
    set_status_from_error(shop.store, Retriable("Connection refused", code="unreachable"))
    detect(shop.store.status_since + timedelta(minutes=20))
    down = Alert.objects.get(kind=Kind.STORE_DOWN)
    assert {d.target for d in down.deliveries.all()} == {
        "alice@example.com",
        "sam@example.com",
        "https://hooks.example.com/x",
    }
