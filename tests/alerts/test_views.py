"""The alerts in the app: the home page's list and the bell's count, the Alerts page (which reads the bell), muting
per store and kind (owner and admin), each member's e-mail choice, the workspace's webhook (owner and admin, private
addresses refused), and what support sees (stores that are down only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from storelens.accounts.models import Membership, Workspace
from storelens.alerts.models import Alert, Kind, MemberAlerts, Mute, WorkspaceAlerts
from storelens.stores.models import Store

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(alice: Any) -> Store:
    workspace = Workspace.objects.get(name="Alice's Shop")
    return Store.objects.create(
        workspace=workspace, name="Corner", currency="USD", status=Store.Status.CONNECTED, last_sync_at=timezone.now()
    )


def alert(store: Store, kind: str = Kind.ORDERS_STOPPED, **extra: Any) -> Alert:
    reasons = {
        Kind.ORDERS_STOPPED: "No counted order for 4 hours (the last one in the hour from Monday 12:00).",
        Kind.STORE_DOWN: "Unreachable since 2025-03-10 16:00 UTC (20 minutes). Connection refused.",
    }
    return Alert.objects.create(
        workspace=store.workspace, store=store, kind=kind, title=f"Title {kind}", reason=reasons[kind], **extra
    )


def member(make_member: Any, store: Store, email: str, role: str) -> Any:
    return make_member(email, store.workspace.name, role=role)


def test_the_bell_counts_new_open_alerts_until_the_list_is_opened(client_for: Any, alice: Any, store: Store) -> None:
    alert(store)
    client = client_for(alice)
    page = client.get("/settings/").content.decode()
    assert 'class="bell has-unread"' in page and '<span class="bell-count">1</span>' in page
    listing = client.get("/alerts/").content.decode()
    assert "No counted order for 4 hours" in listing
    page = client.get("/settings/").content.decode()
    assert "bell-count" not in page and 'id="alerts-bell"' in page
    alert(store, Kind.STORE_DOWN)
    assert '<span class="bell-count">1</span>' in client.get("/settings/").content.decode()


def test_a_resolved_alert_leaves_the_bell_and_shows_as_recovered(client_for: Any, alice: Any, store: Store) -> None:
    alert(store, resolved_at=timezone.now())
    client = client_for(alice)
    assert "bell-count" not in client.get("/settings/").content.decode()
    listing = client.get("/alerts/").content.decode()
    assert "recovered" in listing and "Nothing needs your attention" in listing


def test_muting_a_kind_hides_it_and_unmuting_brings_it_back(csrf_client: Any, alice: Any, store: Store) -> None:
    alert(store)
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    token = csrf_client.get("/alerts/").cookies["csrftoken"].value
    answer = csrf_client.post(
        f"/alerts/sources/{store.pk}/mute/",
        {"kind": Kind.ORDERS_STOPPED, "next": "home", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert Mute.objects.filter(store=store, kind=Kind.ORDERS_STOPPED, muted_by="alice@example.com").exists()
    listing = csrf_client.get("/alerts/").content.decode()
    assert "muted" in listing and "Unmute" in listing
    assert "bell-count" not in csrf_client.get("/settings/").content.decode()
    csrf_client.post(f"/alerts/sources/{store.pk}/unmute/", {"kind": Kind.ORDERS_STOPPED, "csrfmiddlewaretoken": token})
    assert not Mute.objects.exists()


def test_an_unknown_kind_is_not_muted(client_for: Any, alice: Any, store: Store) -> None:
    client_for(alice).post(f"/alerts/sources/{store.pk}/mute/", {"kind": "everything"})
    assert not Mute.objects.exists()


def test_analysts_see_alerts_but_cannot_mute_or_set_the_webhook(
    client_for: Any, make_member: Any, store: Store
) -> None:
    alert(store)
    client = client_for(member(make_member, store, "ann@example.com", Membership.Role.ANALYST))
    listing = client.get("/alerts/").content.decode()
    assert "No counted order" in listing and "Mute this kind" not in listing
    assert client.post(f"/alerts/sources/{store.pk}/mute/", {"kind": ""}).status_code == 403
    assert client.post("/alerts/webhook/", {"webhook_url": "https://hooks.example.com/x"}).status_code == 403
    assert not Mute.objects.exists() and not WorkspaceAlerts.objects.exists()
    assert client.post("/alerts/email/", {"email": "on"}).status_code == 302
    assert MemberAlerts.objects.get(membership__user__email="ann@example.com").email is True


def test_support_sees_only_stores_that_are_down(client_for: Any, make_member: Any, store: Store) -> None:
    alert(store)
    alert(store, Kind.STORE_DOWN)
    client = client_for(member(make_member, store, "sam@example.com", Membership.Role.SUPPORT))
    listing = client.get("/alerts/").content.decode()
    assert "Unreachable since" in listing and "No counted order" not in listing
    settings_page = client.get("/settings/").content.decode()
    assert "Your role (Support)" in settings_page and 'id="alerts-webhook"' not in settings_page


def test_the_webhook_refuses_private_addresses_without_the_permission(
    client_for: Any, alice: Any, store: Store
) -> None:
    client = client_for(alice)
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "https://10.0.0.5/x", "http://169.254.169.254/"):
        answer = client.post("/alerts/webhook/", {"webhook_url": url, "next": "settings"}, follow=True)
        assert (
            "Webhook not saved" in answer.content.decode()
            and "STORELENS_ALLOW_PRIVATE_STORES=1" in answer.content.decode()
        )
    client.post("/alerts/webhook/", {"webhook_url": "ftp://hooks.example.com/x"})
    assert not WorkspaceAlerts.objects.exists()
    client.post("/alerts/webhook/", {"webhook_url": "https://hooks.example.com/services/x"})
    assert WorkspaceAlerts.objects.get().webhook_url == "https://hooks.example.com/services/x"
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True):
        client.post("/alerts/webhook/", {"webhook_url": "http://127.0.0.1:9/x"})
    assert WorkspaceAlerts.objects.get().webhook_url == "http://127.0.0.1:9/x"
    client.post("/alerts/webhook/", {"webhook_url": ""})
    assert WorkspaceAlerts.objects.get().webhook_url == ""


def test_settings_say_when_alert_mail_is_off(client_for: Any, alice: Any, store: Store) -> None:
    with override_settings(STORELENS_SMTP_URL=""):
        page = client_for(alice).get("/settings/").content.decode()
    assert 'id="alerts-smtp-off"' in page and 'id="alerts-email"' in page


def test_another_workspaces_alerts_are_not_shown(client_for: Any, bob: Any, store: Store) -> None:
    alert(store)
    listing = client_for(bob).get("/alerts/").content.decode()
    assert "No counted order" not in listing and "Corner" not in listing


def test_an_old_resolved_alert_drops_off_the_list(client_for: Any, alice: Any, store: Store) -> None:
    old = alert(store, resolved_at=timezone.now() - timedelta(days=40))
    assert f'id="alert-{old.pk}"' not in client_for(alice).get("/alerts/").content.decode()


def test_an_alerts_times_read_in_its_stores_own_zone(client_for: Any, alice: Any, store: Store) -> None:
    # The reason speaks of the store's wall clock ("the hour from Monday 12:00"): "since" must use the same clock.
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    store.timezone_string = "America/New_York"
    store.save(update_fields=["timezone_string"])
    opened = datetime(2025, 3, 10, 20, 30, tzinfo=UTC)  # 16:30 in New York (EDT since the day before)
    Alert.objects.filter(pk=alert(store).pk).update(opened_at=opened)
    recovered_at = timezone.now() - timedelta(days=1)
    Alert.objects.filter(pk=alert(store, Kind.STORE_DOWN).pk).update(opened_at=opened, resolved_at=recovered_at)
    listing = client_for(alice).get("/alerts/").content.decode()
    assert "Since <time" in listing and "10 Mar 2025 16:30 EDT</time>" in listing
    local = recovered_at.astimezone(ZoneInfo("America/New_York"))
    assert "recovered <time" in listing and f"{local:%-d %b %Y %H:%M} {local.tzname()}</time>" in listing
