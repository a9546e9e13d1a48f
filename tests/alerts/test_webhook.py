"""The workspace's webhook through a real HTTP server on 127.0.0.1: Slack-compatible JSON with the reason; a failure
is kept and retried; a slow server times out in the worker; a private address (literal or resolved) needs
STORELENS_ALLOW_PRIVATE_STORES, the permission the demo and the tests use for stores."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from storelens.alerts import send, webhook
from storelens.alerts.episodes import detect
from storelens.alerts.models import Alert, Delivery, WorkspaceAlerts
from tests.alerts.conftest import LATER, MONDAY, Hook, stop_orders
from tests.alerts.histories import utc

pytestmark = pytest.mark.django_db


def test_the_webhook_gets_slack_json(fired: object, hook: Hook) -> None:
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)  # type: ignore[misc]
    stop_orders(fired)
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_SMTP_URL=""):
        detect(utc(MONDAY, 16, 30))
        assert send.send_pending(LATER) == {"sent": 1, "waiting: no SMTP": 1}
        assert send.send_pending(LATER) == {"waiting: no SMTP": 1}
    [post] = hook.posts
    assert post["type"] == "application/json" and post["path"] == "/services/T000/B000/secret"
    text = post["json"]["text"]
    assert set(post["json"]) == {"text"}
    assert text.startswith("*Orders have stopped: your checkout may be broken* — Corner\nNo counted order for 4 hours")


def test_a_webhook_on_a_private_address_is_refused_without_the_permission(fired: object, hook: Hook) -> None:
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)  # type: ignore[misc]
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    with override_settings(STORELENS_SMTP_URL=""):
        assert send.send_pending(LATER)["failed"] == 1
    assert hook.posts == []
    row = Delivery.objects.get(channel="webhook")
    assert row.attempts == 1 and row.sent_at is None and row.claimed_at is None
    assert "127.0.0.1 is this computer's own address (loopback)" in row.error
    assert "STORELENS_ALLOW_PRIVATE_STORES=1" in row.error


def test_a_failing_webhook_is_retried_then_sent(fired: object, hook: Hook) -> None:
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)  # type: ignore[misc]
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    hook.status = 500
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_SMTP_URL=""):
        send.send_pending(LATER)
        assert Delivery.objects.get(channel="webhook").error == "the webhook answered HTTP 500"
        hook.status = 204
        send.send_pending(LATER)
    row = Delivery.objects.get(channel="webhook")
    assert row.attempts == 2 and row.sent_at is not None and row.error == ""


def test_a_slow_webhook_times_out_in_the_worker(fired: object, hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    monkeypatch.setattr(webhook, "TIMEOUT", httpx.Timeout(0.5))
    hook.delay = 2.0
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)  # type: ignore[misc]
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_SMTP_URL=""):
        assert send.send_pending(LATER)["failed"] == 1
    assert "ReadTimeout" in Delivery.objects.get(channel="webhook").error


def test_a_name_that_resolves_to_a_private_address_is_refused_when_sending(fired: object, hook: Hook) -> None:
    """Saving cannot see where a name points; the guard checks the addresses actually dialled (as for stores)."""
    import socket

    from storelens.woocommerce.guard import is_public_address

    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, None)}
    except OSError:
        pytest.skip(f"{name} does not resolve here")
    if any(is_public_address(a) for a in addresses):
        pytest.skip(f"{name} resolves to a public address here")
    url = hook.url.replace("127.0.0.1", name)
    assert webhook.check_url(url) == url  # a name passes the save-time check
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=url)  # type: ignore[misc]
    stop_orders(fired)
    detect(utc(MONDAY, 16, 30))
    with override_settings(STORELENS_SMTP_URL=""):
        assert send.send_pending(LATER)["failed"] == 1
    assert hook.posts == []
    assert f"{name} points to" in Delivery.objects.get(channel="webhook").error


def test_the_webhook_hears_of_the_recovery(fired: object, hook: Hook) -> None:
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)
    shop = stop_orders(fired)
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_SMTP_URL=""):
        detect(utc(MONDAY, 16, 30))
        send.send_pending(LATER)
        shop.sell(MONDAY, [17])
        shop.synced(utc(MONDAY, 17, 40))
        detect(utc(MONDAY, 17, 40))
        send.send_pending(utc(MONDAY, 17, 50))
    assert [p["json"]["text"].split("\n")[0] for p in hook.posts] == [
        "*Orders have stopped: your checkout may be broken* — Corner",
        "*Recovered:* Orders have stopped: your checkout may be broken — Corner",
    ]
    second_line = hook.posts[1]["json"]["text"].split("\n")[1]
    assert second_line.startswith("Over after 1 h 10 min. It fired because: No counted")


def test_a_store_name_cannot_ping_the_slack_channel(fired: object, hook: Hook) -> None:
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)
    shop = stop_orders(fired)
    shop.store.name = "Tom & Jerry <!channel>"
    shop.store.save(update_fields=["name"])
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_SMTP_URL=""):
        detect(utc(MONDAY, 16, 30))
        send.send_pending(LATER)
    first_line = hook.posts[0]["json"]["text"].split("\n")[0]
    assert first_line.endswith("— Tom &amp; Jerry &lt;!channel&gt;")


def test_a_test_message_is_posted_from_the_queue_and_its_outcome_shown(
    fired: object, hook: Hook, client_for: Any, alice: Any, make_member: Any
) -> None:
    """Huey runs immediately in the tests; in production the view only queues the task."""
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)
    client = client_for(alice)
    client.post("/alerts/webhook/test/", {"next": "settings"})
    page = client.get("/settings/").content.decode()
    assert "Test failed" in page and "STORELENS_ALLOW_PRIVATE_STORES=1" in page and hook.posts == []
    with override_settings(STORELENS_ALLOW_PRIVATE_STORES=True):
        answer = client.post("/alerts/webhook/test/", {"next": "settings"}, follow=True)
    assert "Test message queued" in answer.content.decode()
    assert hook.posts[0]["json"] == {
        "text": "*Storelens test message* — alerts for Alice's Shop will be posted here: orders that stop, refund "
        "spikes, stores that cannot be reached, days far above normal."
    }
    assert "Test posted" in client.get("/settings/").content.decode()
    analyst = make_member("ann@example.com", "Alice's Shop", role="analyst")
    assert client_for(analyst).post("/alerts/webhook/test/").status_code == 403
    assert len(hook.posts) == 1


def test_the_webhook_links_the_stores_page_and_the_alert(fired: object, hook: Hook) -> None:
    """With the instance's public address set, as the e-mail does: the store's page, and the alert where it is
    muted; without it, no link (a relative one means nothing in Slack)."""
    WorkspaceAlerts.objects.create(workspace=fired, webhook_url=hook.url)  # type: ignore[misc]
    stop_orders(fired)
    public = "https://lens.example.com"
    with override_settings(
        STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_SMTP_URL="", STORELENS_PUBLIC_URL=public + "/"
    ):
        detect(utc(MONDAY, 16, 30))
        send.send_pending(LATER)
    [post] = hook.posts
    alert = Alert.objects.get()
    assert post["json"]["text"].split("\n")[-2:] == [
        f"Store: {public}/sources/{alert.store_id}/",
        f"Alert: {public}/alerts/#alert-{alert.pk}",
    ]
